-- SPDX-License-Identifier: Apache-2.0
-- Messaging: conversations, their ordered history, per-member cursors and settings,
-- reactions, delete-for-me, and the search index.
--
-- Order (invariant 2): every conversation has a dense sequence conversations.last_seq. A direct
-- conversation takes the next seq under its own row lock; a group's conversation shares the
-- group's sequence (groups.last_seq, migration 0003): a message locks the group row first, like
-- every group change, and group events land in the same sequence. Locks are held to commit, so
-- seqs commit in order and a reader that sees seq N sees every seq below it.
--
-- Dedupe (invariant 3): UNIQUE (sender_id, client_msg_id). Sends take the conversation's lock
-- before looking for an earlier copy, so a retry racing its original waits for it and then
-- finds it.
--
-- Change tracking for catch-up (invariant 4): conversations.change_xid and
-- conversation_members.change_xid hold the id of the last transaction that changed them
-- (pg_current_xact_id). A sync returns rows changed by transactions >= the device's cursor, and
-- hands back as the next cursor the xmin of its own snapshot: every transaction below it had
-- ended when the sync read, so none can commit later with a lower id and be missed (a plain
-- sequence could: numbers are taken before commit, in a different order).
--
-- Bodies: messages.body holds a serialized tern.v1.MessageContent for content kinds, or the
-- serialized event (MessageEdit, MessageRecall, ReactionChange) for event kinds. A recall
-- empties the target's body and those of its edits: the content is gone from the server.
--
-- Kinds: 1-6 are tern.v1.MessageContent.Kind (text, image, file, voice, video, bundle);
-- 12 edit, 13 recall, 14 reaction (the Message.body field numbers of those events).

ALTER TABLE users ADD COLUMN read_receipts boolean NOT NULL DEFAULT true;

