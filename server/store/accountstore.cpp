// SPDX-License-Identifier: Apache-2.0
// AccountStore: SQL for users and sessions. Runs on the thread of the PgPool it was given.
#include "store/accountstore.h"

#include "store/pgpool.h"

#include <algorithm>
#include <cstring>

namespace tern::server {

namespace {
std::vector<PgParam> sessionParams(const NewSession &s)
{
    return {pgBytea(s.tokenHash), pgText(s.deviceId),      pgText(s.deviceName),
            pgText(s.clientName), pgText(s.clientVersion), pgText(s.address)};
}
} // namespace

AccountStore::AccountStore(PgPool &pool)
    : m_pool(pool)
{ }

void AccountStore::createAccount(const QString &username, const QString &usernameKey,
                                 const QString &displayName, const QByteArray &passwordHash,
                                 const NewSession &session, StoreCallback<SessionOwner> done)
{
    PgStatement statement {
        "WITH u AS (INSERT INTO users (username, username_key, display_name, password_hash)"
        "           VALUES ($7, $8, $9, $10) RETURNING id)"
        " INSERT INTO sessions (user_id, token_hash, device_id, device_name, client_name,"
        "                       client_version, last_address)"
        " SELECT id, $1, $2, $3, $4, $5, $6 FROM u RETURNING id, user_id",
        sessionParams(session)};
    statement.params.insert(
        statement.params.end(),
        {pgText(username), pgText(usernameKey), pgText(displayName), PgParam(passwordHash)});
    m_pool.execute(std::move(statement), [username, displayName, done](const PgOutcome &o) {
        Stored<SessionOwner> stored {o.error, {}};
        if (o.ok()) {
            const PgResult &r = o.results.front();
            stored.value =
                SessionOwner {r.int64(0, 0), r.int64(0, 1), username, displayName, false};
        }
        done(stored);
    });
}

void AccountStore::findCredentials(PgStatement statement, StoreCallback<UserCredentials> done)
{
    m_pool.execute(std::move(statement), [done](const PgOutcome &o) {
        Stored<UserCredentials> stored {o.error, {}};
        if (o.ok() && o.results.front().rowCount() == 1) {
            const PgResult &r = o.results.front();
            stored.value = UserCredentials {r.int64(0, 0), r.text(0, 1), r.text(0, 2),
                                            r.bytes(0, 3), r.boolean(0, 4)};
        }
        done(stored);
    });
}

void AccountStore::findCredentialsByName(const QString &usernameKey,
                                         StoreCallback<UserCredentials> done)
{
    findCredentials({"SELECT id, username, display_name, password_hash, banned_at IS NOT NULL"
                     " FROM users WHERE username_key = $1",
                     {pgText(usernameKey)}},
                    std::move(done));
}

void AccountStore::findCredentialsById(qint64 userId, StoreCallback<UserCredentials> done)
{
    findCredentials({"SELECT id, username, display_name, password_hash, banned_at IS NOT NULL"
                     " FROM users WHERE id = $1",
                     {pgInt(userId)}},
                    std::move(done));
}

void AccountStore::openSession(qint64 userId, const QByteArray &verifiedHash,
                               const NewSession &session, StoreCallback<OpenedSession> done)
{
    std::vector<PgStatement> statements;
    // The user's row, locked (not against foreign-key checks): logins of one user open their
    // sessions one after the other (a second one from the same device then replaces the
    // first instead of colliding with it), and a ban or a password change committed while
    // the password was being checked is seen below; one that comes after waits, and then
    // revokes this session with the others (AdminStore::changeAndRevoke, changePassword).
    statements.push_back({"SELECT banned_at IS NOT NULL FROM users WHERE id = $1"
                          " FOR NO KEY UPDATE",
                          {pgInt(userId)}});
    // Both only while the password is still the one checked and the user is not banned.
    statements.push_back(
        {"WITH r AS (UPDATE sessions SET revoked_at = now(), revoked_reason = 'replaced'"
         "           WHERE user_id = $1 AND device_id = $2 AND revoked_at IS NULL"
         "             AND EXISTS (SELECT 1 FROM users u WHERE u.id = $1"
         "                          AND u.password_hash = $3 AND u.banned_at IS NULL)"
         "           RETURNING id)"
         " SELECT pg_notify('tern_session_ended', id || ' replaced') FROM r",
         {pgInt(userId), pgText(session.deviceId), PgParam(verifiedHash)}});
    PgStatement insert {"INSERT INTO sessions (token_hash, device_id, device_name, client_name,"
                        "                      client_version, last_address, user_id)"
                        " SELECT $1, $2, $3, $4, $5, $6, u.id FROM users u"
                        "  WHERE u.id = $7 AND u.password_hash = $8 AND u.banned_at IS NULL"
                        " RETURNING id",
                        sessionParams(session)};
    insert.params.push_back(pgInt(userId));
    insert.params.push_back(PgParam(verifiedHash));
    statements.push_back(std::move(insert));
    m_pool.execute(std::move(statements), [done](const PgOutcome &o) {
        Stored<OpenedSession> stored {o.error, {}};
        if (o.ok() && o.results.front().rowCount() == 1) {
            OpenedSession opened;
            opened.banned = o.results.front().boolean(0, 0);
            if (o.results.back().rowCount() == 1)
                opened.sessionId = o.results.back().int64(0, 0);
            stored.value = opened;
        }
        done(stored);
    });
}

void AccountStore::resumeSession(const QByteArray &tokenHash, const QString &address,
                                 StoreCallback<SessionOwner> done)
{
    // Resumes that arrive together (a network coming back) share a transaction and so one WAL
    // flush, on one of the worker's writer connections (PgPool); the key only picks the slot,
    // nothing orders resumes among themselves.
    quint64 key = 0;
    std::memcpy(&key, tokenHash.constData(), std::min(sizeof key, size_t(tokenHash.size())));
    m_pool.executeInOrder(
        key,
        {"UPDATE sessions s SET last_seen_at = now(), last_address = $2 FROM users u"
         " WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND u.id = s.user_id"
         " RETURNING s.id, u.id, u.username, u.display_name, u.banned_at IS NOT NULL",
         {pgBytea(tokenHash), pgText(address)}},
        [done](const PgOutcome &o) {
            Stored<SessionOwner> stored {o.error, {}};
            if (o.ok() && o.results.front().rowCount() == 1) {
                const PgResult &r = o.results.front();
                stored.value = SessionOwner {r.int64(0, 0), r.int64(0, 1), r.text(0, 2),
                                             r.text(0, 3), r.boolean(0, 4)};
            }
            done(stored);
        });
}

void AccountStore::revokeSession(qint64 userId, qint64 sessionId, const char *reason,
                                 StoreCallback<bool> done)
{
    m_pool.execute({"WITH r AS (UPDATE sessions SET revoked_at = now(), revoked_reason = $3"
                    "           WHERE id = $2 AND user_id = $1 AND revoked_at IS NULL RETURNING id)"
                    " SELECT pg_notify('tern_session_ended', id || ' ' || $3) FROM r",
                    {pgInt(userId), pgInt(sessionId), PgParam(QByteArray(reason))}},
                   [done](const PgOutcome &o) {
                       Stored<bool> stored {o.error, {}};
                       if (o.ok())
                           stored.value = o.results.front().rowCount() > 0;
                       done(stored);
                   });
}

void AccountStore::listSessions(qint64 userId, StoreCallback<std::vector<DeviceSessionRecord>> done)
{
    m_pool.execute({"SELECT id, device_name, client_name, client_version,"
                    "       (extract(epoch FROM created_at) * 1000)::bigint,"
                    "       (extract(epoch FROM last_seen_at) * 1000)::bigint, last_address"
                    " FROM sessions WHERE user_id = $1 AND revoked_at IS NULL"
                    " ORDER BY last_seen_at DESC, id DESC LIMIT 200",
                    {pgInt(userId)}},
                   [done](const PgOutcome &o) {
                       Stored<std::vector<DeviceSessionRecord>> stored {o.error, {}};
                       if (o.ok()) {
                           const PgResult &r = o.results.front();
                           std::vector<DeviceSessionRecord> sessions;
                           for (int row = 0; row < r.rowCount(); ++row) {
                               sessions.push_back({r.int64(row, 0), r.text(row, 1), r.text(row, 2),
                                                   r.text(row, 3), r.int64(row, 4), r.int64(row, 5),
                                                   r.text(row, 6)});
                           }
                           stored.value = std::move(sessions);
                       }
                       done(stored);
                   });
}

void AccountStore::changePassword(qint64 userId, const QByteArray &passwordHash,
                                  qint64 keepSessionId, StoreCallback<int> done)
{
    std::vector<PgStatement> statements;
    statements.push_back({"UPDATE users SET password_hash = $2, password_changed_at = now()"
                          " WHERE id = $1",
                          {pgInt(userId), PgParam(passwordHash)}});
    statements.push_back(
        {"WITH r AS (UPDATE sessions SET revoked_at = now(), revoked_reason = 'password_changed'"
         "           WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL RETURNING id)"
         " SELECT pg_notify('tern_session_ended', id || ' password_changed') FROM r",
         {pgInt(userId), pgInt(keepSessionId)}});
    m_pool.execute(std::move(statements), [done](const PgOutcome &o) {
        Stored<int> stored {o.error, {}};
        if (o.ok())
            stored.value = o.results.back().rowCount();
        done(stored);
    });
}

void AccountStore::endedSessions(const QList<qint64> &sessionIds,
                                 StoreCallback<std::vector<std::pair<qint64, QString>>> done)
{
    QByteArray array = "{";
    for (qsizetype i = 0; i < sessionIds.size(); ++i)
        array += (i ? "," : "") + QByteArray::number(sessionIds.at(i));
    array += '}';
    m_pool.execute({"SELECT id, revoked_reason FROM sessions"
                    " WHERE id = ANY($1::bigint[]) AND revoked_at IS NOT NULL",
                    {PgParam(array)}},
                   [done](const PgOutcome &o) {
                       Stored<std::vector<std::pair<qint64, QString>>> stored {o.error, {}};
                       if (o.ok()) {
                           const PgResult &r = o.results.front();
                           std::vector<std::pair<qint64, QString>> ended;
                           for (int row = 0; row < r.rowCount(); ++row)
                               ended.emplace_back(r.int64(row, 0), r.text(row, 1));
                           stored.value = std::move(ended);
                       }
                       done(stored);
                   });
}

} // namespace tern::server
