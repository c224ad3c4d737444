// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QSettings>
#include <QTranslator>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QQmlEngine;
class QJSEngine;

namespace tern::client {

// App-wide preferences that are not per account: the interface language (switched at run
// time: the QML engine retranslates every qsTr), the theme, desktop notifications and sounds. Kept
// in the profile's settings.
class Preferences : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    // "en", "zh_CN"; empty = follow the system.
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    Q_PROPERTY(bool darkTheme READ darkTheme WRITE setDarkTheme NOTIFY darkThemeChanged)
    Q_PROPERTY(QStringList languages READ languages CONSTANT)
    // Desktop notifications for new messages (and friend requests, group invitations), and
    // whether they show the text.
    Q_PROPERTY(bool notificationsEnabled READ notificationsEnabled WRITE setNotificationsEnabled
                   NOTIFY notificationsChanged)
    Q_PROPERTY(bool notificationPreview READ notificationPreview WRITE setNotificationPreview NOTIFY
                   notificationsChanged)
    // Sounds: the ringtone, the ringback and the pop of a new message (SoundAlerts).
    Q_PROPERTY(bool sounds READ sounds WRITE setSounds NOTIFY soundsChanged)
    // Where downloaded files go (default: the system's Downloads folder). A path.
    Q_PROPERTY(QString downloadFolder READ downloadFolder WRITE setDownloadFolder NOTIFY
                   downloadFolderChanged)
    // Devices for calls by name (CallDevices.names); empty = the system's default.
    Q_PROPERTY(QString callMicrophone READ callMicrophone WRITE setCallMicrophone NOTIFY
                   callDevicesChanged)
    Q_PROPERTY(QString callCamera READ callCamera WRITE setCallCamera NOTIFY callDevicesChanged)
    Q_PROPERTY(QString callSpeaker READ callSpeaker WRITE setCallSpeaker NOTIFY callDevicesChanged)
public:
    explicit Preferences(const QString &settingsFile, QObject *parent = nullptr);
    ~Preferences() override;

    static void setInstance(Preferences *preferences);
    static Preferences *instance();
    static Preferences *create(QQmlEngine *engine, QJSEngine *);

    QString language() const { return m_language; }
    void setLanguage(const QString &language);
    bool darkTheme() const { return m_darkTheme; }
    void setDarkTheme(bool dark);
    bool notificationsEnabled() const { return m_notifications; }
    void setNotificationsEnabled(bool enabled);
    bool notificationPreview() const { return m_preview; }
    void setNotificationPreview(bool preview);
    bool sounds() const { return m_sounds; }
    void setSounds(bool enabled);
    QString downloadFolder() const { return m_downloadFolder; }
    // Accepts a path or a file: URL (what a folder dialog gives).
    void setDownloadFolder(const QString &folder);
    QString callMicrophone() const { return m_callMicrophone; }
    void setCallMicrophone(const QString &name) { setCallDevice(m_callMicrophone, name, 0); }
    QString callCamera() const { return m_callCamera; }
    void setCallCamera(const QString &name) { setCallDevice(m_callCamera, name, 1); }
    QString callSpeaker() const { return m_callSpeaker; }
    void setCallSpeaker(const QString &name) { setCallDevice(m_callSpeaker, name, 2); }
    QStringList languages() const { return {QStringLiteral("en"), QStringLiteral("zh_CN")}; }
    // The language's own name, for the picker ("English", "简体中文").
    Q_INVOKABLE QString languageName(const QString &language) const;

    // The engine to retranslate when the language changes (set by create()).
    void setEngine(QQmlEngine *engine) { m_engine = engine; }

Q_SIGNALS:
    void languageChanged();
    void darkThemeChanged();
    void notificationsChanged();
    void soundsChanged();
    void downloadFolderChanged();
    void callDevicesChanged();

private:
    void applyLanguage();
    void setCallDevice(QString &field, const QString &name, int which);

    QSettings m_settings;
    QString m_language;
    bool m_darkTheme = false;
    bool m_notifications = true;
    bool m_preview = true;
    bool m_sounds = true;
    QString m_downloadFolder;
    QString m_callMicrophone;
    QString m_callCamera;
    QString m_callSpeaker;
    std::unique_ptr<QTranslator> m_translator; // tern_*.qm
    std::unique_ptr<QTranslator> m_qtTranslator; // Qt's own, qt_*.qm
    QQmlEngine *m_engine = nullptr;
};

} // namespace tern::client
