// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

namespace tern::server {

class CallService;
class Connection;

// StartCall, AnswerCall, DeclineCall, HangUp, CallSignal, GetIceConfig.
void handleCallRequest(CallService &calls, Connection &connection, quint64 requestId,
                       const proto::Frame &frame);

} // namespace tern::server
