// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "service/result.h"
#include "store/accountstore.h"

#include <QObject>

#include <string>

namespace tern::server {

class PasswordHasher;
class RateLimiter;

// Where a request came from, as the connection knows it (from Hello and the socket).
struct ClientInfo
{
    QString address;
    QString deviceId;
    QString deviceName;
    QString clientName;
    QString clientVersion;
};

// The authenticated party of a request.
struct Caller
{
    qint64 userId = 0;
    qint64 sessionId = 0;
    // The connection the request came on: pushes about its own change skip it (it has the
    // answer).
    quint64 connectionId = 0;
};

struct AuthenticatedSession
{
    qint64 userId = 0;
    QString username;
    QString displayName;
    qint64 sessionId = 0;
    QByteArray token; // only after Register and Login
};

struct AuthPolicy
{
    int minUsernameLength = 3;
    int maxUsernameLength = 32;
    int maxDisplayNameLength = 64;
    int minPasswordLength = 8;
    int maxPasswordLength = 256;
};

// The login limits shared by every worker.
struct LoginLimiters
{
    RateLimiter *perAccount = nullptr; // failed password attempts per username
    RateLimiter *perAddress = nullptr; // register/login/resume attempts per client address
};

// Accounts and sessions: register, login, resume, logout, devices, password change. One
// instance per I/O worker (it uses that worker's database pool); callbacks run on that worker.
// Every rule about who may do what lives here, not in the connection code.
class AuthService : public QObject
{
    Q_OBJECT
public:
    AuthService(AccountStore &store, PasswordHasher &hasher, LoginLimiters limiters,
                AuthPolicy policy, QObject *parent = nullptr);

    void registerAccount(const std::string &username, const std::string &password,
                         const std::string &displayName, const ClientInfo &client,
                         ResultCallback<AuthenticatedSession> done);
    void login(const std::string &username, const std::string &password, const ClientInfo &client,
               ResultCallback<AuthenticatedSession> done);
    void resume(const QByteArray &token, const ClientInfo &client,
                ResultCallback<AuthenticatedSession> done);
    void logout(const Caller &caller, ResultCallback<Done> done);
    void listSessions(const Caller &caller, ResultCallback<std::vector<DeviceSessionRecord>> done);
    void revokeSession(const Caller &caller, qint64 sessionId, ResultCallback<Done> done);
    // Value: how many other sessions were ended.
    void changePassword(const Caller &caller, const std::string &oldPassword,
                        const std::string &newPassword, ResultCallback<int> done);

private:
    std::optional<ServiceError> throttled(const QString &accountKey, const QString &address) const;
    void openSession(const UserCredentials &user, const ClientInfo &client,
                     ResultCallback<AuthenticatedSession> done);

    AccountStore &m_store;
    PasswordHasher &m_hasher;
    LoginLimiters m_limiters;
    AuthPolicy m_policy;
};

} // namespace tern::server
