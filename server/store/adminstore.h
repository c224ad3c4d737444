// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/accountstore.h"

namespace tern::server {

class PgSession;

// Administrative account changes for ternctl: blocking, one transaction each. Ended sessions
// are announced on kSessionEndedChannel, so that a running ternd closes their connections.
class AdminStore
{
public:
    explicit AdminStore(PgSession &session);

    // Returns the new user's id, or an error (isUniqueViolation: the name is taken).
    Stored<qint64> createUser(const QString &username, const QString &usernameKey,
                              const QString &displayName, const QByteArray &passwordHash);
    Stored<UserCredentials> findUser(const QString &usernameKey);
    // Value: sessions ended.
    Stored<int> setPassword(qint64 userId, const QByteArray &passwordHash);
    Stored<int> ban(qint64 userId, const QString &reason);
    Stored<bool> unban(qint64 userId);
    // Makes two users friends at once (demos, migrations from other systems); no request,
    // no push: clients see it at their next contact sync.
    Stored<bool> befriend(qint64 userId, qint64 otherId);
    Stored<std::vector<DeviceSessionRecord>> sessions(qint64 userId);

private:
    // Runs `change` on the user's row and revokes all their sessions (for `reason`), with the
    // row locked as logins lock it; the value is how many sessions were revoked.
    Stored<int> changeAndRevoke(qint64 userId, const PgStatement &change, const QByteArray &reason);
    PgSession &m_session;
};

} // namespace tern::server
