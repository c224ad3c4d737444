-- SPDX-License-Identifier: Apache-2.0
-- tern_group_check_invitees looked for banned users before it locked anyone, and then locked
-- with FOR KEY SHARE, which a ban's row lock (FOR NO KEY UPDATE, AdminStore) does not stop. So
-- a user could be added to or invited into a group while a ban was being committed, after the
-- ban had read their groups (0023): banned, and still a member. Now the users are locked
-- FOR SHARE first, which waits for a ban in progress, and only then checked. A ban and an
-- invitation that each wait for the other's lock are a deadlock PostgreSQL ends by failing
-- one of them, with nothing of it kept. Friend operations lock users FOR UPDATE, which
-- FOR SHARE waits for as FOR KEY SHARE did. The rest is as in 0003.
CREATE OR REPLACE FUNCTION tern_group_check_invitees(p_actor bigint, p_users bigint[])
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE v_user bigint;
BEGIN
    PERFORM 1 FROM users WHERE id = ANY (p_users || p_actor) ORDER BY id FOR SHARE;
    SELECT u INTO v_user FROM unnest(p_users) u
     WHERE NOT EXISTS (SELECT 1 FROM users WHERE id = u AND banned_at IS NULL)
     ORDER BY u LIMIT 1;
    IF FOUND THEN
        RETURN tern_group_outcome('no_user', v_user);
    END IF;
    SELECT u INTO v_user FROM unnest(p_users) u
     WHERE EXISTS (SELECT 1 FROM contacts c WHERE c.owner_id = u AND c.peer_id = p_actor
                                              AND c.blocked)
     ORDER BY u LIMIT 1;
    IF FOUND THEN
        RETURN tern_group_outcome('refused', v_user);
    END IF;
    RETURN tern_group_outcome(NULL);
END $$;
