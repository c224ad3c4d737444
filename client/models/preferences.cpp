// SPDX-License-Identifier: Apache-2.0
// Preferences: language and theme, GUI thread.
#include "preferences.h"

#include <QCoreApplication>
#include <QDir>
#include <QJSEngine>
#include <QLibraryInfo>
#include <QLocale>
#include <QQmlEngine>
#include <QStandardPaths>
#include <QUrl>

namespace tern::client {

namespace {

Preferences *s_instance = nullptr;
const QString kLanguage = QStringLiteral("ui/language");
const QString kDarkTheme = QStringLiteral("ui/dark_theme");
const QString kNotifications = QStringLiteral("notifications/enabled");
const QString kPreview = QStringLiteral("notifications/preview");
const QString kSounds = QStringLiteral("notifications/sounds");
const QString kDownloadFolder = QStringLiteral("files/download_folder");
const QString kCallDevices[] = {QStringLiteral("calls/microphone"), QStringLiteral("calls/camera"),
                                QStringLiteral("calls/speaker")};

QString defaultDownloadFolder()
{
    const QString downloads = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    return downloads.isEmpty() ? QDir::homePath() : downloads;
}

} // namespace

Preferences::Preferences(const QString &settingsFile, QObject *parent)
    : QObject(parent)
    , m_settings(settingsFile, QSettings::IniFormat)
    , m_language(m_settings.value(kLanguage).toString())
    , m_darkTheme(m_settings.value(kDarkTheme, false).toBool())
    , m_notifications(m_settings.value(kNotifications, true).toBool())
    , m_preview(m_settings.value(kPreview, true).toBool())
    , m_sounds(m_settings.value(kSounds, true).toBool())
    , m_downloadFolder(m_settings.value(kDownloadFolder, defaultDownloadFolder()).toString())
    , m_callMicrophone(m_settings.value(kCallDevices[0]).toString())
    , m_callCamera(m_settings.value(kCallDevices[1]).toString())
    , m_callSpeaker(m_settings.value(kCallDevices[2]).toString())
{
    applyLanguage();
}

Preferences::~Preferences()
{
    if (m_translator)
        QCoreApplication::removeTranslator(m_translator.get());
    if (s_instance == this)
        s_instance = nullptr;
}

void Preferences::setInstance(Preferences *preferences)
{
    s_instance = preferences;
}

Preferences *Preferences::instance()
{
    return s_instance;
}

void Preferences::setNotificationsEnabled(bool enabled)
{
    if (m_notifications == enabled)
        return;
    m_notifications = enabled;
    m_settings.setValue(kNotifications, enabled);
    Q_EMIT notificationsChanged();
}

void Preferences::setNotificationPreview(bool preview)
{
    if (m_preview == preview)
        return;
    m_preview = preview;
    m_settings.setValue(kPreview, preview);
    Q_EMIT notificationsChanged();
}

void Preferences::setSounds(bool enabled)
{
    if (m_sounds == enabled)
        return;
    m_sounds = enabled;
    m_settings.setValue(kSounds, enabled);
    Q_EMIT soundsChanged();
}

void Preferences::setDownloadFolder(const QString &folder)
{
    const QUrl url(folder);
    const QString path = url.isLocalFile() ? url.toLocalFile() : folder;
    if (path.isEmpty() || path == m_downloadFolder)
        return;
    m_downloadFolder = path;
    m_settings.setValue(kDownloadFolder, path);
    Q_EMIT downloadFolderChanged();
}

void Preferences::setCallDevice(QString &field, const QString &name, int which)
{
    if (field == name)
        return;
    field = name;
    m_settings.setValue(kCallDevices[which], name);
    Q_EMIT callDevicesChanged();
}

Preferences *Preferences::create(QQmlEngine *engine, QJSEngine *)
{
    Q_ASSERT_X(s_instance, "Preferences", "main() must create the instance before QML loads");
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    s_instance->setEngine(engine);
    return s_instance;
}

QString Preferences::languageName(const QString &language) const
{
    if (language == QLatin1String("zh_CN"))
        return QStringLiteral("简体中文");
    if (language == QLatin1String("en"))
        return QStringLiteral("English");
    return tr("System language");
}

void Preferences::setLanguage(const QString &language)
{
    if (m_language == language)
        return;
    m_language = language;
    m_settings.setValue(kLanguage, language);
    applyLanguage();
    if (m_engine)
        m_engine->retranslate();
    Q_EMIT languageChanged();
}

void Preferences::setDarkTheme(bool dark)
{
    if (m_darkTheme == dark)
        return;
    m_darkTheme = dark;
    m_settings.setValue(kDarkTheme, dark);
    Q_EMIT darkThemeChanged();
}

void Preferences::applyLanguage()
{
    for (std::unique_ptr<QTranslator> *t : {&m_translator, &m_qtTranslator}) {
        if (*t) {
            QCoreApplication::removeTranslator(t->get());
            t->reset();
        }
    }
    const QLocale locale = m_language.isEmpty() ? QLocale::system() : QLocale(m_language);
    // English is the source language: no file needed.
    if (locale.language() == QLocale::English)
        return;
    // The app's own texts. The .qm files are resources of tern_client (qt_add_translations),
    // so the app and the tests find them alike.
    auto translator = std::make_unique<QTranslator>();
    if (translator->load(locale, QStringLiteral("tern"), QStringLiteral("_"),
                         QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(translator.get());
        m_translator = std::move(translator);
    }
    // Qt's own texts: the buttons of standard dialogs (OK, Cancel), file dialogs, socket
    // errors shown in the status line. "qt" is the catalog that loads qtbase, qtdeclarative
    // and the rest (Debian: qt6-translations-l10n); without it those stay in English.
    auto qtTranslator = std::make_unique<QTranslator>();
    if (qtTranslator->load(locale, QStringLiteral("qt"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qtTranslator.get());
        m_qtTranslator = std::move(qtTranslator);
    } else {
        qInfo("no Qt translations for %s in %s", qPrintable(locale.name()),
              qPrintable(QLibraryInfo::path(QLibraryInfo::TranslationsPath)));
    }
}

} // namespace tern::client
