// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/accountstore.h"
#include "tern/protocol.h"

#include <QList>

#include <utility>
#include <vector>

namespace tern::server {

// What the database knows about one user (the subject) relative to one viewer. The rules that
// turn it into "visible or not" live in service/presencerules.h.
struct PresenceFacts
{
    qint64 userId = 0;
    // users.presence_visible_to: a tern.v1.Audience value (1 everyone, 2 friends, 3 nobody).
    int audience = proto::AUDIENCE_FRIENDS;
    // contacts(subject, viewer).is_friend: the subject counts the viewer as a friend.
    bool friendOfSubject = false;
    // contacts(subject, viewer).blocked: the subject blocks the viewer.
    bool blocksViewer = false;
    bool banned = false;
    // users.last_seen_at in Unix milliseconds; 0 = never.
    qint64 lastSeenMs = 0;
};

// One user subscribed to a subject's presence, with the facts that decide whether they see it.
struct PresenceSubscriber
{
    qint64 viewerId = 0;
    PresenceFacts subject;
};

// The presence facts in PostgreSQL: privacy (users.presence_visible_to), friendship and blocks
// (contacts), bans, and users.last_seen_at. It reports facts; it decides nothing. Every method is
// asynchronous, one transaction, and calls back on the thread of the pool it was given.
class PresenceStore
{
public:
    explicit PresenceStore(PgPool &pool);

    // Facts about these users relative to `viewerId`. Unknown ids are left out. Callers bound
    // the list (GetPresence: 500).
    void factsFor(qint64 viewerId, const QList<qint64> &userIds,
                  StoreCallback<std::vector<PresenceFacts>> done);

    // Facts about every friend of `viewerId` (contacts(viewer, friend).is_friend), by id.
    void friendsOf(qint64 viewerId, StoreCallback<std::vector<PresenceFacts>> done);

    // Every user who counts `userId` as a friend, with the facts about `userId` relative to
    // each of them.
    void subscribersOf(qint64 userId, StoreCallback<std::vector<PresenceSubscriber>> done);

    // Stores last-seen times (user id, Unix ms). A time never moves backwards.
    void setLastSeen(const QList<std::pair<qint64, qint64>> &lastSeen, StoreCallback<bool> done);
    // The same statement, for a blocking session (the last write at shutdown).
    static PgStatement lastSeenStatement(const QList<std::pair<qint64, qint64>> &lastSeen);

private:
    PgPool &m_pool;
};

} // namespace tern::server
