// SPDX-License-Identifier: Apache-2.0
#pragma once

// SQL fragments shared by MessageStore and ConversationStore.

// The columns readMessageColumns() reads, for messages x as seen by the user in parameter
// USER (a string literal such as "$1"): 13 columns.
#define TERN_MESSAGE_COLUMNS(USER)                                                                 \
    " x.conversation_id, x.seq, x.sender_id, coalesce(x.client_msg_id::text, ''),"                 \
    " (extract(epoch FROM x.created_at) * 1000)::bigint, x.kind, x.body,"                          \
    " coalesce(x.target_seq, 0),"                                                                  \
    " coalesce((extract(epoch FROM x.edited_at) * 1000)::bigint, 0), coalesce(x.recalled_by, 0),"  \
    " EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = " USER                             \
    "         AND h.conversation_id = x.conversation_id AND h.seq = x.seq),"                       \
    " (SELECT string_agg(r.user_id::text || ' ' || encode(convert_to(r.emoji, 'UTF8'), 'hex'),"    \
    "                    ',' ORDER BY r.reacted_at, r.user_id)"                                    \
    "    FROM message_reactions r WHERE r.conversation_id = x.conversation_id AND r.seq = x.seq)," \
    " NULL::bytea "

// The same 13 columns for group events ge of conversation CONV (a column or parameter).
#define TERN_GROUP_EVENT_COLUMNS(USER, CONV)                                                       \
    " " CONV ", ge.seq, 0::bigint, '', (extract(epoch FROM ge.created_at) * 1000)::bigint,"        \
    " 0::smallint, NULL::bytea, 0::bigint, 0::bigint, 0::bigint,"                                  \
    " EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = " USER                             \
    "         AND h.conversation_id = " CONV " AND h.seq = ge.seq),"                               \
    " NULL::text, ge.event "

inline constexpr int kMessageColumnCount = 13;