CREATE TABLE conversations (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            smallint NOT NULL CHECK (kind IN (1, 2)),
    group_id        bigint REFERENCES groups (id) ON DELETE CASCADE,
    -- Direct conversations: the two users, the smaller id first.
    user_lo         bigint REFERENCES users (id) ON DELETE CASCADE,
    user_hi         bigint REFERENCES users (id) ON DELETE CASCADE,
    last_seq        bigint NOT NULL DEFAULT 0,
    change_xid      xid8 NOT NULL DEFAULT pg_current_xact_id(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT conversations_group_unique UNIQUE (group_id),
    CONSTRAINT conversations_pair_unique UNIQUE (user_lo, user_hi),
    CONSTRAINT conversations_shape CHECK (
        (kind = 1 AND group_id IS NULL AND user_lo < user_hi)
        OR (kind = 2 AND group_id IS NOT NULL AND user_lo IS NULL AND user_hi IS NULL))
);

-- A user's part in a conversation. Group rows mirror group_members (kept by a trigger):
-- first_seq is the event that made the user a member, left_seq the one that ended it.
CREATE TABLE conversation_members (
    conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    first_seq       bigint NOT NULL DEFAULT 1,
    left_seq        bigint,
    read_seq        bigint NOT NULL DEFAULT 0,
    delivered_seq   bigint NOT NULL DEFAULT 0,
    muted           boolean NOT NULL DEFAULT false,
    pinned          boolean NOT NULL DEFAULT false,
    archived        boolean NOT NULL DEFAULT false,
    change_xid      xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_of_user ON conversation_members (user_id, conversation_id);

CREATE TABLE messages (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             bigint NOT NULL CHECK (seq > 0),
    sender_id       bigint NOT NULL REFERENCES users (id),
    client_msg_id   uuid,
    kind            smallint NOT NULL CHECK (kind BETWEEN 1 AND 6 OR kind BETWEEN 12 AND 14),
    body            bytea NOT NULL,
    -- Events: the message they are about.
    target_seq      bigint,
    mentions        bigint[] NOT NULL DEFAULT '{}',
    mention_all     boolean NOT NULL DEFAULT false,
    -- What search matches (text, caption, file name) and its n-grams (the distinct lower-cased
    -- characters and character pairs, made by the server: shared/tern/messagecontent.h);
    -- NULL when not searchable.
    search_text     text,
    search_grams    text[],
    created_at      timestamptz NOT NULL DEFAULT now(),
    edited_at       timestamptz,
    recalled_by     bigint,
    PRIMARY KEY (conversation_id, seq),
    CONSTRAINT messages_id_unique UNIQUE (id),
    CONSTRAINT messages_client_msg_id_unique UNIQUE (sender_id, client_msg_id),
    CONSTRAINT messages_event_has_target CHECK ((kind >= 12) = (target_seq IS NOT NULL))
);
CREATE INDEX messages_search ON messages USING gin (search_grams);
CREATE INDEX messages_edits ON messages (conversation_id, target_seq) WHERE kind = 12;

-- One reaction per member and message.
CREATE TABLE message_reactions (
    conversation_id bigint NOT NULL,
    seq             bigint NOT NULL,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    emoji           text NOT NULL,
    reacted_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, seq, user_id),
    FOREIGN KEY (conversation_id, seq) REFERENCES messages (conversation_id, seq)
        ON DELETE CASCADE
);

-- Delete for me.
CREATE TABLE hidden_messages (
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             bigint NOT NULL,
    change_xid      xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (user_id, conversation_id, seq)
);

-- Group conversations follow their groups.
CREATE FUNCTION tern_group_conversation_made() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO conversations (kind, group_id, last_seq) VALUES (2, NEW.id, NEW.last_seq);
    RETURN NULL;
END $$;
CREATE TRIGGER groups_make_conversation AFTER INSERT ON groups
    FOR EACH ROW EXECUTE FUNCTION tern_group_conversation_made();

CREATE FUNCTION tern_group_member_mirrored() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO conversation_members (conversation_id, user_id, first_seq, left_seq)
    SELECT c.id, NEW.user_id, NEW.joined_seq, NEW.left_seq
      FROM conversations c WHERE c.group_id = NEW.group_id
    ON CONFLICT (conversation_id, user_id) DO UPDATE
        SET first_seq = EXCLUDED.first_seq, left_seq = EXCLUDED.left_seq,
            change_xid = pg_current_xact_id();
    RETURN NULL;
END $$;
CREATE TRIGGER group_members_mirror AFTER INSERT OR UPDATE OF joined_seq, left_seq
    ON group_members FOR EACH ROW EXECUTE FUNCTION tern_group_member_mirrored();

-- A group event took the group's next seq (under the group's row lock).
CREATE FUNCTION tern_group_event_mirrored() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE conversations SET last_seq = NEW.seq, change_xid = pg_current_xact_id()
     WHERE group_id = NEW.group_id;
    RETURN NULL;
END $$;
CREATE TRIGGER group_events_mirror AFTER INSERT ON group_events
    FOR EACH ROW EXECUTE FUNCTION tern_group_event_mirrored();

-- Groups made before this migration.
INSERT INTO conversations (kind, group_id, last_seq) SELECT 2, id, last_seq FROM groups;
INSERT INTO conversation_members (conversation_id, user_id, first_seq, left_seq)
SELECT c.id, m.user_id, m.joined_seq, m.left_seq
  FROM group_members m JOIN conversations c ON c.group_id = m.group_id;

