-- SPDX-License-Identifier: Apache-2.0
-- 0029 made a user's own ways into a group wait for a ban in progress and then see it, but a
-- new group was missed: CreateGroup (and InviteToGroup) lock the actor's row FOR SHARE here,
-- so they wait for the ban, and then checked only the invitees for it. A CreateGroup sent
-- while ternctl was banning its sender made the banned user the owner of a new group, with
-- friends added, after the ban had taken them out of every group (0023). Now a banned actor
-- gets 'banned' (ACCOUNT_BANNED, groups/banned) after the lock. The rest is as in 0024.
CREATE OR REPLACE FUNCTION tern_group_check_invitees(p_actor bigint, p_users bigint[])
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE v_user bigint;
BEGIN
    PERFORM 1 FROM users WHERE id = ANY (p_users || p_actor) ORDER BY id FOR SHARE;
    IF EXISTS (SELECT 1 FROM users WHERE id = p_actor AND banned_at IS NOT NULL) THEN
        RETURN tern_group_outcome('banned');
    END IF;
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
