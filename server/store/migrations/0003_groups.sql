-- SPDX-License-Identifier: Apache-2.0
-- Groups: members with roles, settings, invitations, applications to join, and the group's
-- event log.
--
-- Order: every group has a dense sequence groups.last_seq (1, 2, 3 ...). Whatever changes a
-- group first locks its row (tern_group_lock) and takes the next seq under that lock, so seqs
-- commit in order and without gaps; messaging puts chat messages into the same sequence.
-- Events are stored complete, as the serialized tern.v1.GroupEvent the clients receive
-- (encoded here, by the tern_pb_* functions, so that the seq and the event are written by the
-- same statement that makes the change).
--
-- Each operation is one SQL function, so that it is one transaction whose checks and writes
-- see the same state. It returns a tern_group_result: outcome 'ok' with the group after the
-- change, or a word saying why nothing changed (the service maps it to an error code).
-- Locks: the group row first, then users (FOR KEY SHARE, in id order). Friend operations lock
-- only users, so the two cannot deadlock.
--
-- Values: role is tern.v1.GroupRole (1 member, 2 admin, 3 owner); join_policy is
-- tern.v1.GroupJoinPolicy (1 invite only, 2 approval, 3 open); invitation and application
-- states are their State enums (1 pending, 2 accepted/approved, 3 declined, 4 cancelled).

CREATE TABLE groups (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL,
    avatar_file_id  text NOT NULL DEFAULT '',
    announcement    text NOT NULL DEFAULT '',
    join_policy     smallint NOT NULL DEFAULT 1 CHECK (join_policy BETWEEN 1 AND 3),
    mute_all        boolean NOT NULL DEFAULT false,
    -- Set exactly while the group is open (and not dissolved).
    invite_code     text,
    owner_id        bigint NOT NULL REFERENCES users (id),
    member_count    integer NOT NULL DEFAULT 0 CHECK (member_count >= 0),
    -- The seq of the latest event or message.
    last_seq        bigint NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    dissolved_at    timestamptz,
    CONSTRAINT groups_invite_code_unique UNIQUE (invite_code),
    CONSTRAINT groups_invite_code_when_open CHECK (
        (invite_code IS NOT NULL) = (join_policy = 3 AND dissolved_at IS NULL))
);

-- Members, and former members (left_seq set): a member reads the group's history from the
-- event that made them a member (joined_seq); a former member up to the one that ended it.
CREATE TABLE group_members (
    group_id        bigint NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role            smallint NOT NULL CHECK (role BETWEEN 1 AND 3),
    nickname        text NOT NULL DEFAULT '',
    joined_at       timestamptz NOT NULL DEFAULT now(),
    joined_seq      bigint NOT NULL,
    left_seq        bigint,
    PRIMARY KEY (group_id, user_id),
    CONSTRAINT group_members_left_after_joined CHECK (left_seq IS NULL OR left_seq >= joined_seq)
);
-- A user's groups.
CREATE INDEX group_members_of_user ON group_members (user_id, group_id) WHERE left_seq IS NULL;
-- Exactly one owner among the current members (at least one is kept by the functions).
CREATE UNIQUE INDEX group_members_one_owner ON group_members (group_id)
    WHERE role = 3 AND left_seq IS NULL;

CREATE TABLE group_events (
    group_id        bigint NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    seq             bigint NOT NULL CHECK (seq > 0),
    -- A serialized tern.v1.GroupEvent, group_id, seq and time included.
    event           bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, seq)
);

