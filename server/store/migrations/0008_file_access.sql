-- Who may read a file besides its uploader: members of a conversation in which a message that
-- is not recalled refers to it (files.proto). message_files lists those references; a trigger
-- keeps it in step with messages, so every way a message is written (send, batched send,
-- forward) or emptied (recall sets body = '') is covered without touching those paths. Only
-- kinds that carry files (2-6: image, file, voice, video, forward bundle) fire it: text, the
-- bulk of the traffic, costs nothing.

-- The length-delimited values of field `wanted` in a serialized protobuf message (bytes,
-- strings, embedded messages). Malformed input ends the scan quietly: the server wrote these
-- bodies itself after validating them.
CREATE FUNCTION tern_pb_field_values(msg bytea, wanted int) RETURNS SETOF bytea
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    pos int := 0;
    n int := length(msg);
    b int;
    key bigint;
    len bigint;
    shift int;
BEGIN
    WHILE pos < n LOOP
        key := 0;
        shift := 0;
        LOOP
            IF pos >= n OR shift > 56 THEN RETURN; END IF;
            b := get_byte(msg, pos);
            pos := pos + 1;
            key := key | ((b & 127)::bigint << shift);
            shift := shift + 7;
            EXIT WHEN b < 128;
        END LOOP;
        CASE key & 7
        WHEN 0 THEN
            LOOP
                IF pos >= n THEN RETURN; END IF;
                b := get_byte(msg, pos);
                pos := pos + 1;
                EXIT WHEN b < 128;
            END LOOP;
        WHEN 1 THEN
            pos := pos + 8;
        WHEN 5 THEN
            pos := pos + 4;
        WHEN 2 THEN
            len := 0;
            shift := 0;
            LOOP
                IF pos >= n OR shift > 56 THEN RETURN; END IF;
                b := get_byte(msg, pos);
                pos := pos + 1;
                len := len | ((b & 127)::bigint << shift);
                shift := shift + 7;
                EXIT WHEN b < 128;
            END LOOP;
            IF pos + len > n THEN RETURN; END IF;
            IF (key >> 3) = wanted THEN
                RETURN NEXT substring(msg FROM pos + 1 FOR len::int);
            END IF;
            pos := pos + len::int;
        ELSE
            RETURN; -- groups: tern never writes them
        END CASE;
    END LOOP;
END
$$;

-- The file ids a serialized tern.v1.MessageContent refers to: its FileRef (field 3, id field 1)
-- and, in a merged forward (bundle, field 7), each item's (items 2 -> content 3 -> file 3).
CREATE FUNCTION tern_message_file_ids(body bytea) RETURNS SETOF text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT convert_from(id, 'UTF8')
      FROM tern_pb_field_values(body, 3) AS ref, LATERAL tern_pb_field_values(ref, 1) AS id
    UNION
    SELECT convert_from(id, 'UTF8')
      FROM tern_pb_field_values(body, 7) AS bundle,
           LATERAL tern_pb_field_values(bundle, 2) AS item,
           LATERAL tern_pb_field_values(item, 3) AS content,
           LATERAL tern_pb_field_values(content, 3) AS ref,
           LATERAL tern_pb_field_values(ref, 1) AS id
$$;

CREATE TABLE message_files (
    file_id         text NOT NULL,
    conversation_id bigint NOT NULL,
    seq             bigint NOT NULL,
    PRIMARY KEY (file_id, conversation_id, seq),
    FOREIGN KEY (conversation_id, seq) REFERENCES messages (conversation_id, seq) ON DELETE CASCADE
);
CREATE INDEX message_files_of_message ON message_files (conversation_id, seq);

CREATE FUNCTION tern_message_files_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM message_files WHERE conversation_id = OLD.conversation_id AND seq = OLD.seq;
    END IF;
    INSERT INTO message_files (file_id, conversation_id, seq)
    SELECT id, NEW.conversation_id, NEW.seq FROM tern_message_file_ids(NEW.body) AS id
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER messages_file_references
    AFTER INSERT OR UPDATE OF body ON messages
    FOR EACH ROW WHEN (NEW.kind BETWEEN 2 AND 6)
    EXECUTE FUNCTION tern_message_files_sync();
