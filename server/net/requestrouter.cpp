// SPDX-License-Identifier: Apache-2.0
// RequestRouter: runs on the I/O worker that owns the connection. Callbacks hold a QPointer
// to the connection, because it may close while a service call is in flight.
#include "net/requestrouter.h"

#include "net/connection.h"
#include "service/authservice.h"

#include <QPointer>

namespace tern::server {

namespace {
// Wraps a result handler so that it runs only if the connection still exists, and turns
// errors into Error replies.
template<typename T, typename OnValue>
ResultCallback<T> answer(Connection &connection, quint64 requestId, OnValue onValue)
{
    QPointer<Connection> guard(&connection);
    return [guard, requestId, onValue](const Result<T> &result) {
        if (!guard)
            return;
        if (!result.ok())
            return guard->replyError(requestId, result.error());
        proto::Frame frame;
        onValue(*guard, frame, result.value());
        guard->reply(requestId, frame);
    };
}

void fillSession(proto::Session *out, const AuthenticatedSession &session)
{
    out->set_user_id(quint64(session.userId));
    out->set_username(session.username.toStdString());
    out->set_display_name(session.displayName.toStdString());
    out->set_session_id(quint64(session.sessionId));
    out->set_token(session.token.toStdString());
}
} // namespace

RequestRouter::RequestRouter(AuthService &auth)
    : m_auth(auth)
{ }

void RequestRouter::handleAuthentication(Connection &connection, quint64 requestId,
                                         const proto::Frame &frame)
{
    QPointer<Connection> guard(&connection);
    ResultCallback<AuthenticatedSession> done = [guard,
                                                 requestId](const Result<AuthenticatedSession> &r) {
        if (!guard)
            return;
        guard->setAuthenticating(false);
        if (!r.ok())
            return guard->replyError(requestId, r.error());
        guard->authenticate(r.value());
        proto::Frame reply;
        fillSession(reply.mutable_session(), r.value());
        guard->reply(requestId, reply);
    };
    connection.setAuthenticating(true);
    const ClientInfo &client = connection.client();
    switch (frame.payload_case()) {
    case proto::Frame::kRegister:
        return m_auth.registerAccount(frame.register_().username(), frame.register_().password(),
                                      frame.register_().display_name(), client, done);
    case proto::Frame::kLogin:
        return m_auth.login(frame.login().username(), frame.login().password(), client, done);
    case proto::Frame::kResume:
        return m_auth.resume(QByteArray::fromStdString(frame.resume().token()), client, done);
    default:
        Q_UNREACHABLE();
    }
}

void RequestRouter::handle(Connection &connection, quint64 requestId, const proto::Frame &frame)
{
    switch (frame.payload_case()) {
    case proto::Frame::kRegister:
    case proto::Frame::kLogin:
    case proto::Frame::kResume:
        return handleAuthentication(connection, requestId, frame);
    default:
        break;
    }

    const Caller caller = *connection.caller();
    switch (frame.payload_case()) {
    case proto::Frame::kLogout:
        // Leave the registry first, so that our own "session ended" event does not close us.
        connection.deauthenticate();
        return m_auth.logout(
            caller,
            answer<Done>(connection, requestId, [](Connection &, proto::Frame &f, const Done &) {
                f.mutable_logout_result();
            }));
    case proto::Frame::kListSessions:
        return m_auth.listSessions(caller,
                                   answer<std::vector<DeviceSessionRecord>>(
                                       connection, requestId,
                                       [caller](Connection &, proto::Frame &f,
                                                const std::vector<DeviceSessionRecord> &sessions) {
                                           auto *list = f.mutable_session_list();
                                           for (const auto &s : sessions) {
                                               auto *item = list->add_sessions();
                                               item->set_session_id(quint64(s.sessionId));
                                               item->set_device_name(s.deviceName.toStdString());
                                               item->set_client_name(s.clientName.toStdString());
                                               item->set_client_version(
                                                   s.clientVersion.toStdString());
                                               item->set_created_at_ms(s.createdAtMs);
                                               item->set_last_seen_at_ms(s.lastSeenAtMs);
                                               item->set_last_address(s.lastAddress.toStdString());
                                               item->set_current(s.sessionId == caller.sessionId);
                                           }
                                       }));
    case proto::Frame::kRevokeSession: {
        const qint64 target = qint64(frame.revoke_session().session_id());
        if (target == caller.sessionId)
            connection.deauthenticate(); // revoking oneself is a logout
        return m_auth.revokeSession(
            caller, target,
            answer<Done>(connection, requestId, [](Connection &, proto::Frame &f, const Done &) {
                f.mutable_revoke_session_result();
            }));
    }
    case proto::Frame::kChangePassword:
        return m_auth.changePassword(
            caller, frame.change_password().old_password(), frame.change_password().new_password(),
            answer<int>(connection, requestId, [](Connection &, proto::Frame &f, const int &n) {
                f.mutable_change_password_result()->set_revoked_sessions(quint32(n));
            }));
    default:
        return connection.replyError(requestId,
                                     {proto::ERROR_CODE_UNKNOWN_REQUEST,
                                      QStringLiteral("this server does not handle that request")});
    }
}

} // namespace tern::server
