-- Files (files.proto): contents by SHA-256 (blobs, stored once on disk by the blob store),
-- the files users uploaded (one row per upload of a content: its own id, name and type), and
-- uploads in progress with the offset committed so far.
CREATE TABLE blobs (
    sha256      bytea PRIMARY KEY CHECK (length(sha256) = 32),
    size        bigint NOT NULL CHECK (size > 0),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE files (
    id          text PRIMARY KEY,
    owner_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sha256      bytea NOT NULL REFERENCES blobs (sha256),
    name        text NOT NULL,
    mime_type   text NOT NULL,
    size        bigint NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX files_by_owner ON files (owner_id);
CREATE INDEX files_by_content ON files (sha256);

-- One pending upload per user and content: announcing it again resumes it.
CREATE TABLE uploads (
    id          text PRIMARY KEY,
    owner_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sha256      bytea NOT NULL CHECK (length(sha256) = 32),
    size        bigint NOT NULL CHECK (size > 0),
    name        text NOT NULL,
    mime_type   text NOT NULL,
    committed   bigint NOT NULL DEFAULT 0 CHECK (committed >= 0 AND committed <= size),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner_id, sha256, size)
);
CREATE INDEX uploads_by_age ON uploads (updated_at);
