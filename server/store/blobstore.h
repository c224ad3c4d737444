// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QMutex>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace tern::server {

// Where file contents live (files.proto): finished blobs by SHA-256, and partial uploads by
// upload id until they are verified and moved under their hash. An interface so that an
// S3-compatible store can replace the disk for several nodes. Metadata (who uploaded what,
// who may read it) is PostgreSQL's, not this class's.
//
// Thread safety: every method may be called from any thread; calls about the same upload id
// must not overlap (the file service serializes them per upload). commit() hashes the whole
// content: call it off the I/O threads.
class BlobStore
{
public:
    virtual ~BlobStore() = default;

    // Writes `data` at `offset` of a partial upload (created on the first write). Partial
    // contents past offset + data.size() are cut off, so a retried chunk replaces its tail.
    virtual bool writePartial(const QString &uploadId, quint64 offset, const QByteArray &data,
                              QString *error) = 0;
    // Bytes stored for a partial upload (0 when there is none).
    virtual quint64 partialSize(const QString &uploadId) const = 0;
    virtual void removePartial(const QString &uploadId) = 0;
    // Checks a complete partial upload against its announced size and SHA-256 and, if they
    // match, makes it the blob for that hash (atomically; an existing blob of the same content
    // is kept). The partial is gone afterwards either way. nullopt with `error` on I/O failure;
    // false on a mismatch. With no partial: true when the blob of that content is there (an
    // earlier commit whose database write did not happen), false when the bytes are gone.
    virtual std::optional<bool> commit(const QString &uploadId, const QByteArray &sha256,
                                       quint64 size, QString *error) = 0;

    virtual bool contains(const QByteArray &sha256) const = 0;
    // Up to `length` bytes from `offset` (fewer at the end); nullopt with `error` when the
    // blob is missing or unreadable.
    virtual std::optional<QByteArray> read(const QByteArray &sha256, quint64 offset, quint32 length,
                                           QString *error) const = 0;
    // Garbage collection (one collector at a time). The database forgets a blob first, then the
    // content goes; an upload of the same content committed in between must keep it. So the
    // collector calls beginRemovals() before it deletes the rows, and removeGarbage() skips
    // any content committed since: its new row is on the way, or the content stays an orphan
    // on disk (harmless) if that row never comes.
    virtual void beginRemovals() = 0;
    virtual void removeGarbage(const QByteArray &sha256) = 0;

    // Upload ids of partial uploads not written to since `before` (for the janitor).
    virtual QStringList partialsUntouchedSince(const QDateTime &before) const = 0;
};

// Blobs as files under a directory (ternd's data directory + "/files"):
//   blobs/<first two hex digits>/<sha256 hex>   finished content, read-only
//   partial/<upload id>                          uploads in progress
// Directories are private to ternd's user (0700). Upload ids must be plain names
// ([A-Za-z0-9_-], at most 64): anything else is refused, never used as a path.
class DiskBlobStore final : public BlobStore
{
public:
    explicit DiskBlobStore(const QString &root);

    // Creates the directories; false with `error` if it cannot.
    bool open(QString *error);

    bool writePartial(const QString &uploadId, quint64 offset, const QByteArray &data,
                      QString *error) override;
    quint64 partialSize(const QString &uploadId) const override;
    void removePartial(const QString &uploadId) override;
    std::optional<bool> commit(const QString &uploadId, const QByteArray &sha256, quint64 size,
                               QString *error) override;
    bool contains(const QByteArray &sha256) const override;
    std::optional<QByteArray> read(const QByteArray &sha256, quint64 offset, quint32 length,
                                   QString *error) const override;
    void beginRemovals() override;
    void removeGarbage(const QByteArray &sha256) override;
    QStringList partialsUntouchedSince(const QDateTime &before) const override;

    static bool isValidUploadId(const QString &uploadId);

private:
    QString partialPath(const QString &uploadId) const;
    QString blobPath(const QByteArray &sha256) const;

    QString m_root;
    // Guards the "exists? rename" of commit() against removeGarbage().
    QMutex m_mutex;
    QSet<QByteArray> m_committedSinceRemovalsBegan;
};

} // namespace tern::server
