// SPDX-License-Identifier: Apache-2.0
// RequestRouter: runs on the I/O worker that owns the connection.
#include "net/requestrouter.h"

#include "net/accountrequests.h"
#include "net/connection.h"

namespace tern::server {

RequestRouter::RequestRouter(Services services)
    : m_services(services)
{ }

void RequestRouter::handle(Connection &connection, quint64 requestId, const proto::Frame &frame)
{
    switch (frame.payload_case()) {
    case proto::Frame::kRegister:
    case proto::Frame::kLogin:
    case proto::Frame::kResume:
    case proto::Frame::kLogout:
    case proto::Frame::kListSessions:
    case proto::Frame::kRevokeSession:
    case proto::Frame::kChangePassword:
        return handleAccountRequest(*m_services.auth, connection, requestId, frame);
    default:
        return connection.replyError(
            requestId,
            {proto::ERROR_CODE_UNKNOWN_REQUEST,
             QStringLiteral("this server does not handle '%1'")
                 .arg(QString::fromStdString(proto::Frame::descriptor()
                                                 ->FindFieldByNumber(int(frame.payload_case()))
                                                 ->name()))});
    }
}

} // namespace tern::server
