// SPDX-License-Identifier: Apache-2.0
// FileService: uploads and downloads, on the I/O worker (whole-content hashing off it).
#include "service/fileservice.h"

#include "core/logging.h"
#include "service/messagingoutcomes.h"
#include "service/transferslots.h"
#include "service/uploadverifications.h"
#include "store/blobstore.h"
#include "store/filestore.h"
#include "tern/limits.h"
#include "tern/validation.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QPointer>
#include <QRandomGenerator>
#include <QThreadPool>

namespace tern::server {

namespace {

ServiceError failure(const PgError &error)
{
    if (error.kind == PgError::Kind::Unavailable)
        return unavailableError();
    qCWarning(lcServer) << "files: database error" << error.sqlState << error.message;
    return {proto::ERROR_CODE_INTERNAL, QStringLiteral("the server could not store that")};
}

// A full upload's content is being verified, or was just made a file: announcing the file
// again (or asking where the upload stands) soon gives the outcome.
ServiceError askAgainShortly()
{
    ServiceError wait {proto::ERROR_CODE_UNAVAILABLE,
                       QStringLiteral("the upload's content is being verified; ask again shortly")};
    wait.retryAfterMs = 1000;
    return wait;
}

ServiceError ioFailure(const QString &what)
{
    qCWarning(lcServer) << "files:" << what;
    return {proto::ERROR_CODE_INTERNAL, QStringLiteral("the server could not store that")};
}

// 22 random characters of [A-Za-z0-9]: ids nobody can guess (they name files on disk too).
QString newId()
{
    static const char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id;
    id.reserve(22);
    for (int i = 0; i < 22; ++i)
        id += QLatin1Char(kAlphabet[QRandomGenerator::system()->bounded(62)]);
    return id;
}

proto::FileInfo toProto(const FileRow &f)
{
    proto::FileInfo info;
    info.set_file_id(f.id.toStdString());
    info.set_name(f.name.toStdString());
    info.set_mime_type(f.mimeType.toStdString());
    info.set_size(quint64(f.size));
    info.set_sha256(f.sha256.toStdString());
    info.set_uploader_id(quint64(f.ownerId));
    info.set_created_at_ms(f.createdAtMs);
    return info;
}

proto::UploadState toProto(const UploadRow &u)
{
    proto::UploadState state;
    state.set_upload_id(u.id.toStdString());
    state.set_committed(quint64(u.committed));
    state.set_size(quint64(u.size));
    return state;
}

// Slot names: upload and file ids are drawn from the same alphabet, so they are told apart.
QString uploadSlot(const QString &uploadId)
{
    return QLatin1String("u:") + uploadId;
}

QString fileSlot(const QString &fileId)
{
    return QLatin1String("f:") + fileId;
}

// `rule`: which limit, for Error.reason ("files/<rule>").
ServiceError limitExceeded(const char *rule, const QString &message)
{
    return {proto::ERROR_CODE_LIMIT_EXCEEDED, message, 0,
            QStringLiteral("files/") + QLatin1String(rule)};
}

ServiceError refusalError(FileStore::Refusal refusal, qint64 maxFiles)
{
    if (refusal == FileStore::Refusal::TooManyFiles)
        return limitExceeded("too_many",
                             QStringLiteral("you have %1 files, the most a user may keep (uploads "
                                            "not finished count too)")
                                 .arg(maxFiles));
    return limitExceeded("quota", QStringLiteral("your storage quota is used up"));
}

ServiceError uploadNotFound()
{
    return notFound(QStringLiteral("upload"));
}

} // namespace

FileService::FileService(FileStore &store, BlobStore &blobs, Shared shared, FilePolicy policy,
                         QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_blobs(blobs)
    , m_hashers(shared.hashers)
    , m_slots(shared.slots)
    , m_verifications(shared.verifications)
    , m_policy(policy)
{ }

template<typename T>
bool FileService::takeSlot(const Caller &caller, const QString &transfer,
                           const ResultCallback<T> &done)
{
    if (m_slots.acquire(caller.userId, transfer, QDateTime::currentMSecsSinceEpoch()))
        return true;
    done(limitExceeded("busy",
                       QStringLiteral("at most %1 files may be transferred at the same time; "
                                      "finish or cancel one first")
                           .arg(m_slots.perUser())));
    return false;
}

void FileService::startUpload(const Caller &caller, const proto::StartUploadRequest &request,
                              ResultCallback<proto::UploadState> done)
{
    // As FileRef checks them: a name with a control or bidi character (U+202E turns
    // "invoice\u202Efdp.exe" into "invoiceexe.pdf" on screen) or invalid UTF-8 is refused.
    if (auto p = validation::checkLabel(request.name(), "name", limits::kMaxFileNameLength))
        return done(invalidArgument(*p));
    if (auto p =
            validation::checkLabel(request.mime_type(), "mime_type", limits::kMaxMimeTypeLength))
        return done(invalidArgument(*p));
    Announcement a;
    a.ownerId = caller.userId;
    a.name = QString::fromStdString(request.name()).trimmed();
    a.mimeType = QString::fromStdString(request.mime_type()).trimmed();
    a.size = qint64(request.size());
    a.sha256 = QByteArray::fromStdString(request.sha256());
    if (a.name.isEmpty() || a.name.size() > limits::kMaxFileNameLength
        || a.name.contains(QLatin1Char('/')) || a.name.contains(QLatin1Char('\\')))
        return done(
            invalidArgument(QStringLiteral("a file name is 1 to 255 characters, no slashes")));
    if (a.mimeType.isEmpty())
        a.mimeType = QStringLiteral("application/octet-stream");
    if (a.mimeType.size() > limits::kMaxMimeTypeLength)
        return done(invalidArgument(QStringLiteral("the MIME type is too long")));
    if (a.sha256.size() != 32)
        return done(invalidArgument(QStringLiteral("sha256 must be 32 bytes")));
    if (request.size() == 0)
        return done(invalidArgument(QStringLiteral("an empty file cannot be uploaded")));
    if (request.size() > quint64(m_policy.maxFileBytes))
        return done(limitExceeded(
            "too_large",
            QStringLiteral("the file is larger than %1 bytes").arg(m_policy.maxFileBytes)));

    QPointer<FileService> self(this);
    const qint64 quota = m_policy.quotaBytes;
    const qint64 maxFiles = m_policy.maxFilesPerUser;
    // Content the user has a file of completes at once; otherwise a new or resumed upload.
    m_store.addFileForStoredContent(newId(), a, quota, maxFiles,
                                    [self, a, quota, maxFiles, done](const Stored<FileRow> &stored,
                                                                     FileStore::Refusal refusal) {
                                        if (!self)
                                            return;
                                        if (stored.error.kind != PgError::Kind::None)
                                            return done(failure(stored.error));
                                        if (stored.value) {
                                            proto::UploadState state;
                                            state.set_committed(quint64(stored.value->size));
                                            state.set_size(quint64(stored.value->size));
                                            *state.mutable_file() = toProto(*stored.value);
                                            return done(state);
                                        }
                                        if (refusal != FileStore::Refusal::None)
                                            return done(refusalError(refusal, maxFiles));
                                        self->m_store.startUpload(
                                            newId(), a, quota, maxFiles,
                                            [self, maxFiles, done](const Stored<UploadRow> &upload,
                                                                   FileStore::Refusal refused) {
                                                if (!self)
                                                    return;
                                                if (upload.error.kind != PgError::Kind::None)
                                                    return done(failure(upload.error));
                                                if (!upload.value)
                                                    return done(refusalError(refused, maxFiles));
                                                // All bytes are in, but the answer that made it
                                                // a file never came: its verification still runs,
                                                // failed on the disk, or ternd stopped meanwhile.
                                                if (upload.value->committed >= upload.value->size)
                                                    return self->complete(*upload.value, done);
                                                done(toProto(*upload.value));
                                            });
                                    });
}

void FileService::uploadChunk(const Caller &caller, const proto::UploadChunkRequest &request,
                              ResultCallback<proto::UploadState> done)
{
    const QString uploadId = QString::fromStdString(request.upload_id());
    const QByteArray data = QByteArray::fromStdString(request.data());
    if (!DiskBlobStore::isValidUploadId(uploadId))
        return done(uploadNotFound());
    if (data.isEmpty() || quint64(data.size()) > m_policy.chunkBytes)
        return done(
            invalidArgument(QStringLiteral("a chunk is 1 to %1 bytes").arg(m_policy.chunkBytes)));
    if (QCryptographicHash::hash(data, QCryptographicHash::Sha256).toStdString()
        != request.sha256())
        return done(ServiceError {
            proto::ERROR_CODE_CONTENT_MISMATCH,
            QStringLiteral("the chunk does not match its sha256; nothing was stored")});
    const QString slot = uploadSlot(uploadId);
    if (!takeSlot(caller, slot, done))
        return;

    QPointer<FileService> self(this);
    const quint64 offset = request.offset();
    m_store.upload(
        uploadId, caller.userId,
        [self, uploadId, offset, data, done](const Stored<UploadRow> &stored) {
            if (!self)
                return;
            if (stored.error.kind != PgError::Kind::None)
                return done(failure(stored.error));
            if (!stored.value)
                return done(uploadNotFound());
            UploadRow upload = *stored.value;
            if (offset != quint64(upload.committed))
                return done(ServiceError {
                    proto::ERROR_CODE_CONFLICT,
                    QStringLiteral("the upload continues at offset %1").arg(upload.committed)});
            if (offset + quint64(data.size()) > quint64(upload.size))
                return done(
                    invalidArgument(QStringLiteral("the chunk goes past the announced size")));
            QString error;
            if (!self->m_blobs.writePartial(uploadId, offset, data, &error))
                return done(ioFailure(error));
            const qint64 to = qint64(offset) + data.size();
            self->m_store.advance(
                uploadId, qint64(offset), to,
                [self, upload, to, done](const Stored<bool> &advanced) mutable {
                    if (!self)
                        return;
                    if (advanced.error.kind != PgError::Kind::None)
                        return done(failure(advanced.error));
                    if (!advanced.value.value_or(false))
                        return done(ServiceError {
                            proto::ERROR_CODE_CONFLICT,
                            QStringLiteral("another chunk was stored meanwhile: ask where the "
                                           "upload stands")});
                    upload.committed = to;
                    if (to < upload.size)
                        return done(toProto(upload));
                    // Verified or refused, this upload's transfer is over.
                    self->m_slots.release(upload.ownerId, uploadSlot(upload.id));
                    self->complete(upload, done);
                });
        });
}

void FileService::complete(const UploadRow &upload, ResultCallback<proto::UploadState> answer)
{
    if (!m_verifications.begin(upload.id))
        return answer(askAgainShortly());
    // The claim ends with the last copy of `done`: answered, or dropped at shutdown.
    UploadVerifications *verifications = &m_verifications;
    const std::shared_ptr<void> claim(
        nullptr, [verifications, id = upload.id](void *) { verifications->end(id); });
    const ResultCallback<proto::UploadState> done =
        [claim, answer](const Result<proto::UploadState> &result) { answer(result); };
    // Read again under the claim: a verification that ended just before may have made it a
    // file (the row is gone) or started it again (no longer full).
    QPointer<FileService> self(this);
    m_store.upload(upload.id, upload.ownerId, [self, done](const Stored<UploadRow> &stored) {
        if (!self)
            return;
        if (stored.error.kind != PgError::Kind::None)
            return done(failure(stored.error));
        if (!stored.value)
            return done(askAgainShortly()); // announcing it again finds the file's content
        if (stored.value->committed < stored.value->size)
            return done(toProto(*stored.value));
        self->verify(*stored.value, done);
    });
}

void FileService::verify(const UploadRow &upload, ResultCallback<proto::UploadState> done)
{
    // Hashing up to max_file_bytes takes seconds: off the I/O thread.
    QPointer<FileService> self(this);
    BlobStore *blobs = &m_blobs;
    m_hashers.start([self, blobs, upload, done] {
        QString error;
        const std::optional<bool> matched =
            blobs->commit(upload.id, upload.sha256, quint64(upload.size), &error);
        if (!self)
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, upload, matched, error, done] {
                if (!self)
                    return;
                if (!matched)
                    return done(ioFailure(error));
                if (!*matched) {
                    // The bytes are gone: the upload starts again from 0. Answer only once
                    // that is stored, so that a client asking where it stands hears 0.
                    return self->m_store.advance(
                        upload.id, upload.committed, 0, [self, done](const Stored<bool> &reset) {
                            if (!self)
                                return;
                            if (reset.error.kind != PgError::Kind::None)
                                return done(failure(reset.error));
                            done(ServiceError {proto::ERROR_CODE_CONTENT_MISMATCH,
                                               QStringLiteral("the content does not match the "
                                                              "announced SHA-256; upload it "
                                                              "again")});
                        });
                }
                self->m_store.completeUpload(
                    upload, newId(), [self, done](const Stored<FileRow> &f) {
                        if (!self)
                            return;
                        if (f.error.kind != PgError::Kind::None)
                            return done(failure(f.error));
                        if (!f.value) // another ternd on this database completed it first
                            return done(askAgainShortly());
                        proto::UploadState state;
                        state.set_committed(quint64(f.value->size));
                        state.set_size(quint64(f.value->size));
                        *state.mutable_file() = toProto(*f.value);
                        done(state);
                    });
            },
            Qt::QueuedConnection);
    });
}