-- The direct conversation of two users, made if missing. outcome: 'ok', 'no_user', 'self',
-- 'blocked' (either blocked the other), 'not_friends' (and strangers are not allowed).
CREATE FUNCTION tern_open_direct(p_user bigint, p_peer bigint, p_allow_strangers boolean,
                                 OUT outcome text, OUT conversation_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_lo bigint := least(p_user, p_peer);
    v_hi bigint := greatest(p_user, p_peer);
BEGIN
    IF p_user = p_peer THEN
        outcome := 'self';
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM users WHERE id = p_peer) THEN
        outcome := 'no_user';
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM contacts
                WHERE blocked AND ((owner_id = p_user AND peer_id = p_peer)
                                   OR (owner_id = p_peer AND peer_id = p_user))) THEN
        outcome := 'blocked';
        RETURN;
    END IF;
    SELECT c.id INTO conversation_id FROM conversations c
     WHERE c.user_lo = v_lo AND c.user_hi = v_hi;
    IF conversation_id IS NULL THEN
        IF NOT p_allow_strangers AND NOT EXISTS (
                SELECT 1 FROM contacts
                 WHERE owner_id = p_user AND peer_id = p_peer AND is_friend) THEN
            outcome := 'not_friends';
            RETURN;
        END IF;
        INSERT INTO conversations (kind, user_lo, user_hi) VALUES (1, v_lo, v_hi)
        ON CONFLICT (user_lo, user_hi) DO NOTHING
        RETURNING id INTO conversation_id;
        IF conversation_id IS NULL THEN -- made meanwhile by the other user
            SELECT c.id INTO conversation_id FROM conversations c
             WHERE c.user_lo = v_lo AND c.user_hi = v_hi;
        END IF;
        INSERT INTO conversation_members (conversation_id, user_id)
        VALUES (conversation_id, v_lo), (conversation_id, v_hi)
        ON CONFLICT DO NOTHING;
    END IF;
    outcome := 'ok';
END $$;

-- Locks a conversation for a new entry by p_user and says whether they may post.
-- outcome: 'ok', 'no_conversation' (none, or never theirs), 'left' (former group member or
-- dissolved group), 'blocked', 'not_friends'. Locks: the group row then the conversation row
-- (the order group changes use), or the direct conversation's row.
CREATE FUNCTION tern_msg_lock(p_conv bigint, p_user bigint, p_allow_strangers boolean,
                              OUT outcome text, OUT kind smallint, OUT group_id bigint,
                              OUT role smallint, OUT mute_all boolean, OUT first_seq bigint,
                              OUT recipients bigint[])
LANGUAGE plpgsql AS $$
DECLARE
    v conversations%ROWTYPE;
    v_peer bigint;
BEGIN
    SELECT * INTO v FROM conversations c WHERE c.id = p_conv;
    IF NOT FOUND THEN
        outcome := 'no_conversation';
        RETURN;
    END IF;
    kind := v.kind;
    group_id := v.group_id;
    IF v.kind = 2 THEN
        role := tern_group_lock(v.group_id, p_user);
        IF coalesce(role, 0) = 0 THEN
            outcome := CASE WHEN EXISTS (SELECT 1 FROM conversation_members m
                                          WHERE m.conversation_id = p_conv
                                            AND m.user_id = p_user)
                            THEN 'left' ELSE 'no_conversation' END;
            RETURN;
        END IF;
        PERFORM 1 FROM conversations c WHERE c.id = p_conv FOR UPDATE;
        SELECT g.mute_all INTO mute_all FROM groups g WHERE g.id = v.group_id;
        recipients := ARRAY(SELECT gm.user_id FROM group_members gm
                             WHERE gm.group_id = v.group_id AND gm.left_seq IS NULL
                             ORDER BY gm.user_id);
    ELSE
        IF p_user <> v.user_lo AND p_user <> v.user_hi THEN
            outcome := 'no_conversation';
            RETURN;
        END IF;
        PERFORM 1 FROM conversations c WHERE c.id = p_conv FOR UPDATE;
        v_peer := CASE WHEN p_user = v.user_lo THEN v.user_hi ELSE v.user_lo END;
        IF EXISTS (SELECT 1 FROM contacts
                    WHERE blocked AND ((owner_id = p_user AND peer_id = v_peer)
                                       OR (owner_id = v_peer AND peer_id = p_user))) THEN
            outcome := 'blocked';
            RETURN;
        END IF;
        IF NOT p_allow_strangers AND NOT EXISTS (
                SELECT 1 FROM contacts
                 WHERE owner_id = p_user AND peer_id = v_peer AND is_friend) THEN
            outcome := 'not_friends';
            RETURN;
        END IF;
        role := 0;
        mute_all := false;
        recipients := ARRAY[v.user_lo, v.user_hi];
    END IF;
    SELECT m.first_seq INTO first_seq FROM conversation_members m
     WHERE m.conversation_id = p_conv AND m.user_id = p_user;
    outcome := 'ok';
