// SPDX-License-Identifier: Apache-2.0
// PeopleStore: SQL for profiles, privacy and search. Runs on its PgPool's thread.
#include "store/peoplestore.h"

#include "store/pgpool.h"
#include "store/profilesql.h"

namespace tern::server {

namespace {

const QByteArray &myProfileSql()
{
    static const QByteArray sql = QByteArray("SELECT ") + profilesql::kColumns
        + ", u.searchable_by, u.presence_visible_to, u.group_adders"
          " FROM users u"
        + profilesql::kJoins + " WHERE u.id = $1";
    return sql;
}

std::optional<proto::MyProfile> readMyProfile(const PgResult &r)
{
    if (r.rowCount() != 1)
        return std::nullopt;
    proto::MyProfile profile;
    profilesql::read(r, 0, 0, profile.mutable_profile());
    const int c = profilesql::kColumnCount;
    auto *privacy = profile.mutable_privacy();
    privacy->set_searchable_by(proto::Audience(r.int64(0, c)));
    privacy->set_presence_visible_to(proto::Audience(r.int64(0, c + 1)));
    privacy->set_group_adders(proto::Audience(r.int64(0, c + 2)));
    return profile;
}

PgParam optionalText(const std::optional<QString> &value)
{
    return value ? pgText(*value) : PgParam();
}

PgParam optionalAudience(int value)
{
    return value ? pgInt(value) : PgParam();
}

// Escapes LIKE's wildcards so that user input matches literally.
QString likePrefix(const QString &text)
{
    QString escaped = text.toLower();
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('%'), QLatin1String("\\%"))
        .replace(QLatin1Char('_'), QLatin1String("\\_"));
    return escaped + QLatin1Char('%');
}

} // namespace

PeopleStore::PeopleStore(PgPool &pool)
    : m_pool(pool)
{ }

void PeopleStore::myProfile(qint64 userId, StoreCallback<proto::MyProfile> done)
{
    m_pool.execute({myProfileSql().constData(), {pgInt(userId)}}, [done](const PgOutcome &o) {
        Stored<proto::MyProfile> stored {o.error, {}};
        if (o.ok())
            stored.value = readMyProfile(o.results.front());
        done(stored);
    });
}

void PeopleStore::updateProfile(qint64 userId, const ProfileUpdate &u,
                                StoreCallback<proto::MyProfile> done)
{
    std::vector<PgStatement> statements;
    statements.push_back(
        {"UPDATE users SET display_name = coalesce($2, display_name),"
         " avatar_file_id = coalesce($3, avatar_file_id),"
         " status_line = coalesce($4, status_line),"
         " searchable_by = coalesce($5::smallint, searchable_by),"
         " presence_visible_to = coalesce($6::smallint, presence_visible_to),"
         " group_adders = coalesce($7::smallint, group_adders)"
         " WHERE id = $1",
         {pgInt(userId), optionalText(u.displayName), optionalText(u.avatarFileId),
          optionalText(u.statusLine), optionalAudience(u.searchableBy),
          optionalAudience(u.presenceVisibleTo), optionalAudience(u.groupAdders)}});
    statements.push_back({myProfileSql().constData(), {pgInt(userId)}});
    m_pool.execute(std::move(statements), [done](const PgOutcome &o) {
        Stored<proto::MyProfile> stored {o.error, {}};
        if (o.ok())
            stored.value = readMyProfile(o.results.back());
        done(stored);
    });
}

void PeopleStore::profiles(qint64 viewer, const QList<qint64> &userIds,
                           StoreCallback<proto::ProfileList> done)
{
    static const QByteArray sql = QByteArray("SELECT ") + profilesql::kColumns + " FROM users u"
        + profilesql::kJoins + " WHERE u.id = ANY($2::bigint[]) AND " + profilesql::kVisible
        + " ORDER BY u.id";
    QByteArray array = "{";
    for (qsizetype i = 0; i < userIds.size(); ++i)
        array += (i ? "," : "") + QByteArray::number(userIds.at(i));
    array += '}';
    m_pool.execute({sql.constData(), {pgInt(viewer), PgParam(array)}}, [done](const PgOutcome &o) {
        Stored<proto::ProfileList> stored {o.error, {}};
        if (o.ok()) {
            proto::ProfileList list;
            const PgResult &r = o.results.front();
            for (int row = 0; row < r.rowCount(); ++row)
                profilesql::read(r, row, 0, list.add_profiles());
            stored.value = std::move(list);
        }
        done(stored);
    });
}

void PeopleStore::search(qint64 viewer, const QString &query, qint64 afterId, int limit,
                         StoreCallback<proto::UserSearchResult> done)
{
    // searchable_by: everyone, or friends when the two are friends; never nobody.
    static const QByteArray searchable = QByteArray(" AND u.id <> $1 AND ") + profilesql::kVisible
        + " AND (u.searchable_by = 1 OR (u.searchable_by = 2"
          " AND coalesce(theirs.is_friend, false)))";
    static const QByteArray sql = QByteArray("(SELECT 0 AS rank, ") + profilesql::kColumns
        + " FROM users u" + profilesql::kJoins
        + " WHERE $3::bigint = 0 AND u.username_key = lower($2)" + searchable + ")"
        + " UNION ALL (SELECT 1, " + profilesql::kColumns + " FROM users u" + profilesql::kJoins
        + " WHERE lower(u.display_name) LIKE $4 ESCAPE '\\' AND u.username_key <> lower($2)"
          " AND u.id > $3"
        + searchable + " ORDER BY u.id LIMIT $5)" + " ORDER BY 1, 2";
    m_pool.execute(
        {sql.constData(),
         {pgInt(viewer), pgText(query), pgInt(afterId), pgText(likePrefix(query)), pgInt(limit)}},
        [done, limit](const PgOutcome &o) {
            Stored<proto::UserSearchResult> stored {o.error, {}};
            if (o.ok()) {
                proto::UserSearchResult result;
                const PgResult &r = o.results.front();
                int prefixRows = 0;
                qint64 lastId = 0;
                for (int row = 0; row < r.rowCount(); ++row) {
                    profilesql::read(r, row, 1, result.add_users());
                    if (r.int64(row, 0) == 1) {
                        ++prefixRows;
                        lastId = r.int64(row, 1);
                    }
                }
                if (prefixRows == limit)
                    result.set_next_page_token(QByteArray::number(lastId).toStdString());
                stored.value = std::move(result);
            }
            done(stored);
        });
}

} // namespace tern::server
