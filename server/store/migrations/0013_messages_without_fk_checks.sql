-- SPDX-License-Identifier: Apache-2.0
-- messages drops its two foreign keys; triggers on the referenced tables keep what they did.
-- A foreign key is checked per inserted row, by a query run through SPI at the end of the
-- statement ("SELECT 1 FROM ONLY users WHERE id = $1 FOR KEY SHARE"); the key-share lock on
-- the sender's row also writes a WAL record. In the pairs benchmark these checks were 10 % of
-- all CPU (issue 5, docs/benchmarks.md). Every path that inserts a message has already looked
-- up the conversation under a row lock (tern_msg_lock / tern_msg_send_many) and checked that
-- the sender is one of its members, whose rows reference users; so the checks found nothing
-- that the send functions had not.
--
-- What the keys did on delete stays (the application deletes neither; an operator might):
-- deleting a conversation deletes its messages (was ON DELETE CASCADE), and a user cannot be
-- deleted while a message of theirs remains once the cascades have run (was NO ACTION: their
-- direct conversations go with them, their group messages stop the delete). One guarantee is weaker:
-- a group message sent while its sender's user row is being deleted in a concurrent
-- transaction is no longer stopped by a lock on that row.
ALTER TABLE messages DROP CONSTRAINT messages_conversation_id_fkey,
                     DROP CONSTRAINT messages_sender_id_fkey;

CREATE FUNCTION tern_conversations_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM messages m USING gone g WHERE m.conversation_id = g.id;
    RETURN NULL;
END $$;

CREATE TRIGGER conversations_delete_messages
    AFTER DELETE ON conversations REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION tern_conversations_deleted();

CREATE FUNCTION tern_user_deleting() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- messages_client_msg_id_unique (sender_id, client_msg_id) answers this by index.
    IF EXISTS (SELECT 1 FROM messages m WHERE m.sender_id = OLD.id) THEN
        RAISE EXCEPTION 'user % has sent messages and cannot be deleted', OLD.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;

-- Checked at commit: the cascades of the user's delete (their direct conversations, and
-- through conversations_delete_messages those conversations' messages) run as triggers of
-- the same statement, queued after this one.
CREATE CONSTRAINT TRIGGER users_keep_senders
    AFTER DELETE ON users DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION tern_user_deleting();