END $$;

-- The conversation's next seq; call with it locked (tern_msg_lock).
CREATE FUNCTION tern_msg_next_seq(p_conv bigint, p_group bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE v_seq bigint;
BEGIN
    IF p_group IS NOT NULL THEN
        v_seq := tern_group_next_seq(p_group);
        UPDATE conversations SET last_seq = v_seq, change_xid = pg_current_xact_id()
         WHERE id = p_conv;
    ELSE
        UPDATE conversations SET last_seq = last_seq + 1, change_xid = pg_current_xact_id()
         WHERE id = p_conv RETURNING last_seq INTO v_seq;
    END IF;
    RETURN v_seq;
END $$;

-- What sending returns. outcome: 'ok', 'duplicate' (seq and time of the original), or why
-- nothing was stored: those of tern_msg_lock, 'muted', 'mention_all' (not an admin),
-- 'bad_mention' (not a member), 'no_reply_target', 'no_target', 'not_sender', 'not_text',
-- 'window', 'recalled', 'not_admin', 'unchanged', 'changed'.
CREATE TYPE tern_msg_result AS (
    outcome         text,
    conversation_id bigint,
    seq             bigint,
    sent_at_ms      bigint,
    recipients      bigint[]
);

-- The helpers on the send path are PL/pgSQL, whose plans are cached per session (the body
-- of a LANGUAGE sql function is parsed again on every call).
CREATE FUNCTION tern_msg_outcome(p_outcome text) RETURNS tern_msg_result
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN ROW(p_outcome, NULL, NULL, NULL, NULL)::tern_msg_result;
END $$;

-- The earlier copy of (p_sender, p_client), if any, as a 'duplicate' result.
CREATE FUNCTION tern_msg_find_duplicate(p_sender bigint, p_client uuid) RETURNS tern_msg_result
LANGUAGE plpgsql STABLE AS $$
DECLARE r tern_msg_result;
BEGIN
    SELECT 'duplicate', m.conversation_id, m.seq,
           (extract(epoch FROM m.created_at) * 1000)::bigint, NULL
      INTO r
      FROM messages m WHERE m.sender_id = p_sender AND m.client_msg_id = p_client;
    RETURN r;
END $$;

-- Who hears of an event about message p_target: the recipients who may read it (a member who
-- joined after it never saw it, and is not told what became of it).
CREATE FUNCTION tern_msg_event_audience(p_conv bigint, p_recipients bigint[], p_target bigint)
RETURNS bigint[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN ARRAY(SELECT m.user_id FROM conversation_members m
                  WHERE m.conversation_id = p_conv AND m.user_id = ANY (p_recipients)
                    AND m.first_seq <= p_target
                  ORDER BY m.user_id);
END $$;

-- Appends an entry; call with the conversation locked.
CREATE FUNCTION tern_msg_append(p_conv bigint, p_group bigint, p_sender bigint, p_client uuid,
                                p_kind smallint, p_body bytea, p_target bigint,
                                p_mentions bigint[], p_mention_all boolean, p_search text,
                                p_grams text[], p_recipients bigint[])
RETURNS tern_msg_result
LANGUAGE plpgsql AS $$
DECLARE
    v_seq bigint := tern_msg_next_seq(p_conv, p_group);
    v_at timestamptz;
BEGIN
    INSERT INTO messages (conversation_id, seq, sender_id, client_msg_id, kind, body,
                          target_seq, mentions, mention_all, search_text, search_grams)
    VALUES (p_conv, v_seq, p_sender, p_client, p_kind, p_body, p_target,
            coalesce(p_mentions, '{}'), p_mention_all, nullif(p_search, ''),
            CASE WHEN coalesce(p_search, '') = '' THEN NULL ELSE p_grams END)
    RETURNING created_at INTO v_at;
    RETURN ROW('ok', p_conv, v_seq, (extract(epoch FROM v_at) * 1000)::bigint,
               p_recipients)::tern_msg_result;
END $$;

CREATE FUNCTION tern_msg_send(p_conv bigint, p_sender bigint, p_client uuid, p_kind smallint,
                              p_body bytea, p_reply_to bigint, p_mentions bigint[],
                              p_mention_all boolean, p_search text, p_grams text[],
                              p_allow_strangers boolean)
RETURNS tern_msg_result
LANGUAGE plpgsql AS $$
DECLARE
    l record;
    d tern_msg_result;
BEGIN
    l := tern_msg_lock(p_conv, p_sender, p_allow_strangers);
    -- Looked for after the lock: a concurrent retry of the same message has committed by now.
    d := tern_msg_find_duplicate(p_sender, p_client);
    IF d.outcome IS NOT NULL THEN
        RETURN d;
    END IF;
    IF l.outcome <> 'ok' THEN
        RETURN tern_msg_outcome(l.outcome);
    END IF;
    IF l.mute_all AND l.role < 2 THEN
        RETURN tern_msg_outcome('muted');
    END IF;
    IF p_mention_all AND (l.kind <> 2 OR l.role < 2) THEN
        RETURN tern_msg_outcome('mention_all');
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(p_mentions) u WHERE u <> ALL (l.recipients)) THEN
        RETURN tern_msg_outcome('bad_mention');
    END IF;
    IF coalesce(p_reply_to, 0) > 0 AND NOT EXISTS (
            SELECT 1 FROM messages m
             WHERE m.conversation_id = p_conv AND m.seq = p_reply_to AND m.kind <= 6
               AND m.seq >= l.first_seq) THEN
        RETURN tern_msg_outcome('no_reply_target');
    END IF;
    RETURN tern_msg_append(p_conv, l.group_id, p_sender, p_client, p_kind, p_body, NULL,
                           p_mentions, p_mention_all, p_search, p_grams, l.recipients);
END $$;

-- Edits the text of the sender's own message within p_window_s seconds of sending.
-- p_content is the target's whole new content (serialized), made from p_old, the content it
-- was read with: 'changed' when it is no longer that (the caller reads again and retries).
-- p_event is the MessageEdit.
CREATE FUNCTION tern_msg_edit(p_conv bigint, p_sender bigint, p_client uuid, p_target bigint,
                              p_old bytea, p_content bytea, p_event bytea, p_search text,
                              p_grams text[],
                              p_window_s int)
RETURNS tern_msg_result
LANGUAGE plpgsql AS $$
DECLARE
    l record;
    d tern_msg_result;
    t messages%ROWTYPE;
BEGIN
    l := tern_msg_lock(p_conv, p_sender, true);
    d := tern_msg_find_duplicate(p_sender, p_client);
    IF d.outcome IS NOT NULL THEN
        RETURN d;
    END IF;
    IF l.outcome NOT IN ('ok', 'not_friends') THEN
        RETURN tern_msg_outcome(l.outcome);
    END IF;
    IF l.mute_all AND l.role < 2 THEN
        RETURN tern_msg_outcome('muted');
    END IF;
    SELECT * INTO t FROM messages m
     WHERE m.conversation_id = p_conv AND m.seq = p_target AND m.kind <= 6
       AND m.seq >= l.first_seq;
    IF NOT FOUND THEN
        RETURN tern_msg_outcome('no_target');
    ELSIF t.sender_id <> p_sender THEN
        RETURN tern_msg_outcome('not_sender');
    ELSIF t.recalled_by IS NOT NULL THEN
        RETURN tern_msg_outcome('recalled');
    ELSIF t.kind NOT IN (1, 2, 3, 4, 5) THEN
        RETURN tern_msg_outcome('not_text');
    ELSIF t.created_at < now() - make_interval(secs => p_window_s) THEN
        RETURN tern_msg_outcome('window');
    ELSIF t.body <> p_old THEN
        RETURN tern_msg_outcome('changed');
    END IF;
    UPDATE messages SET body = p_content, search_text = nullif(p_search, ''),
                        search_grams = CASE WHEN coalesce(p_search, '') = '' THEN NULL
                                            ELSE p_grams END,
                        edited_at = now()
     WHERE conversation_id = p_conv AND seq = p_target;
    RETURN tern_msg_append(p_conv, l.group_id, p_sender, p_client, 12::smallint, p_event,
                           p_target, '{}', false, NULL, NULL,
                           tern_msg_event_audience(p_conv, l.recipients, p_target));
END $$;

-- Recalls a message: its sender within p_window_s seconds, or a group admin or owner at any
-- time. The content of the target and of its edits is erased.
CREATE FUNCTION tern_msg_recall(p_conv bigint, p_user bigint, p_client uuid, p_target bigint,
                                p_event bytea, p_window_s int)
RETURNS tern_msg_result
LANGUAGE plpgsql AS $$
DECLARE
    l record;
    d tern_msg_result;
    t messages%ROWTYPE;
BEGIN
    l := tern_msg_lock(p_conv, p_user, true);
    d := tern_msg_find_duplicate(p_user, p_client);
    IF d.outcome IS NOT NULL THEN
        RETURN d;
    END IF;
    IF l.outcome NOT IN ('ok', 'not_friends') THEN
        RETURN tern_msg_outcome(l.outcome);
    END IF;
    SELECT * INTO t FROM messages m
     WHERE m.conversation_id = p_conv AND m.seq = p_target AND m.kind <= 6
       AND m.seq >= l.first_seq;
    IF NOT FOUND THEN
        RETURN tern_msg_outcome('no_target');
    ELSIF t.recalled_by IS NOT NULL THEN
        RETURN tern_msg_outcome('recalled');
    ELSIF l.role >= 2 THEN
        NULL; -- group admins and the owner recall any message, at any time
    ELSIF t.sender_id <> p_user THEN
        RETURN tern_msg_outcome('not_admin');
    ELSIF t.created_at < now() - make_interval(secs => p_window_s) THEN
        RETURN tern_msg_outcome('window');
    END IF;
    UPDATE messages SET body = ''::bytea, search_text = NULL, search_grams = NULL,
                        mentions = '{}', mention_all = false, recalled_by = p_user
     WHERE conversation_id = p_conv AND seq = p_target;
    UPDATE messages SET body = ''::bytea
     WHERE conversation_id = p_conv AND kind = 12 AND target_seq = p_target;
    DELETE FROM message_reactions WHERE conversation_id = p_conv AND seq = p_target;
    RETURN tern_msg_append(p_conv, l.group_id, p_user, p_client, 13::smallint, p_event,
                           p_target, '{}', false, NULL, NULL,
                           tern_msg_event_audience(p_conv, l.recipients, p_target));
END $$;

-- Sets (p_emoji non-empty) or removes p_user's reaction. 'unchanged' when it already was so.
CREATE FUNCTION tern_msg_react(p_conv bigint, p_user bigint, p_target bigint, p_emoji text,
                               p_event bytea)
RETURNS tern_msg_result
LANGUAGE plpgsql AS $$
DECLARE
    l record;
    v_old text;
BEGIN
    l := tern_msg_lock(p_conv, p_user, true);
    IF l.outcome <> 'ok' THEN
        RETURN tern_msg_outcome(l.outcome);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM messages m
                    WHERE m.conversation_id = p_conv AND m.seq = p_target AND m.kind <= 6
                      AND m.seq >= l.first_seq AND m.recalled_by IS NULL) THEN
        RETURN tern_msg_outcome('no_target');
    END IF;
    SELECT r.emoji INTO v_old FROM message_reactions r
     WHERE r.conversation_id = p_conv AND r.seq = p_target AND r.user_id = p_user;
    IF coalesce(v_old, '') = p_emoji THEN
        RETURN tern_msg_outcome('unchanged');
    END IF;
    IF p_emoji = '' THEN
        DELETE FROM message_reactions
         WHERE conversation_id = p_conv AND seq = p_target AND user_id = p_user;
    ELSE
        INSERT INTO message_reactions (conversation_id, seq, user_id, emoji)
        VALUES (p_conv, p_target, p_user, p_emoji)
        ON CONFLICT (conversation_id, seq, user_id) DO UPDATE
            SET emoji = EXCLUDED.emoji, reacted_at = now();
    END IF;
    RETURN tern_msg_append(p_conv, l.group_id, p_user, NULL, 14::smallint, p_event, p_target,
                           '{}', false, NULL, NULL,
                           tern_msg_event_audience(p_conv, l.recipients, p_target));
