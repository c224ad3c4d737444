// SPDX-License-Identifier: Apache-2.0
#include "store/adminstore.h"

#include "store/pgsession.h"

namespace tern::server {

namespace {
constexpr const char *kEndAllSessions =
    "WITH r AS (UPDATE sessions SET revoked_at = now(), revoked_reason = $2"
    "           WHERE user_id = $1 AND revoked_at IS NULL RETURNING id)"
    " SELECT pg_notify('tern_session_ended', id || ' ' || $2) FROM r";
} // namespace

AdminStore::AdminStore(PgSession &session)
    : m_session(session)
{ }

Stored<qint64> AdminStore::createUser(const QString &username, const QString &usernameKey,
                                      const QString &displayName, const QByteArray &passwordHash)
{
    const PgOutcome o = m_session.exec(
        {"INSERT INTO users (username, username_key, display_name, password_hash)"
         " VALUES ($1, $2, $3, $4) RETURNING id",
         {pgText(username), pgText(usernameKey), pgText(displayName), PgParam(passwordHash)}});
    Stored<qint64> stored {o.error, {}};
    if (o.ok())
        stored.value = o.results.front().int64(0, 0);
    return stored;
}

Stored<UserCredentials> AdminStore::findUser(const QString &usernameKey)
{
    const PgOutcome o =
        m_session.exec({"SELECT id, username, display_name, password_hash, banned_at IS NOT NULL"
                        " FROM users WHERE username_key = $1",
                        {pgText(usernameKey)}});
    Stored<UserCredentials> stored {o.error, {}};
    if (o.ok() && o.results.front().rowCount() == 1) {
        const PgResult &r = o.results.front();
        stored.value = UserCredentials {r.int64(0, 0), r.text(0, 1), r.text(0, 2), r.bytes(0, 3),
                                        r.boolean(0, 4)};
    }
    return stored;
}

Stored<int> AdminStore::setPassword(qint64 userId, const QByteArray &passwordHash)
{
    return changeAndRevoke(userId,
                           {{"UPDATE users SET password_hash = $2, password_changed_at = now()"
                             " WHERE id = $1",
                             {pgInt(userId), PgParam(passwordHash)}}},
                           QByteArrayLiteral("password_changed"));
}

Stored<AdminStore::Banned> AdminStore::ban(qint64 userId, const QString &reason)
{
    // The groups are left in the ban's transaction (after the row lock, group locks one at a
    // time): no ban stands with the user still in a group, and a failure undoes the ban too,
    // to be run again. Banning a banned user again takes them out of whatever they are in.
    PgResult left;
    const Stored<int> revoked =
        changeAndRevoke(userId,
                        {{"UPDATE users SET banned_at = coalesce(banned_at, now()), ban_reason = $2"
                          " WHERE id = $1",
                          {pgInt(userId), pgText(reason)}},
                         {"SELECT tern_user_banned_leave_groups($1)", {pgInt(userId)}}},
                        QByteArrayLiteral("banned"), &left);
    Stored<Banned> stored {revoked.error, {}};
    if (revoked.value)
        stored.value = Banned {*revoked.value, int(left.int64(0, 0))};
    return stored;
}

Stored<int> AdminStore::changeAndRevoke(qint64 userId, const std::vector<PgStatement> &changes,
                                        const QByteArray &reason, PgResult *lastChange)
{
    // One transaction: the user's row locked first (a login opening a session holds the same
    // lock, AccountStore::openSession), then the changes, then the revocation in a statement
    // of its own, whose snapshot sees a session that such a login committed meanwhile (a
    // single statement would revoke from a snapshot taken before it, and lock sessions before
    // the user's row: the other order, a deadlock with the login).
    const auto fail = [this](const PgOutcome &o) {
        m_session.exec({"ROLLBACK", {}});
        return Stored<int> {o.error, {}};
    };
    const PgOutcome began = m_session.exec({"BEGIN", {}});
    if (!began.ok())
        return {began.error, {}};
    const PgOutcome locked =
        m_session.exec({"SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE", {pgInt(userId)}});
    if (!locked.ok())
        return fail(locked);
    for (const PgStatement &change : changes) {
        const PgOutcome changed = m_session.exec(change);
        if (!changed.ok())
            return fail(changed);
        if (lastChange)
            *lastChange = changed.results.front();
    }
    const PgOutcome revoked =
        m_session.exec({"WITH r AS (UPDATE sessions SET revoked_at = now(), revoked_reason = $2"
                        "           WHERE user_id = $1 AND revoked_at IS NULL RETURNING id)"
                        " SELECT pg_notify('tern_session_ended', id || ' ' || $2) FROM r",
                        {pgInt(userId), PgParam(reason)}});
    if (!revoked.ok())
        return fail(revoked);
    const PgOutcome committed = m_session.exec({"COMMIT", {}});
    Stored<int> stored {committed.error, {}};
    if (committed.ok())
        stored.value = revoked.results.front().rowCount();
    return stored;
}

Stored<bool> AdminStore::unban(qint64 userId)
{
    const PgOutcome o = m_session.exec({"UPDATE users SET banned_at = NULL, ban_reason = NULL"
                                        " WHERE id = $1 AND banned_at IS NOT NULL",
                                        {pgInt(userId)}});
    Stored<bool> stored {o.error, {}};
    if (o.ok())
        stored.value = o.results.front().affectedRows() > 0;
    return stored;
}

Stored<bool> AdminStore::befriend(qint64 userId, qint64 otherId)
{
    // One statement, so one transaction: the pair lock first, as every friendship change takes.
    const PgOutcome o =
        m_session.exec({"SELECT tern_lock_pair($1, $2), tern_set_friends($1, $2, true)",
                        {pgInt(userId), pgInt(otherId)}});
    return Stored<bool> {o.error, o.ok() ? std::optional<bool>(true) : std::nullopt};
}

Stored<std::vector<DeviceSessionRecord>> AdminStore::sessions(qint64 userId)
{
    const PgOutcome o =
        m_session.exec({"SELECT id, device_name, client_name, client_version,"
                        "       (extract(epoch FROM created_at) * 1000)::bigint,"
                        "       (extract(epoch FROM last_seen_at) * 1000)::bigint, last_address"
                        " FROM sessions WHERE user_id = $1 AND revoked_at IS NULL"
                        " ORDER BY last_seen_at DESC, id DESC",
                        {pgInt(userId)}});
    Stored<std::vector<DeviceSessionRecord>> stored {o.error, {}};
    if (o.ok()) {
        const PgResult &r = o.results.front();
        std::vector<DeviceSessionRecord> list;
        for (int row = 0; row < r.rowCount(); ++row) {
            list.push_back({r.int64(row, 0), r.text(row, 1), r.text(row, 2), r.text(row, 3),
                            r.int64(row, 4), r.int64(row, 5), r.text(row, 6)});
        }
        stored.value = std::move(list);
    }
    return stored;
}

} // namespace tern::server
