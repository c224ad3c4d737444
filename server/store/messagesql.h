// SPDX-License-Identifier: Apache-2.0
#pragma once

// SQL fragments shared by MessageStore and ConversationStore.

// The columns readMessageColumns() reads, for messages x as seen by the user in parameter
// USER (a string literal such as "$1"): 13 columns. LEFT is an SQL expression for where the
// reader's window ends: NULL for a member, who sees each message as it is now; for a former
// group member the seq that ended the membership, as of which they see it (its content,
// edit time and reactions then; migration 0028). A recall stays visible either way.
#define TERN_MESSAGE_COLUMNS(USER, LEFT)                                                           \
    " x.conversation_id, x.seq, x.sender_id, coalesce(x.client_msg_id::text, ''),"                 \
    " (extract(epoch FROM x.created_at) * 1000)::bigint, x.kind,"                                  \
    " CASE WHEN (" LEFT ") IS NULL OR x.edited_at IS NULL THEN x.body"                             \
    "      ELSE coalesce((SELECT ed.prior_body FROM messages ed"                                   \
    "                      WHERE ed.conversation_id = x.conversation_id AND ed.kind = 12"          \
    "                        AND ed.target_seq = x.seq AND ed.seq > (" LEFT ")"                    \
    "                      ORDER BY ed.seq LIMIT 1), x.body) END,"                                 \
    " coalesce(x.target_seq, 0),"                                                                  \
    " coalesce((extract(epoch FROM"                                                                \
    "     CASE WHEN (" LEFT ") IS NULL OR x.edited_at IS NULL THEN x.edited_at"                    \
    "          ELSE (SELECT max(ed.created_at) FROM messages ed"                                   \
    "                 WHERE ed.conversation_id = x.conversation_id AND ed.kind = 12"               \
    "                   AND ed.target_seq = x.seq AND ed.seq <= (" LEFT ")) END)"                  \
    "   * 1000)::bigint, 0),"                                                                      \
    " coalesce(x.recalled_by, 0),"                                                                 \
    " EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = " USER                             \
    "         AND h.conversation_id = x.conversation_id AND h.seq = x.seq),"                       \
    " CASE WHEN (" LEFT ") IS NULL THEN"                                                           \
    "   (SELECT string_agg(r.user_id::text || ' ' || encode(convert_to(r.emoji, 'UTF8'), 'hex'),"  \
    "                      ',' ORDER BY r.reacted_at, r.user_id)"                                  \
    "      FROM message_reactions r"                                                               \
    "     WHERE r.conversation_id = x.conversation_id AND r.seq = x.seq)"                          \
    "      WHEN x.kind <= 6 AND x.recalled_by IS NULL THEN"                                        \
    "   (SELECT string_agg(a.user_id::text || ' ' || encode(a.emoji, 'hex'),"                      \
    "                      ',' ORDER BY a.reacted_at, a.user_id)"                                  \
    "      FROM (SELECT DISTINCT ON (rx.sender_id) rx.sender_id AS user_id,"                       \
    "                   tern_msg_reaction_emoji(rx.body) AS emoji, rx.created_at AS reacted_at"    \
    "              FROM messages rx"                                                               \
    "             WHERE rx.conversation_id = x.conversation_id AND rx.kind = 14"                   \
    "               AND rx.target_seq = x.seq AND rx.seq <= (" LEFT ")"                            \
    "             ORDER BY rx.sender_id, rx.seq DESC) a"                                           \
    "     WHERE a.emoji IS NOT NULL) END,"                                                         \
    " NULL::bytea "

// The same 13 columns for group events ge of conversation CONV (a column or parameter).
#define TERN_GROUP_EVENT_COLUMNS(USER, CONV)                                                       \
    " " CONV ", ge.seq, 0::bigint, '', (extract(epoch FROM ge.created_at) * 1000)::bigint,"        \
    " 0::smallint, NULL::bytea, 0::bigint, 0::bigint, 0::bigint,"                                  \
    " EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = " USER                             \
    "         AND h.conversation_id = " CONV " AND h.seq = ge.seq),"                               \
    " NULL::text, ge.event "

inline constexpr int kMessageColumnCount = 13;
