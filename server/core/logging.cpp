// SPDX-License-Identifier: Apache-2.0
#include "core/logging.h"

Q_LOGGING_CATEGORY(lcServer, "tern.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNet, "tern.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "tern.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCluster, "tern.cluster", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "tern.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcGroups, "tern.groups", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMessaging, "tern.messaging", QtInfoMsg)
Q_LOGGING_CATEGORY(lcPresence, "tern.presence", QtInfoMsg)