CREATE TABLE group_invitations (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id        bigint NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    inviter_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    invitee_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state           smallint NOT NULL DEFAULT 1 CHECK (state BETWEEN 1 AND 4),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- At most one pending invitation per group and invitee.
CREATE UNIQUE INDEX group_invitations_one_pending ON group_invitations (group_id, invitee_id)
    WHERE state = 1;
CREATE INDEX group_invitations_pending_to ON group_invitations (invitee_id, id) WHERE state = 1;

CREATE TABLE group_join_applications (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id        bigint NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    applicant_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message         text NOT NULL DEFAULT '',
    state           smallint NOT NULL DEFAULT 1 CHECK (state BETWEEN 1 AND 4),
    decided_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- At most one pending application per group and applicant.
CREATE UNIQUE INDEX group_join_applications_one_pending
    ON group_join_applications (group_id, applicant_id) WHERE state = 1;

-- Protocol Buffers encoding (proto3 wire format) of the few field types GroupEvent uses.

-- An unsigned LEB128 varint.
CREATE FUNCTION tern_pb_varint(p_value bigint) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    v_out bytea := ''::bytea;
    v_rest bigint := p_value;
BEGIN
    IF v_rest < 0 THEN
        RAISE EXCEPTION 'tern_pb_varint: negative value %', v_rest;
    END IF;
    WHILE v_rest >= 128 LOOP
        v_out := v_out || set_byte('\x00'::bytea, 0, ((v_rest & 127) | 128)::int);
        v_rest := v_rest >> 7;
    END LOOP;
    RETURN v_out || set_byte('\x00'::bytea, 0, v_rest::int);
END $$;

-- A varint field (uint64, int64 >= 0, enum, bool); left out when zero, as proto3 does.
CREATE FUNCTION tern_pb_uint(p_field int, p_value bigint) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN coalesce(p_value, 0) = 0 THEN ''::bytea
                ELSE tern_pb_varint(p_field::bigint << 3) || tern_pb_varint(p_value) END
$$;

-- An `optional bool` field: present even when false.
CREATE FUNCTION tern_pb_bool(p_field int, p_value boolean) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT tern_pb_varint(p_field::bigint << 3) || tern_pb_varint(CASE WHEN p_value THEN 1 ELSE 0 END)
$$;

-- A length-delimited field (bytes, sub-message, packed repeated): present even when empty.
CREATE FUNCTION tern_pb_len(p_field int, p_value bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT tern_pb_varint((p_field::bigint << 3) | 2) || tern_pb_varint(length(p_value))
           || p_value
$$;

-- An `optional string` field: present even when empty.
CREATE FUNCTION tern_pb_string(p_field int, p_value text) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT tern_pb_len(p_field, convert_to(p_value, 'UTF8'))
$$;

-- A packed `repeated uint64` field; left out when empty.
CREATE FUNCTION tern_pb_packed(p_field int, p_values bigint[]) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN coalesce(cardinality(p_values), 0) = 0 THEN ''::bytea
                ELSE tern_pb_len(p_field,
                                 (SELECT string_agg(tern_pb_varint(v), ''::bytea ORDER BY n)
                                    FROM unnest(p_values) WITH ORDINALITY AS t (v, n))) END
$$;

-- What every group operation returns: the group after the change (the first twelve columns,
-- the shape of tern.v1.Group) and what the service needs to answer and to push.
CREATE TYPE tern_group_result AS (
    group_id        bigint,
    name            text,
    avatar_file_id  text,
    announcement    text,
    join_policy     smallint,
    mute_all        boolean,
    invite_code     text,
    owner_id        bigint,
    member_count    integer,
    last_seq        bigint,
    created_at_ms   bigint,
    dissolved       boolean,
    -- 'ok', or why nothing changed.
    outcome         text,
    -- The user the outcome is about (no_user, refused, target_not_member), or the invitation or
    -- application the operation answered or made.
    subject         bigint,
    -- The event the operation made, serialized; NULL when nothing changed.
    event           bytea,
    -- The members after the change, who are told about the event.
    recipients      bigint[],
    -- The users the change ended the membership of; they are told too.
    departed        bigint[],
    -- The owner and admins after the change.
    admins          bigint[],
    -- The pending invitations the operation made or found (create, invite).
    invitation_ids  bigint[]
);

-- A failed operation's result.
CREATE FUNCTION tern_group_outcome(p_outcome text, p_subject bigint DEFAULT NULL)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE r tern_group_result;
BEGIN
    r.outcome := p_outcome;
    r.subject := p_subject;
    RETURN r;
END $$;

-- A successful operation's result, read after the change.
CREATE FUNCTION tern_group_done(p_group bigint, p_event bytea, p_departed bigint[] DEFAULT '{}',
                                p_subject bigint DEFAULT NULL,
                                p_invitations bigint[] DEFAULT '{}')
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE r tern_group_result;
BEGIN
    SELECT g.id, g.name, g.avatar_file_id, g.announcement, g.join_policy, g.mute_all,
           g.invite_code, g.owner_id, g.member_count, g.last_seq,
           (extract(epoch FROM g.created_at) * 1000)::bigint, g.dissolved_at IS NOT NULL,
           'ok', p_subject, p_event,
           ARRAY(SELECT m.user_id FROM group_members m
                  WHERE m.group_id = g.id AND m.left_seq IS NULL ORDER BY m.user_id),
           coalesce(p_departed, '{}'),
           ARRAY(SELECT m.user_id FROM group_members m
                  WHERE m.group_id = g.id AND m.left_seq IS NULL AND m.role >= 2
                  ORDER BY m.user_id),
           coalesce(p_invitations, '{}')
      INTO r
      FROM groups g WHERE g.id = p_group;
    RETURN r;
END $$;

-- Locks the group's row until commit and returns p_user's role in it: 0 when not a member,
-- NULL when there is no such group or it was dissolved.
CREATE FUNCTION tern_group_lock(p_group bigint, p_user bigint) RETURNS smallint
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM groups WHERE id = p_group AND dissolved_at IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    RETURN coalesce((SELECT role FROM group_members
                      WHERE group_id = p_group AND user_id = p_user AND left_seq IS NULL), 0);
END $$;

-- The group's next seq. Call with the group locked.
CREATE FUNCTION tern_group_next_seq(p_group bigint) RETURNS bigint
LANGUAGE sql AS $$
    UPDATE groups SET last_seq = last_seq + 1 WHERE id = p_group RETURNING last_seq
$$;

-- Stores the event with seq p_seq and returns it serialized (tern.v1.GroupEvent; p_details is
-- a serialized GroupEvent.Details).
CREATE FUNCTION tern_group_put_event(p_group bigint, p_seq bigint, p_kind int, p_actor bigint,
                                     p_targets bigint[], p_details bytea)
RETURNS bytea
LANGUAGE plpgsql AS $$
DECLARE v_event bytea;
BEGIN
    v_event := tern_pb_uint(1, p_group) || tern_pb_uint(2, p_seq) || tern_pb_uint(3, p_kind)
        || tern_pb_uint(4, p_actor) || tern_pb_packed(5, p_targets)
        || CASE WHEN coalesce(length(p_details), 0) > 0 THEN tern_pb_len(6, p_details)
                ELSE ''::bytea END
        || tern_pb_uint(7, (extract(epoch FROM now()) * 1000)::bigint);
    INSERT INTO group_events (group_id, seq, event) VALUES (p_group, p_seq, v_event);
    RETURN v_event;
END $$;

-- Whether p_inviter may add p_invitee without asking (users.group_adders: 1 everyone,
-- 2 friends, 3 nobody).
CREATE FUNCTION tern_group_may_add(p_inviter bigint, p_invitee bigint) RETURNS boolean
LANGUAGE sql AS $$
    SELECT CASE u.group_adders
               WHEN 1 THEN true
               WHEN 2 THEN EXISTS (SELECT 1 FROM contacts c
                                    WHERE c.owner_id = p_invitee AND c.peer_id = p_inviter
                                      AND c.is_friend)
               ELSE false END
      FROM users u WHERE u.id = p_invitee
$$;

-- Checks the users p_actor wants to bring into a group: the first unknown (or banned) one is
-- 'no_user', the first who blocked p_actor is 'refused'. Holds the users' rows, so that a
-- block or friendship change (which locks them FOR UPDATE) happens before or after, not during.
-- Returns a result with outcome NULL when all is well.
CREATE FUNCTION tern_group_check_invitees(p_actor bigint, p_users bigint[])
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE v_user bigint;
BEGIN
    SELECT u INTO v_user FROM unnest(p_users) u
     WHERE NOT EXISTS (SELECT 1 FROM users WHERE id = u AND banned_at IS NULL)
     ORDER BY u LIMIT 1;
    IF FOUND THEN
        RETURN tern_group_outcome('no_user', v_user);
    END IF;
    PERFORM 1 FROM users WHERE id = ANY (p_users || p_actor) ORDER BY id FOR KEY SHARE;
    SELECT u INTO v_user FROM unnest(p_users) u
     WHERE EXISTS (SELECT 1 FROM contacts c WHERE c.owner_id = u AND c.peer_id = p_actor
                                              AND c.blocked)
     ORDER BY u LIMIT 1;
    IF FOUND THEN
        RETURN tern_group_outcome('refused', v_user);
    END IF;
    RETURN tern_group_outcome(NULL);
END $$;

-- Makes p_users (not members now) members as of event p_seq. Their other pending invitations
-- and applications to the group are cancelled.
CREATE FUNCTION tern_group_add_members(p_group bigint, p_users bigint[], p_seq bigint)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO group_members (group_id, user_id, role, joined_seq)
    SELECT p_group, u, 1, p_seq FROM unnest(p_users) u
    ON CONFLICT (group_id, user_id) DO UPDATE
        SET role = 1, nickname = '', joined_at = now(), joined_seq = EXCLUDED.joined_seq,
            left_seq = NULL;
    UPDATE groups SET member_count = member_count + cardinality(p_users) WHERE id = p_group;
    UPDATE group_invitations SET state = 4, updated_at = now()
     WHERE group_id = p_group AND invitee_id = ANY (p_users) AND state = 1;
    UPDATE group_join_applications SET state = 4, updated_at = now()
     WHERE group_id = p_group AND applicant_id = ANY (p_users) AND state = 1;
END $$;

-- Ends the membership of p_users as of event p_seq.
CREATE FUNCTION tern_group_drop_members(p_group bigint, p_users bigint[], p_seq bigint)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE v_count int;
BEGIN
    UPDATE group_members SET left_seq = p_seq
     WHERE group_id = p_group AND user_id = ANY (p_users) AND left_seq IS NULL;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    UPDATE groups SET member_count = member_count - v_count WHERE id = p_group;
END $$;

-- Pending invitations from p_inviter for p_users (an existing pending one is kept); their ids.
CREATE FUNCTION tern_group_invite_pending(p_group bigint, p_inviter bigint, p_users bigint[])
RETURNS bigint[]
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO group_invitations (group_id, inviter_id, invitee_id)
    SELECT p_group, p_inviter, u FROM unnest(p_users) u
    ON CONFLICT (group_id, invitee_id) WHERE state = 1 DO NOTHING;
    RETURN ARRAY(SELECT id FROM group_invitations
                  WHERE group_id = p_group AND invitee_id = ANY (p_users) AND state = 1
                  ORDER BY id);
END $$;

-- Creates a group owned by p_owner with p_members (added or invited, see tern_group_may_add).
-- Outcomes: limit, no_user, refused, ok. p_invite_code: set when p_policy is 3.
CREATE FUNCTION tern_group_create(p_owner bigint, p_name text, p_avatar text,
                                  p_announcement text, p_policy smallint, p_mute_all boolean,
                                  p_invite_code text, p_members bigint[], p_limit int)
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
    INSERT INTO groups (name, avatar_file_id, announcement, join_policy, mute_all, invite_code,
                        owner_id, member_count)
    VALUES (p_name, p_avatar, p_announcement, p_policy, p_mute_all,
            CASE WHEN p_policy = 3 THEN p_invite_code END, p_owner, 1)
    RETURNING id INTO v_group;
    v_seq := tern_group_next_seq(v_group);
    INSERT INTO group_members (group_id, user_id, role, joined_seq)
    VALUES (v_group, p_owner, 3, v_seq);
    v_direct := ARRAY(SELECT u FROM unnest(v_users) u WHERE tern_group_may_add(p_owner, u)
                       ORDER BY u);
    PERFORM tern_group_add_members(v_group, v_direct, v_seq);
    v_event := tern_group_put_event(v_group, v_seq, 1, p_owner, v_direct,
                                    tern_pb_string(1, p_name) || tern_pb_uint(4, p_policy));
    RETURN tern_group_done(v_group, v_event, '{}', NULL,
                           tern_group_invite_pending(
                               v_group, p_owner,
                               ARRAY(SELECT u FROM unnest(v_users) u
                                      WHERE u <> ALL (v_direct) ORDER BY u)));
END $$;

-- Brings p_users into the group: added directly or invited (tern_group_may_add). Members and
-- duplicates are ignored. Outcomes: no_group, not_member, not_admin (plain members under the
-- approval policy), no_user, refused, limit, ok.
CREATE FUNCTION tern_group_invite(p_group bigint, p_inviter bigint, p_users bigint[],
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

-- The invitee accepts or declines. Outcomes: no_invitation, not_pending, limit, ok (subject:
-- the invitation).
CREATE FUNCTION tern_group_answer_invitation(p_user bigint, p_invitation bigint,
                                             p_accept boolean, p_limit int)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_invitation group_invitations;
    v_role smallint;
    v_seq bigint;
    v_event bytea;
BEGIN
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

-- Asks to join a group under the approval policy (again while pending: the same application).
-- Outcomes: no_group, already_member, policy, limit, ok (subject: the application).
CREATE FUNCTION tern_group_apply(p_group bigint, p_user bigint, p_message text, p_limit int)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_role smallint;
    v_id bigint;
BEGIN
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
    INSERT INTO group_join_applications (group_id, applicant_id, message)
    VALUES (p_group, p_user, p_message)
    ON CONFLICT (group_id, applicant_id) WHERE state = 1 DO NOTHING;
    SELECT id INTO v_id FROM group_join_applications
     WHERE group_id = p_group AND applicant_id = p_user AND state = 1;
    RETURN tern_group_done(p_group, NULL, '{}', v_id);
END $$;

-- An admin approves or declines an application. Outcomes: no_application, no_group,
-- not_member, not_admin, not_pending, limit, ok (subject: the application).
CREATE FUNCTION tern_group_answer_application(p_admin bigint, p_application bigint,
                                              p_approve boolean, p_limit int)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_application group_join_applications;
    v_role smallint;
    v_seq bigint;
    v_event bytea;
    v_member boolean;
BEGIN
    SELECT * INTO v_application FROM group_join_applications WHERE id = p_application;
    IF NOT FOUND THEN
        RETURN tern_group_outcome('no_application');
    END IF;
    v_role := tern_group_lock(v_application.group_id, p_admin);
    IF v_role IS NULL THEN
        RETURN tern_group_outcome('no_group');
    ELSIF v_role = 0 THEN
        RETURN tern_group_outcome('not_member');
    ELSIF v_role = 1 THEN
        RETURN tern_group_outcome('not_admin');
    END IF;
    SELECT * INTO v_application FROM group_join_applications WHERE id = p_application;
    IF v_application.state <> 1 THEN
        RETURN tern_group_outcome('not_pending', p_application);
    END IF;
    v_member := EXISTS (SELECT 1 FROM group_members
                         WHERE group_id = v_application.group_id
                           AND user_id = v_application.applicant_id AND left_seq IS NULL);
    IF p_approve AND NOT v_member
       AND (SELECT member_count FROM groups WHERE id = v_application.group_id) + 1 > p_limit THEN
        RETURN tern_group_outcome('limit');
    END IF;
    UPDATE group_join_applications
       SET state = CASE WHEN p_approve THEN 2 ELSE 3 END, decided_by = p_admin, updated_at = now()
     WHERE id = p_application;
    IF p_approve AND NOT v_member THEN
        v_seq := tern_group_next_seq(v_application.group_id);
        PERFORM tern_group_add_members(v_application.group_id,
                                       ARRAY[v_application.applicant_id], v_seq);
        v_event := tern_group_put_event(v_application.group_id, v_seq, 4, p_admin,
                                        ARRAY[v_application.applicant_id], NULL);
    END IF;
    RETURN tern_group_done(v_application.group_id, v_event, '{}', p_application);
END $$;

-- Joins an open group by its invite code (a member already: nothing changes).
-- Outcomes: bad_code, limit, ok.
CREATE FUNCTION tern_group_join_by_code(p_user bigint, p_code text, p_limit int)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_group bigint;
    v_role smallint;
    v_seq bigint;
    v_event bytea;
BEGIN
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

-- Outcomes: no_group, not_member, owner_cannot_leave, ok.
CREATE FUNCTION tern_group_leave(p_group bigint, p_user bigint)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_role smallint;
    v_seq bigint;
    v_event bytea;
BEGIN
    v_role := tern_group_lock(p_group, p_user);
    IF v_role IS NULL THEN
        RETURN tern_group_outcome('no_group');
    ELSIF v_role = 0 THEN
        RETURN tern_group_outcome('not_member');
    ELSIF v_role = 3 THEN
        RETURN tern_group_outcome('owner_cannot_leave');
    END IF;
    v_seq := tern_group_next_seq(p_group);
    PERFORM tern_group_drop_members(p_group, ARRAY[p_user], v_seq);
    v_event := tern_group_put_event(p_group, v_seq, 5, p_user, '{}', NULL);
    RETURN tern_group_done(p_group, v_event, ARRAY[p_user]);
END $$;

-- Admins remove plain members; the owner removes anyone but themself.
-- Outcomes: no_group, not_member, not_admin, self, target_not_member, target_owner,
-- target_admin, ok.
CREATE FUNCTION tern_group_remove_member(p_group bigint, p_actor bigint, p_target bigint)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_role smallint;
    v_target smallint;
    v_seq bigint;
    v_event bytea;
BEGIN
    v_role := tern_group_lock(p_group, p_actor);
    IF v_role IS NULL THEN
        RETURN tern_group_outcome('no_group');
    ELSIF v_role = 0 THEN
        RETURN tern_group_outcome('not_member');
    ELSIF v_role = 1 THEN
        RETURN tern_group_outcome('not_admin');
    ELSIF p_target = p_actor THEN
        RETURN tern_group_outcome('self');
    END IF;
    SELECT role INTO v_target FROM group_members
     WHERE group_id = p_group AND user_id = p_target AND left_seq IS NULL;
    IF v_target IS NULL THEN
        RETURN tern_group_outcome('target_not_member', p_target);
    ELSIF v_target = 3 THEN
        RETURN tern_group_outcome('target_owner', p_target);
    ELSIF v_target = 2 AND v_role <> 3 THEN
        RETURN tern_group_outcome('target_admin', p_target);
    END IF;
    v_seq := tern_group_next_seq(p_group);
    PERFORM tern_group_drop_members(p_group, ARRAY[p_target], v_seq);
    v_event := tern_group_put_event(p_group, v_seq, 6, p_actor, ARRAY[p_target], NULL);
    RETURN tern_group_done(p_group, v_event, ARRAY[p_target]);
END $$;

-- Locks the group and checks that p_owner owns it and that p_target is another member.
-- outcome: why not (as in the functions below), or NULL with target_role set.
CREATE FUNCTION tern_group_owner_on_member(p_group bigint, p_owner bigint, p_target bigint,
                                           OUT outcome text, OUT target_role smallint)
LANGUAGE plpgsql AS $$
DECLARE v_role smallint;
BEGIN
    v_role := tern_group_lock(p_group, p_owner);
    IF v_role IS NULL THEN
        outcome := 'no_group';
    ELSIF v_role = 0 THEN
        outcome := 'not_member';
    ELSIF v_role <> 3 THEN
        outcome := 'not_owner';
    ELSIF p_target = p_owner THEN
        outcome := 'self';
    ELSE
        SELECT role INTO target_role FROM group_members
         WHERE group_id = p_group AND user_id = p_target AND left_seq IS NULL;
        IF target_role IS NULL THEN
            outcome := 'target_not_member';
        END IF;
    END IF;
END $$;

-- Outcomes: no_group, not_member, not_owner, self, target_not_member, ok (no event when the
-- role already was so).
CREATE FUNCTION tern_group_set_admin(p_group bigint, p_owner bigint, p_target bigint,
                                     p_admin boolean)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_check record;
    v_seq bigint;
    v_event bytea;
BEGIN
    v_check := tern_group_owner_on_member(p_group, p_owner, p_target);
    IF v_check.outcome IS NOT NULL THEN
        RETURN tern_group_outcome(v_check.outcome, p_target);
    ELSIF (v_check.target_role = 2) = p_admin THEN
        RETURN tern_group_done(p_group, NULL);
    END IF;
    v_seq := tern_group_next_seq(p_group);
    UPDATE group_members SET role = CASE WHEN p_admin THEN 2 ELSE 1 END
     WHERE group_id = p_group AND user_id = p_target;
    v_event := tern_group_put_event(p_group, v_seq, CASE WHEN p_admin THEN 7 ELSE 8 END,
                                    p_owner, ARRAY[p_target], NULL);
    RETURN tern_group_done(p_group, v_event);
END $$;

-- The owner hands the group to another member and becomes an admin.
-- Outcomes: no_group, not_member, not_owner, self, target_not_member, ok.
CREATE FUNCTION tern_group_transfer(p_group bigint, p_owner bigint, p_target bigint)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_check record;
    v_seq bigint;
    v_event bytea;
BEGIN
    v_check := tern_group_owner_on_member(p_group, p_owner, p_target);
    IF v_check.outcome IS NOT NULL THEN
        RETURN tern_group_outcome(v_check.outcome, p_target);
    END IF;
    v_seq := tern_group_next_seq(p_group);
    UPDATE group_members SET role = 2 WHERE group_id = p_group AND user_id = p_owner;
    UPDATE group_members SET role = 3 WHERE group_id = p_group AND user_id = p_target;
    UPDATE groups SET owner_id = p_target WHERE id = p_group;
    v_event := tern_group_put_event(p_group, v_seq, 9, p_owner, ARRAY[p_target], NULL);
    RETURN tern_group_done(p_group, v_event);
END $$;

-- Ends the group: every membership ends with this event; pending invitations and applications
-- are cancelled. Outcomes: no_group, not_member, not_owner, ok.
CREATE FUNCTION tern_group_dissolve(p_group bigint, p_owner bigint)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_role smallint;
    v_members bigint[];
    v_seq bigint;
    v_event bytea;
BEGIN
    v_role := tern_group_lock(p_group, p_owner);
    IF v_role IS NULL THEN
        RETURN tern_group_outcome('no_group');
    ELSIF v_role = 0 THEN
        RETURN tern_group_outcome('not_member');
    ELSIF v_role <> 3 THEN
        RETURN tern_group_outcome('not_owner');
    END IF;
    v_members := ARRAY(SELECT user_id FROM group_members
                        WHERE group_id = p_group AND left_seq IS NULL ORDER BY user_id);
    v_seq := tern_group_next_seq(p_group);
    v_event := tern_group_put_event(p_group, v_seq, 12, p_owner, '{}', NULL);
    PERFORM tern_group_drop_members(p_group, v_members, v_seq);
    UPDATE groups SET dissolved_at = now(), invite_code = NULL WHERE id = p_group;
    UPDATE group_invitations SET state = 4, updated_at = now()
     WHERE group_id = p_group AND state = 1;
    UPDATE group_join_applications SET state = 4, updated_at = now()
     WHERE group_id = p_group AND state = 1;
    RETURN tern_group_done(p_group, v_event, v_members);
END $$;

-- Changes settings (NULL: unchanged); p_new_code is used when the group becomes open or
-- p_reset_code asks for a new code. The event lists only what really changed.
-- Outcomes: no_group, not_member, not_admin, no_invite_code, ok (no event when nothing changed).
CREATE FUNCTION tern_group_update(p_group bigint, p_actor bigint, p_name text, p_avatar text,
                                  p_announcement text, p_policy smallint, p_mute_all boolean,
                                  p_reset_code boolean, p_new_code text)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_role smallint;
    v_group groups;
    v_policy smallint;
    v_code text;
    v_details bytea := ''::bytea;
    v_seq bigint;
    v_event bytea;
BEGIN
    v_role := tern_group_lock(p_group, p_actor);
    IF v_role IS NULL THEN
        RETURN tern_group_outcome('no_group');
    ELSIF v_role = 0 THEN
        RETURN tern_group_outcome('not_member');
    ELSIF v_role = 1 THEN
        RETURN tern_group_outcome('not_admin');
    END IF;
    SELECT * INTO v_group FROM groups WHERE id = p_group;
    v_policy := coalesce(p_policy, v_group.join_policy);
    v_code := v_group.invite_code;
    IF v_policy <> 3 THEN
        IF p_reset_code THEN
            RETURN tern_group_outcome('no_invite_code');
        END IF;
        v_code := NULL;
    ELSIF v_group.join_policy <> 3 OR p_reset_code THEN
        v_code := p_new_code;
    END IF;
    IF p_name IS DISTINCT FROM v_group.name AND p_name IS NOT NULL THEN
        v_details := v_details || tern_pb_string(1, p_name);
    END IF;
    IF p_avatar IS DISTINCT FROM v_group.avatar_file_id AND p_avatar IS NOT NULL THEN
        v_details := v_details || tern_pb_string(2, p_avatar);
    END IF;
    IF p_announcement IS DISTINCT FROM v_group.announcement AND p_announcement IS NOT NULL THEN
        v_details := v_details || tern_pb_string(3, p_announcement);
    END IF;
    IF v_policy <> v_group.join_policy THEN
        v_details := v_details || tern_pb_uint(4, v_policy);
    END IF;
    IF p_mute_all IS DISTINCT FROM v_group.mute_all AND p_mute_all IS NOT NULL THEN
        v_details := v_details || tern_pb_bool(5, p_mute_all);
    END IF;
    IF p_reset_code AND v_group.join_policy = 3 THEN
        v_details := v_details || tern_pb_uint(6, 1);
    END IF;
    IF length(v_details) = 0 THEN
        RETURN tern_group_done(p_group, NULL);
    END IF;
    v_seq := tern_group_next_seq(p_group);
    UPDATE groups
       SET name = coalesce(p_name, name), avatar_file_id = coalesce(p_avatar, avatar_file_id),
           announcement = coalesce(p_announcement, announcement), join_policy = v_policy,
           mute_all = coalesce(p_mute_all, mute_all), invite_code = v_code
     WHERE id = p_group;
    v_event := tern_group_put_event(p_group, v_seq, 10, p_actor, '{}', v_details);
    RETURN tern_group_done(p_group, v_event);
END $$;

-- A member sets their own nickname. Outcomes: no_group, not_member, ok (no event when unchanged).
CREATE FUNCTION tern_group_set_nickname(p_group bigint, p_user bigint, p_nickname text)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_role smallint;
    v_seq bigint;
    v_event bytea;
BEGIN
    v_role := tern_group_lock(p_group, p_user);
    IF v_role IS NULL THEN
        RETURN tern_group_outcome('no_group');
    ELSIF v_role = 0 THEN
        RETURN tern_group_outcome('not_member');
    ELSIF (SELECT nickname FROM group_members
            WHERE group_id = p_group AND user_id = p_user) = p_nickname THEN
        RETURN tern_group_done(p_group, NULL);
    END IF;
    v_seq := tern_group_next_seq(p_group);
    UPDATE group_members SET nickname = p_nickname WHERE group_id = p_group AND user_id = p_user;
    v_event := tern_group_put_event(p_group, v_seq, 11, p_user, '{}',
                                    tern_pb_string(7, p_nickname));
    RETURN tern_group_done(p_group, v_event);
END $$;
