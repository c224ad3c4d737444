// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

namespace tern::server {

class AuthService;
class Connection;

// Turns request frames into service calls and service results into response frames. Knows the
// protocol, not the rules: who may do what is decided by the services. One per I/O worker.
class RequestRouter
{
public:
    explicit RequestRouter(AuthService &auth);

    // `connection` has already checked Hello, authentication state and the request id.
    void handle(Connection &connection, quint64 requestId, const proto::Frame &frame);

private:
    void handleAuthentication(Connection &connection, quint64 requestId, const proto::Frame &frame);

    AuthService &m_auth;
};

} // namespace tern::server
