-- SPDX-License-Identifier: Apache-2.0
-- tern_conversation_states (migration 0004) as PL/pgSQL. As a LANGUAGE sql function called
-- with a sub-select argument it was never inlined, so every call parsed and planned its query
-- again: a fifth of the database's time in the storm benchmark (issue 5). PL/pgSQL keeps the
-- plan for the session. Same arguments, columns and results.
CREATE OR REPLACE FUNCTION tern_conversation_states(p_user bigint, p_convs bigint[], p_since xid8)
RETURNS TABLE (conversation_id bigint, kind smallint, peer_user_id bigint, group_id bigint,
               last_seq bigint, first_seq bigint, active boolean, read_seq bigint,
               delivered_seq bigint, unread_count bigint, mentioned boolean, muted boolean,
               pinned boolean, archived boolean, peer_read_seq bigint,
               peer_delivered_seq bigint, hidden_seqs bigint[], last_message_seq bigint,
               receipts_shared boolean)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
        SELECT c.id, c.kind,
               CASE WHEN c.kind = 1 THEN CASE WHEN c.user_lo = p_user THEN c.user_hi
                                              ELSE c.user_lo END ELSE 0 END,
               coalesce(c.group_id, 0),
               coalesce(m.left_seq, c.last_seq), m.first_seq,
               m.left_seq IS NULL,
               m.read_seq, m.delivered_seq,
               (SELECT count(*) FROM (
                    SELECT 1 FROM messages x
                     WHERE x.conversation_id = c.id AND x.seq > greatest(m.read_seq, m.first_seq - 1)
                       AND x.seq <= coalesce(m.left_seq, c.last_seq)
                       AND x.kind <= 6 AND x.sender_id <> p_user AND x.recalled_by IS NULL
                       AND NOT EXISTS (SELECT 1 FROM hidden_messages h
                                        WHERE h.user_id = p_user AND h.conversation_id = c.id
                                          AND h.seq = x.seq)
                     LIMIT 9999) unread),
               EXISTS (SELECT 1 FROM messages x
                        WHERE x.conversation_id = c.id AND x.seq > m.read_seq
                          AND x.seq >= m.first_seq AND x.seq <= coalesce(m.left_seq, c.last_seq)
                          AND x.kind <= 6 AND x.sender_id <> p_user AND x.recalled_by IS NULL
                          AND (x.mention_all OR p_user = ANY (x.mentions))),
               m.muted, m.pinned, m.archived,
               CASE WHEN me.read_receipts AND p.read_receipts AND p.unblocked THEN p.read_seq
                    ELSE 0 END,
               CASE WHEN me.read_receipts AND p.read_receipts AND p.unblocked THEN p.delivered_seq
                    ELSE 0 END,
               CASE WHEN p_since IS NULL THEN '{}'::bigint[]
                    ELSE ARRAY(SELECT h.seq FROM hidden_messages h
                                WHERE h.user_id = p_user AND h.conversation_id = c.id
                                  AND h.change_xid >= p_since ORDER BY h.seq) END,
               (SELECT x.seq FROM messages x
                 WHERE x.conversation_id = c.id AND x.kind <= 6 AND x.seq >= m.first_seq
                   AND x.seq <= coalesce(m.left_seq, c.last_seq)
                 ORDER BY x.seq DESC LIMIT 1),
               coalesce(me.read_receipts AND p.read_receipts AND p.unblocked, false)
          FROM unnest(p_convs) AS wanted (id)
          JOIN conversation_members m ON m.conversation_id = wanted.id AND m.user_id = p_user
          JOIN conversations c ON c.id = m.conversation_id
          JOIN users me ON me.id = p_user
          -- A direct conversation's other user: their cursors count when both share receipts
          -- and neither blocked the other.
          LEFT JOIN LATERAL (
              SELECT pm.read_seq, pm.delivered_seq, pu.read_receipts,
                     NOT EXISTS (SELECT 1 FROM contacts k
                                  WHERE k.blocked
                                    AND ((k.owner_id = p_user AND k.peer_id = pm.user_id)
                                         OR (k.owner_id = pm.user_id AND k.peer_id = p_user)))
                         AS unblocked
                FROM conversation_members pm
                JOIN users pu ON pu.id = pm.user_id
               WHERE c.kind = 1 AND pm.conversation_id = c.id AND pm.user_id <> p_user) p ON true
         ORDER BY c.id;
END $$;