void FileService::getUpload(const Caller &caller, const proto::GetUploadRequest &request,
                            ResultCallback<proto::UploadState> done)
{
    const QString uploadId = QString::fromStdString(request.upload_id());
    if (!DiskBlobStore::isValidUploadId(uploadId))
        return done(uploadNotFound());
    QPointer<FileService> self(this);
    m_store.upload(uploadId, caller.userId, [self, done](const Stored<UploadRow> &stored) {
        if (!self)
            return;
        if (stored.error.kind != PgError::Kind::None)
            return done(failure(stored.error));
        if (!stored.value)
            return done(uploadNotFound());
        done(toProto(*stored.value));
    });
}

void FileService::cancelUpload(const Caller &caller, const proto::CancelUploadRequest &request,
                               ResultCallback<proto::CancelUploadResult> done)
{
    const QString uploadId = QString::fromStdString(request.upload_id());
    if (!DiskBlobStore::isValidUploadId(uploadId))
        return done(uploadNotFound());
    QPointer<FileService> self(this);
    m_slots.release(caller.userId, uploadSlot(uploadId));
    m_store.removeUpload(uploadId, caller.userId,
                         [self, uploadId, done](const Stored<bool> &removed) {
                             if (!self)
                                 return;
                             if (removed.error.kind != PgError::Kind::None)
                                 return done(failure(removed.error));
                             if (!removed.value.value_or(false))
                                 return done(uploadNotFound());
                             self->m_blobs.removePartial(uploadId);
                             done(proto::CancelUploadResult {});
                         });
}

