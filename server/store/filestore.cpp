// SPDX-License-Identifier: Apache-2.0
// FileStore: the files SQL, on the thread of the worker's pool.
#include "store/filestore.h"

#include "store/pgpool.h"

namespace tern::server {

namespace {

// The FileRow columns of `files f`.
#define TERN_FILE_COLUMNS                                                                          \
    " f.id, f.owner_id, f.sha256, f.name, f.mime_type, f.size,"                                    \
    " (extract(epoch FROM f.created_at) * 1000)::bigint"

FileRow readFile(const PgResult &r, int row)
{
    return {r.text(row, 0), r.int64(row, 1), r.bytea(row, 2), r.text(row, 3),
            r.text(row, 4), r.int64(row, 5), r.int64(row, 6)};
}

#define TERN_UPLOAD_COLUMNS " u.id, u.owner_id, u.sha256, u.size, u.name, u.mime_type, u.committed"

UploadRow readUpload(const PgResult &r, int row, int column = 0)
{
    return {r.text(row, column),      r.int64(row, column + 1), r.bytea(row, column + 2),
            r.int64(row, column + 3), r.text(row, column + 4),  r.text(row, column + 5),
            r.int64(row, column + 6)};
}

// What a user stores: the contents of their files, each content once however many files
// share it, plus pending uploads (but not the one being announced again).
#define TERN_USED_BYTES                                                                            \
    " (SELECT coalesce(sum(size), 0) FROM (SELECT DISTINCT sha256, size FROM files"                \
    "    WHERE owner_id = $2) mine)"                                                               \
    " + (SELECT coalesce(sum(size), 0) FROM uploads"                                               \
    "    WHERE owner_id = $2 AND NOT (sha256 = $5 AND size = $6))"
// The user's files and files to be: pending uploads, but not one of the announced content.
#define TERN_OWNED_FILES                                                                           \
    " owned AS (SELECT (SELECT count(*) FROM files WHERE owner_id = $2)"                           \
    "  + (SELECT count(*) FROM uploads WHERE owner_id = $2"                                        \
    "     AND NOT (sha256 = $5 AND size = $6)) AS n)"
// What the announced content adds to that: nothing when the user has a file of it already.
#define TERN_NEW_BYTES                                                                             \
    " CASE WHEN EXISTS (SELECT 1 FROM files WHERE owner_id = $2 AND sha256 = $5 AND size = $6)"    \
    " THEN 0 ELSE $6 END"

// Takes the user's lock for what they store, to the end of the transaction. The quota and the
// cap on files are checked against what the user has and then added to in one statement; two
// announcements at once (two devices, or one connection's requests on two of the pool's
// connections) each ran from a snapshot without the other's row and could pass together, so
// that concurrent uploads overran the quota. Taken first, the lock makes the next announcement
// wait, and its statement's snapshot, taken after the wait, sees the row this one added. An
// advisory lock keyed by the user id (the one-bigint key space, where only the migrator's key
// lives, far above any id): nothing else waits on it, as they would on the user's row.
PgStatement lockOwnerFiles(qint64 ownerId)
{
    return {"SELECT pg_advisory_xact_lock($1::bigint)", {pgInt(ownerId)}};
}

} // namespace

FileStore::FileStore(PgPool &pool)
    : m_pool(pool)
{ }

void FileStore::addFileForStoredContent(const QString &fileId, const Announcement &a,
                                        qint64 quotaBytes, qint64 maxFiles,
                                        std::function<void(const Stored<FileRow> &, Refusal)> done)
{
    // Only a user who has a file of this content completes at once. Anyone else sends the
    // bytes (the blob store still keeps one copy): the SHA-256 and size are no proof of holding
    // the content, since GetFile tells them to every reader, and a reader whose access was
    // taken away (a recalled message, a removed member) must not get it back by announcing
    // them. Completing at once costs no bytes of quota, so the number of files is capped too:
    // else announcing one content under ever new names would add rows without end.
    std::vector<PgStatement> statements;
    statements.push_back(lockOwnerFiles(a.ownerId));
    statements.push_back(
        {"WITH content AS (SELECT sha256 FROM blobs WHERE sha256 = $5 AND size = $6"
         "  AND EXISTS (SELECT 1 FROM files WHERE owner_id = $2 AND sha256 = $5 AND size = "
         "$6))," TERN_OWNED_FILES ","
         " added AS (INSERT INTO files AS f (id, owner_id, sha256, name, mime_type, size)"
         "  SELECT $1, $2, $5, $3, $4, $6 FROM content, owned"
         "  WHERE owned.n < $8 AND " TERN_USED_BYTES " +" TERN_NEW_BYTES " <= $7"
         "  RETURNING" TERN_FILE_COLUMNS ")"
         " SELECT (SELECT count(*) FROM content), (SELECT n FROM owned) >= $8, a.*"
         " FROM (SELECT 1) one LEFT JOIN added a ON true",
         {pgText(fileId), pgInt(a.ownerId), pgText(a.name), pgText(a.mimeType), pgBytea(a.sha256),
          pgInt(a.size), pgInt(quotaBytes), pgInt(maxFiles)}});
    m_pool.execute(std::move(statements), [done = std::move(done)](const PgOutcome &o) {
        Stored<FileRow> stored {o.error, {}};
        Refusal refusal = Refusal::None;
        if (o.ok()) {
            const PgResult &r = o.results.back();
            const bool contentStored = r.int64(0, 0) > 0;
            if (!r.isNull(0, 2)) {
                FileRow row {r.text(0, 2), r.int64(0, 3), r.bytea(0, 4), r.text(0, 5),
                             r.text(0, 6), r.int64(0, 7), r.int64(0, 8)};
                stored.value = row;
            } else if (contentStored) {
                refusal = r.boolean(0, 1) ? Refusal::TooManyFiles : Refusal::OverQuota;
            }
        }
        done(stored, refusal);
    });
}

void FileStore::startUpload(const QString &uploadId, const Announcement &a, qint64 quotaBytes,
                            qint64 maxFiles,
                            std::function<void(const Stored<UploadRow> &, Refusal)> done)
{
    std::vector<PgStatement> statements;
    statements.push_back(lockOwnerFiles(a.ownerId));
    statements.push_back(
        {"WITH" TERN_OWNED_FILES ","
         // An upload under way is resumed even past the cap (lowered since, or reached by
         // uploads started at the same time): it was admitted when it started.
         " capped AS (SELECT owned.n >= $8 AND NOT EXISTS (SELECT 1 FROM uploads"
         "   WHERE owner_id = $2 AND sha256 = $5 AND size = $6) AS over FROM owned),"
         " added AS (INSERT INTO uploads AS u (id, owner_id, name, mime_type, sha256, size)"
         "  SELECT $1, $2, $3, $4, $5, $6 FROM capped"
         "  WHERE NOT capped.over AND " TERN_USED_BYTES " +" TERN_NEW_BYTES " <= $7"
         "  ON CONFLICT (owner_id, sha256, size) DO UPDATE SET updated_at = now()"
         "  RETURNING" TERN_UPLOAD_COLUMNS ")"
         " SELECT (SELECT over FROM capped), a.* FROM (SELECT 1) one LEFT JOIN added a ON true",
         {pgText(uploadId), pgInt(a.ownerId), pgText(a.name), pgText(a.mimeType), pgBytea(a.sha256),
          pgInt(a.size), pgInt(quotaBytes), pgInt(maxFiles)}});
    m_pool.execute(std::move(statements), [done = std::move(done)](const PgOutcome &o) {
        Stored<UploadRow> stored {o.error, {}};
        Refusal refusal = Refusal::None;
        if (o.ok()) {
            const PgResult &r = o.results.back();
            if (!r.isNull(0, 1))
                stored.value = readUpload(r, 0, 1);
            else
                refusal = r.boolean(0, 0) ? Refusal::TooManyFiles : Refusal::OverQuota;
        }
        done(stored, refusal);
    });
}

void FileStore::upload(const QString &uploadId, qint64 ownerId, StoreCallback<UploadRow> done)
{
    m_pool.execute({"SELECT" TERN_UPLOAD_COLUMNS " FROM uploads u WHERE u.id = $1"
                    " AND u.owner_id = $2",
                    {pgText(uploadId), pgInt(ownerId)}},
                   [done = std::move(done)](const PgOutcome &o) {
                       Stored<UploadRow> stored {o.error, {}};
                       if (o.ok() && o.results.front().rowCount() > 0)
                           stored.value = readUpload(o.results.front(), 0);
                       done(stored);
                   });
}

void FileStore::advance(const QString &uploadId, qint64 from, qint64 to, StoreCallback<bool> done)
{
    m_pool.execute({"UPDATE uploads SET committed = $3, updated_at = now()"
                    " WHERE id = $1 AND committed = $2",
                    {pgText(uploadId), pgInt(from), pgInt(to)}},
                   [done = std::move(done)](const PgOutcome &o) {
                       Stored<bool> stored {o.error, {}};
                       if (o.ok())
                           stored.value = o.results.front().affectedRows() == 1;
                       done(stored);
                   });
}

void FileStore::completeUpload(const UploadRow &upload, const QString &fileId,
                               StoreCallback<FileRow> done)
{
    m_pool.execute(
        {{"INSERT INTO blobs (sha256, size) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING",
          {pgBytea(upload.sha256), pgInt(upload.size)}},
         // Only the one who removes the upload makes the file: two completing it (two ternd
         // processes) must not make two.
         {"WITH gone AS (DELETE FROM uploads WHERE id = $7 RETURNING id)"
          " INSERT INTO files AS f (id, owner_id, sha256, name, mime_type, size)"
          " SELECT $1, $2, $3, $4, $5, $6 FROM gone RETURNING" TERN_FILE_COLUMNS,
          {pgText(fileId), pgInt(upload.ownerId), pgBytea(upload.sha256), pgText(upload.name),
           pgText(upload.mimeType), pgInt(upload.size), pgText(upload.id)}}},
        [done = std::move(done)](const PgOutcome &o) {
            Stored<FileRow> stored {o.error, {}};
            if (o.ok() && o.results.back().rowCount() > 0)
                stored.value = readFile(o.results.back(), 0);
            done(stored);
        });
}

void FileStore::removeUpload(const QString &uploadId, qint64 ownerId, StoreCallback<bool> done)
{
    m_pool.execute(
        {"DELETE FROM uploads WHERE id = $1 AND owner_id = $2", {pgText(uploadId), pgInt(ownerId)}},
        [done = std::move(done)](const PgOutcome &o) {
            Stored<bool> stored {o.error, {}};
            if (o.ok())
                stored.value = o.results.front().affectedRows() == 1;
            done(stored);
        });
}

void FileStore::readableFile(const QString &fileId, qint64 readerId, StoreCallback<FileRow> done)
{
    // The uploader; a member of a conversation (within their stretch of its history) in which
    // a message refers to the file; whoever may see a profile (not banned, not blocking the
    // reader) whose avatar it is; a member or pending invitee of a group whose avatar it is.
    m_pool.execute({"SELECT" TERN_FILE_COLUMNS " FROM files f WHERE f.id = $1 AND (f.owner_id = $2"
                    " OR EXISTS (SELECT 1 FROM message_files mf JOIN conversation_members cm"
                    "   ON cm.conversation_id = mf.conversation_id AND cm.user_id = $2"
                    "  WHERE mf.file_id = f.id AND mf.seq >= cm.first_seq"
                    "    AND (cm.left_seq IS NULL OR mf.seq <= cm.left_seq))"
                    " OR EXISTS (SELECT 1 FROM users u WHERE u.avatar_file_id = f.id"
                    "   AND u.banned_at IS NULL AND NOT EXISTS (SELECT 1 FROM contacts c"
                    "   WHERE c.owner_id = u.id AND c.peer_id = $2 AND c.blocked))"
                    " OR EXISTS (SELECT 1 FROM groups g WHERE g.avatar_file_id = f.id"
                    "   AND g.dissolved_at IS NULL AND (EXISTS (SELECT 1 FROM group_members gm"
                    "     WHERE gm.group_id = g.id AND gm.user_id = $2 AND gm.left_seq IS NULL)"
                    "   OR EXISTS (SELECT 1 FROM group_invitations gi WHERE gi.group_id = g.id"
                    "     AND gi.invitee_id = $2 AND gi.state = 1))))",
                    {pgText(fileId), pgInt(readerId)}},
                   [done = std::move(done)](const PgOutcome &o) {
                       Stored<FileRow> stored {o.error, {}};
                       if (o.ok() && o.results.front().rowCount() > 0)
                           stored.value = readFile(o.results.front(), 0);
                       done(stored);
                   });
}

} // namespace tern::server
