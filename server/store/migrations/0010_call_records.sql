-- Calls leave a record in their conversation (calls.proto): MessageContent kind 7, KIND_CALL,
-- written by the server when a call ends. The check is added NOT VALID and validated apart,
-- so that existing rows are scanned without blocking writes.
ALTER TABLE messages DROP CONSTRAINT messages_kind_check;
ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind BETWEEN 1 AND 7 OR kind BETWEEN 12 AND 14) NOT VALID;
ALTER TABLE messages VALIDATE CONSTRAINT messages_kind_check;
