// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "service/messagingpolicy.h"
#include "service/result.h"
#include "store/pgtypes.h"

#include <QString>

// Turning what the messaging SQL functions and stores report into protocol errors, shared by
// MessageService and ConversationService.

namespace tern::server {

// The error for a store outcome word other than "ok"/"duplicate" (see migration 0004).
ServiceError messagingError(const QString &outcome, const MessagingPolicy &policy);
// The error for a failed database call (logged; never leaks internals).
ServiceError messagingStoreError(const PgError &error);
ServiceError notFound(const QString &what);
ServiceError invalidArgument(const QString &message);

// Ids arrive as uint64; past bigint nothing exists (and 0 never does).
qint64 toDatabaseId(quint64 id);

} // namespace tern::server
