-- SPDX-License-Identifier: Apache-2.0
-- tern_user_set_read_receipts (0031) had two gaps:
--  - Two peers who turned receipts on at the same moment each read the other's setting from
--    a snapshot without the other's change, so neither bumped their conversation and neither
--    saw the other's cursors until something else moved it. Now the user's direct
--    conversations are locked (id order, as the send path locks them) before the peers'
--    settings are read, in a statement of its own: of two such changes the second waits for
--    the first to commit and then sees it.
--  - Only the peers were told. The user's own devices went on showing the peers' cursors (or
--    showing none) until their next sync, though the setting shows or hides those too.
-- It now returns both sides' cursors as stored; ternd pushes the peer the user's and the
-- user's devices the peer's, or 0 and 0 when the setting is now off. Only conversations where
-- one side's cursors are not 0 are listed. The rest is as in 0031.
DROP FUNCTION tern_user_set_read_receipts(bigint, boolean);
CREATE FUNCTION tern_user_set_read_receipts(p_user bigint, p_on boolean)
RETURNS TABLE (o_conversation_id bigint, o_peer_id bigint, o_read_seq bigint,
               o_delivered_seq bigint, o_peer_read_seq bigint, o_peer_delivered_seq bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_old boolean;
    v_conversations bigint[];
BEGIN
    SELECT u.read_receipts INTO v_old FROM users u WHERE u.id = p_user FOR NO KEY UPDATE;
    IF NOT FOUND OR p_on IS NULL OR p_on = v_old THEN
        RETURN;
    END IF;
    UPDATE users SET read_receipts = p_on WHERE id = p_user;
    PERFORM 1 FROM conversations c
      JOIN conversation_members me ON me.conversation_id = c.id AND me.user_id = p_user
     WHERE c.kind = 1
     ORDER BY c.id FOR NO KEY UPDATE OF c;
    v_conversations := ARRAY(
        SELECT me.conversation_id
          FROM conversation_members me
          JOIN conversations c ON c.id = me.conversation_id AND c.kind = 1
          JOIN conversation_members pm ON pm.conversation_id = me.conversation_id
                                      AND pm.user_id <> p_user
          JOIN users pu ON pu.id = pm.user_id
         WHERE me.user_id = p_user AND pu.read_receipts
           AND NOT EXISTS (SELECT 1 FROM contacts k
                            WHERE k.blocked
                              AND ((k.owner_id = p_user AND k.peer_id = pm.user_id)
                                   OR (k.owner_id = pm.user_id AND k.peer_id = p_user)))
         ORDER BY 1);
    UPDATE conversations c SET change_xid = pg_current_xact_id()
     WHERE c.id = ANY (v_conversations);
    RETURN QUERY
    SELECT me.conversation_id, pm.user_id, me.read_seq, me.delivered_seq, pm.read_seq,
           pm.delivered_seq
      FROM conversation_members me
      JOIN conversation_members pm ON pm.conversation_id = me.conversation_id
                                  AND pm.user_id <> p_user
     WHERE me.user_id = p_user AND me.conversation_id = ANY (v_conversations)
       AND (me.delivered_seq > 0 OR pm.delivered_seq > 0)
     ORDER BY 1;
END $$;
