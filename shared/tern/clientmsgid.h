// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace tern::messages {

// A new client_msg_id (see isClientMsgId()): a time-ordered UUID (version 7, RFC 9562), the
// milliseconds since the epoch first and 74 random bits after. The server keeps a unique index
// on (sender, client id); ids that grow with time are added at the end of a sender's range of
// it instead of at random places, which made the pairs benchmark's closed loop about a tenth
// faster (docs/benchmarks.md, issue 5). The random bits come from Qt's seeded generator, not
// the system's, which costs 2.2 µs per id on some VMs: an id is a retry key, not a secret.
std::string newClientMsgId();

} // namespace tern::messages
