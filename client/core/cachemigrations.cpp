// SPDX-License-Identifier: Apache-2.0
#include "cachemigrations.h"

namespace tern::client {

const std::vector<QStringList> &cacheMigrations()
{
    static const std::vector<QStringList> migrations = {
        // 1: conversations, their entries, the outbox, people, search, sync cursors.
        {
            QStringLiteral("CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID"),
            // The server's ConversationState as it was last seen (serialized), the columns the
            // list sorts by, and what this cache holds of the history: entries
            // oldest_seq..have_seq are all present (0/0: none yet).
            QStringLiteral(
                "CREATE TABLE conversations ("
                " id INTEGER PRIMARY KEY, state BLOB NOT NULL, pinned INTEGER NOT NULL,"
                " last_activity_ms INTEGER NOT NULL, oldest_seq INTEGER NOT NULL DEFAULT 0,"
                " have_seq INTEGER NOT NULL DEFAULT 0)"),
            // One row per history entry; `entry` is the serialized tern.v1.Message as it is now
            // (edits, recalls and reactions applied). Event entries (edit, recall, reaction)
            // are kept for contiguity but not shown (shown = 0).
            QStringLiteral("CREATE TABLE messages ("
                           " conversation_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
                           " sender_id INTEGER NOT NULL, client_msg_id TEXT NOT NULL, sent_at_ms "
                           "INTEGER NOT NULL,"
                           " shown INTEGER NOT NULL, entry BLOB NOT NULL,"
                           " PRIMARY KEY (conversation_id, seq)) WITHOUT ROWID"),
            // Messages written here and not yet acknowledged; survive restarts (DESIGN.md:
            // retried with their client_msg_id until acked).
            QStringLiteral(
                "CREATE TABLE outbox ("
                " client_msg_id TEXT PRIMARY KEY, conversation_id INTEGER NOT NULL,"
                " content BLOB NOT NULL, created_at_ms INTEGER NOT NULL,"
                " attempts INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,"
                " error TEXT NOT NULL DEFAULT '')"), // rowid keeps the order of writing
            QStringLiteral(
                "CREATE INDEX outbox_by_conversation ON outbox (conversation_id, created_at_ms)"),
            // People this account has seen: their profile and, for contacts, the contact
            // record (remark, friendship, block), both serialized tern.v1 messages.
            QStringLiteral(
                "CREATE TABLE users (id INTEGER PRIMARY KEY, profile BLOB, contact BLOB)"),
            // Character bigrams (and single characters) of CJK text, lower-cased words of the
            // rest: see searchterms.h. unicode61 then only splits on the spaces we put in.
            QStringLiteral(
                "CREATE VIRTUAL TABLE message_search USING fts5("
                " terms, conversation_id UNINDEXED, seq UNINDEXED, tokenize = 'unicode61')"),
        },
        // 2: the groups the user is in (GroupMembership as last listed or pushed).
        {
            QStringLiteral(
                "CREATE TABLE groups (id INTEGER PRIMARY KEY, membership BLOB NOT NULL)"),
        },
        // 3: friend requests to and from the user (tern.v1.FriendRequest, latest state).
        {
            QStringLiteral(
                "CREATE TABLE friend_requests (id INTEGER PRIMARY KEY, request BLOB NOT NULL)"),
        },
        // 4: uploads and downloads, so that they continue after a restart (TransferStore).
        {
            QStringLiteral(
                "CREATE TABLE transfers ("
                " id TEXT PRIMARY KEY, direction INTEGER NOT NULL, state INTEGER NOT NULL,"
                " local_path TEXT NOT NULL, file_id TEXT NOT NULL, upload_id TEXT NOT NULL,"
                " name TEXT NOT NULL, mime_type TEXT NOT NULL, size INTEGER NOT NULL,"
                " sha256 BLOB NOT NULL, done_bytes INTEGER NOT NULL,"
                " conversation_id INTEGER NOT NULL, error TEXT NOT NULL,"
                " created_at_ms INTEGER NOT NULL)"),
            QStringLiteral("CREATE INDEX transfers_by_file ON transfers (file_id)"),
        },
        // 5: an event entry's target (edit, recall, reaction), so that an entry fetched after
        // its event arrived gets the event applied (MessageStore::store). Rows written before
        // stay NULL.
        {
            QStringLiteral("ALTER TABLE messages ADD COLUMN target_seq INTEGER"),
            QStringLiteral("CREATE INDEX messages_by_target ON messages (conversation_id, "
                           "target_seq) WHERE target_seq IS NOT NULL"),
        },
        // 6: uploads cancelled here that the server has not heard of yet (TransferStore), so
        // that a cancel made offline still frees the user's quota once back online.
        {
            QStringLiteral(
                "CREATE TABLE upload_cancels (upload_id TEXT PRIMARY KEY) WITHOUT ROWID"),
        },
        // 7: what was typed in a conversation and not sent yet (DraftStore), so that it
        // survives a restart; mentions: JSON [{userId, name}] picked with @-completion.
        {
            QStringLiteral("CREATE TABLE drafts (conversation_id INTEGER PRIMARY KEY,"
                           " text TEXT NOT NULL, mentions TEXT NOT NULL DEFAULT '[]')"),
        },
        // 8: the message a draft answers (the composer's reply bar), so that a reply survives
        // switching chats and a restart; reply_summary: what the bar showed of it, for when
        // the message is no longer in the cache. 0 and '': not a reply (the drafts of 7).
        {
            QStringLiteral("ALTER TABLE drafts ADD COLUMN reply_to_seq INTEGER NOT NULL DEFAULT 0"),
            QStringLiteral("ALTER TABLE drafts ADD COLUMN reply_summary TEXT NOT NULL DEFAULT ''"),
        },
    };
    return migrations;
}

} // namespace tern::client