void FileService::getFile(const Caller &caller, const proto::GetFileRequest &request,
                          ResultCallback<proto::FileInfo> done)
{
    QPointer<FileService> self(this);
    m_store.readableFile(QString::fromStdString(request.file_id()), caller.userId,
                         [self, done](const Stored<FileRow> &stored) {
                             if (!self)
                                 return;
                             if (stored.error.kind != PgError::Kind::None)
                                 return done(failure(stored.error));
                             if (!stored.value)
                                 return done(notFound(QStringLiteral("file")));
                             done(toProto(*stored.value));
                         });
}

void FileService::readFile(const Caller &caller, const proto::ReadFileRequest &request,
                           ResultCallback<proto::FileChunk> done)
{
    if (request.length() == 0 || request.length() > m_policy.chunkBytes)
        return done(
            invalidArgument(QStringLiteral("a read is 1 to %1 bytes").arg(m_policy.chunkBytes)));
    const QString fileId = QString::fromStdString(request.file_id());
    if (!takeSlot(caller, fileSlot(fileId), done))
        return;
    QPointer<FileService> self(this);
    const quint64 offset = request.offset();
    const quint32 length = request.length();
    const qint64 reader = caller.userId;
    m_store.readableFile(
        fileId, reader,
        [self, reader, fileId, offset, length, done](const Stored<FileRow> &stored) {
            if (!self)
                return;
            if (stored.error.kind != PgError::Kind::None)
                return done(failure(stored.error));
            if (!stored.value) {
                self->m_slots.release(reader, fileSlot(fileId));
                return done(notFound(QStringLiteral("file")));
            }
            const FileRow &f = *stored.value;
            if (offset >= quint64(f.size))
                return done(invalidArgument(QStringLiteral("the offset is past the end")));
            QString error;
            const std::optional<QByteArray> data =
                self->m_blobs.read(f.sha256, offset, length, &error);
            if (!data)
                return done(ioFailure(error));
            proto::FileChunk chunk;
            chunk.set_file_id(f.id.toStdString());
            chunk.set_offset(offset);
            chunk.set_data(data->toStdString());
            chunk.set_eof(offset + quint64(data->size()) >= quint64(f.size));
            if (chunk.eof())
                self->m_slots.release(reader, fileSlot(f.id));
            done(chunk);
        });
}

} // namespace tern::server
