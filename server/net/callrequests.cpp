// SPDX-License-Identifier: Apache-2.0
// Call requests: protocol <-> CallService. Runs on the I/O worker that owns the connection.
#include "net/callrequests.h"

#include "net/reply.h"
#include "service/callservice.h"

namespace tern::server {

void handleCallRequest(CallService &calls, Connection &connection, quint64 requestId,
                       const proto::Frame &frame)
{
    const Caller caller = *connection.caller();
    const auto update = [&connection, requestId] {
        return replyWith<proto::Call>(connection, requestId,
                                      [](proto::Frame &f, const proto::Call &call) {
                                          *f.mutable_call_update()->mutable_call() = call;
                                      });
    };
    switch (frame.payload_case()) {
    case proto::Frame::kStartCall:
        return calls.startCall(
            caller, frame.start_call(),
            replyInField(connection, requestId, &proto::Frame::mutable_call_started));
    case proto::Frame::kAnswerCall:
        return calls.answer(caller, frame.answer_call(), update());
    case proto::Frame::kDeclineCall:
        return calls.decline(caller, frame.decline_call(), update());
    case proto::Frame::kHangUp:
        return calls.hangUp(caller, frame.hang_up(), update());
    case proto::Frame::kCallSignal:
        return calls.signal(caller, frame.call_signal(),
                            replyWith<Done>(connection, requestId, [](proto::Frame &f, Done) {
                                f.mutable_call_signal_sent();
                            }));
    case proto::Frame::kGetIceConfig:
        return calls.iceConfig(
            caller, replyInField(connection, requestId, &proto::Frame::mutable_ice_config));
    default:
        return connection.replyError(requestId,
                                     {proto::ERROR_CODE_UNKNOWN_REQUEST,
                                      QStringLiteral("this server does not handle that request")});
    }
}

} // namespace tern::server
