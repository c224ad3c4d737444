// SPDX-License-Identifier: Apache-2.0
#include "clientlog.h"

namespace tern::client {
Q_LOGGING_CATEGORY(lcConnection, "tern.client.connection", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSession, "tern.client.session", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSync, "tern.client.sync", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCache, "tern.client.cache", QtInfoMsg)
Q_LOGGING_CATEGORY(lcPresence, "tern.client.presence", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSound, "tern.client.sound", QtInfoMsg)
} // namespace tern::client
