-- SPDX-License-Identifier: Apache-2.0
-- A ban takes the user out of every group in its own transaction (0023), and an invitation by
-- someone else waits for a ban in progress (0024). The user's own ways in did neither: joining
-- by code, accepting an invitation and asking to join looked at the group only, so one that
-- reached its group after the ban had gone through the user's groups committed anyway and left
-- a banned user in the group (or waiting on a request), and one sent by a user banned without
-- their sessions ending yet simply succeeded.
--
-- Now each first holds the user's own row FOR SHARE and checks the ban under it (outcome
-- banned; the service answers ACCOUNT_BANNED, as logging in does). A ban holds that row
-- (FOR NO KEY UPDATE, AdminStore) from before it sets banned_at until it commits, so a join
-- either takes the row first and commits before the ban goes through the user's groups (which
-- then takes them out again), or waits and sees the ban. The user's row is taken before the
-- group's, the order the ban takes them in (its user row, then each group), so the two wait
-- for each other one way only; invitations hold users FOR SHARE too, which does not conflict.
-- Declining an invitation changes no membership and takes no lock. The rest of each function
-- is as before: tern_group_join_by_code as in 0003, tern_group_answer_invitation as in 0018,
-- tern_group_apply as in 0022.

-- Holds p_user's row FOR SHARE until commit, once no ban of theirs is in progress, and says
-- whether they are not banned.
CREATE FUNCTION tern_user_hold_unbanned(p_user bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    -- Waiting for a ban re-reads the row: a committed ban makes it not found.
    PERFORM 1 FROM users WHERE id = p_user AND banned_at IS NULL FOR SHARE;
    RETURN FOUND;
END $$;

CREATE OR REPLACE FUNCTION tern_group_join_by_code(p_user bigint, p_code text, p_limit int)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_group bigint;
    v_role smallint;
    v_seq bigint;
    v_event bytea;
BEGIN
    IF NOT tern_user_hold_unbanned(p_user) THEN
        RETURN tern_group_outcome('banned');
    END IF;
    SELECT id INTO v_group FROM groups WHERE invite_code = p_code;
    IF NOT FOUND THEN
        RETURN tern_group_outcome('bad_code');
    END IF;
    v_role := tern_group_lock(v_group, p_user);
    -- The code may have been replaced meanwhile.
    IF v_role IS NULL
       OR NOT EXISTS (SELECT 1 FROM groups WHERE id = v_group AND invite_code = p_code) THEN
        RETURN tern_group_outcome('bad_code');
    ELSIF v_role > 0 THEN
        RETURN tern_group_done(v_group, NULL);
    ELSIF (SELECT member_count FROM groups WHERE id = v_group) + 1 > p_limit THEN
        RETURN tern_group_outcome('limit');
    END IF;
    v_seq := tern_group_next_seq(v_group);
    PERFORM tern_group_add_members(v_group, ARRAY[p_user], v_seq);
    v_event := tern_group_put_event(v_group, v_seq, 3, p_user, '{}', tern_pb_uint(9, 1));
    RETURN tern_group_done(v_group, v_event);
END $$;

CREATE OR REPLACE FUNCTION tern_group_answer_invitation(p_user bigint, p_invitation bigint,
                                                        p_accept boolean, p_limit int)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_invitation group_invitations;
    v_role smallint;
    v_inviter_role smallint;
    v_seq bigint;
    v_event bytea;
BEGIN
    IF p_accept AND NOT tern_user_hold_unbanned(p_user) THEN
        RETURN tern_group_outcome('banned');
    END IF;
    SELECT * INTO v_invitation FROM group_invitations
     WHERE id = p_invitation AND invitee_id = p_user;
    IF NOT FOUND THEN
        RETURN tern_group_outcome('no_invitation');
    END IF;
    v_role := tern_group_lock(v_invitation.group_id, p_user);
    -- Read again under the group's lock: it may have been answered or cancelled meanwhile.
    SELECT * INTO v_invitation FROM group_invitations WHERE id = p_invitation;
    IF v_role IS NULL OR v_invitation.state <> 1 THEN
        RETURN tern_group_outcome('not_pending', p_invitation);
    END IF;
    IF NOT p_accept OR v_role > 0 THEN
        UPDATE group_invitations SET state = CASE WHEN p_accept THEN 2 ELSE 3 END,
                                     updated_at = now()
         WHERE id = p_invitation;
        RETURN tern_group_done(v_invitation.group_id, NULL, '{}', p_invitation);
    END IF;
    -- The inviter's rights now, under the same lock as InviteToGroup checks them.
    SELECT m.role INTO v_inviter_role FROM group_members m
     WHERE m.group_id = v_invitation.group_id AND m.user_id = v_invitation.inviter_id
       AND m.left_seq IS NULL;
    IF v_inviter_role IS NULL
       OR (v_inviter_role = 1
           AND (SELECT join_policy FROM groups WHERE id = v_invitation.group_id) = 2) THEN
        UPDATE group_invitations SET state = 4, updated_at = now() WHERE id = p_invitation;
        RETURN tern_group_outcome('not_pending', p_invitation);
    END IF;
    IF (SELECT member_count FROM groups WHERE id = v_invitation.group_id) + 1 > p_limit THEN
        RETURN tern_group_outcome('limit');
    END IF;
    UPDATE group_invitations SET state = 2, updated_at = now() WHERE id = p_invitation;
    v_seq := tern_group_next_seq(v_invitation.group_id);
    PERFORM tern_group_add_members(v_invitation.group_id, ARRAY[p_user], v_seq);
    v_event := tern_group_put_event(v_invitation.group_id, v_seq, 3, p_user, '{}',
                                    tern_pb_uint(8, v_invitation.inviter_id));
    RETURN tern_group_done(v_invitation.group_id, v_event, '{}', p_invitation);
END $$;

CREATE OR REPLACE FUNCTION tern_group_apply(p_group bigint, p_user bigint, p_message text,
                                            p_limit int)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_role smallint;
    v_id bigint;
BEGIN
    IF NOT tern_user_hold_unbanned(p_user) THEN
        RETURN tern_group_outcome('banned');
    END IF;
    v_role := tern_group_lock(p_group, p_user);
    IF v_role IS NULL THEN
        RETURN tern_group_outcome('no_group');
    ELSIF v_role > 0 THEN
        RETURN tern_group_outcome('already_member');
    ELSIF (SELECT join_policy FROM groups WHERE id = p_group) <> 2 THEN
        RETURN tern_group_outcome('policy');
    ELSIF (SELECT member_count FROM groups WHERE id = p_group) + 1 > p_limit THEN
        RETURN tern_group_outcome('limit');
    END IF;
    SELECT id INTO v_id FROM group_join_applications
     WHERE group_id = p_group AND applicant_id = p_user AND state = 1;
    IF v_id IS NULL THEN
        IF EXISTS (SELECT 1 FROM group_members m
                     JOIN contacts c ON c.owner_id = m.user_id AND c.peer_id = p_user
                                    AND c.blocked
                    WHERE m.group_id = p_group AND m.left_seq IS NULL AND m.role >= 2) THEN
            RETURN tern_group_outcome('application_refused');
        END IF;
        IF (SELECT count(*) FROM group_join_applications
             WHERE group_id = p_group AND applicant_id = p_user
               AND created_at > now() - interval '1 day') >= 3 THEN
            RETURN tern_group_outcome('asked_recently');
        END IF;
        IF (SELECT count(*) FROM (SELECT 1 FROM group_join_applications
                                   WHERE applicant_id = p_user AND state = 1 LIMIT 200) p)
           >= 200 THEN
            RETURN tern_group_outcome('too_many_requests');
        END IF;
        INSERT INTO group_join_applications (group_id, applicant_id, message)
        VALUES (p_group, p_user, p_message)
        ON CONFLICT (group_id, applicant_id) WHERE state = 1 DO NOTHING;
        SELECT id INTO v_id FROM group_join_applications
         WHERE group_id = p_group AND applicant_id = p_user AND state = 1;
    END IF;
    RETURN tern_group_done(p_group, NULL, '{}', v_id);
END $$;
