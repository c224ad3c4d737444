// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/pgtypes.h"
#include "tern/protocol.h"

#include <QByteArray>

// How one user sees another, in SQL: shared by the people and contact stores so that privacy
// is decided in one place. Queries using it bind the viewer's id as $1 and alias the seen user
// `u`, joined with kProfileJoins.

namespace tern::server::profilesql {

// Columns (8): id, username, display_name, avatar_file_id, status_line (hidden -> ''),
// last_seen_at_ms (hidden -> 0), is_friend, blocked_by_me. Status and last seen show when the
// viewer is the user, or the user's presence_visible_to admits the viewer and the user does
// not block them.
extern const char *const kColumns;
inline constexpr int kColumnCount = 8;

// LEFT JOINs `mine` (viewer -> u) and `theirs` (u -> viewer) contact rows.
extern const char *const kJoins;

// The seen user may be shown at all: not banned, and not blocking the viewer.
extern const char *const kVisible;

// Reads the kColumnCount columns starting at `column`.
void read(const PgResult &result, int row, int column, proto::UserProfile *out);

} // namespace tern::server::profilesql
