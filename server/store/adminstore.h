// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/accountstore.h"

namespace tern::server {

class PgSession;

// Administrative account changes for ternctl: blocking, one transaction each. Ended sessions
// are announced on kSessionEndedChannel, so that a running ternd closes their connections,
// group events on kGroupEventChannel, so that it pushes them to the members, and the
// invitations and requests to join a ban cancelled on kGroupCancelledChannel, so that it tells
// those waiting on them.
class AdminStore
{
public:
    struct Banned
    {
        int sessionsEnded = 0;
        // Groups the user was taken out of (migration 0023), dissolved ones included.
        int groupsLeft = 0;
    };

    explicit AdminStore(PgSession &session);

    // Returns the new user's id, or an error (isUniqueViolation: the name is taken).
    Stored<qint64> createUser(const QString &username, const QString &usernameKey,
                              const QString &displayName, const QByteArray &passwordHash);
    Stored<UserCredentials> findUser(const QString &usernameKey);
    // Value: sessions ended.
    Stored<int> setPassword(qint64 userId, const QByteArray &passwordHash);
    // Also takes the user out of every group (ownership passes on; a group left empty is
    // dissolved) and cancels their waiting invitations and requests to join.
    Stored<Banned> ban(qint64 userId, const QString &reason);
    // Lifts the ban only: the groups the ban took them out of stay left.
    Stored<bool> unban(qint64 userId);
    // Makes two users friends at once (demos, migrations from other systems); no request,
    // no push: clients see it at their next contact sync.
    Stored<bool> befriend(qint64 userId, qint64 otherId);
    Stored<std::vector<DeviceSessionRecord>> sessions(qint64 userId);

private:
    // Runs `changes` on the user's row and revokes all their sessions (for `reason`), with the
    // row locked as logins lock it; the value is how many sessions were revoked. `lastChange`,
    // when given, gets the result of the last of `changes`.
    Stored<int> changeAndRevoke(qint64 userId, const std::vector<PgStatement> &changes,
                                const QByteArray &reason, PgResult *lastChange = nullptr);
    PgSession &m_session;
};

} // namespace tern::server
