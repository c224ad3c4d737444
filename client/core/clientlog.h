// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

// The client's logging categories (enable with QT_LOGGING_RULES="tern.client.*=true").
namespace tern::client {
Q_DECLARE_LOGGING_CATEGORY(lcConnection) // tern.client.connection
Q_DECLARE_LOGGING_CATEGORY(lcSession) // tern.client.session
Q_DECLARE_LOGGING_CATEGORY(lcSync) // tern.client.sync
Q_DECLARE_LOGGING_CATEGORY(lcCache) // tern.client.cache
Q_DECLARE_LOGGING_CATEGORY(lcPresence) // tern.client.presence
Q_DECLARE_LOGGING_CATEGORY(lcSound) // tern.client.sound
} // namespace tern::client
