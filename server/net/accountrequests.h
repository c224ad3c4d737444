// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

namespace tern::server {

class AuthService;
class Connection;

// Register, Login, Resume, Logout, ListSessions, RevokeSession, ChangePassword.
void handleAccountRequest(AuthService &auth, Connection &connection, quint64 requestId,
                          const proto::Frame &frame);

} // namespace tern::server
