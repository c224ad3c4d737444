// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

namespace tern::server {

class AuthService;
class CallService;
class Connection;
class ContactService;
class FileService;
class ConversationService;
class GroupService;
class MessageService;
class PeopleService;
class PresenceService;

// The services of one I/O worker.
struct Services
{
    AuthService *auth = nullptr;
    PeopleService *people = nullptr;
    ContactService *contacts = nullptr;
    GroupService *groups = nullptr;
    PresenceService *presence = nullptr;
    FileService *files = nullptr;
    CallService *calls = nullptr;
    MessageService *messages = nullptr;
    ConversationService *conversations = nullptr;
};

// Sends each request to the handler of its domain (net/<domain>requests.cpp), which turns
// frames into service calls and results back into frames. Knows the protocol, not the rules:
// who may do what is decided by the services. One per I/O worker.
class RequestRouter
{
public:
    explicit RequestRouter(Services services);

    // `connection` has already checked Hello, authentication state and the request id.
    void handle(Connection &connection, quint64 requestId, const proto::Frame &frame);

private:
    Services m_services;
};

} // namespace tern::server
