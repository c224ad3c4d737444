-- Avatars are files too: reading one (FileStore::readableFile) and collecting unreferenced
-- files (FileJanitor) look users and groups up by avatar_file_id.
CREATE INDEX users_avatar_file ON users (avatar_file_id);
CREATE INDEX groups_avatar_file ON groups (avatar_file_id);
