// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QString>

#include <functional>

namespace tern::client {

// What to tell a person about a refused request, in their language: by Error.reason for the
// refusals people run into, by code for the waits (rate limit, server away), and the server's
// own (English) message for anything else.
QString refusalText(const proto::Error &error);
// The same, naming the user a refusal is about (Error.user_id) when nameOf knows them.
QString refusalText(const proto::Error &error, const std::function<QString(quint64)> &nameOf);

} // namespace tern::client
