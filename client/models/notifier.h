// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

class Account;

// Decides what deserves a desktop notification: a new message from someone else, in a chat
// that is not muted (a mention notifies even there), while the user is not looking at that
// chat; and a call ringing here. The app shows them (tray balloon); this class only decides,
// so it is testable.
class Notifier : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    // The chat on screen while the window is active (0: none); it never notifies.
    Q_PROPERTY(double viewedConversation READ viewedConversation WRITE setViewedConversation NOTIFY
                   viewedConversationChanged)
    // The user's notification settings (Preferences): off, or without the message text.
    Q_PROPERTY(bool enabled READ isEnabled WRITE setEnabled NOTIFY settingsChanged)
    Q_PROPERTY(bool showPreview READ showPreview WRITE setShowPreview NOTIFY settingsChanged)
public:
    explicit Notifier(QObject *parent = nullptr);

    Account *account() const { return m_account; }
    void setAccount(Account *account);
    double viewedConversation() const { return double(m_viewed); }
    void setViewedConversation(double id);
    bool isEnabled() const { return m_enabled; }
    void setEnabled(bool enabled);
    bool showPreview() const { return m_showPreview; }
    void setShowPreview(bool show);

Q_SIGNALS:
    void accountChanged();
    void viewedConversationChanged();
    void settingsChanged();
    void notify(const QString &title, const QString &body, double conversationId);
    // A call rings here ("Alice is calling", "Incoming video call"); the settings above are
    // about messages and do not hold it back.
    void callRinging(const QString &title, const QString &body);

private:
    void onEntry(quint64 conversationId);
    void onIncomingCall();

    QPointer<Account> m_account;
    quint64 m_viewed = 0;
    // Per conversation, the newest seq already considered (nothing is notified twice, and
    // history fetched on start-up or scrolling is not news).
    QHash<quint64, quint64> m_seen;
    bool m_quiet = false;
    bool m_enabled = true;
    bool m_showPreview = true;
};

} // namespace tern::client
