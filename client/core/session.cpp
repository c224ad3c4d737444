// SPDX-License-Identifier: Apache-2.0
// Session: authentication of the account's ServerConnection, GUI thread. The token never
// reaches a log; the password is dropped as soon as the server answered the attempt.
#include "session.h"

#include "clientlog.h"
#include "serverconnection.h"
#include "tokenstore.h"

#include "tern/validation.h"

namespace tern::client {

Session::Session(ServerConnection &connection, TokenStore &tokens, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_tokens(tokens)
{
    connect(&m_connection, &ServerConnection::connected, this, &Session::onConnected);
    connect(&m_connection, &ServerConnection::disconnected, this, [this] {
        if (m_state == State::Authenticated) {
            // The next connection resumes with the token.
            m_pending = Pending::Resume;
            setState(State::Authenticating);
        }
    });
    connect(&m_connection, &ServerConnection::pushReceived, this, &Session::onPush);
    // A login or sign-up whose attempt to connect fails (no answer, refused, Hello refused)
    // fails at once, with the reason: the user may have mistyped the address, and waiting for
    // retries would show a main window with nothing in it. A stored session keeps retrying
    // instead (the app reads offline). Only an attempt that was connecting counts: a
    // connection closing from before the login does not.
    connect(&m_connection, &ServerConnection::stateChanged, this,
            [this, previous = m_connection.state()](ServerConnection::State state) mutable {
                const bool attemptFailed = previous == ServerConnection::State::Connecting
                    && (state == ServerConnection::State::WaitingToRetry
                        || state == ServerConnection::State::Offline);
                previous = state;
                if (!attemptFailed || m_state != State::Authenticating
                    || (m_pending != Pending::Login && m_pending != Pending::Register))
                    return;
                m_pending = Pending::None;
                m_password.clear();
                setState(State::LoggedOut);
                const QString why = m_connection.lastError();
                Q_EMIT failed(proto::ERROR_CODE_UNAVAILABLE,
                              why.isEmpty() ? tr("The server could not be reached.")
                                            : tr("The server could not be reached: %1").arg(why),
                              0);
            });
}

void Session::resumeStored()
{
    setState(State::LoadingToken);
    m_tokens.read(m_accountKey, [this](const TokenStore::Result &r) {
        if (m_state != State::LoadingToken)
            return; // the user logged in meanwhile
        if (r.status != TokenStore::Status::Ok) {
            setState(State::LoggedOut);
            Q_EMIT loggedOut(r.status == TokenStore::Status::NotFound ? QString() : r.error);
            return;
        }
        m_token = r.token;
        m_pending = Pending::Resume;
        setState(State::Authenticating);
        sendPending();
    });
}

void Session::login(const QString &username, const QString &password)
{
    m_username = username;
    m_password = password;
    m_pending = Pending::Login;
    setState(State::Authenticating);
    sendPending();
}

void Session::registerAccount(const QString &username, const QString &password,
                              const QString &displayName)
{
    m_username = username;
    m_password = password;
    m_displayName = displayName;
    m_pending = Pending::Register;
    setState(State::Authenticating);
    sendPending();
}

void Session::logout()
{
    if (m_connection.isConnected() && m_state == State::Authenticated) {
        proto::Frame frame;
        frame.mutable_logout();
        m_connection.send(frame, {}, this);
    }
    endSession(QString());
}

QByteArray Session::logoutLocally()
{
    const QByteArray token = m_token;
    endSession(QString());
    return token;
}

void Session::onConnected()
{
    sendPending();
}

void Session::sendPending()
{
    if (!m_connection.isConnected() || m_pending == Pending::None)
        return;
    proto::Frame frame;
    switch (m_pending) {
    case Pending::Resume:
        frame.mutable_resume()->set_token(m_token.toStdString());
        break;
    case Pending::Login:
        frame.mutable_login()->set_username(m_username.toStdString());
        frame.mutable_login()->set_password(m_password.toStdString());
        break;
    case Pending::Register:
        if (const validation::Problem problem = signUpProblem()) {
            // Said in the user's language, and the server is not asked in vain.
            m_pending = Pending::None;
            m_password.clear();
            setState(State::LoggedOut);
            Q_EMIT failed(proto::ERROR_CODE_INVALID_ARGUMENT, *problem, 0);
            return;
        }
        frame.mutable_register_()->set_username(m_username.toStdString());
        frame.mutable_register_()->set_password(m_password.toStdString());
        frame.mutable_register_()->set_display_name(m_displayName.toStdString());
        break;
    case Pending::None:
        return;
    }
    const Pending kind = m_pending;
    m_connection.send(
        frame, [this, kind](const proto::Frame &answer) { onAnswer(kind, answer); }, this);
}

validation::Problem Session::signUpProblem() const
{
    // The server's own limits, from its Welcome; an answer without them is left to the server.
    const proto::ServerLimits &limits = m_connection.welcome().limits();
    if (limits.max_username_length() == 0 || limits.max_password_length() == 0)
        return std::nullopt;
    if (auto problem =
            validation::checkUsername(m_username.toStdString(), int(limits.min_username_length()),
                                      int(limits.max_username_length())))
        return problem;
    if (auto problem =
            validation::checkPassword(m_password.toStdString(), int(limits.min_password_length()),
                                      int(limits.max_password_length())))
        return problem;
    if (limits.max_display_name_length() == 0)
        return std::nullopt;
    return validation::checkDisplayName(m_displayName.toStdString(),
                                        int(limits.max_display_name_length()));
}

void Session::onAnswer(Pending kind, const proto::Frame &frame)
{
    if (frame.has_error()) {
        const proto::Error &e = frame.error();
        if (e.code() == proto::ERROR_CODE_UNAVAILABLE)
            return; // the connection dropped: sent again on the next one
        if (kind == Pending::Resume) {
            if (e.code() == proto::ERROR_CODE_SESSION_INVALID
                || e.code() == proto::ERROR_CODE_ACCOUNT_BANNED) {
                // Unknown, revoked or banned: the token is worthless now.
                endSession(e.code() == proto::ERROR_CODE_ACCOUNT_BANNED
                               ? tr("This account was suspended by the server's administrator.")
                               : tr("This device's session has ended. Log in again."));
                return;
            }
            // Rate limited, shutting down, a server fault: the token is still good. Drop this
            // connection; the reconnect backoff paces the next attempt.
            qCInfo(lcSession) << "resume refused for now:" << e.message().c_str();
            m_connection.abortConnection();
            return;
        }
        m_pending = Pending::None;
        m_password.clear();
        setState(State::LoggedOut);
        Q_EMIT failed(e.code(), QString::fromStdString(e.message()), e.retry_after_ms());
        return;
    }
    if (!frame.has_session()) {
        qCWarning(lcSession) << "authentication answered with an unexpected frame";
        return;
    }
    m_pending = Pending::None;
    m_password.clear();
    m_info = frame.session();
    if (kind != Pending::Resume) {
        m_token = QByteArray::fromStdString(m_info.token());
        m_info.clear_token();
        m_tokens.write(m_accountKey, m_token, [this](const TokenStore::Result &r) {
            if (r.status != TokenStore::Status::Ok) {
                qCWarning(lcSession) << "the device token was not saved:" << r.error;
                Q_EMIT tokenNotSaved(r.error);
            }
        });
    }
    qCInfo(lcSession) << "authenticated as user" << m_info.user_id();
    setState(State::Authenticated);
    Q_EMIT authenticated();
}

void Session::onPush(const proto::Frame &frame)
{
    if (!frame.has_session_ended())
        return;
    QString reason;
    switch (frame.session_ended().reason()) {
    case proto::SessionEnded::REASON_PASSWORD_CHANGED:
        reason = tr("Your password was changed on another device. Log in again.");
        break;
    case proto::SessionEnded::REASON_BANNED:
        reason = tr("This account was suspended by the server's administrator.");
        break;
    default:
        reason = tr("This device was logged out.");
        break;
    }
    endSession(reason);
}

void Session::endSession(const QString &reason)
{
    m_pending = Pending::None;
    m_password.clear();
    m_token.clear();
    m_info.Clear();
    m_tokens.remove(m_accountKey, [](const TokenStore::Result &) {});
    setState(State::LoggedOut);
    Q_EMIT loggedOut(reason);
}

void Session::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace tern::client
