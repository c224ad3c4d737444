// SPDX-License-Identifier: Apache-2.0
// Notifier: which news (messages, friend requests, group invitations, calls) becomes a desktop
// notification, GUI thread.
#include "notifier.h"

#include "account.h"
#include "conversationlistmodel.h"

#include <QDateTime>

#include <utility>

namespace tern::client {

namespace {

// The name to show for `userId`: the cache's, else what came with a request (`profile`), else
// empty.
QString nameOf(Account &account, quint64 userId, const proto::UserProfile &profile)
{
    const auto user = account.users().get(userId);
    if (user && (user->profile || (user->contact && !user->contact->remark().empty())))
        return user->shownName();
    if (!profile.display_name().empty())
        return QString::fromStdString(profile.display_name());
    return QString::fromStdString(profile.username());
}

} // namespace

Notifier::Notifier(QObject *parent)
    : QObject(parent)
{
    m_inviterWait.setSingleShot(true);
    m_inviterWait.setInterval(3000);
    connect(&m_inviterWait, &QTimer::timeout, this, [this] { notifyInvitations(true); });
}

void Notifier::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account)
        m_account->disconnectReceiver(this);
    m_account = account;
    m_seen.clear();
    m_seenRequests.clear();
    m_seenInvitations.clear();
    m_waitingInvitations.clear();
    m_inviterWait.stop();
    if (m_account) {
        // What the cache holds now is not news.
        for (const auto &c : m_account->conversations().all())
            m_seen.insert(c.state.conversation_id(), c.state.last_seq());
        seeFriendRequests();
        // The conversation's state (its preview) is written after the entry itself: follow it.
        connect(&m_account->conversations(), &ConversationStore::changed, this, &Notifier::onEntry);
        // The catch-up that follows each (re)authentication is history, not news: quiet
        // until it is done. Rounds started later by a push (a new chat) are news.
        m_quiet = m_account->session().state() != Session::State::Authenticated
            || m_account->sync().isSyncing();
        connect(&m_account->session(), &Session::authenticated, this, [this] { m_quiet = true; });
        connect(&m_account->sync(), &SyncEngine::caughtUp, this, [this] {
            if (!m_quiet)
                return;
            m_quiet = false;
            for (const auto &c : m_account->conversations().all())
                m_seen[c.state.conversation_id()] =
                    std::max<quint64>(m_seen.value(c.state.conversation_id()), c.state.last_seq());
            seeFriendRequests();
        });
        // Friend requests come with the catch-up (pending at login: not news) and in pushes.
        connect(&m_account->friendRequests(), &FriendRequestStore::changed, this,
                &Notifier::onFriendRequests);
        // Group invitations are not cached: only their pushes say one has come, and those come
        // as it is made (what was pending before is listed, never pushed).
        connect(&m_account->connection(), &ServerConnection::pushReceived, this,
                [this](const proto::Frame &frame) {
                    if (frame.has_group_invitation_push())
                        onInvitation(frame.group_invitation_push().invitation());
                });
        connect(&m_account->users(), &UserStore::changed, this, [this] {
            if (!m_waitingInvitations.empty())
                notifyInvitations(false);
        });
        // A ringing call is news whenever it comes, right after a reconnection too: it rings now.
        connect(&m_account->calls(), &Calls::incomingCall, this, &Notifier::onIncomingCall);
    }
    Q_EMIT accountChanged();
}

void Notifier::setViewedConversation(double id)
{
    const quint64 viewed = id > 0 ? quint64(id) : 0;
    if (viewed == m_viewed)
        return;
    m_viewed = viewed;
    Q_EMIT viewedConversationChanged();
}

void Notifier::setEnabled(bool enabled)
{
    if (m_enabled == enabled)
        return;
    m_enabled = enabled;
    Q_EMIT settingsChanged();
}

void Notifier::setShowPreview(bool show)
{
    if (m_showPreview == show)
        return;
    m_showPreview = show;
    Q_EMIT settingsChanged();
}

