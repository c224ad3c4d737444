-- SPDX-License-Identifier: Apache-2.0
-- Turning read receipts off or on (UpdateMessagingSettings) changes what both users of each of
-- the user's direct conversations see of the other's cursors: tern_conversation_states shows
-- peer_read_seq and peer_delivered_seq only while both share receipts and neither blocked the
-- other (0004). But it changed only users.read_receipts, so no conversation came back in a
-- SyncConversations: the peer kept the receipts it had (or did not learn they were shared
-- again) until something else moved the conversation.
--
-- Now the change moves the change_xid of every direct conversation of the user whose
-- visibility it changes: those whose peer shares receipts and where neither blocked the other
-- (elsewhere nothing is shown either way, and a conversation coming back would only tell the
-- peer that the user flipped a setting, as 0025 keeps cursor moves from telling). One
-- set-based UPDATE, the conversations locked in id order first, the order the send path locks
-- them in (store/directsendsql.h, 0011), so that a user with thousands of conversations costs
-- one statement and does not deadlock with batched sends. The user's row is locked first, so
-- that two changes of the setting run one after the other and each sees what it changes.
--
-- Returns, for the conversations moved where the user's cursors are not both 0, what the peer
-- now sees of them (0 and 0 once they are no longer shared), for ternd to push as receipts;
-- nothing when the setting does not change (p_on NULL: read only).
CREATE FUNCTION tern_user_set_read_receipts(p_user bigint, p_on boolean)
RETURNS TABLE (o_conversation_id bigint, o_peer_id bigint, o_read_seq bigint,
               o_delivered_seq bigint)
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
    PERFORM 1 FROM conversations c WHERE c.id = ANY (v_conversations)
      ORDER BY c.id FOR NO KEY UPDATE;
    UPDATE conversations c SET change_xid = pg_current_xact_id()
     WHERE c.id = ANY (v_conversations);
    RETURN QUERY
    SELECT me.conversation_id, pm.user_id,
           CASE WHEN p_on THEN me.read_seq ELSE 0 END,
           CASE WHEN p_on THEN me.delivered_seq ELSE 0 END
      FROM conversation_members me
      JOIN conversation_members pm ON pm.conversation_id = me.conversation_id
                                  AND pm.user_id <> p_user
     WHERE me.user_id = p_user AND me.conversation_id = ANY (v_conversations)
       AND me.delivered_seq > 0
     ORDER BY 1;
END $$;
