-- SPDX-License-Identifier: Apache-2.0
-- Moving one's read or delivered cursor in a direct conversation bumped the conversation's
-- change_xid, so that the peer's next SyncConversations returned it with the new receipts.
-- It did so even when the receipts are not shared (either user turned them off, or one
-- blocked the other: tern_conversation_states then shows the peer 0): the state the peer got
-- was the same, but its coming back at all told them when the user's device fetched and read
-- the chat, against their setting. Now the conversation's change_xid moves only when the
-- peer would see the new cursor; the user's own member row moves as before (their other
-- devices follow their cursors). The rest is as in 0004.
CREATE OR REPLACE FUNCTION tern_msg_update_cursors(p_conv bigint, p_user bigint,
                                                   p_delivered bigint, p_read bigint)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_kind smallint;
    v_last bigint;
BEGIN
    SELECT c.kind, coalesce(m.left_seq, c.last_seq) INTO v_kind, v_last
      FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id
     WHERE m.conversation_id = p_conv AND m.user_id = p_user;
    IF NOT FOUND THEN
        RETURN 'no_conversation';
    END IF;
    UPDATE conversation_members
       SET delivered_seq = greatest(delivered_seq, least(p_delivered, v_last), least(p_read, v_last)),
           read_seq = greatest(read_seq, least(p_read, v_last)),
           change_xid = pg_current_xact_id()
     WHERE conversation_id = p_conv AND user_id = p_user;
    IF v_kind = 1 AND EXISTS (
           SELECT 1 FROM conversation_members pm
             JOIN users pu ON pu.id = pm.user_id
             JOIN users me ON me.id = p_user
            WHERE pm.conversation_id = p_conv AND pm.user_id <> p_user
              AND me.read_receipts AND pu.read_receipts
              AND NOT EXISTS (SELECT 1 FROM contacts k
                               WHERE k.blocked
                                 AND ((k.owner_id = p_user AND k.peer_id = pm.user_id)
                                      OR (k.owner_id = pm.user_id AND k.peer_id = p_user)))) THEN
        UPDATE conversations SET change_xid = pg_current_xact_id() WHERE id = p_conv;
    END IF;
    RETURN 'ok';
END $$;
