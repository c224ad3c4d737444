-- SPDX-License-Identifier: Apache-2.0
-- Profiles, privacy, contacts (friendship, remark, tags, block) and friend requests.
--
-- Contact sync: every change to what a user sees of their contacts and requests gets the next
-- value of that user's users.contacts_version, taken under the user's row lock, so versions
-- commit in order per user and "everything after version v" is an index range scan.
-- Operations that touch two users lock them in id order, so they cannot deadlock.
-- Audience values are tern.v1.Audience: 1 everyone, 2 friends, 3 nobody.
-- Request states are tern.v1.FriendRequest.State: 1 pending, 2 accepted, 3 declined,
-- 4 cancelled, 5 expired.

ALTER TABLE users
    ADD COLUMN avatar_file_id text NOT NULL DEFAULT '',
    ADD COLUMN status_line text NOT NULL DEFAULT '',
    ADD COLUMN searchable_by smallint NOT NULL DEFAULT 1 CHECK (searchable_by BETWEEN 1 AND 3),
    ADD COLUMN presence_visible_to smallint NOT NULL DEFAULT 2
        CHECK (presence_visible_to BETWEEN 1 AND 3),
    ADD COLUMN group_adders smallint NOT NULL DEFAULT 2 CHECK (group_adders BETWEEN 1 AND 3),
    ADD COLUMN last_seen_at timestamptz,
    ADD COLUMN contacts_version bigint NOT NULL DEFAULT 0;

-- Display-name prefix search (case-insensitive).
CREATE INDEX users_display_name_prefix ON users (lower(display_name) text_pattern_ops, id);

CREATE TABLE contacts (
    owner_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    peer_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    is_friend       boolean NOT NULL DEFAULT false,
    friends_since   timestamptz,
    remark          text NOT NULL DEFAULT '',
    tags            text[] NOT NULL DEFAULT '{}',
    blocked         boolean NOT NULL DEFAULT false,
    version         bigint NOT NULL,
    PRIMARY KEY (owner_id, peer_id),
    CONSTRAINT contacts_not_self CHECK (owner_id <> peer_id),
    CONSTRAINT contacts_friends_since CHECK (is_friend = (friends_since IS NOT NULL))
);
CREATE INDEX contacts_sync ON contacts (owner_id, version);

CREATE TABLE friend_requests (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    from_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    to_id           bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    greeting        text NOT NULL DEFAULT '',
    state           smallint NOT NULL DEFAULT 1 CHECK (state BETWEEN 1 AND 5),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    -- The contacts_version of each side when the request last changed.
    from_version    bigint NOT NULL,
    to_version      bigint NOT NULL,
    CONSTRAINT friend_requests_not_self CHECK (from_id <> to_id)
);
-- At most one pending request per direction.
CREATE UNIQUE INDEX friend_requests_one_pending ON friend_requests (from_id, to_id)
    WHERE state = 1;
CREATE INDEX friend_requests_from_sync ON friend_requests (from_id, from_version);
CREATE INDEX friend_requests_to_sync ON friend_requests (to_id, to_version);

-- The next contacts version of a user. The UPDATE takes the user's row lock until commit.
CREATE FUNCTION tern_next_contacts_version(p_user bigint) RETURNS bigint
LANGUAGE sql AS $$
    UPDATE users SET contacts_version = contacts_version + 1 WHERE id = p_user
    RETURNING contacts_version
$$;

-- Lock two users in id order (see the header).
CREATE FUNCTION tern_lock_pair(p_a bigint, p_b bigint) RETURNS void
LANGUAGE sql AS $$
    SELECT 1 FROM users WHERE id IN (p_a, p_b) ORDER BY id FOR UPDATE
$$;