END $$;

-- Moves p_user's cursors forward (up to the seqs they may read). 'no_conversation' when not
-- theirs. A direct conversation's change_xid moves too: the peer's receipts are in its state.
CREATE FUNCTION tern_msg_update_cursors(p_conv bigint, p_user bigint, p_delivered bigint,
                                        p_read bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_kind smallint;
    v_last bigint;
BEGIN
    SELECT c.kind, coalesce(m.left_seq, c.last_seq) INTO v_kind, v_last
      FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id
     WHERE m.conversation_id = p_conv AND m.user_id = p_user;
    IF NOT FOUND THEN
        RETURN 'no_conversation';
    END IF;
    UPDATE conversation_members
       SET delivered_seq = greatest(delivered_seq, least(p_delivered, v_last), least(p_read, v_last)),
           read_seq = greatest(read_seq, least(p_read, v_last)),
           change_xid = pg_current_xact_id()
     WHERE conversation_id = p_conv AND user_id = p_user;
    IF v_kind = 1 THEN
        UPDATE conversations SET change_xid = pg_current_xact_id() WHERE id = p_conv;
    END IF;
    RETURN 'ok';
END $$;

-- Hides entries from p_user (delete for me). 'no_conversation' when not theirs.
CREATE FUNCTION tern_msg_hide(p_conv bigint, p_user bigint, p_seqs bigint[]) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM conversation_members m
     WHERE m.conversation_id = p_conv AND m.user_id = p_user FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 'no_conversation';
    END IF;
    -- Only entries the user can see: nothing is stored for seqs that do not exist (yet).
    INSERT INTO hidden_messages (user_id, conversation_id, seq)
    SELECT p_user, p_conv, s
      FROM unnest(p_seqs) s, conversation_members m JOIN conversations c ON c.id = m.conversation_id
     WHERE m.conversation_id = p_conv AND m.user_id = p_user
       AND s BETWEEN m.first_seq AND coalesce(m.left_seq, c.last_seq)
    ON CONFLICT (user_id, conversation_id, seq) DO UPDATE SET change_xid = pg_current_xact_id();
    UPDATE conversation_members SET change_xid = pg_current_xact_id()
     WHERE conversation_id = p_conv AND user_id = p_user;
    RETURN 'ok';
END $$;

-- p_user's state of conversations (the columns of tern.v1.ConversationState but the last
-- message, which is its seq here). hidden_seqs: those hidden since p_since (NULL: none).
-- receipts_shared: a direct conversation whose two users both share read receipts and have
-- not blocked each other.
CREATE FUNCTION tern_conversation_states(p_user bigint, p_convs bigint[], p_since xid8)
RETURNS TABLE (conversation_id bigint, kind smallint, peer_user_id bigint, group_id bigint,
               last_seq bigint, first_seq bigint, active boolean, read_seq bigint,
               delivered_seq bigint, unread_count bigint, mentioned boolean, muted boolean,
               pinned boolean, archived boolean, peer_read_seq bigint,
               peer_delivered_seq bigint, hidden_seqs bigint[], last_message_seq bigint,
               receipts_shared boolean)
