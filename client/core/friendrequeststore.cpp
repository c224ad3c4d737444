// SPDX-License-Identifier: Apache-2.0
// FriendRequestStore: cached friend requests, GUI thread.
#include "friendrequeststore.h"

#include "clientlog.h"
#include "localcache.h"

#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace tern::client {

FriendRequestStore::FriendRequestStore(LocalCache &cache, QObject *parent)
    : QObject(parent)
    , m_cache(cache)
{ }

void FriendRequestStore::store(const std::vector<proto::FriendRequest> &requests)
{
    if (requests.empty())
        return;
    LocalCache::Transaction tx(m_cache);
    QSqlQuery q(m_cache.db());
    if (!q.prepare(QStringLiteral("INSERT INTO friend_requests (id, request) VALUES (?, ?)"
                                  " ON CONFLICT (id) DO UPDATE SET request = excluded.request"))) {
        qCWarning(lcCache) << "friend request write failed:" << q.lastError().text();
        return;
    }
    for (const auto &r : requests) {
        const std::string blob = r.SerializeAsString();
        q.addBindValue(qulonglong(r.request_id()));
        q.addBindValue(QByteArray(blob.data(), qsizetype(blob.size())));
        if (!q.exec())
            qCWarning(lcCache) << "friend request write failed:" << q.lastError().text();
    }
    tx.commit();
    Q_EMIT changed();
}

std::vector<proto::FriendRequest> FriendRequestStore::pending(qint64 nowMs) const
{
    std::vector<proto::FriendRequest> result;
    QSqlQuery q(m_cache.db());
    q.exec(QStringLiteral("SELECT request FROM friend_requests"));
    while (q.next()) {
        const QByteArray bytes = q.value(0).toByteArray();
        proto::FriendRequest r;
        r.ParseFromArray(bytes.constData(), int(bytes.size()));
        if (r.state() == proto::FriendRequest::STATE_PENDING
            && (r.expires_at_ms() == 0 || r.expires_at_ms() > nowMs))
            result.push_back(std::move(r));
    }
    std::sort(result.begin(), result.end(),
              [](const auto &a, const auto &b) { return a.created_at_ms() > b.created_at_ms(); });
    return result;
}

} // namespace tern::client
