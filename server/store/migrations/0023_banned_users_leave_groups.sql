-- SPDX-License-Identifier: Apache-2.0
-- A ban (ternctl ban) ended the user's sessions but left their groups as they were: a banned
-- owner kept the group, so that nobody could make admins, hand it over or dissolve it,
-- and banned members kept their places (the member limit) and stayed in member lists, while
-- profile lookups already hide them. Now the ban takes the user out of every group, in its
-- transaction (AdminStore::ban), with the events a member's own actions make:
-- - A group they own first passes to its longest-standing admin, else its longest-standing
--   member (joined_seq, then user id; banned users are passed over): KIND_OWNER_CHANGED by the
--   banned owner, as TransferGroupOwnership makes it. A group with nobody else in it (nobody
--   who is not banned) is dissolved instead: KIND_DISSOLVED, as DissolveGroup makes it.
-- - Then they leave: KIND_MEMBER_LEFT, as LeaveGroup makes it.
-- - Invitations they sent or received that still wait, and their waiting requests to join,
--   are cancelled (state 4).
-- The changes are the group functions of 0003 themselves, run under each group's lock, so the
-- events are the ones members know. Unbanning gives nothing back.
--
-- ternctl changes the database directly, where GroupService pushes the events of its own
-- requests. So each event is announced on the channel tern_group_event as "<group_id> <seq>"
-- (sent at commit), and every running ternd pushes it to the members it has connected
-- (cluster/groupevents). A device that misses it (offline, or its ternd's listening
-- connection was away) has it at its next sync: the event took the group's seq, as any other.
--
-- Users banned before this migration leave their groups here, the same way.

-- Announces the event a change made; a change that was refused here would leave the banned
-- user in the group, so it fails the ban instead (nothing of it is kept).
CREATE FUNCTION tern_group_announce(p_result tern_group_result) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_result.outcome IS DISTINCT FROM 'ok' THEN
        RAISE EXCEPTION 'tern_group_announce: group change refused (%)', p_result.outcome;
    END IF;
    IF p_result.event IS NOT NULL THEN
        -- Under the group's lock nothing else took a seq: last_seq is the event's.
        PERFORM pg_notify('tern_group_event', p_result.group_id || ' ' || p_result.last_seq);
    END IF;
END $$;

-- Takes a banned user out of their groups (see above). Call in the ban's transaction, after
-- users.banned_at is set. Returns how many groups they were a member of (dissolved ones
-- included).
CREATE FUNCTION tern_user_banned_leave_groups(p_user bigint) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_group bigint;
    v_role smallint;
    v_heir bigint;
    v_left int := 0;
BEGIN
    -- Every group they are in or wait on, locked one at a time in id order and held to
    -- commit. A group change locks one group; a batch of sends may lock several in the order
    -- they came (tern_msg_send_many), so the two can deadlock: PostgreSQL then fails one, and
    -- either the batch is sent again item by item (SendBatcher) or the ban fails whole, to be
    -- run again. Invitations and requests are cancelled under the group's lock, as answering
    -- them reads them under it.
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
        UPDATE group_invitations SET state = 4, updated_at = now()
         WHERE group_id = v_group AND (inviter_id = p_user OR invitee_id = p_user) AND state = 1;
        UPDATE group_join_applications SET state = 4, updated_at = now()
         WHERE group_id = v_group AND applicant_id = p_user AND state = 1;
        CONTINUE WHEN v_role = 0;
        v_left := v_left + 1;
        IF v_role = 3 THEN
            SELECT m.user_id INTO v_heir
              FROM group_members m JOIN users u ON u.id = m.user_id
             WHERE m.group_id = v_group AND m.left_seq IS NULL AND m.user_id <> p_user
               AND u.banned_at IS NULL
             ORDER BY m.role = 2 DESC, m.joined_seq, m.user_id
             LIMIT 1;
            IF v_heir IS NULL THEN
                -- Ends every membership (other banned users' too) and cancels what waits.
                PERFORM tern_group_announce(tern_group_dissolve(v_group, p_user));
                CONTINUE;
            END IF;
            -- The banned owner becomes an admin for the moment, and leaves below.
            PERFORM tern_group_announce(tern_group_transfer(v_group, p_user, v_heir));
        END IF;
        PERFORM tern_group_announce(tern_group_leave(v_group, p_user));
    END LOOP;
    RETURN v_left;
END $$;

SELECT tern_user_banned_leave_groups(id) FROM users WHERE banned_at IS NOT NULL ORDER BY id;