void Notifier::onEntry(quint64 conversationId)
{
    if (!m_account || m_quiet)
        return;
    const auto c = m_account->conversations().get(conversationId);
    if (!c)
        return;
    const quint64 seen = m_seen.value(conversationId);
    m_seen[conversationId] = std::max<quint64>(seen, c->state.last_seq());
    if (!c->state.has_last_message() || c->state.last_message().seq() <= seen)
        return;
    const proto::Message &m = c->state.last_message();
    const quint64 me = m_account->userId();
    if (!m_enabled || m.sender_id() == me || conversationId == m_viewed || !m.has_content())
        return;
    const bool mentionsMe = m.content().mention_all()
        || std::find(m.content().mentions().begin(), m.content().mentions().end(), me)
            != m.content().mentions().end();
    if (c->state.settings().muted() && !mentionsMe)
        return;
    const auto sender = m_account->users().get(m.sender_id());
    const QString senderName = sender ? sender->shownName() : QString();
    QString title = senderName;
    if (c->state.kind() == proto::CONVERSATION_KIND_GROUP)
        title = m_account->groupName(c->state.group_id()) + QStringLiteral(" — ") + senderName;
    Q_EMIT notify(title, m_showPreview ? messageSummary(m) : tr("New message"),
                  double(conversationId));
}

void Notifier::onIncomingCall()
{
    if (!m_account)
        return;
    const Calls &calls = m_account->calls();
    const QString name = calls.peerName();
    Q_EMIT callRinging(tr("%1 is calling").arg(name.isEmpty() ? tr("Someone") : name),
                       calls.hasVideo() ? tr("Incoming video call") : tr("Incoming voice call"));
}

void Notifier::seeFriendRequests()
{
    const quint64 me = m_account->userId();
    for (const proto::FriendRequest &r :
         m_account->friendRequests().pending(QDateTime::currentMSecsSinceEpoch())) {
        if (r.to_user_id() == me)
            m_seenRequests.insert(r.request_id());
    }
}

void Notifier::onFriendRequests()
{
    if (!m_account)
        return;
    if (m_quiet) {
        seeFriendRequests();
        return;
    }
    const quint64 me = m_account->userId();
    for (const proto::FriendRequest &r :
         m_account->friendRequests().pending(QDateTime::currentMSecsSinceEpoch())) {
        if (r.to_user_id() != me || m_seenRequests.contains(r.request_id()))
            continue;
        m_seenRequests.insert(r.request_id());
        if (!m_enabled)
            continue;
        const QString name = nameOf(*m_account, r.from_user_id(), r.peer());
        QString body = tr("%1 wants to be your friend").arg(name.isEmpty() ? tr("Someone") : name);
        if (m_showPreview && !r.greeting().empty())
            body += QLatin1Char('\n') + QString::fromStdString(r.greeting());
        Q_EMIT notifyContacts(tr("Friend request"), body);
    }
}

void Notifier::onInvitation(const proto::GroupInvitation &invitation)
{
    if (!m_account || invitation.invitee_id() != m_account->userId()
        || invitation.state() != proto::GroupInvitation::STATE_PENDING
        || m_seenInvitations.contains(invitation.invitation_id()))
        return;
    m_seenInvitations.insert(invitation.invitation_id());
    if (!m_enabled)
        return;
    m_waitingInvitations.push_back(invitation);
    // The inviter is often a stranger (a friend could have added the user directly), whose
    // profile this device has not fetched: the notification waits a little for their name.
    const std::vector<quint64> missing =
        m_account->users().missingProfiles({invitation.inviter_id()});
    if (missing.empty()) {
        notifyInvitations(false);
        return;
    }
    m_account->sync().fetchProfiles(missing);
    if (!m_inviterWait.isActive())
        m_inviterWait.start();
}

void Notifier::notifyInvitations(bool all)
{
    if (!m_account)
        return;
    std::vector<proto::GroupInvitation> waiting;
    for (const proto::GroupInvitation &invitation : std::exchange(m_waitingInvitations, {})) {
        if (!all && !m_account->users().missingProfiles({invitation.inviter_id()}).empty()) {
            waiting.push_back(invitation);
            continue;
        }
        if (!m_enabled)
            continue;
        const QString inviter =
            nameOf(*m_account, invitation.inviter_id(), proto::UserProfile::default_instance());
        Q_EMIT notifyContacts(tr("Group invitation"),
                              tr("%1 invited you to %2")
                                  .arg(inviter.isEmpty() ? tr("Someone") : inviter,
                                       QString::fromStdString(invitation.group().name())));
    }
    m_waitingInvitations = std::move(waiting);
    if (m_waitingInvitations.empty())
        m_inviterWait.stop();
}

} // namespace tern::client
