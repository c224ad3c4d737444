// SPDX-License-Identifier: Apache-2.0
#include "service/filereferences.h"

#include "store/filestore.h"

namespace tern::server {

namespace {

ServiceError unusableFile(const QString &fileId)
{
    return {proto::ERROR_CODE_NOT_FOUND,
            QStringLiteral("file %1 does not exist or is not yours to share").arg(fileId)};
}

} // namespace

void checkMessageFile(FileStore &store, qint64 senderId, const proto::FileRef &file,
                      FileCheckCallback done)
{
    const QString fileId = QString::fromStdString(file.file_id());
    const quint64 statedSize = file.size();
    store.readableFile(
        fileId, senderId, [fileId, statedSize, done = std::move(done)](const Stored<FileRow> &row) {
            if (row.error.kind != PgError::Kind::None)
                return done(unavailableError());
            if (!row.value)
                return done(unusableFile(fileId));
            if (statedSize != quint64(row.value->size)) {
                return done(ServiceError {proto::ERROR_CODE_INVALID_ARGUMENT,
                                          QStringLiteral("file.size is %1 but file %2 has %3 bytes")
                                              .arg(statedSize)
                                              .arg(fileId)
                                              .arg(row.value->size)});
            }
            done(std::nullopt);
        });
}

void checkAvatarFile(FileStore &store, qint64 callerId, const QString &fileId,
                     FileCheckCallback done)
{
    if (fileId.isEmpty())
        return done(std::nullopt);
    store.readableFile(
        fileId, callerId, [fileId, callerId, done = std::move(done)](const Stored<FileRow> &row) {
            if (row.error.kind != PgError::Kind::None)
                return done(unavailableError());
            if (!row.value || row.value->ownerId != callerId)
                return done(unusableFile(fileId));
            if (!row.value->mimeType.startsWith(QLatin1String("image/"))) {
                return done(ServiceError {
                    proto::ERROR_CODE_INVALID_ARGUMENT,
                    QStringLiteral("an avatar must be an image, not %1").arg(row.value->mimeType)});
            }
            done(std::nullopt);
        });
}

} // namespace tern::server
