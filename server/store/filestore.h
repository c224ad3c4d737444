// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/accountstore.h"

#include <QByteArray>
#include <QString>

namespace tern::server {

struct FileRow
{
    QString id;
    qint64 ownerId = 0;
    QByteArray sha256;
    QString name;
    QString mimeType;
    qint64 size = 0;
    qint64 createdAtMs = 0;
};

struct UploadRow
{
    QString id;
    qint64 ownerId = 0;
    QByteArray sha256;
    qint64 size = 0;
    QString name;
    QString mimeType;
    qint64 committed = 0;
};

// A file announced for upload (StartUpload).
struct Announcement
{
    qint64 ownerId = 0;
    QString name;
    QString mimeType;
    qint64 size = 0;
    QByteArray sha256;
};

// File metadata in PostgreSQL (migration 0007): blobs, files, uploads. Contents are the blob
// store's. Every method is asynchronous, one transaction, and calls back on the pool's thread.
class FileStore
{
public:
    explicit FileStore(PgPool &pool);

    // Why a file or an upload was refused.
    enum class Refusal { None, OverQuota, TooManyFiles };
    // When the content is stored already: a new file of `a.ownerId` for it (id `fileId`),
    // within the quota and while the user has fewer than `maxFiles` files and other pending
    // uploads. value empty: no such content (Refusal::None), or refused.
    void addFileForStoredContent(const QString &fileId, const Announcement &a, qint64 quotaBytes,
                                 qint64 maxFiles,
                                 std::function<void(const Stored<FileRow> &, Refusal)> done);
    // The user's pending upload of this content, made (id `uploadId`) if there is none, within
    // the quota and the cap on files (counting other pending uploads, each a file to be). value
    // empty: refused.
    void startUpload(const QString &uploadId, const Announcement &a, qint64 quotaBytes,
                     qint64 maxFiles, std::function<void(const Stored<UploadRow> &, Refusal)> done);
    // A pending upload of this user (value empty: none).
    void upload(const QString &uploadId, qint64 ownerId, StoreCallback<UploadRow> done);
    // Moves the committed offset from `from` to `to` (value false: it was not at `from`).
    void advance(const QString &uploadId, qint64 from, qint64 to, StoreCallback<bool> done);
    // The verified upload becomes file `fileId` (and its content a blob); the upload row goes.
    // No value when the upload row was gone already (completed elsewhere, or cancelled).
    void completeUpload(const UploadRow &upload, const QString &fileId,
                        StoreCallback<FileRow> done);
    // Removes a pending upload of this user (value false: there was none).
    void removeUpload(const QString &uploadId, qint64 ownerId, StoreCallback<bool> done);
    // A file `readerId` may read (value empty: none, or not allowed): its uploader, members of
    // a conversation in which a message refers to it (message_files, migration 0008), and for
    // avatars whoever may see the profile or belongs to (or is invited to) the group.
    void readableFile(const QString &fileId, qint64 readerId, StoreCallback<FileRow> done);

private:
    PgPool &m_pool;
};

} // namespace tern::server
