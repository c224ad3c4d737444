// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace tern::client {

class Account;

// Decides what deserves a desktop notification: a new message from someone else, in a chat
// that is not muted (a mention notifies even there), while the user is not looking at that
// chat; a new friend request to the user or invitation into a group; and a call ringing here.
// The app shows them (tray balloon); this class only decides, so it is testable.
class Notifier : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    // The chat on screen while the window is active (0: none); it never notifies.
    Q_PROPERTY(double viewedConversation READ viewedConversation WRITE setViewedConversation NOTIFY
                   viewedConversationChanged)
    // The user's notification settings (Preferences): off (messages, friend requests and
    // invitations), or without the message text (or a friend request's greeting).
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
    // A friend request to the user or an invitation into a group has come ("Friend request",
    // "Alice wants to be your friend"); what was pending before the account was set or came
    // with a catch-up is not news. Its notification leads to Contacts.
    void notifyContacts(const QString &title, const QString &body);
    // A call rings here ("Alice is calling", "Incoming video call"); the settings above are
    // about messages and do not hold it back.
    void callRinging(const QString &title, const QString &body);

private:
    void onEntry(quint64 conversationId);
    void onIncomingCall();
    void onFriendRequests();
    void onInvitation(const proto::GroupInvitation &invitation);
    // The invitations waiting for their inviter's profile, notified as it comes (`all`: now,
    // with whatever name there is).
    void notifyInvitations(bool all);
    // Every pending request to the user becomes seen (none of them is news).
    void seeFriendRequests();

    QPointer<Account> m_account;
    quint64 m_viewed = 0;
    // Per conversation, the newest seq already considered (nothing is notified twice, and
    // history fetched on start-up or scrolling is not news).
    QHash<quint64, quint64> m_seen;
    // Friend requests to the user and group invitations already considered, by id.
    QSet<quint64> m_seenRequests;
    QSet<quint64> m_seenInvitations;
    // Invitations from people whose profile is on its way (their name), not for long.
    std::vector<proto::GroupInvitation> m_waitingInvitations;
    QTimer m_inviterWait;
    bool m_quiet = false;
    bool m_enabled = true;
    bool m_showPreview = true;
};

} // namespace tern::client
