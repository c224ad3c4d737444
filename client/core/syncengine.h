// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"
#include "tern/v1/messaging.pb.h"

#include <QObject>
#include <QSet>

#include <deque>
#include <functional>

namespace tern::client {

class ConversationStore;
class FriendRequestStore;
class GroupStore;
class LocalCache;
class MessageStore;
class ServerConnection;
class Session;
class UserStore;

// Merges the server's state into the cache: on every authentication a SyncConversations round
// from the stored cursor, then each changed conversation's missing entries (GetMessages after
// the last contiguous seq held), contacts (SyncContacts) and unknown profiles; afterwards live
// pushes, falling back to a fetch whenever a push leaves a gap. Loses nothing across
// disconnects: cursors are stored only after what they cover is in the cache.
class SyncEngine : public QObject
{
    Q_OBJECT
public:
    struct Stores
    {
        LocalCache &cache;
        ConversationStore &conversations;
        MessageStore &messages;
        UserStore &users;
        GroupStore &groups;
        FriendRequestStore &requests;
    };

    SyncEngine(ServerConnection &connection, Session &session, Stores stores,
               QObject *parent = nullptr);

    // A conversation with more missing entries than this restarts from its newest page (older
    // history is then paged in on demand, as when scrolling back).
    static constexpr quint64 kMaxCatchUpEntries = 2000;

    bool isSyncing() const { return m_syncing; }
    // Conversations whose missing entries are still to be fetched (the progress of a round).
    int chatsToFetch() const { return int(m_fetchQueue.size()) + int(m_fetching.size()); }

    // The direct conversation with a friend (made on the server if new), stored in the cache;
    // done(id, {}) or done(0, the server's reason).
    void openDirect(quint64 peerUserId, std::function<void(quint64, const QString &)> done);
    // The same for a group's conversation.
    void openGroup(quint64 groupId, std::function<void(quint64, const QString &)> done);
    // Fetches older history (scrolling up) into the cache. done(error): empty when the page
    // arrived or there is nothing older, else why it could not be fetched (try again later).
    void fetchOlder(quint64 conversationId, int limit, std::function<void(const QString &)> done);
    // Moves this user's read cursor (the conversation was seen up to readSeq).
    void markRead(quint64 conversationId, quint64 readSeq);
    // Reads the user's membership of a group again (GetGroup): role changes, or no longer a
    // member.
    void refreshGroup(quint64 groupId);
    // Fetches these users' profiles (GetProfiles) into the cache.
    void fetchProfiles(std::vector<quint64> ids);
    // Brings the cache up to date with the server: conversations and their missing entries,
    // contacts and groups (caughtUp when done). Every authentication starts one; a round
    // asked for during another follows it.
    void startRound();

Q_SIGNALS:
    void syncingChanged(bool syncing);
    void chatsToFetchChanged(int count);
    // One round after authentication finished: the cache holds everything up to now.
    void caughtUp();

private:
    void syncConversationsPage(quint64 since, quint64 afterId, quint64 roundNextSince);
    void fetchMissing(quint64 conversationId);
    void pumpFetches();
    void finishFetch(quint64 conversationId);
    void syncContacts(quint64 sinceVersion);
    void syncGroups(quint64 afterGroupId, std::shared_ptr<QSet<quint64>> listed);
    void onPush(const proto::Frame &frame);
    void onMessagePush(const proto::Message &m);
    void
    storeContactChanges(const google::protobuf::RepeatedPtrField<proto::Contact> &contacts,
                        const google::protobuf::RepeatedPtrField<proto::FriendRequest> &requests);
    void openConversation(proto::Frame request, std::function<void(quint64, const QString &)> done);
    void storeFetched(quint64 conversationId, const proto::MessageList &list, bool newestPage);
    void maybeFinishRound();
    // A step of the round failed: `again` runs after a pause when the failure is the server's
    // passing trouble (a database restart: UNAVAILABLE, INTERNAL, RATE_LIMITED), the step
    // still counting as outstanding; otherwise the step is given up so that the round ends.
    void retryStep(const proto::Error &error, std::function<void()> again);
    void setSyncing(bool syncing);
    // Emits chatsToFetchChanged when the count moved since it was last told.
    void noteProgress();

    ServerConnection &m_connection;
    Session &m_session;
    Stores m_stores;
    bool m_syncing = false;
    int m_toldToFetch = 0;
    bool m_roundPending = false;
    int m_roundSteps = 0; // outstanding requests of the current round
    quint64 m_connectionGeneration = 0; // bumped on disconnect: older retries are stale
    std::deque<quint64> m_fetchQueue;
    QSet<quint64> m_queued;
    QSet<quint64> m_fetching;
    // Entries of conversations being fetched that arrived by push meanwhile: re-checked after.
    QSet<quint64> m_refetch;
    // Friends' profiles are read again after each authentication (names, avatars).
    bool m_friendProfilesStale = true;
};

} // namespace tern::client
