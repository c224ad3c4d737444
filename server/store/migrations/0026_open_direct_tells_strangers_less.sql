-- SPDX-License-Identifier: Apache-2.0
-- OpenConversation answered a stranger 'blocked' when the other user had blocked them and
-- 'not_friends' otherwise, so anyone could find out who blocked them without ever having
-- talked (contacts.proto: a blocked user is not told). And a banned user's id answered
-- 'not_friends', where an unknown id answers 'no_user', telling banned accounts apart.
-- Now a banned user is 'no_user', and where there is no conversation yet a stranger hears
-- 'not_friends' before any block is looked at. Between users who have a conversation, or
-- are friends, a block still answers 'blocked', as a send there does. The rest is as in 0004.
CREATE OR REPLACE FUNCTION tern_open_direct(p_user bigint, p_peer bigint,
                                            p_allow_strangers boolean,
                                            OUT outcome text, OUT conversation_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_lo bigint := least(p_user, p_peer);
    v_hi bigint := greatest(p_user, p_peer);
BEGIN
    IF p_user = p_peer THEN
        outcome := 'self';
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM users WHERE id = p_peer AND banned_at IS NULL) THEN
        outcome := 'no_user';
        RETURN;
    END IF;
    SELECT c.id INTO conversation_id FROM conversations c
     WHERE c.user_lo = v_lo AND c.user_hi = v_hi;
    IF conversation_id IS NULL AND NOT p_allow_strangers AND NOT EXISTS (
            SELECT 1 FROM contacts
             WHERE owner_id = p_user AND peer_id = p_peer AND is_friend) THEN
        outcome := 'not_friends';
        conversation_id := NULL;
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM contacts
                WHERE blocked AND ((owner_id = p_user AND peer_id = p_peer)
                                   OR (owner_id = p_peer AND peer_id = p_user))) THEN
        outcome := 'blocked';
        conversation_id := NULL;
        RETURN;
    END IF;
    IF conversation_id IS NULL THEN
        INSERT INTO conversations (kind, user_lo, user_hi) VALUES (1, v_lo, v_hi)
        ON CONFLICT (user_lo, user_hi) DO NOTHING
        RETURNING id INTO conversation_id;
        IF conversation_id IS NULL THEN -- made meanwhile by the other user
            SELECT c.id INTO conversation_id FROM conversations c
             WHERE c.user_lo = v_lo AND c.user_hi = v_hi;
        END IF;
        INSERT INTO conversation_members (conversation_id, user_id)
        VALUES (conversation_id, v_lo), (conversation_id, v_hi)
        ON CONFLICT DO NOTHING;
    END IF;
    outcome := 'ok';
END $$;
