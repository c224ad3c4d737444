-- SPDX-License-Identifier: Apache-2.0
-- Bounds on what one user can make others receive through groups, as 0020 did for friend
-- requests. Each group created is rows, an event and a push to everyone it adds; each
-- invitation is a row and a push to its invitee. Neither had a bound.
--
-- - Creating: at most 500 groups made by one user that still exist or are less than a day
--   old (outcome too_many_groups). Dissolved groups count for their first day, so creating
--   and dissolving in a loop stops there too. The count is of groups the user created, not
--   owns, so that nobody can use it up by handing their groups over to someone else.
-- - Inviting: at most 200 invitations from one user waiting for an answer that were sent in
--   the last 7 days (outcome too_many_invitations; invitations have no expiry, so older ones
--   stop counting instead). Only the invitations a request would add count against it: one
--   already waiting for the same group and user is kept, not repeated.
-- Both are checked before anything is written: a refused request changes nothing. Two
-- requests racing at the bound may both pass: it is for abuse, not exact.
-- The rest of tern_group_create and tern_group_invite is as in 0003.
ALTER TABLE groups ADD COLUMN created_by bigint;
UPDATE groups SET created_by = owner_id;
ALTER TABLE groups ALTER COLUMN created_by SET NOT NULL;
CREATE INDEX groups_created_by ON groups (created_by, created_at);

CREATE INDEX group_invitations_pending_from
    ON group_invitations (inviter_id, created_at) WHERE state = 1;

-- Whether p_inviter may send p_new more invitations (see the bound above).
CREATE FUNCTION tern_group_invitations_allowed(p_inviter bigint, p_new int) RETURNS boolean
LANGUAGE sql AS $$
    SELECT p_new = 0
        OR (SELECT count(*) FROM (SELECT 1 FROM group_invitations
                                   WHERE inviter_id = p_inviter AND state = 1
                                     AND created_at > now() - interval '7 days'
                                   LIMIT 200) waiting) + p_new <= 200
$$;

CREATE OR REPLACE FUNCTION tern_group_create(p_owner bigint, p_name text, p_avatar text,
                                             p_announcement text, p_policy smallint,
                                             p_mute_all boolean, p_invite_code text,
                                             p_members bigint[], p_limit int)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_users bigint[];
    v_direct bigint[];
    v_check tern_group_result;
    v_group bigint;
    v_seq bigint;
    v_event bytea;
BEGIN
    v_users := ARRAY(SELECT DISTINCT u FROM unnest(p_members) u WHERE u <> p_owner ORDER BY u);
    v_check := tern_group_check_invitees(p_owner, v_users);
    IF v_check.outcome IS NOT NULL THEN
        RETURN v_check;
    END IF;
    IF cardinality(v_users) + 1 > p_limit THEN
        RETURN tern_group_outcome('limit');
    END IF;
    IF (SELECT count(*) FROM (SELECT 1 FROM groups
                               WHERE created_by = p_owner
                                 AND (dissolved_at IS NULL
                                      OR created_at > now() - interval '1 day')
                               LIMIT 500) made) >= 500 THEN
        RETURN tern_group_outcome('too_many_groups');
    END IF;
    v_direct := ARRAY(SELECT u FROM unnest(v_users) u WHERE tern_group_may_add(p_owner, u)
                       ORDER BY u);
    IF NOT tern_group_invitations_allowed(p_owner,
                                          cardinality(v_users) - cardinality(v_direct)) THEN
        RETURN tern_group_outcome('too_many_invitations');
    END IF;
    INSERT INTO groups (name, avatar_file_id, announcement, join_policy, mute_all, invite_code,
                        owner_id, created_by, member_count)
    VALUES (p_name, p_avatar, p_announcement, p_policy, p_mute_all,
            CASE WHEN p_policy = 3 THEN p_invite_code END, p_owner, p_owner, 1)
    RETURNING id INTO v_group;
    v_seq := tern_group_next_seq(v_group);
    INSERT INTO group_members (group_id, user_id, role, joined_seq)
    VALUES (v_group, p_owner, 3, v_seq);
    PERFORM tern_group_add_members(v_group, v_direct, v_seq);
    v_event := tern_group_put_event(v_group, v_seq, 1, p_owner, v_direct,
                                    tern_pb_string(1, p_name) || tern_pb_uint(4, p_policy));
    RETURN tern_group_done(v_group, v_event, '{}', NULL,
                           tern_group_invite_pending(
                               v_group, p_owner,
                               ARRAY(SELECT u FROM unnest(v_users) u
                                      WHERE u <> ALL (v_direct) ORDER BY u)));
END $$;

CREATE OR REPLACE FUNCTION tern_group_invite(p_group bigint, p_inviter bigint, p_users bigint[],
                                             p_limit int)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_role smallint;
    v_users bigint[];
    v_direct bigint[];
    v_check tern_group_result;
    v_seq bigint;
    v_event bytea;
BEGIN
    v_role := tern_group_lock(p_group, p_inviter);
    IF v_role IS NULL THEN
        RETURN tern_group_outcome('no_group');
    ELSIF v_role = 0 THEN
        RETURN tern_group_outcome('not_member');
    ELSIF v_role = 1 AND (SELECT join_policy FROM groups WHERE id = p_group) = 2 THEN
        RETURN tern_group_outcome('not_admin');
    END IF;
    v_users := ARRAY(SELECT DISTINCT u FROM unnest(p_users) u
                      WHERE NOT EXISTS (SELECT 1 FROM group_members m
                                         WHERE m.group_id = p_group AND m.user_id = u
                                           AND m.left_seq IS NULL)
                      ORDER BY u);
    v_check := tern_group_check_invitees(p_inviter, v_users);
    IF v_check.outcome IS NOT NULL THEN
        RETURN v_check;
    END IF;
    IF (SELECT member_count FROM groups WHERE id = p_group) + cardinality(v_users) > p_limit THEN
        RETURN tern_group_outcome('limit');
    END IF;
    v_direct := ARRAY(SELECT u FROM unnest(v_users) u WHERE tern_group_may_add(p_inviter, u)
                       ORDER BY u);
    IF NOT tern_group_invitations_allowed(
               p_inviter,
               (SELECT count(*)::int FROM unnest(v_users) u
                 WHERE u <> ALL (v_direct)
                   AND NOT EXISTS (SELECT 1 FROM group_invitations i
                                    WHERE i.group_id = p_group AND i.invitee_id = u
                                      AND i.state = 1))) THEN
        RETURN tern_group_outcome('too_many_invitations');
    END IF;
    IF cardinality(v_direct) > 0 THEN
        v_seq := tern_group_next_seq(p_group);
        PERFORM tern_group_add_members(p_group, v_direct, v_seq);
        v_event := tern_group_put_event(p_group, v_seq, 2, p_inviter, v_direct, NULL);
    END IF;
    RETURN tern_group_done(p_group, v_event, '{}', NULL,
                           tern_group_invite_pending(
                               p_group, p_inviter,
                               ARRAY(SELECT u FROM unnest(v_users) u
                                      WHERE u <> ALL (v_direct) ORDER BY u)));
END $$;
