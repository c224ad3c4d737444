// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

namespace tern::server {

class Connection;
class ConversationService;
class MessageService;

// Every messaging.proto request (OpenConversation ... UpdateMessagingSettings).
void handleMessagingRequest(MessageService &messages, ConversationService &conversations,
                            Connection &connection, quint64 requestId, const proto::Frame &frame);

} // namespace tern::server
