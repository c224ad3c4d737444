-- SPDX-License-Identifier: Apache-2.0
-- tern_msg_send_many (0005) with the block check as two primary-key probes of contacts, one
-- per direction. Written as one condition with OR, PostgreSQL answered it with a BitmapOr of
-- two index scans, re-scanned for every message: a bitmap heap scan's rescan asks the kernel
-- for the table's size (lseek), and the pairs benchmark's profile had 10 % of all CPU in that
-- subplan (issue 5). Nothing else changed.
CREATE OR REPLACE FUNCTION tern_msg_send_many(p_conv bigint[], p_sender bigint[], p_client uuid[],
                                   p_kind smallint[], p_body bytea[], p_reply bigint[],
                                   p_mentions bigint[], p_mention_ends int[],
                                   p_mention_all boolean[], p_search text[], p_grams text[],
                                   p_simple boolean[], p_allow_strangers boolean)
RETURNS TABLE (ord int, outcome text, conversation_id bigint, seq bigint, sent_at_ms bigint,
               recipients bigint[])
LANGUAGE plpgsql
-- The item rows come from unnest(), which the planner guesses at 100 or more: left alone it
-- hashes whole tables (messages!) instead of looking each item up by index.
SET enable_hashjoin = off SET enable_mergejoin = off
AS $$
#variable_conflict use_column
DECLARE
    v_plain boolean[];
    i int;
BEGIN
    v_plain := ARRAY(SELECT x.simple AND c.kind IS NOT DISTINCT FROM 1
                       FROM unnest(p_conv, p_simple) WITH ORDINALITY x(conv, simple, ord)
                       LEFT JOIN conversations c ON c.id = x.conv
                      ORDER BY x.ord);
    PERFORM 1 FROM conversations c
      WHERE c.id = ANY (ARRAY(SELECT x.conv
                                FROM unnest(p_conv, v_plain) x(conv, plain) WHERE x.plain))
      ORDER BY c.id FOR UPDATE;

    -- Each row is looked up by index; arrays are walked once (unnest), never indexed by
    -- position (a varlena array element is found by walking from the start).
    RETURN QUERY
    WITH checked AS (
        SELECT x.ord, x.conv, x.sender, x.client, x.kind, x.body,
               nullif(x.search, '') AS search, x.grams, c.user_lo, c.user_hi, c.last_seq,
               d.conversation_id AS dup_conv, d.seq AS dup_seq, d.created_at AS dup_at,
               CASE WHEN d.seq IS NOT NULL THEN 'duplicate'
                    WHEN x.sender <> c.user_lo AND x.sender <> c.user_hi
                        THEN 'no_conversation'
                    WHEN EXISTS (SELECT 1 FROM contacts b
                                  WHERE b.owner_id = c.user_lo AND b.peer_id = c.user_hi
                                    AND b.blocked)
                      OR EXISTS (SELECT 1 FROM contacts b
                                  WHERE b.owner_id = c.user_hi AND b.peer_id = c.user_lo
                                    AND b.blocked)
                        THEN 'blocked'
                    WHEN NOT p_allow_strangers AND NOT EXISTS (
                            SELECT 1 FROM contacts f
                             WHERE f.owner_id = x.sender AND f.is_friend
                               AND f.peer_id = c.user_lo + c.user_hi - x.sender)
                        THEN 'not_friends'
                    ELSE 'ok' END AS outcome
          FROM unnest(p_conv, p_sender, p_client, p_kind, p_body, p_search, p_grams, v_plain)
               WITH ORDINALITY x(conv, sender, client, kind, body, search, grams, plain, ord)
          JOIN conversations c ON c.id = x.conv
          LEFT JOIN messages d ON d.sender_id = x.sender AND d.client_msg_id = x.client
         WHERE x.plain
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
               CASE WHEN n.search IS NULL THEN NULL
                    ELSE string_to_array(n.grams, E'\x1f') END
          FROM numbered n WHERE n.outcome = 'ok'
    )
    SELECT n.ord::int, n.outcome,
           CASE n.outcome WHEN 'ok' THEN n.conv WHEN 'duplicate' THEN n.dup_conv END,
           CASE n.outcome WHEN 'ok' THEN n.new_seq WHEN 'duplicate' THEN n.dup_seq END,
           (extract(epoch FROM CASE n.outcome WHEN 'ok' THEN now()
                                              WHEN 'duplicate' THEN n.dup_at END)
            * 1000)::bigint,
           CASE WHEN n.outcome = 'ok' THEN ARRAY[n.user_lo, n.user_hi] END
      FROM numbered n;

    FOR i IN 1 .. coalesce(array_length(p_conv, 1), 0) LOOP
        CONTINUE WHEN v_plain[i];
        RETURN QUERY
        SELECT i, r.outcome, r.conversation_id, r.seq, r.sent_at_ms, r.recipients
          FROM tern_msg_send(p_conv[i], p_sender[i], p_client[i], p_kind[i], p_body[i],
                             p_reply[i],
                             p_mentions[coalesce(p_mention_ends[i - 1], 0) + 1
                                        : p_mention_ends[i]],
                             p_mention_all[i], p_search[i],
                             string_to_array(p_grams[i], E'\x1f'), p_allow_strangers) r;
    END LOOP;
END $$;
