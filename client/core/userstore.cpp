// SPDX-License-Identifier: Apache-2.0
// UserStore: profiles and contact records of the people this account sees, GUI thread.
#include "userstore.h"

#include "clientlog.h"
#include "localcache.h"

#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <functional>

namespace tern::client {

namespace {

template<typename T> QByteArray bytesOf(const T &m)
{
    const std::string s = m.SerializeAsString();
    return QByteArray(s.data(), qsizetype(s.size()));
}

template<typename T> std::optional<T> parsed(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    const QByteArray bytes = v.toByteArray();
    T m;
    m.ParseFromArray(bytes.constData(), int(bytes.size()));
    return m;
}

CachedUser fromRow(const QSqlQuery &q)
{
    CachedUser u;
    u.id = q.value(0).toULongLong();
    u.profile = parsed<proto::UserProfile>(q.value(1));
    u.contact = parsed<proto::Contact>(q.value(2));
    return u;
}

} // namespace

QString CachedUser::shownName() const
{
    if (contact && !contact->remark().empty())
        return QString::fromStdString(contact->remark());
    if (profile && !profile->display_name().empty())
        return QString::fromStdString(profile->display_name());
    if (profile)
        return QString::fromStdString(profile->username());
    return QStringLiteral("#%1").arg(id);
}

UserStore::UserStore(LocalCache &cache, QObject *parent)
    : QObject(parent)
    , m_cache(cache)
{ }

void UserStore::storeProfiles(const std::vector<proto::UserProfile> &profiles)
{
    std::vector<quint64> ids;
    LocalCache::Transaction tx(m_cache);
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("INSERT INTO users (id, profile) VALUES (?, ?)"
                             " ON CONFLICT (id) DO UPDATE SET profile = excluded.profile"));
    for (const auto &p : profiles) {
        q.addBindValue(qulonglong(p.user_id()));
        q.addBindValue(bytesOf(p));
        if (q.exec())
            ids.push_back(p.user_id());
        else
            qCWarning(lcCache) << "profile write failed:" << q.lastError().text();
    }
    tx.commit();
    if (!ids.empty())
        Q_EMIT changed(ids);
}

void UserStore::storeContacts(const std::vector<proto::Contact> &contacts)
{
    std::vector<quint64> ids;
    LocalCache::Transaction tx(m_cache);
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("INSERT INTO users (id, contact) VALUES (?, ?)"
                             " ON CONFLICT (id) DO UPDATE SET contact = excluded.contact"));
    for (const auto &c : contacts) {
        q.addBindValue(qulonglong(c.user_id()));
        q.addBindValue(bytesOf(c));
        if (q.exec())
            ids.push_back(c.user_id());
        else
            qCWarning(lcCache) << "contact write failed:" << q.lastError().text();
    }
    tx.commit();
    if (!ids.empty())
        Q_EMIT changed(ids);
}

std::optional<CachedUser> UserStore::get(quint64 id) const
{
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("SELECT id, profile, contact FROM users WHERE id = ?"));
    q.addBindValue(qulonglong(id));
    if (!q.exec() || !q.next())
        return std::nullopt;
    return fromRow(q);
}

namespace {

std::vector<CachedUser> contactsWhere(LocalCache &cache,
                                      const std::function<bool(const proto::Contact &)> &keep)
{
    std::vector<CachedUser> result;
    QSqlQuery q(cache.db());
    q.exec(QStringLiteral("SELECT id, profile, contact FROM users WHERE contact IS NOT NULL"));
    while (q.next()) {
        CachedUser u = fromRow(q);
        if (u.contact && keep(*u.contact))
            result.push_back(std::move(u));
    }
    std::sort(result.begin(), result.end(), [](const CachedUser &a, const CachedUser &b) {
        return QString::localeAwareCompare(a.shownName(), b.shownName()) < 0;
    });
    return result;
}

} // namespace

std::vector<CachedUser> UserStore::friends() const
{
    return contactsWhere(m_cache, [](const proto::Contact &c) { return c.is_friend(); });
}

std::vector<CachedUser> UserStore::blocked() const
{
    return contactsWhere(m_cache, [](const proto::Contact &c) { return c.blocked(); });
}

std::vector<quint64> UserStore::missingProfiles(const std::vector<quint64> &ids) const
{
    std::vector<quint64> missing;
    for (quint64 id : ids) {
        const std::optional<CachedUser> u = get(id);
        if (id != 0 && (!u || !u->profile)
            && std::find(missing.begin(), missing.end(), id) == missing.end())
            missing.push_back(id);
    }
    return missing;
}

} // namespace tern::client
