// SPDX-License-Identifier: Apache-2.0
#include "store/profilesql.h"

namespace tern::server::profilesql {

#define TERN_PRESENCE_VISIBLE                                                                      \
    "(u.id = $1 OR ((u.presence_visible_to = 1 OR (u.presence_visible_to = 2"                      \
    " AND coalesce(theirs.is_friend, false))) AND NOT coalesce(theirs.blocked, false)))"

const char *const kColumns =
    "u.id, u.username, u.display_name, u.avatar_file_id,"
    " CASE WHEN " TERN_PRESENCE_VISIBLE " THEN u.status_line ELSE '' END,"
    " CASE WHEN " TERN_PRESENCE_VISIBLE
    " THEN coalesce((extract(epoch FROM u.last_seen_at) * 1000)::bigint, 0) ELSE 0 END,"
    " coalesce(mine.is_friend, false), coalesce(mine.blocked, false)";

const char *const kJoins = " LEFT JOIN contacts mine ON mine.owner_id = $1 AND mine.peer_id = u.id"
                           " LEFT JOIN contacts theirs ON theirs.owner_id = u.id"
                           " AND theirs.peer_id = $1";

const char *const kVisible = "(u.banned_at IS NULL AND NOT coalesce(theirs.blocked, false))";

#undef TERN_PRESENCE_VISIBLE

void read(const PgResult &r, int row, int column, proto::UserProfile *out)
{
    out->set_user_id(quint64(r.int64(row, column)));
    out->set_username(r.bytes(row, column + 1).toStdString());
    out->set_display_name(r.bytes(row, column + 2).toStdString());
    out->set_avatar_file_id(r.bytes(row, column + 3).toStdString());
    out->set_status_line(r.bytes(row, column + 4).toStdString());
    out->set_last_seen_at_ms(r.int64(row, column + 5));
    out->set_is_friend(r.boolean(row, column + 6));
    out->set_blocked_by_me(r.boolean(row, column + 7));
}

} // namespace tern::server::profilesql
