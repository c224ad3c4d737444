-- SPDX-License-Identifier: Apache-2.0
-- Accounts and device sessions.

CREATE TABLE users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        text NOT NULL,
    -- The case-folded username: what uniqueness and lookups use.
    username_key    text NOT NULL,
    display_name    text NOT NULL,
    -- Argon2id in libsodium's self-describing string format.
    password_hash   text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    banned_at       timestamptz,
    ban_reason      text,
    CONSTRAINT users_username_key_unique UNIQUE (username_key),
    CONSTRAINT users_username_key_folded CHECK (username_key = lower(username))
);

-- One row per device login. The token itself is never stored, only its SHA-256.
CREATE TABLE sessions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash      bytea NOT NULL,
    device_id       text NOT NULL,
    device_name     text NOT NULL,
    client_name     text NOT NULL,
    client_version  text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    last_address    text NOT NULL,
    revoked_at      timestamptz,
    -- Why it ended: 'revoked', 'password_changed', 'banned', 'replaced'.
    revoked_reason  text,
    CONSTRAINT sessions_token_hash_unique UNIQUE (token_hash),
    CONSTRAINT sessions_token_hash_length CHECK (octet_length(token_hash) = 32)
);

-- One live session per (user, device): logging in again from a device replaces its session.
CREATE UNIQUE INDEX sessions_live_device_unique ON sessions (user_id, device_id)
    WHERE revoked_at IS NULL;
CREATE INDEX sessions_live_by_user ON sessions (user_id) WHERE revoked_at IS NULL;
