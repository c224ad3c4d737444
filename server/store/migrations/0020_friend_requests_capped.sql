-- SPDX-License-Identifier: Apache-2.0
-- A user may have at most 200 friend requests waiting at once (outcome too_many), so that
-- nobody asks everyone on the server: each request is a push and a row for its receiver.
-- Asking again where one waits still answers with it, and a request that crosses one from
-- the other side still makes friends. Two requests racing at 199 may both pass: the bound is
-- for abuse, not exact. The rest of tern_send_friend_request is as in 0002.
CREATE INDEX friend_requests_pending_from ON friend_requests (from_id) WHERE state = 1;

CREATE OR REPLACE FUNCTION tern_send_friend_request(p_from bigint, p_to bigint, p_greeting text,
                                         p_lifetime interval)
RETURNS TABLE (outcome text, request_id bigint)
LANGUAGE plpgsql AS $$
DECLARE rid bigint;
BEGIN
    IF p_from = p_to THEN
        RETURN QUERY SELECT 'self'::text, NULL::bigint; RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM users WHERE id = p_to AND banned_at IS NULL) THEN
        RETURN QUERY SELECT 'no_user'::text, NULL::bigint; RETURN;
    END IF;
    PERFORM tern_lock_pair(p_from, p_to);
    IF EXISTS (SELECT 1 FROM contacts WHERE owner_id = p_from AND peer_id = p_to AND blocked) THEN
        RETURN QUERY SELECT 'you_block'::text, NULL::bigint; RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM contacts WHERE owner_id = p_to AND peer_id = p_from AND blocked) THEN
        RETURN QUERY SELECT 'refused'::text, NULL::bigint; RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM contacts WHERE owner_id = p_from AND peer_id = p_to AND is_friend) THEN
        RETURN QUERY SELECT 'already_friends'::text, NULL::bigint; RETURN;
    END IF;
    PERFORM tern_expire_friend_requests(p_from, p_to);
    SELECT id INTO rid FROM friend_requests WHERE from_id = p_to AND to_id = p_from AND state = 1;
    IF rid IS NOT NULL THEN
        PERFORM tern_close_friend_request(rid, 2::smallint);
        PERFORM tern_set_friends(p_from, p_to, true);
        RETURN QUERY SELECT 'became_friends'::text, rid; RETURN;
    END IF;
    SELECT id INTO rid FROM friend_requests WHERE from_id = p_from AND to_id = p_to AND state = 1;
    IF rid IS NOT NULL THEN
        RETURN QUERY SELECT 'pending'::text, rid; RETURN;
    END IF;
    IF (SELECT count(*) FROM (SELECT 1 FROM friend_requests
                                WHERE from_id = p_from AND state = 1 AND expires_at > now()
                                LIMIT 200) waiting) >= 200 THEN
        RETURN QUERY SELECT 'too_many'::text, NULL::bigint; RETURN;
    END IF;
    INSERT INTO friend_requests (from_id, to_id, greeting, expires_at, from_version, to_version)
    VALUES (p_from, p_to, p_greeting, now() + p_lifetime,
            tern_next_contacts_version(p_from), tern_next_contacts_version(p_to))
    RETURNING id INTO rid;
    RETURN QUERY SELECT 'pending'::text, rid;
END $$;
