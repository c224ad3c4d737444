// SPDX-License-Identifier: Apache-2.0
// Presence requests (device flags, presence queries): protocol <-> PresenceService.
// Runs on the I/O worker that owns the connection.
#include "net/presencerequests.h"

#include "net/reply.h"
#include "service/presenceservice.h"

namespace tern::server {

void handlePresenceRequest(PresenceService &presence, Connection &connection, quint64 requestId,
                           const proto::Frame &frame)
{
    const Caller caller = *connection.caller();
    switch (frame.payload_case()) {
    case proto::Frame::kSetPresence:
        return presence.setPresence(
            caller, connection.id(), frame.set_presence(),
            replyWith<proto::SetPresenceResult>(
                connection, requestId, [](proto::Frame &f, const proto::SetPresenceResult &r) {
                    *f.mutable_set_presence_result() = r;
                }));
    case proto::Frame::kGetPresence:
        return presence.getPresence(
            caller, frame.get_presence(),
            replyWith<proto::PresenceList>(connection, requestId,
                                           [](proto::Frame &f, const proto::PresenceList &list) {
                                               *f.mutable_presence_list() = list;
                                           }));
    default:
        return connection.replyError(requestId,
                                     {proto::ERROR_CODE_UNKNOWN_REQUEST,
                                      QStringLiteral("this server does not handle that request")});
    }
}

} // namespace tern::server
