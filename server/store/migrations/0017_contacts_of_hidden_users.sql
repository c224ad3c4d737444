-- SPDX-License-Identifier: Apache-2.0
-- A user who blocks you, or who is banned, does not exist as far as you can see
-- (people.proto: GetProfiles leaves them out, exactly as an unknown id). Blocking such a user
-- made a contact row for them all the same and answered with their profile, so that any id
-- could be told apart from an unknown one and its name read. Now a contact row is only made
-- for a user the caller may see; one that exists already (a friend who blocked you since)
-- stays usable, so that the block remains silent. UpdateContact follows the same rule in
-- ContactStore::updateContact.
CREATE OR REPLACE FUNCTION tern_set_blocked(p_user bigint, p_peer bigint, p_blocked boolean)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE rid bigint;
BEGIN
    IF p_user = p_peer THEN
        RETURN 'self';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM users WHERE id = p_peer) THEN
        RETURN 'no_user';
    END IF;
    PERFORM tern_lock_pair(p_user, p_peer);
    IF NOT EXISTS (SELECT 1 FROM contacts WHERE owner_id = p_user AND peer_id = p_peer)
       AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p_peer AND u.banned_at IS NULL
                          AND NOT EXISTS (SELECT 1 FROM contacts t
                                           WHERE t.owner_id = p_peer AND t.peer_id = p_user
                                             AND t.blocked)) THEN
        RETURN 'no_user';
    END IF;
    PERFORM tern_touch_contact(p_user, p_peer);
    UPDATE contacts SET blocked = p_blocked WHERE owner_id = p_user AND peer_id = p_peer;
    IF p_blocked THEN
        FOR rid IN SELECT id FROM friend_requests WHERE state = 1
                     AND from_id = p_peer AND to_id = p_user LOOP
            PERFORM tern_close_friend_request(rid, 3::smallint);
        END LOOP;
        FOR rid IN SELECT id FROM friend_requests WHERE state = 1
                     AND from_id = p_user AND to_id = p_peer LOOP
            PERFORM tern_close_friend_request(rid, 4::smallint);
        END LOOP;
    END IF;
    RETURN 'done';
END $$;
