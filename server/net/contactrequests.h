// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

namespace tern::server {

class Connection;
class ContactService;

// Friend requests, contacts, blocks and contact sync.
void handleContactRequest(ContactService &contacts, Connection &connection, quint64 requestId,
                          const proto::Frame &frame);

} // namespace tern::server
