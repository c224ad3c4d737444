// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace tern::server {

// Simple sends (no reply, no mentions) to direct conversations as one prepared statement:
// what tern_msg_send_many does for its "plain" items (migrations 0005/0011), without PL/pgSQL.
// Each of that function's three statements paid the executor's set-up through SPI, so that a
// call of one to three sends, the usual batch at moderate load, took 0.45–0.54 ms against
// 0.33–0.44 ms for this statement (pgbench, docs/benchmarks.md; issue 5).
//
// The parameters enter through p, a row the planner does not flatten (OFFSET 0): a custom plan
// then costs what the generic plan costs, and PostgreSQL keeps the generic plan from the sixth
// call on. Seen through, small arrays made every custom plan look cheaper, and each call was
// planned again.
//
// $1 conversations bigint[], $2 senders bigint[], $3 client ids uuid[] (NULL: none),
// $4 kinds smallint[], $5 serialized contents bytea[], $6 search texts text[],
// $7 n-grams text[] (each joined with U+001F), $8 allow strangers boolean.
// Returns ord (1-based), then the columns of tern_msg_result, in input order. Outcomes are
// tern_msg_send's ('duplicate', 'no_conversation', 'blocked', 'not_friends', 'ok'), and
// 'not_direct' for a conversation that is a group's: nothing happened to that item, and the
// caller sends it through tern_msg_send_many.
//
// The checks and the INSERT repeat the function's plain path on purpose (a batch with a reply
// or a mention still goes there, plain sends included): a rule changed in one belongs in the
// other, in a new migration for the function.
//
// Concurrency: each direct conversation is locked as its sends are checked (FOR UPDATE in the
// LATERAL probe; the sends are walked in conversation-id order, the order every lock on the
// send path is taken in). Under READ COMMITTED a locked row is its newest committed version,
// so seqs continue from the real last_seq whoever else wrote; a group's conversation is not
// locked here (its lock order starts at the group's row). The other checks read the
// statement's snapshot: a copy of the same client id committed by another transaction after
// it is caught by messages_client_msg_id_unique, the whole statement fails, and SendBatcher
// sends each item again alone (tern_msg_send looks for the copy after taking the lock). The
// lookups are LATERAL with OFFSET 0 so that each stays an index probe per item: the planner
// guesses unnest() at 10 rows or more and would otherwise hash whole tables.
inline constexpr char kDirectSendSql[] = R"sql(
WITH checked AS MATERIALIZED (
    SELECT x.ord, x.conv, x.sender, x.client, x.kind, x.body, nullif(x.search, '') AS search,
           x.grams, c.user_lo, c.user_hi, c.last_seq,
           d.conversation_id AS dup_conv, d.seq AS dup_seq, d.created_at AS dup_at,
           CASE WHEN d.seq IS NOT NULL THEN 'duplicate'
                WHEN c.user_lo IS NULL
                    THEN CASE WHEN EXISTS (SELECT 1 FROM conversations g WHERE g.id = x.conv)
                              THEN 'not_direct' ELSE 'no_conversation' END
                WHEN x.sender <> c.user_lo AND x.sender <> c.user_hi THEN 'no_conversation'
                WHEN EXISTS (SELECT 1 FROM contacts b
                              WHERE b.owner_id = c.user_lo AND b.peer_id = c.user_hi
                                AND b.blocked)
                  OR EXISTS (SELECT 1 FROM contacts b
                              WHERE b.owner_id = c.user_hi AND b.peer_id = c.user_lo
                                AND b.blocked)
                    THEN 'blocked'
                WHEN NOT p.allow_strangers AND NOT EXISTS (
                        SELECT 1 FROM contacts f
                         WHERE f.owner_id = x.sender AND f.is_friend
                           AND f.peer_id = c.user_lo + c.user_hi - x.sender)
                    THEN 'not_friends'
                ELSE 'ok' END AS outcome
      FROM (SELECT $1::bigint[] AS conv, $2::bigint[] AS sender, $3::uuid[] AS client,
                   $4::smallint[] AS kind, $5::bytea[] AS body, $6::text[] AS search,
                   $7::text[] AS grams, $8::boolean AS allow_strangers OFFSET 0) p
      CROSS JOIN LATERAL (SELECT * FROM unnest(p.conv, p.sender, p.client, p.kind, p.body,
                                               p.search, p.grams)
                                  WITH ORDINALITY x(conv, sender, client, kind, body, search,
                                                    grams, ord)
                           ORDER BY x.conv) x
      LEFT JOIN LATERAL (SELECT c.user_lo, c.user_hi, c.last_seq FROM conversations c
                          WHERE c.id = x.conv AND c.kind = 1
                          FOR UPDATE OFFSET 0) c ON true
      LEFT JOIN LATERAL (SELECT d.conversation_id, d.seq, d.created_at FROM messages d
                          WHERE d.sender_id = x.sender AND d.client_msg_id = x.client
                          OFFSET 0) d ON true
), numbered AS (
    SELECT k.*,
           CASE WHEN k.outcome = 'ok'
                THEN k.last_seq + count(*) FILTER (WHERE k.outcome = 'ok')
                                  OVER (PARTITION BY k.conv ORDER BY k.ord) END AS new_seq
      FROM checked k
), bumped AS (
    UPDATE conversations c SET last_seq = t.top, change_xid = pg_current_xact_id()
      FROM (SELECT n.conv, max(n.new_seq) AS top FROM numbered n
             WHERE n.outcome = 'ok' GROUP BY n.conv) t
     WHERE c.id = t.conv
), inserted AS (
    -- created_at defaults to now(), the transaction's start: the sent_at_ms returned.
    INSERT INTO messages (conversation_id, seq, sender_id, client_msg_id, kind, body,
                          search_text, search_grams)
    SELECT n.conv, n.new_seq, n.sender, n.client, n.kind, n.body, n.search,
           CASE WHEN n.search IS NULL THEN NULL ELSE string_to_array(n.grams, E'\x1f') END
      FROM numbered n WHERE n.outcome = 'ok'
)
SELECT n.ord::int, n.outcome,
       CASE n.outcome WHEN 'ok' THEN n.conv WHEN 'duplicate' THEN n.dup_conv END,
       CASE n.outcome WHEN 'ok' THEN n.new_seq WHEN 'duplicate' THEN n.dup_seq END,
       (extract(epoch FROM CASE n.outcome WHEN 'ok' THEN now() WHEN 'duplicate' THEN n.dup_at END)
        * 1000)::bigint,
       CASE WHEN n.outcome = 'ok' THEN ARRAY[n.user_lo, n.user_hi] END
  FROM numbered n
 ORDER BY n.ord
)sql";

} // namespace tern::server
