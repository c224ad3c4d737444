// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

// Every log line of ternd and ternctl goes through one of these categories, so that operators
// can filter with QT_LOGGING_RULES (e.g. "tern.store.debug=true").

Q_DECLARE_LOGGING_CATEGORY(lcServer) // tern.server: start-up, shutdown, configuration
Q_DECLARE_LOGGING_CATEGORY(lcNet) // tern.net: listener, workers, connections
Q_DECLARE_LOGGING_CATEGORY(lcStore) // tern.store: PostgreSQL connections and migrations
Q_DECLARE_LOGGING_CATEGORY(lcCluster) // tern.cluster: embedded PostgreSQL, session and group events
Q_DECLARE_LOGGING_CATEGORY(lcAuth) // tern.auth: accounts and sessions (never secrets)
Q_DECLARE_LOGGING_CATEGORY(lcGroups) // tern.groups: group changes
Q_DECLARE_LOGGING_CATEGORY(lcPresence) // tern.presence: presence tracking and pushes
Q_DECLARE_LOGGING_CATEGORY(lcMessaging) // tern.messaging: conversations and messages
