// SPDX-License-Identifier: Apache-2.0
// AuthService: account and session rules. Lives on one I/O worker thread; password hashing
// runs on the PasswordHasher's pool and comes back here.
#include "service/authservice.h"

#include "core/logging.h"
#include "service/passwordhasher.h"
#include "service/ratelimiter.h"
#include "service/tokens.h"
#include "tern/limits.h"
#include "tern/validation.h"

namespace tern::server {

namespace {
ServiceError invalidArgument(const QString &message)
{
    return {proto::ERROR_CODE_INVALID_ARGUMENT, message};
}

ServiceError invalidCredentials()
{
    return {proto::ERROR_CODE_INVALID_CREDENTIALS, QStringLiteral("wrong username or password")};
}

ServiceError storeError(const PgError &error)
{
    if (error.kind == PgError::Kind::Unavailable)
        return unavailableError();
    qCWarning(lcAuth).noquote() << "database error" << error.sqlState << error.message;
    return {proto::ERROR_CODE_INTERNAL, QStringLiteral("internal error")};
}

NewSession newSession(const QByteArray &token, const ClientInfo &client)
{
    return {sessionTokenHash(token), client.deviceId,      client.deviceName,
            client.clientName,       client.clientVersion, client.address};
}
} // namespace

AuthService::AuthService(AccountStore &store, PasswordHasher &hasher, LoginLimiters limiters,
                         AuthPolicy policy, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_hasher(hasher)
    , m_limiters(limiters)
    , m_policy(policy)
{ }

std::optional<ServiceError> AuthService::throttled(const QString &accountKey,
                                                   const QString &address) const
{
    quint32 wait = address.isEmpty() ? 0 : m_limiters.perAddress->retryAfterMs(address);
    if (!accountKey.isEmpty())
        wait = std::max(wait, m_limiters.perAccount->retryAfterMs(accountKey));
    if (wait == 0)
        return std::nullopt;
    return ServiceError {
        proto::ERROR_CODE_RATE_LIMITED,
        QStringLiteral("too many attempts; try again in %1 s").arg((wait + 999) / 1000), wait};
}

void AuthService::registerAccount(const std::string &username, const std::string &password,
                                  const std::string &displayName, const ClientInfo &client,
                                  ResultCallback<AuthenticatedSession> done)
{
    using namespace validation;
    if (auto problem =
            checkUsername(username, m_policy.minUsernameLength, m_policy.maxUsernameLength))
        return done(invalidArgument(*problem));
    if (auto problem =
            checkPassword(password, m_policy.minPasswordLength, m_policy.maxPasswordLength))
        return done(invalidArgument(*problem));
    if (auto problem = checkDisplayName(displayName, m_policy.maxDisplayNameLength))
        return done(invalidArgument(*problem));
    if (auto error = throttled({}, client.address))
        return done(*error);
    m_limiters.perAddress->record(client.address);

    const QString name = QString::fromStdString(username);
    const QString shown =
        displayName.empty() ? name : QString::fromStdString(displayName).trimmed();
    m_hasher.hashAsync(password, this, [=, this](const QByteArray &hash) {
        if (hash.isEmpty())
            return done(
                ServiceError {proto::ERROR_CODE_INTERNAL, QStringLiteral("internal error")});
        const QByteArray token = newSessionToken();
        m_store.createAccount(
            name, usernameKey(username), shown, hash, newSession(token, client),
            [=](const Stored<SessionOwner> &stored) {
                if (stored.error.isUniqueViolation()) {
                    return done(ServiceError {proto::ERROR_CODE_USERNAME_TAKEN,
                                              QStringLiteral("username '%1' is taken").arg(name)});
                }
                if (stored.error.kind != PgError::Kind::None)
                    return done(storeError(stored.error));
                qCInfo(lcAuth) << "registered user" << stored.value->userId;
                done(AuthenticatedSession {stored.value->userId, name, shown,
                                           stored.value->sessionId, token});
            });
    });
}

void AuthService::login(const std::string &username, const std::string &password,
                        const ClientInfo &client, ResultCallback<AuthenticatedSession> done)
{
    if (username.size() > size_t(m_policy.maxUsernameLength)
        || validation::codePointCount(password) > m_policy.maxPasswordLength
        || !validation::isValidUtf8(password)) {
        return done(invalidCredentials());
    }
    const QString accountKey = validation::usernameKey(username);
    if (auto error = throttled(accountKey, client.address))
        return done(*error);
    m_limiters.perAddress->record(client.address);

    m_store.findCredentialsByName(accountKey, [=, this](const Stored<UserCredentials> &stored) {
        if (stored.error.kind != PgError::Kind::None)
            return done(storeError(stored.error));
        const UserCredentials user = stored.value.value_or(UserCredentials {});
        m_hasher.verifyAsync(user.passwordHash, password, this, [=, this](bool ok) {
            if (!ok) {
                m_limiters.perAccount->record(accountKey);
                return done(invalidCredentials());
            }
            if (user.banned) {
                return done(ServiceError {proto::ERROR_CODE_ACCOUNT_BANNED,
                                          QStringLiteral("this account is banned")});
            }
            openSession(user, client, done);
        });
    });
}

void AuthService::openSession(const UserCredentials &user, const ClientInfo &client,
                              ResultCallback<AuthenticatedSession> done)
{
    const QByteArray token = newSessionToken();
    m_store.openSession(
        user.userId, user.passwordHash, newSession(token, client),
        [=](const Stored<AccountStore::OpenedSession> &stored) {
            if (stored.error.kind != PgError::Kind::None)
                return done(storeError(stored.error));
            // Banned, or the password changed, while it was being checked.
            if (stored.value && stored.value->banned)
                return done(ServiceError {proto::ERROR_CODE_ACCOUNT_BANNED,
                                          QStringLiteral("this account is banned")});
            if (!stored.value || stored.value->sessionId == 0)
                return done(invalidCredentials());
            const qint64 sessionId = stored.value->sessionId;
            qCInfo(lcAuth) << "user" << user.userId << "logged in, session" << sessionId;
            done(AuthenticatedSession {user.userId, user.username, user.displayName, sessionId,
                                       token});
        });
}

void AuthService::resume(const QByteArray &token, const ClientInfo &client,
                         ResultCallback<AuthenticatedSession> done)
{
    if (token.size() != limits::kSessionTokenBytes) {
        return done(ServiceError {proto::ERROR_CODE_SESSION_INVALID,
                                  QStringLiteral("session token is not valid; log in again")});
    }
    if (auto error = throttled({}, client.address))
        return done(*error);
    m_store.resumeSession(
        sessionTokenHash(token), client.address, [=, this](const Stored<SessionOwner> &stored) {
            if (stored.error.kind != PgError::Kind::None)
                return done(storeError(stored.error));
            if (!stored.value) {
                // Guessing tokens is hopeless, but count misses anyway.
                m_limiters.perAddress->record(client.address);
                return done(ServiceError {proto::ERROR_CODE_SESSION_INVALID,
                                          QStringLiteral("session has ended; log in again")});
            }
            if (stored.value->banned) {
                return done(ServiceError {proto::ERROR_CODE_ACCOUNT_BANNED,
                                          QStringLiteral("this account is banned")});
            }
            const SessionOwner &s = *stored.value;
            done(AuthenticatedSession {s.userId, s.username, s.displayName, s.sessionId, {}});
        });
}

void AuthService::logout(const Caller &caller, ResultCallback<Done> done)
{
    m_store.revokeSession(caller.userId, caller.sessionId, "revoked",
                          [done](const Stored<bool> &stored) {
                              if (stored.error.kind != PgError::Kind::None)
                                  return done(storeError(stored.error));
                              done(Done {});
                          });
}

void AuthService::listSessions(const Caller &caller,
                               ResultCallback<std::vector<DeviceSessionRecord>> done)
{
    m_store.listSessions(caller.userId,
                         [done](const Stored<std::vector<DeviceSessionRecord>> &stored) {
                             if (stored.error.kind != PgError::Kind::None)
                                 return done(storeError(stored.error));
                             done(*stored.value);
                         });
}

void AuthService::revokeSession(const Caller &caller, qint64 sessionId, ResultCallback<Done> done)
{
    // Scoped by user id in SQL: a session of another account is simply "not found".
    m_store.revokeSession(caller.userId, sessionId, "revoked", [done](const Stored<bool> &stored) {
        if (stored.error.kind != PgError::Kind::None)
            return done(storeError(stored.error));
        if (!*stored.value) {
            return done(ServiceError {proto::ERROR_CODE_NOT_FOUND,
                                      QStringLiteral("no such active session")});
        }
        done(Done {});
    });
}

void AuthService::changePassword(const Caller &caller, const std::string &oldPassword,
                                 const std::string &newPassword, ResultCallback<int> done)
{
    if (auto problem = validation::checkPassword(newPassword, m_policy.minPasswordLength,
                                                 m_policy.maxPasswordLength))
        return done(invalidArgument(QStringLiteral("new ") + *problem));
    const QString accountKey = QStringLiteral("#%1").arg(caller.userId);
    if (auto error = throttled(accountKey, {}))
        return done(*error);
    // Counted before the hash, not after a failure: requests sent together would otherwise
    // all pass the check while the first is hashed (as many guesses of the old password, and
    // as many Argon2 runs queued ahead of everyone's logins). Changes are rare enough that a
    // successful one may count too.
    m_limiters.perAccount->record(accountKey);

    m_store.findCredentialsById(caller.userId, [=, this](const Stored<UserCredentials> &stored) {
        if (stored.error.kind != PgError::Kind::None)
            return done(storeError(stored.error));
        const QByteArray current = stored.value ? stored.value->passwordHash : QByteArray();
        m_hasher.verifyAsync(current, oldPassword, this, [=, this](bool ok) {
            if (!ok)
                return done(invalidCredentials());
            m_hasher.hashAsync(newPassword, this, [=, this](const QByteArray &hash) {
                if (hash.isEmpty()) {
                    return done(ServiceError {proto::ERROR_CODE_INTERNAL,
                                              QStringLiteral("internal error")});
                }
                m_store.changePassword(
                    caller.userId, hash, caller.sessionId, [=](const Stored<int> &changed) {
                        if (changed.error.kind != PgError::Kind::None)
                            return done(storeError(changed.error));
                        qCInfo(lcAuth) << "user" << caller.userId << "changed password";
                        done(*changed.value);
                    });
            });
        });
    });
}

} // namespace tern::server