LANGUAGE sql STABLE AS $$
    SELECT c.id, c.kind,
           CASE WHEN c.kind = 1 THEN CASE WHEN c.user_lo = p_user THEN c.user_hi
                                          ELSE c.user_lo END ELSE 0 END,
           coalesce(c.group_id, 0),
           coalesce(m.left_seq, c.last_seq), m.first_seq,
           m.left_seq IS NULL,
           m.read_seq, m.delivered_seq,
           (SELECT count(*) FROM (
                SELECT 1 FROM messages x
                 WHERE x.conversation_id = c.id AND x.seq > greatest(m.read_seq, m.first_seq - 1)
                   AND x.seq <= coalesce(m.left_seq, c.last_seq)
                   AND x.kind <= 6 AND x.sender_id <> p_user AND x.recalled_by IS NULL
                   AND NOT EXISTS (SELECT 1 FROM hidden_messages h
                                    WHERE h.user_id = p_user AND h.conversation_id = c.id
                                      AND h.seq = x.seq)
                 LIMIT 9999) unread),
           EXISTS (SELECT 1 FROM messages x
                    WHERE x.conversation_id = c.id AND x.seq > m.read_seq
                      AND x.seq >= m.first_seq AND x.seq <= coalesce(m.left_seq, c.last_seq)
                      AND x.kind <= 6 AND x.sender_id <> p_user AND x.recalled_by IS NULL
                      AND (x.mention_all OR p_user = ANY (x.mentions))),
           m.muted, m.pinned, m.archived,
           CASE WHEN me.read_receipts AND p.read_receipts AND p.unblocked THEN p.read_seq
                ELSE 0 END,
           CASE WHEN me.read_receipts AND p.read_receipts AND p.unblocked THEN p.delivered_seq
                ELSE 0 END,
           CASE WHEN p_since IS NULL THEN '{}'::bigint[]
                ELSE ARRAY(SELECT h.seq FROM hidden_messages h
                            WHERE h.user_id = p_user AND h.conversation_id = c.id
                              AND h.change_xid >= p_since ORDER BY h.seq) END,
           (SELECT x.seq FROM messages x
             WHERE x.conversation_id = c.id AND x.kind <= 6 AND x.seq >= m.first_seq
               AND x.seq <= coalesce(m.left_seq, c.last_seq)
             ORDER BY x.seq DESC LIMIT 1),
           coalesce(me.read_receipts AND p.read_receipts AND p.unblocked, false)
      FROM unnest(p_convs) AS wanted (id)
      JOIN conversation_members m ON m.conversation_id = wanted.id AND m.user_id = p_user
      JOIN conversations c ON c.id = m.conversation_id
      JOIN users me ON me.id = p_user
      -- A direct conversation's other user: their cursors count when both share receipts
      -- and neither blocked the other.
      LEFT JOIN LATERAL (
          SELECT pm.read_seq, pm.delivered_seq, pu.read_receipts,
                 NOT EXISTS (SELECT 1 FROM contacts k
                              WHERE k.blocked
                                AND ((k.owner_id = p_user AND k.peer_id = pm.user_id)
                                     OR (k.owner_id = pm.user_id AND k.peer_id = p_user)))
                     AS unblocked
            FROM conversation_members pm
            JOIN users pu ON pu.id = pm.user_id
           WHERE c.kind = 1 AND pm.conversation_id = c.id AND pm.user_id <> p_user) p ON true
     ORDER BY c.id
$$;
