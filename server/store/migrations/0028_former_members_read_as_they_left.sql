-- SPDX-License-Identifier: Apache-2.0
-- A former group member (conversation_members.left_seq set: left, removed, or the group was
-- dissolved) reads the history up to left_seq, and the entries did stop there; but each
-- message was read as it is now. Edits rewrite the target's body in place and reactions live
-- in message_reactions, so GetMessages, the last message of SyncConversations, forwards and
-- search showed a former member the text of edits made after they left (and when), and
-- reactions set, changed or taken back since; search even matched the words of such an edit.
-- Now they see each message as it was at left_seq (MessageStore, TERN_MESSAGE_COLUMNS):
-- - content: an edit row keeps the content it replaced (messages.prior_body), so the content
--   at left_seq is the prior_body of the first edit after it, or the current one if none;
-- - edited_at: the time of the last edit up to left_seq;
-- - reactions: each user's last reaction event (kind 14) up to left_seq; the events are the
--   whole log of reactions (tern_msg_react writes one for every change);
-- - search: a message edited after left_seq is not matched for them (its words are indexed as
--   they are now).
-- A recall made after they left still shows: a recall takes the content off the server for
-- everyone (invariant 5), and now the prior_body of the target's edits too. Edits made before
-- this migration kept no prior content: such a message edited after its reader left, before
-- this upgrade, still shows its current text to them.
--
-- Members read as before (left_seq NULL takes none of the new paths), and sends are untouched:
-- they never write prior_body, and the new index is partial (reaction events only), so other
-- inserts only test its predicate.
ALTER TABLE messages ADD COLUMN prior_body bytea;

-- A message's reaction events in seq order.
CREATE INDEX messages_reaction_events ON messages (conversation_id, target_seq, seq)
    WHERE kind = 14;

-- The emoji of a stored ReactionChange (field 2, UTF-8), NULL for a removal (empty emoji: the
-- field is left out). MessageStore::react writes the event with nothing else set.
CREATE FUNCTION tern_msg_reaction_emoji(p_body bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT nullif(v, ''::bytea) FROM tern_pb_field_values(p_body, 2) AS v LIMIT 1
$$;

-- As in 0004, but the edit row is written here (not by tern_msg_append) with the content it
-- replaces.
CREATE OR REPLACE FUNCTION tern_msg_edit(p_conv bigint, p_sender bigint, p_client uuid,
                                         p_target bigint, p_old bytea, p_content bytea,
                                         p_event bytea, p_search text, p_grams text[],
                                         p_window_s int)
RETURNS tern_msg_result
LANGUAGE plpgsql AS $$
DECLARE
    l record;
    d tern_msg_result;
    t messages%ROWTYPE;
    v_seq bigint;
    v_at timestamptz;
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
    v_seq := tern_msg_next_seq(p_conv, l.group_id);
    INSERT INTO messages (conversation_id, seq, sender_id, client_msg_id, kind, body,
                          target_seq, prior_body)
    VALUES (p_conv, v_seq, p_sender, p_client, 12, p_event, p_target, t.body)
    RETURNING created_at INTO v_at;
    RETURN ROW('ok', p_conv, v_seq, (extract(epoch FROM v_at) * 1000)::bigint,
               tern_msg_event_audience(p_conv, l.recipients, p_target))::tern_msg_result;
END $$;

-- As in 0004, but erasing the content the target's edits replaced as well.
CREATE OR REPLACE FUNCTION tern_msg_recall(p_conv bigint, p_user bigint, p_client uuid,
                                           p_target bigint, p_event bytea, p_window_s int)
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
    UPDATE messages SET body = ''::bytea, prior_body = NULL
     WHERE conversation_id = p_conv AND kind = 12 AND target_seq = p_target;
    DELETE FROM message_reactions WHERE conversation_id = p_conv AND seq = p_target;
    RETURN tern_msg_append(p_conv, l.group_id, p_user, p_client, 13::smallint, p_event,
                           p_target, '{}', false, NULL, NULL,
                           tern_msg_event_audience(p_conv, l.recipients, p_target));
END $$;
