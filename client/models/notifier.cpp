// SPDX-License-Identifier: Apache-2.0
// Notifier: which new messages become desktop notifications, GUI thread.
#include "notifier.h"

#include "account.h"
#include "conversationlistmodel.h"

namespace tern::client {

Notifier::Notifier(QObject *parent)
    : QObject(parent)
{ }

void Notifier::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account)
        m_account->disconnectReceiver(this);
    m_account = account;
    m_seen.clear();
    if (m_account) {
        // What the cache holds now is not news.
        for (const auto &c : m_account->conversations().all())
            m_seen.insert(c.state.conversation_id(), c.state.last_seq());
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

} // namespace tern::client
