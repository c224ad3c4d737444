// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QObject>

#include <optional>

namespace tern::client {

class ServerConnection;
class TokenStore;

// Who this connection is: logs in or registers once with a password, keeps the device token
// in the TokenStore, and resumes with it on every later connection (reconnects, app restarts).
// The password is held only until the server has answered the attempt.
class Session : public QObject
{
    Q_OBJECT
public:
    enum class State {
        LoggedOut,
        LoadingToken, // reading the token store
        Authenticating, // a Login/Register/Resume is on its way (or waits for the connection)
        Authenticated,
    };
    Q_ENUM(State)

    Session(ServerConnection &connection, TokenStore &tokens, QObject *parent = nullptr);

    // The key the token is stored under: "username@host:port".
    void setAccountKey(const QString &key) { m_accountKey = key; }
    QString accountKey() const { return m_accountKey; }

    // Start from the stored token, if any; loggedOut() if there is none.
    void resumeStored();
    void login(const QString &username, const QString &password);
    void registerAccount(const QString &username, const QString &password,
                         const QString &displayName);
    // Ends the session on the server (when connected) and forgets the token.
    void logout();
    // Ends the session here only and forgets the token, which it returns (empty when there was
    // none) for the caller to revoke on the server: see ServerLogouts.
    QByteArray logoutLocally();

    State state() const { return m_state; }
    bool isAuthenticated() const { return m_state == State::Authenticated; }
    const proto::Session &info() const { return m_info; }
    quint64 userId() const { return m_info.user_id(); }

Q_SIGNALS:
    void stateChanged(tern::client::Session::State state);
    // This connection is authenticated (after every login and every resume).
    void authenticated();
    // A login/register attempt failed; retryAfterMs for RATE_LIMITED.
    void failed(tern::proto::ErrorCode code, const QString &message, quint32 retryAfterMs);
    // The session is over (logout, revoked elsewhere, password changed, banned, token unknown).
    void loggedOut(const QString &reason);
    // The token could not be kept (no keychain); the session still works until the app exits.
    void tokenNotSaved(const QString &reason);

private:
    enum class Pending { None, Resume, Login, Register };

    void onConnected();
    void onPush(const proto::Frame &frame);
    void sendPending();
    // Why the server would refuse this sign-up, by the rules and limits it announced.
    std::optional<QString> signUpProblem() const;
    void onAnswer(Pending kind, const proto::Frame &frame);
    void endSession(const QString &reason);
    void setState(State state);

    ServerConnection &m_connection;
    TokenStore &m_tokens;
    QString m_accountKey;
    State m_state = State::LoggedOut;
    Pending m_pending = Pending::None;
    QString m_username;
    QString m_password;
    QString m_displayName;
    QByteArray m_token;
    proto::Session m_info;
};

} // namespace tern::client
