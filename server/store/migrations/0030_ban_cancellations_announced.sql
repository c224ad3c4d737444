-- SPDX-License-Identifier: Apache-2.0
-- A ban (0023) cancels the banned user's waiting invitations (sent or received) and requests to
-- join, but only its group events were announced: the inviters, invitees and group admins
-- waiting on those learnt of the cancellations at their next full listing, where a member's
-- own withdrawal, or a dissolution, pushes them (GroupInvitationPush, JoinApplicationPush).
--
-- Now the ban announces what it cancelled on the channel tern_group_cancelled, as
-- "invitations <id> <id> ..." and "applications <id> <id> ...", at most 100 ids a
-- notification (a NOTIFY payload must stay under 8000 bytes, and a ban may cancel many), sent
-- at commit after the group events. Every running ternd reads those rows by id and pushes them
-- as GroupService does (cluster/groupevents): an invitation to its invitee and inviter, a
-- request to its applicant and to the owner and admins of its group.
--
-- Cancellations in a group the ban dissolves are left out: the KIND_DISSOLVED event is
-- announced, and ternd tells what a dissolution cancelled as for DissolveGroup (the rows whose
-- updated_at is the event's time, the ban's transaction's now()), these included.
--
-- The rest of tern_user_banned_leave_groups is as in 0023.
CREATE OR REPLACE FUNCTION tern_user_banned_leave_groups(p_user bigint) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_group bigint;
    v_role smallint;
    v_heir bigint;
    v_left int := 0;
    -- Cancelled in the current group, and in all groups that were not dissolved.
    v_group_invitations bigint[];
    v_group_applications bigint[];
    v_invitations bigint[] := '{}';
    v_applications bigint[] := '{}';
BEGIN
    -- Locks and order as in 0023.
    FOR v_group IN
        SELECT group_id FROM group_members WHERE user_id = p_user AND left_seq IS NULL
        UNION
        SELECT group_id FROM group_invitations
         WHERE (inviter_id = p_user OR invitee_id = p_user) AND state = 1
        UNION
        SELECT group_id FROM group_join_applications WHERE applicant_id = p_user AND state = 1
        ORDER BY 1
    LOOP
        v_role := tern_group_lock(v_group, p_user);
        -- Dissolved: its invitations and requests were cancelled with it.
        CONTINUE WHEN v_role IS NULL;
        WITH cancelled AS (
            UPDATE group_invitations SET state = 4, updated_at = now()
             WHERE group_id = v_group AND (inviter_id = p_user OR invitee_id = p_user)
               AND state = 1
            RETURNING id)
        SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO v_group_invitations
          FROM cancelled;
        WITH cancelled AS (
            UPDATE group_join_applications SET state = 4, updated_at = now()
             WHERE group_id = v_group AND applicant_id = p_user AND state = 1
            RETURNING id)
        SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO v_group_applications
          FROM cancelled;
        IF v_role = 3 THEN
            SELECT m.user_id INTO v_heir
              FROM group_members m JOIN users u ON u.id = m.user_id
             WHERE m.group_id = v_group AND m.left_seq IS NULL AND m.user_id <> p_user
               AND u.banned_at IS NULL
             ORDER BY m.role = 2 DESC, m.joined_seq, m.user_id
             LIMIT 1;
            IF v_heir IS NULL THEN
                v_left := v_left + 1;
                -- Ends every membership (other banned users' too) and cancels what waits;
                -- what this group's cancellations are told with its event (see above).
                PERFORM tern_group_announce(tern_group_dissolve(v_group, p_user));
                CONTINUE;
            END IF;
        END IF;
        v_invitations := v_invitations || v_group_invitations;
        v_applications := v_applications || v_group_applications;
        CONTINUE WHEN v_role = 0;
        v_left := v_left + 1;
        IF v_role = 3 THEN
            -- The banned owner becomes an admin for the moment, and leaves below.
            PERFORM tern_group_announce(tern_group_transfer(v_group, p_user, v_heir));
        END IF;
        PERFORM tern_group_announce(tern_group_leave(v_group, p_user));
    END LOOP;
    FOR i IN 1 .. coalesce(array_length(v_invitations, 1), 0) BY 100 LOOP
        PERFORM pg_notify('tern_group_cancelled',
                          'invitations ' || array_to_string(v_invitations[i:i + 99], ' '));
    END LOOP;
    FOR i IN 1 .. coalesce(array_length(v_applications, 1), 0) BY 100 LOOP
        PERFORM pg_notify('tern_group_cancelled',
                          'applications ' || array_to_string(v_applications[i:i + 99], ' '));
    END LOOP;
    RETURN v_left;
END $$;
