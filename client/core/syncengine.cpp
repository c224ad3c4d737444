// SPDX-License-Identifier: Apache-2.0
// SyncEngine: server state into the local cache, GUI thread. One round per authentication;
// fetches run at most kParallelFetches at a time so a big backlog does not flood the socket.
#include "syncengine.h"

#include "clientlog.h"
#include "conversationstore.h"
#include "friendrequeststore.h"
#include "groupstore.h"
#include "localcache.h"
#include "messagestore.h"
#include "refusals.h"
#include "serverconnection.h"
#include "session.h"
#include "userstore.h"

#include <QTimer>

#include <limits>

namespace tern::client {

namespace {

constexpr int kParallelFetches = 4;
constexpr quint32 kCatchUpPage = 200;
constexpr quint32 kNewestPage = 50;
const QString kConversationsSince = QStringLiteral("conversations_since");
const QString kContactsVersion = QStringLiteral("contacts_version");

quint64 metaNumber(LocalCache &cache, const QString &key)
{
    return cache.meta(key).toULongLong();
}

// Whose names an entry shows: its sender, and for a group event who did it, to whom, and
// who had invited them.
void addPeopleOf(const proto::Message &m, std::vector<quint64> &people)
{
    people.push_back(m.sender_id());
    if (!m.has_group_event())
        return;
    const proto::GroupEvent &event = m.group_event();
    people.push_back(event.actor_id());
    people.insert(people.end(), event.target_ids().begin(), event.target_ids().end());
    people.push_back(event.details().inviter_id());
}

} // namespace

SyncEngine::SyncEngine(ServerConnection &connection, Session &session, Stores stores,
                       QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_session(session)
    , m_stores(stores)
{
    connect(&m_session, &Session::authenticated, this, [this] {
        m_friendProfilesStale = true;
        startRound();
    });
    connect(&m_connection, &ServerConnection::pushReceived, this, &SyncEngine::onPush);
    connect(&m_connection, &ServerConnection::disconnected, this, [this] {
        // Whatever was in flight failed; the next authentication starts a fresh round.
        m_fetchQueue.clear();
        m_queued.clear();
        m_fetching.clear();
        m_refetch.clear();
        m_roundSteps = 0;
        m_roundPending = false;
        ++m_connectionGeneration;
        noteProgress();
        setSyncing(false);
    });
}

void SyncEngine::noteProgress()
{
    if (chatsToFetch() == m_toldToFetch)
        return;
    m_toldToFetch = chatsToFetch();
    Q_EMIT chatsToFetchChanged(m_toldToFetch);
}

void SyncEngine::setSyncing(bool syncing)
{
    if (m_syncing == syncing)
        return;
    m_syncing = syncing;
    Q_EMIT syncingChanged(syncing);
}

void SyncEngine::startRound()
{
    if (m_syncing) {
        m_roundPending = true;
        return;
    }
    setSyncing(true);
    // Conversations whose entries were not all fetched last time (the app quit mid-fetch).
    for (const CachedConversation &c : m_stores.conversations.all()) {
        if (c.haveSeq < c.state.last_seq())
            fetchMissing(c.state.conversation_id());
    }
    ++m_roundSteps;
    syncConversationsPage(metaNumber(m_stores.cache, kConversationsSince), 0,
                          std::numeric_limits<quint64>::max());
    ++m_roundSteps;
    syncContacts(metaNumber(m_stores.cache, kContactsVersion));
    ++m_roundSteps;
    syncGroups(0, std::make_shared<QSet<quint64>>());
}

void SyncEngine::syncGroups(quint64 afterGroupId, std::shared_ptr<QSet<quint64>> listed)
{
    proto::Frame frame;
    frame.mutable_list_groups()->set_after_group_id(afterGroupId);
    m_connection.send(
        frame,
        [this, afterGroupId, listed](const proto::Frame &answer) {
            if (!answer.has_group_list()) {
                qCWarning(lcSync) << "group sync failed:" << answer.error().message().c_str();
                return retryStep(answer.error(), [this, afterGroupId, listed] {
                    syncGroups(afterGroupId, listed);
                });
            }
            const auto &list = answer.group_list();
            m_stores.groups.store({list.groups().begin(), list.groups().end()});
            for (const auto &m : list.groups())
                listed->insert(m.group().group_id());
            if (list.has_more() && list.groups_size() > 0) {
                syncGroups(list.groups(list.groups_size() - 1).group().group_id(), listed);
                return;
            }
            // Cached groups the server no longer lists were left while this device was away.
            for (const auto &m : m_stores.groups.all()) {
                if (!listed->contains(m.group().group_id()))
                    m_stores.groups.markNotMember(m.group().group_id());
            }
            --m_roundSteps;
            maybeFinishRound();
        },
        this);
}

void SyncEngine::syncConversationsPage(quint64 since, quint64 afterId, quint64 roundNextSince)
{
    proto::Frame frame;
    auto *req = frame.mutable_sync_conversations();
    req->set_since(since);
    req->set_after_conversation_id(afterId);
    m_connection.send(
        frame,
        [=, this](const proto::Frame &answer) {
            if (!answer.has_conversation_changes()) {
                qCWarning(lcSync) << "conversation sync failed:"
                                  << answer.error().message().c_str();
                return retryStep(answer.error(), [=, this] {
                    syncConversationsPage(since, afterId, roundNextSince);
                });
            }
            const auto &changes = answer.conversation_changes();
            std::vector<quint64> people;
            quint64 lastId = afterId;
            for (const proto::ConversationState &state : changes.conversations()) {
                m_stores.conversations.upsert(state, since == 0);
                if (state.hidden_seqs_size() > 0)
                    m_stores.messages.hide(
                        state.conversation_id(),
                        {state.hidden_seqs().begin(), state.hidden_seqs().end()});
                const auto cached = m_stores.conversations.get(state.conversation_id());
                if (cached && cached->haveSeq < cached->state.last_seq())
                    fetchMissing(state.conversation_id());
                if (state.peer_user_id())
                    people.push_back(state.peer_user_id());
                if (state.has_last_message())
                    addPeopleOf(state.last_message(), people);
                lastId = state.conversation_id();
            }
            fetchProfiles(m_stores.users.missingProfiles(people));
            const quint64 nextSince = std::min<quint64>(roundNextSince, changes.next_since());
            if (changes.has_more()) {
                syncConversationsPage(since, lastId, nextSince);
                return;
            }
            // Every state up to nextSince is in the cache; their entries are queued, and a
            // conversation left behind is found again by startRound (have_seq < last_seq).
            m_stores.cache.setMeta(kConversationsSince, QByteArray::number(nextSince));
            --m_roundSteps;
            maybeFinishRound();
        },
        this);
}

void SyncEngine::syncContacts(quint64 sinceVersion)
{
    proto::Frame frame;
    frame.mutable_sync_contacts()->set_since_version(sinceVersion);
    m_connection.send(
        frame,
        [this, sinceVersion](const proto::Frame &answer) {
            if (!answer.has_contact_changes()) {
                qCWarning(lcSync) << "contact sync failed:" << answer.error().message().c_str();
                return retryStep(answer.error(),
                                 [this, sinceVersion] { syncContacts(sinceVersion); });
            }
            const auto &changes = answer.contact_changes();
            storeContactChanges(changes.contacts(), changes.requests());
            m_stores.cache.setMeta(kContactsVersion, QByteArray::number(changes.version()));
            if (changes.has_more()) {
                syncContacts(changes.version());
                return;
            }
            // A friend's new name or avatar changes no contact record (nothing in the feed):
            // read the friends' profiles again once per connection.
            if (m_friendProfilesStale) {
                m_friendProfilesStale = false;
                std::vector<quint64> friends;
                for (const CachedUser &user : m_stores.users.friends())
                    friends.push_back(user.id);
                fetchProfiles(std::move(friends));
            }
            --m_roundSteps;
            maybeFinishRound();
        },
        this);
}

void SyncEngine::fetchProfiles(std::vector<quint64> ids)
{
    while (!ids.empty()) {
        const size_t n = std::min<size_t>(ids.size(), 100);
        proto::Frame frame;
        for (size_t i = 0; i < n; ++i)
            frame.mutable_get_profiles()->add_user_ids(ids[i]);
        ids.erase(ids.begin(), ids.begin() + qsizetype(n));
        m_connection.send(
            frame,
            [this](const proto::Frame &answer) {
                if (answer.has_profile_list())
                    m_stores.users.storeProfiles({answer.profile_list().profiles().begin(),
                                                  answer.profile_list().profiles().end()});
            },
            this);
    }
}

void SyncEngine::fetchMissing(quint64 conversationId)
{
    if (m_fetching.contains(conversationId)) {
        m_refetch.insert(conversationId);
        return;
    }
    if (m_queued.contains(conversationId))
        return;
    m_queued.insert(conversationId);
    m_fetchQueue.push_back(conversationId);
    pumpFetches();
}

void SyncEngine::pumpFetches()
{
    while (!m_fetchQueue.empty() && m_fetching.size() < kParallelFetches
           && m_session.isAuthenticated()) {
        const quint64 id = m_fetchQueue.front();
        m_fetchQueue.pop_front();
        m_queued.remove(id);
        const auto c = m_stores.conversations.get(id);
        if (!c || c->haveSeq >= c->state.last_seq())
            continue;
        m_fetching.insert(id);
        const bool restart =
            c->haveSeq == 0 || c->state.last_seq() - c->haveSeq > kMaxCatchUpEntries;
        proto::Frame frame;
        auto *req = frame.mutable_get_messages();
        req->set_conversation_id(id);
        if (restart) {
            req->set_limit(kNewestPage);
        } else {
            req->set_after_seq(c->haveSeq);
            req->set_limit(kCatchUpPage);
        }
        m_connection.send(
            frame,
            [this, id, restart](const proto::Frame &answer) {
                if (!answer.has_message_list()) {
                    qCWarning(lcSync) << "fetching conversation" << id
                                      << "failed:" << answer.error().message().c_str();
                    m_fetching.remove(id);
                    noteProgress();
                    ++m_roundSteps; // a retry keeps a round open until it has run
                    retryStep(answer.error(), [this, id] { fetchMissing(id); });
                    maybeFinishRound();
                    return;
                }
                storeFetched(id, answer.message_list(), restart);
                finishFetch(id);
            },
            this);
    }
    noteProgress(); // also after dropping queued chats that turned out complete
    maybeFinishRound();
}

void SyncEngine::storeFetched(quint64 conversationId, const proto::MessageList &list,
                              bool newestPage)
{
    std::vector<proto::Message> entries(list.messages().begin(), list.messages().end());
    const auto before = m_stores.conversations.get(conversationId);
    if (!before)
        return;
    quint64 oldest = before->oldestSeq;
    quint64 have = before->haveSeq;
    if (!entries.empty()) {
        const quint64 first = entries.front().seq();
        if (newestPage && (have == 0 || first > have + 1)) {
            // What the cache held is no longer contiguous with the present: drop it rather
            // than show a silent hole (it is paged in again when scrolled to).
            m_stores.messages.removeBefore(conversationId, first);
            oldest = first;
            have = first - 1;
        } else if (!newestPage && first > have + 1) {
            // A catch-up page has no gaps inside the user's window (GetMessagesRequest), so
            // the seqs it skipped are outside it: what was said in a group between leaving it
            // and being added again. They will never come; counting them as missing asked
            // for the same page for ever.
            have = first - 1;
        }
        m_stores.messages.store(conversationId, entries);
        if (oldest == 0)
            oldest = first;
        have = m_stores.messages.contiguousEnd(conversationId, have);
        std::vector<quint64> people;
        for (const auto &m : entries) {
            m_stores.conversations.noteEntry(m, m_session.userId());
            addPeopleOf(m, people);
        }
        fetchProfiles(m_stores.users.missingProfiles(people));
    } else if (newestPage || list.last_seq() <= have) {
        have = std::max<quint64>(have, list.last_seq()); // nothing visible to us below last_seq
    }
    m_stores.conversations.setHistoryRange(conversationId, oldest, have);
}

void SyncEngine::finishFetch(quint64 conversationId)
{
    m_fetching.remove(conversationId);
    const auto c = m_stores.conversations.get(conversationId);
    if (m_refetch.remove(conversationId) || (c && c->haveSeq < c->state.last_seq()))
        fetchMissing(conversationId);
    if (c && c->state.delivered_seq() < c->haveSeq) {
        proto::Frame frame;
        frame.mutable_update_cursors()->set_conversation_id(conversationId);
        frame.mutable_update_cursors()->set_delivered_seq(c->haveSeq);
        m_connection.send(frame, {}, this);
        m_stores.conversations.setOwnCursors(conversationId, 0, c->haveSeq, std::nullopt);
    }
    pumpFetches();
}

void SyncEngine::retryStep(const proto::Error &error, std::function<void()> again)
{
    const bool passing = error.code() == proto::ERROR_CODE_UNAVAILABLE
        || error.code() == proto::ERROR_CODE_INTERNAL
        || error.code() == proto::ERROR_CODE_RATE_LIMITED;
    if (passing && m_session.isAuthenticated()) {
        const quint64 generation = m_connectionGeneration;
        QTimer::singleShot(std::max(1000, int(error.retry_after_ms())), this,
                           [this, generation, again = std::move(again)] {
                               // A new connection starts a round of its own.
                               if (generation != m_connectionGeneration
                                   || !m_session.isAuthenticated())
                                   return;
                               --m_roundSteps;
                               again();
                           });
        return;
    }
    --m_roundSteps;
    maybeFinishRound();
}

void SyncEngine::maybeFinishRound()
{
    if (!m_syncing || m_roundSteps > 0 || !m_fetching.isEmpty() || !m_fetchQueue.empty())
        return;
    setSyncing(false);
    qCInfo(lcSync) << "caught up";
    Q_EMIT caughtUp();
    if (m_roundPending) {
        m_roundPending = false;
        startRound();
    }
}

void SyncEngine::onPush(const proto::Frame &frame)
{
    if (!m_session.isAuthenticated())
        return;
    if (frame.has_message_push()) {
        onMessagePush(frame.message_push().message());
    } else if (frame.has_read_state_changed()) {
        const auto &r = frame.read_state_changed();
        if (r.user_id() == m_session.userId())
            m_stores.conversations.setOwnCursors(r.conversation_id(), r.read_seq(),
                                                 r.delivered_seq(), r.unread_count());
        else
            m_stores.conversations.setPeerCursors(r.conversation_id(), r.read_seq(),
                                                  r.delivered_seq());
    } else if (frame.has_conversation_state_push()) {
        const auto &state = frame.conversation_state_push().state();
        m_stores.conversations.upsert(state);
        if (state.hidden_seqs_size() > 0)
            m_stores.messages.hide(state.conversation_id(),
                                   {state.hidden_seqs().begin(), state.hidden_seqs().end()});
        fetchMissing(state.conversation_id());
        std::vector<quint64> people {state.peer_user_id()};
        if (state.has_last_message())
            addPeopleOf(state.last_message(), people);
        fetchProfiles(m_stores.users.missingProfiles(people));
    } else if (frame.has_contacts_changed()) {
        const auto &changes = frame.contacts_changed();
        storeContactChanges(changes.contacts(), changes.requests());
    } else if (frame.has_group_event_push()) {
        const auto &push = frame.group_event_push();
        m_stores.groups.storeGroup(push.group());
        // A change to this user's own role or membership: the push carries only the group.
        const quint64 me = m_session.userId();
        const auto &targets = push.event().target_ids();
        if (push.event().actor_id() == me
            || std::find(targets.begin(), targets.end(), me) != targets.end())
            refreshGroup(push.group().group_id());
        // Group events take seqs of the group's conversation: the sync round picks them up
        // with the conversation's new state.
        startRound();
    }
}

void SyncEngine::storeContactChanges(
    const google::protobuf::RepeatedPtrField<proto::Contact> &contacts,
    const google::protobuf::RepeatedPtrField<proto::FriendRequest> &requests)
{
    m_stores.users.storeContacts({contacts.begin(), contacts.end()});
    m_stores.requests.store({requests.begin(), requests.end()});
    std::vector<proto::UserProfile> peers;
    for (const auto &r : requests) {
        if (r.has_peer())
            peers.push_back(r.peer());
    }
    m_stores.users.storeProfiles(peers);
    std::vector<quint64> people;
    for (const auto &c : contacts)
        people.push_back(c.user_id());
    fetchProfiles(m_stores.users.missingProfiles(people));
}

void SyncEngine::onMessagePush(const proto::Message &m)
{
    const quint64 id = m.conversation_id();
    const auto c = m_stores.conversations.get(id);
    if (!c) {
        startRound(); // a conversation this device has not seen yet
        return;
    }
    if (c->haveSeq == 0 || m.seq() <= c->haveSeq + 1) {
        m_stores.messages.store(id, {m});
        const quint64 oldest = c->oldestSeq ? c->oldestSeq : m.seq();
        const quint64 have =
            m_stores.messages.contiguousEnd(id, c->haveSeq ? c->haveSeq : m.seq() - 1);
        m_stores.conversations.noteEntry(m, m_session.userId());
        m_stores.conversations.setHistoryRange(id, oldest, have);
        std::vector<quint64> people;
        addPeopleOf(m, people);
        fetchProfiles(m_stores.users.missingProfiles(people));
    } else {
        m_stores.conversations.noteEntry(m, m_session.userId());
    }
    fetchMissing(id); // no-op unless a gap is left
}

void SyncEngine::fetchOlder(quint64 conversationId, int limit,
                            std::function<void(const QString &)> done)
{
    const auto c = m_stores.conversations.get(conversationId);
    if (!c || (c->oldestSeq != 0 && c->oldestSeq <= std::max<quint64>(1, c->state.first_seq()))) {
        done({});
        return;
    }
    proto::Frame frame;
    auto *req = frame.mutable_get_messages();
    req->set_conversation_id(conversationId);
    req->set_limit(quint32(limit));
    if (c->oldestSeq != 0)
        req->set_before_seq(c->oldestSeq);
    m_connection.send(
        frame,
        [this, conversationId, done](const proto::Frame &answer) {
            if (!answer.has_message_list()) {
                done(refusalText(answer.error()));
                return;
            }
            const auto &list = answer.message_list();
            const auto cur = m_stores.conversations.get(conversationId);
            if (!cur || list.messages().empty()) {
                done({});
                return;
            }
            m_stores.messages.store(conversationId,
                                    {list.messages().begin(), list.messages().end()});
            std::vector<quint64> people;
            for (const auto &m : list.messages())
                addPeopleOf(m, people);
            fetchProfiles(m_stores.users.missingProfiles(people));
            const quint64 first = list.messages(0).seq();
            const quint64 have = cur->haveSeq
                ? cur->haveSeq
                : m_stores.messages.contiguousEnd(conversationId, first - 1);
            m_stores.conversations.setHistoryRange(
                conversationId, std::min(first, cur->oldestSeq ? cur->oldestSeq : first), have);
            done({});
        },
        this);
}

void SyncEngine::openDirect(quint64 peerUserId, std::function<void(quint64, const QString &)> done)
{
    proto::Frame frame;
    frame.mutable_open_conversation()->set_peer_user_id(peerUserId);
    openConversation(frame, std::move(done));
}

void SyncEngine::refreshGroup(quint64 groupId)
{
    proto::Frame frame;
    frame.mutable_get_group()->set_group_id(groupId);
    m_connection.send(
        frame,
        [this, groupId](const proto::Frame &answer) {
            if (answer.has_group_membership()) {
                m_stores.groups.store({answer.group_membership()});
            } else if (answer.error().code() == proto::ERROR_CODE_PERMISSION_DENIED
                       || answer.error().code() == proto::ERROR_CODE_NOT_FOUND) {
                m_stores.groups.markNotMember(groupId);
            }
        },
        this);
}

void SyncEngine::openGroup(quint64 groupId, std::function<void(quint64, const QString &)> done)
{
    proto::Frame frame;
    frame.mutable_open_conversation()->set_group_id(groupId);
    openConversation(frame, std::move(done));
}

void SyncEngine::openConversation(proto::Frame request,
                                  std::function<void(quint64, const QString &)> done)
{
    m_connection.send(
        request,
        [this, done](const proto::Frame &answer) {
            if (!answer.has_conversation_state()) {
                done(0, refusalText(answer.error()));
                return;
            }
            const auto &state = answer.conversation_state();
            m_stores.conversations.upsert(state);
            fetchMissing(state.conversation_id());
            done(state.conversation_id(), {});
        },
        this);
}

void SyncEngine::markRead(quint64 conversationId, quint64 readSeq)
{
    const auto c = m_stores.conversations.get(conversationId);
    if (!c || readSeq <= c->state.read_seq())
        return;
    proto::Frame frame;
    frame.mutable_update_cursors()->set_conversation_id(conversationId);
    frame.mutable_update_cursors()->set_read_seq(readSeq);
    frame.mutable_update_cursors()->set_delivered_seq(readSeq);
    m_connection.send(
        frame,
        [this](const proto::Frame &answer) {
            if (answer.has_conversation_state())
                m_stores.conversations.upsert(answer.conversation_state());
        },
        this);
    const std::optional<quint32> unread =
        readSeq >= c->state.last_seq() ? std::optional<quint32>(0) : std::nullopt;
    m_stores.conversations.setOwnCursors(conversationId, readSeq, readSeq, unread);
}

} // namespace tern::client
