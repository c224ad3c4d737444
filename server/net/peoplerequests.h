// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

namespace tern::server {

class Connection;
class PeopleService;

// GetMyProfile, UpdateProfile, GetProfiles, SearchUsers.
void handlePeopleRequest(PeopleService &people, Connection &connection, quint64 requestId,
                         const proto::Frame &frame);

} // namespace tern::server