-- Marks a pending request as `p_state`, bumping both sides' versions.
CREATE FUNCTION tern_close_friend_request(p_id bigint, p_state smallint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE r friend_requests;
BEGIN
    SELECT * INTO r FROM friend_requests WHERE id = p_id;
    UPDATE friend_requests
       SET state = p_state, updated_at = now(),
           from_version = tern_next_contacts_version(r.from_id),
           to_version = tern_next_contacts_version(r.to_id)
     WHERE id = p_id AND state = 1;
END $$;

-- Expires the pending requests between two users that outlived their lifetime.
CREATE FUNCTION tern_expire_friend_requests(p_a bigint, p_b bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE rid bigint;
BEGIN
    FOR rid IN SELECT id FROM friend_requests
                WHERE state = 1 AND expires_at <= now()
                  AND ((from_id = p_a AND to_id = p_b) OR (from_id = p_b AND to_id = p_a))
    LOOP
        PERFORM tern_close_friend_request(rid, 5::smallint);
    END LOOP;
END $$;

-- Upserts one side of a relationship and bumps that side's version.
CREATE FUNCTION tern_touch_contact(p_owner bigint, p_peer bigint) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO contacts (owner_id, peer_id, version)
    VALUES (p_owner, p_peer, tern_next_contacts_version(p_owner))
    ON CONFLICT (owner_id, peer_id) DO UPDATE SET version = EXCLUDED.version
$$;

CREATE FUNCTION tern_set_friends(p_a bigint, p_b bigint, p_friends boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tern_touch_contact(p_a, p_b);
    PERFORM tern_touch_contact(p_b, p_a);
    UPDATE contacts
       SET is_friend = p_friends,
           friends_since = CASE WHEN p_friends THEN coalesce(friends_since, now()) END
     WHERE (owner_id = p_a AND peer_id = p_b) OR (owner_id = p_b AND peer_id = p_a);
END $$;

-- Sends a friend request. Outcomes: no_user, self, you_block, refused (they block you),
-- already_friends, became_friends (they had asked you: request_id is theirs, now accepted),
-- pending (request_id: the new or the existing pending request).
CREATE FUNCTION tern_send_friend_request(p_from bigint, p_to bigint, p_greeting text,
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
    INSERT INTO friend_requests (from_id, to_id, greeting, expires_at, from_version, to_version)
    VALUES (p_from, p_to, p_greeting, now() + p_lifetime,
            tern_next_contacts_version(p_from), tern_next_contacts_version(p_to))
    RETURNING id INTO rid;
    RETURN QUERY SELECT 'pending'::text, rid;
END $$;

-- Accepts or declines a request sent to p_user. Outcomes: not_found, not_pending, accepted,
-- declined. peer_id: the sender.
CREATE FUNCTION tern_answer_friend_request(p_user bigint, p_request bigint, p_accept boolean)
RETURNS TABLE (outcome text, peer_id bigint)
LANGUAGE plpgsql AS $$
DECLARE r friend_requests;
BEGIN
    SELECT * INTO r FROM friend_requests WHERE id = p_request AND to_id = p_user;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'not_found'::text, NULL::bigint; RETURN;
    END IF;
    PERFORM tern_lock_pair(r.from_id, r.to_id);
    PERFORM tern_expire_friend_requests(r.from_id, r.to_id);
    SELECT * INTO r FROM friend_requests WHERE id = p_request;
    IF r.state <> 1 THEN
        RETURN QUERY SELECT 'not_pending'::text, r.from_id; RETURN;
    END IF;
    IF p_accept THEN
        PERFORM tern_close_friend_request(r.id, 2::smallint);
        PERFORM tern_set_friends(r.from_id, r.to_id, true);
        RETURN QUERY SELECT 'accepted'::text, r.from_id; RETURN;
    END IF;
    PERFORM tern_close_friend_request(r.id, 3::smallint);
    RETURN QUERY SELECT 'declined'::text, r.from_id;
END $$;

-- Withdraws a request p_user sent. Outcomes: not_found, not_pending, cancelled.
CREATE FUNCTION tern_cancel_friend_request(p_user bigint, p_request bigint)
RETURNS TABLE (outcome text, peer_id bigint)
LANGUAGE plpgsql AS $$
DECLARE r friend_requests;
BEGIN
    SELECT * INTO r FROM friend_requests WHERE id = p_request AND from_id = p_user;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'not_found'::text, NULL::bigint; RETURN;
    END IF;
    PERFORM tern_lock_pair(r.from_id, r.to_id);
    PERFORM tern_expire_friend_requests(r.from_id, r.to_id);
    SELECT * INTO r FROM friend_requests WHERE id = p_request;
    IF r.state <> 1 THEN
        RETURN QUERY SELECT 'not_pending'::text, r.to_id; RETURN;
    END IF;
    PERFORM tern_close_friend_request(r.id, 4::smallint);
    RETURN QUERY SELECT 'cancelled'::text, r.to_id;
END $$;

-- Ends a friendship on both sides. Outcomes: not_friends, removed.
CREATE FUNCTION tern_remove_friend(p_user bigint, p_peer bigint) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tern_lock_pair(p_user, p_peer);
    IF NOT EXISTS (SELECT 1 FROM contacts WHERE owner_id = p_user AND peer_id = p_peer
                                             AND is_friend) THEN
        RETURN 'not_friends';
    END IF;
    PERFORM tern_set_friends(p_user, p_peer, false);
    RETURN 'removed';
END $$;

-- Blocks or unblocks. Blocking withdraws pending requests both ways (theirs as declined).
-- Outcomes: no_user, self, done.
CREATE FUNCTION tern_set_blocked(p_user bigint, p_peer bigint, p_blocked boolean) RETURNS text
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
