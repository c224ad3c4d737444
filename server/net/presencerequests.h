// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

namespace tern::server {

class Connection;
class PresenceService;

// SetPresence, GetPresence.
void handlePresenceRequest(PresenceService &presence, Connection &connection, quint64 requestId,
                           const proto::Frame &frame);

} // namespace tern::server
