// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QString>

namespace tern::client {

// What to tell a person about a refused request, in their language: by Error.reason for the
// refusals people run into, by code for the waits (rate limit, server away), and the server's
// own (English) message for anything else.
QString refusalText(const proto::Error &error);

} // namespace tern::client
