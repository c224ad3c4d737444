// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/pgtypes.h"

#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace tern::server {

class PgPool;

// The NOTIFY channel on which every ended session is announced as "<session_id> <reason>", so
// that whichever ternd process holds its connections closes them.
inline constexpr const char *kSessionEndedChannel = "tern_session_ended";

struct NewSession
{
    QByteArray tokenHash;
    QString deviceId;
    QString deviceName;
    QString clientName;
    QString clientVersion;
    QString address;
};

struct UserCredentials
{
    qint64 userId = 0;
    QString username;
    QString displayName;
    QByteArray passwordHash;
    bool banned = false;
};

struct SessionOwner
{
    qint64 sessionId = 0;
    qint64 userId = 0;
    QString username;
    QString displayName;
    bool banned = false;
};

struct DeviceSessionRecord
{
    qint64 sessionId = 0;
    QString deviceName;
    QString clientName;
    QString clientVersion;
    qint64 createdAtMs = 0;
    qint64 lastSeenAtMs = 0;
    QString lastAddress;
};

template<typename T> struct Stored
{
    PgError error;
    std::optional<T> value; // empty with no error: not found / nothing matched
};

template<typename T> using StoreCallback = std::function<void(const Stored<T> &)>;

// Accounts and device sessions in PostgreSQL. Every method is asynchronous and calls back on
// the pool's thread; each is one transaction. Ended sessions are announced on
// kSessionEndedChannel in the same transaction.
class AccountStore
{
public:
    explicit AccountStore(PgPool &pool);

    // Creates the user and its first session. Error isUniqueViolation(): username taken.
    void createAccount(const QString &username, const QString &usernameKey,
                       const QString &displayName, const QByteArray &passwordHash,
                       const NewSession &session, StoreCallback<SessionOwner> done);

    void findCredentialsByName(const QString &usernameKey, StoreCallback<UserCredentials> done);
    void findCredentialsById(qint64 userId, StoreCallback<UserCredentials> done);

    // Opens a session, replacing the live session of the same device (announced "replaced").
    // A new session, unless the user's password hash is no longer `verifiedHash` or the user
    // is banned (then sessionId 0; no value when the user is gone).
    struct OpenedSession
    {
        qint64 sessionId = 0;
        bool banned = false;
    };
    void openSession(qint64 userId, const QByteArray &verifiedHash, const NewSession &session,
                     StoreCallback<OpenedSession> done);

    // Looks a live session up by token hash and marks it seen.
    void resumeSession(const QByteArray &tokenHash, const QString &address,
                       StoreCallback<SessionOwner> done);

    // Ends one live session of the user; value false when there was none.
    void revokeSession(qint64 userId, qint64 sessionId, const char *reason,
                       StoreCallback<bool> done);

    void listSessions(qint64 userId, StoreCallback<std::vector<DeviceSessionRecord>> done);

    // Sets a new password hash and ends every other session; value = sessions ended.
    void changePassword(qint64 userId, const QByteArray &passwordHash, qint64 keepSessionId,
                        StoreCallback<int> done);

    // Of these sessions, the ones that have ended, with the reason ("revoked", "banned" ...).
    void endedSessions(const QList<qint64> &sessionIds,
                       StoreCallback<std::vector<std::pair<qint64, QString>>> done);

private:
    void findCredentials(PgStatement statement, StoreCallback<UserCredentials> done);

    PgPool &m_pool;
};

} // namespace tern::server
