// SPDX-License-Identifier: Apache-2.0
// GroupStore: cached group memberships, GUI thread.
#include "groupstore.h"

#include "clientlog.h"
#include "localcache.h"

#include <QSqlError>
#include <QSqlQuery>

namespace tern::client {

namespace {

proto::GroupMembership fromBlob(const QVariant &v)
{
    const QByteArray bytes = v.toByteArray();
    proto::GroupMembership m;
    m.ParseFromArray(bytes.constData(), int(bytes.size()));
    return m;
}

} // namespace

GroupStore::GroupStore(LocalCache &cache, QObject *parent)
    : QObject(parent)
    , m_cache(cache)
{ }

void GroupStore::write(const proto::GroupMembership &m)
{
    const std::string blob = m.SerializeAsString();
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("INSERT INTO groups (id, membership) VALUES (?, ?)"
                             " ON CONFLICT (id) DO UPDATE SET membership = excluded.membership"));
    q.addBindValue(qulonglong(m.group().group_id()));
    q.addBindValue(QByteArray(blob.data(), qsizetype(blob.size())));
    if (!q.exec()) {
        qCWarning(lcCache) << "group write failed:" << q.lastError().text();
        return;
    }
    Q_EMIT changed(m.group().group_id());
}

namespace {

// Pushes and answers may arrive out of order (groups.proto): a group read at an earlier seq
// than the cached one is older and must not put old settings back. 0: the seq is not known.
bool isOlder(const proto::Group &incoming, const std::optional<proto::GroupMembership> &cached)
{
    return cached && incoming.last_seq() != 0 && incoming.last_seq() < cached->group().last_seq();
}

} // namespace

void GroupStore::store(const std::vector<proto::GroupMembership> &memberships)
{
    LocalCache::Transaction tx(m_cache);
    for (const auto &m : memberships) {
        if (!isOlder(m.group(), get(m.group().group_id())))
            write(m);
    }
    tx.commit();
}

void GroupStore::storeGroup(const proto::Group &group)
{
    const std::optional<proto::GroupMembership> cached = get(group.group_id());
    if (isOlder(group, cached))
        return;
    proto::GroupMembership m = cached.value_or(proto::GroupMembership {});
    *m.mutable_group() = group;
    write(m);
}

void GroupStore::markNotMember(quint64 groupId)
{
    std::optional<proto::GroupMembership> m = get(groupId);
    if (!m || m->role() == proto::GROUP_ROLE_UNSPECIFIED)
        return;
    m->set_role(proto::GROUP_ROLE_UNSPECIFIED);
    m->mutable_group()->clear_invite_code();
    write(*m);
}

std::optional<proto::GroupMembership> GroupStore::get(quint64 groupId) const
{
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("SELECT membership FROM groups WHERE id = ?"));
    q.addBindValue(qulonglong(groupId));
    if (!q.exec() || !q.next())
        return std::nullopt;
    return fromBlob(q.value(0));
}

std::vector<proto::GroupMembership> GroupStore::all() const
{
    std::vector<proto::GroupMembership> result;
    QSqlQuery q(m_cache.db());
    q.exec(QStringLiteral("SELECT membership FROM groups ORDER BY id"));
    while (q.next())
        result.push_back(fromBlob(q.value(0)));
    return result;
}

} // namespace tern::client
