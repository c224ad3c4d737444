// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

namespace tern::server {

class Connection;
class GroupService;

// Every groups.proto request (CreateGroup ... GetGroupEvents).
void handleGroupRequest(GroupService &groups, Connection &connection, quint64 requestId,
                        const proto::Frame &frame);

} // namespace tern::server
