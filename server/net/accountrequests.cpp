// SPDX-License-Identifier: Apache-2.0
// Account requests (register, login, resume, logout, devices, password): protocol <-> AuthService.
// Runs on the I/O worker that owns the connection.
#include "net/accountrequests.h"

#include "net/reply.h"
#include "service/authservice.h"

namespace tern::server {

namespace {
void fillSession(proto::Session *out, const AuthenticatedSession &session)
{
    out->set_user_id(quint64(session.userId));
    out->set_username(session.username.toStdString());
    out->set_display_name(session.displayName.toStdString());
    out->set_session_id(quint64(session.sessionId));
    out->set_token(session.token.toStdString());
}

void handleAuthentication(AuthService &auth, Connection &connection, quint64 requestId,
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
        return auth.registerAccount(frame.register_().username(), frame.register_().password(),
                                    frame.register_().display_name(), client, done);
    case proto::Frame::kLogin:
        return auth.login(frame.login().username(), frame.login().password(), client, done);
    case proto::Frame::kResume:
        return auth.resume(QByteArray::fromStdString(frame.resume().token()), client, done);
    default:
        Q_UNREACHABLE();
    }
}

} // namespace

void handleAccountRequest(AuthService &auth, Connection &connection, quint64 requestId,
                          const proto::Frame &frame)
{
    switch (frame.payload_case()) {
    case proto::Frame::kRegister:
    case proto::Frame::kLogin:
    case proto::Frame::kResume:
        return handleAuthentication(auth, connection, requestId, frame);
    default:
        break;
    }

    const Caller caller = *connection.caller();
    switch (frame.payload_case()) {
    case proto::Frame::kLogout:
        // Leave the registry first, so that our own "session ended" event does not close us.
        connection.deauthenticate();
        return auth.logout(
            caller, replyWith<Done>(connection, requestId, [](proto::Frame &f, const Done &) {
                f.mutable_logout_result();
            }));
    case proto::Frame::kListSessions:
        return auth.listSessions(
            caller,
            replyWith<std::vector<DeviceSessionRecord>>(
                connection, requestId,
                [caller](proto::Frame &f, const std::vector<DeviceSessionRecord> &sessions) {
                    auto *list = f.mutable_session_list();
                    for (const auto &s : sessions) {
                        auto *item = list->add_sessions();
                        item->set_session_id(quint64(s.sessionId));
                        item->set_device_name(s.deviceName.toStdString());
                        item->set_client_name(s.clientName.toStdString());
                        item->set_client_version(s.clientVersion.toStdString());
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
        return auth.revokeSession(
            caller, target,
            replyWith<Done>(connection, requestId, [](proto::Frame &f, const Done &) {
                f.mutable_revoke_session_result();
            }));
    }
    case proto::Frame::kChangePassword:
        return auth.changePassword(
            caller, frame.change_password().old_password(), frame.change_password().new_password(),
            replyWith<int>(connection, requestId, [](proto::Frame &f, const int &n) {
                f.mutable_change_password_result()->set_revoked_sessions(quint32(n));
            }));
    default:
        return connection.replyError(requestId,
                                     {proto::ERROR_CODE_UNKNOWN_REQUEST,
                                      QStringLiteral("this server does not handle that request")});
    }
}

} // namespace tern::server
