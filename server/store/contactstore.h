// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/accountstore.h"
#include "tern/protocol.h"

#include <QHash>
#include <QStringList>

#include <optional>

namespace tern::server {

class PgPool;

// The outcome of a friend operation, as the SQL function reported it (see migration 0002):
// e.g. "pending", "became_friends", "refused", "not_found", "not_pending".
struct FriendOutcome
{
    QString outcome;
    qint64 requestId = 0;
    qint64 peerId = 0;
    // Each affected user's contacts_version before the operation: pushes carry what changed
    // after it (possibly a little more, never less).
    QHash<qint64, qint64> versionsBefore;
};

// Contacts (friendship, remark, tags, block) and friend requests, with per-user versions for
// sync. Asynchronous; every call is one transaction.
class ContactStore
{
public:
    ContactStore(PgPool &pool, int requestLifetimeSeconds);

    void sendRequest(qint64 from, qint64 to, const QString &greeting,
                     StoreCallback<FriendOutcome> done);
    void answerRequest(qint64 user, qint64 requestId, bool accept,
                       StoreCallback<FriendOutcome> done);
    void cancelRequest(qint64 user, qint64 requestId, StoreCallback<FriendOutcome> done);
    void removeFriend(qint64 user, qint64 peer, StoreCallback<FriendOutcome> done);
    void setBlocked(qint64 user, qint64 peer, bool blocked, StoreCallback<FriendOutcome> done);
    // Value false: no such user (or the user themself).
    void updateContact(qint64 user, qint64 peer, const std::optional<QString> &remark,
                       const std::optional<QStringList> &tags, StoreCallback<bool> done);

    // Changes of `user` after `sinceVersion`, oldest first, at most `limit` and within a
    // PageBudget; `peer` (if not 0) restricts them to that other user.
    void changes(qint64 user, qint64 sinceVersion, int limit, qint64 peer,
                 StoreCallback<proto::ContactChanges> done);
    // `user`'s contacts after the peer id `afterPeer` in id order, at most `limit` and within a
    // PageBudget, with the user's contacts version read before them (ListContacts).
    void contactPage(qint64 user, qint64 afterPeer, int limit,
                     StoreCallback<proto::ContactList> done);
    // Pending, unexpired requests to and from `user`, newest first (at most 1000).
    void pendingRequests(qint64 user, StoreCallback<proto::FriendRequestList> done);

private:
    // Runs one friend operation after reading the versions of `users` and of the two sides
    // of `requestId` (0: none).
    void runOperation(const char *sql, std::vector<PgParam> params, QList<qint64> users,
                      qint64 requestId, StoreCallback<FriendOutcome> done);

    PgPool &m_pool;
    int m_requestLifetimeSeconds;
};

} // namespace tern::server
