// SPDX-License-Identifier: Apache-2.0
// DiskBlobStore: file contents on the local disk, any thread.
#include "store/blobstore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace tern::server {

namespace {

constexpr QFileDevice::Permissions kPrivateDir =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;

bool makePrivateDir(const QString &path, QString *error)
{
    if (!QDir().mkpath(path) || !QFile::setPermissions(path, kPrivateDir)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(path);
        return false;
    }
    return true;
}

} // namespace

DiskBlobStore::DiskBlobStore(const QString &root)
    : m_root(QDir(root).absolutePath())
{ }

bool DiskBlobStore::open(QString *error)
{
    return makePrivateDir(m_root, error) && makePrivateDir(m_root + QStringLiteral("/blobs"), error)
        && makePrivateDir(m_root + QStringLiteral("/partial"), error);
}

bool DiskBlobStore::isValidUploadId(const QString &uploadId)
{
    static const QRegularExpression kPlain(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));
    return kPlain.match(uploadId).hasMatch();
}

QString DiskBlobStore::partialPath(const QString &uploadId) const
{
    return m_root + QStringLiteral("/partial/") + uploadId;
}

QString DiskBlobStore::blobPath(const QByteArray &sha256) const
{
    const QString hex = QString::fromLatin1(sha256.toHex());
    return m_root + QStringLiteral("/blobs/") + hex.left(2) + QLatin1Char('/') + hex;
}

bool DiskBlobStore::writePartial(const QString &uploadId, quint64 offset, const QByteArray &data,
                                 QString *error)
{
    if (!isValidUploadId(uploadId)) {
        *error = QStringLiteral("bad upload id");
        return false;
    }
    QFile file(partialPath(uploadId));
    if (!file.open(QIODevice::ReadWrite) || quint64(file.size()) < offset) {
        *error = file.isOpen() ? QStringLiteral("write past the stored bytes") : file.errorString();
        return false;
    }
    if (!file.resize(qint64(offset)) || !file.seek(qint64(offset))
        || file.write(data) != data.size() || !file.flush()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

quint64 DiskBlobStore::partialSize(const QString &uploadId) const
{
    if (!isValidUploadId(uploadId))
        return 0;
    const QFileInfo info(partialPath(uploadId));
    return info.exists() ? quint64(info.size()) : 0;
}

void DiskBlobStore::removePartial(const QString &uploadId)
{
    if (isValidUploadId(uploadId))
        QFile::remove(partialPath(uploadId));
}

std::optional<bool> DiskBlobStore::commit(const QString &uploadId, const QByteArray &sha256,
                                          quint64 size, QString *error)
{
    if (!isValidUploadId(uploadId) || sha256.size() != 32) {
        *error = QStringLiteral("bad upload id or hash");
        return std::nullopt;
    }
    const QString partial = partialPath(uploadId);
    QFile file(partial);
    if (!file.open(QIODevice::ReadOnly)) {
        if (QFile::exists(partial)) {
            *error = file.errorString();
            return std::nullopt;
        }
        // Moved into place by an earlier verification whose database write did not happen:
        // the blob is that content (kept from a collection, as below). Without either, the
        // bytes are gone: start again.
        QMutexLocker lock(&m_mutex);
        const QFileInfo blob(blobPath(sha256));
        if (!blob.exists() || quint64(blob.size()) != size)
            return false;
        m_committedSinceRemovalsBegan.insert(sha256);
        return true;
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const bool hashed = hash.addData(&file);
    const bool sizeMatches = quint64(file.size()) == size;
    file.close();
    if (!hashed) {
        *error = QStringLiteral("cannot read %1").arg(partial);
        return std::nullopt;
    }
    if (!sizeMatches || hash.result() != sha256) {
        // Emptied, not removed: a missing partial reads as "moved into place by an earlier
        // verification" (above), and if the database never hears of this mismatch, the next
        // commit would take someone else's blob of the announced content for this upload.
        if (!QFile::resize(partial, 0) && !QFile::remove(partial))
            *error = QStringLiteral("cannot discard %1").arg(partial);
        return false;
    }
    const QString target = blobPath(sha256);
    if (!makePrivateDir(QFileInfo(target).absolutePath(), error))
        return std::nullopt;
    QMutexLocker lock(&m_mutex);
    m_committedSinceRemovalsBegan.insert(sha256);
    if (QFile::exists(target)) {
        QFile::remove(partial); // the same content arrived twice: keep one
        return true;
    }
    // Same file system: a rename is atomic, so a blob is either absent or complete.
    if (!QFile::rename(partial, target)) {
        *error = QStringLiteral("cannot move %1 into place").arg(partial);
        return std::nullopt;
    }
    QFile::setPermissions(target, QFileDevice::ReadOwner);
    return true;
}

bool DiskBlobStore::contains(const QByteArray &sha256) const
{
    return sha256.size() == 32 && QFile::exists(blobPath(sha256));
}

std::optional<QByteArray> DiskBlobStore::read(const QByteArray &sha256, quint64 offset,
                                              quint32 length, QString *error) const
{
    if (sha256.size() != 32) {
        *error = QStringLiteral("bad hash");
        return std::nullopt;
    }
    QFile file(blobPath(sha256));
    if (!file.open(QIODevice::ReadOnly) || !file.seek(qint64(offset))) {
        *error = file.errorString();
        return std::nullopt;
    }
    QByteArray data = file.read(length);
    if (data.isNull() && file.error() != QFileDevice::NoError) {
        *error = file.errorString();
        return std::nullopt;
    }
    return data;
}

void DiskBlobStore::beginRemovals()
{
    QMutexLocker lock(&m_mutex);
    m_committedSinceRemovalsBegan.clear();
}

void DiskBlobStore::removeGarbage(const QByteArray &sha256)
{
    if (sha256.size() != 32)
        return;
    QMutexLocker lock(&m_mutex);
    if (m_committedSinceRemovalsBegan.contains(sha256))
        return;
    const QString path = blobPath(sha256);
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QFile::remove(path);
}

QStringList DiskBlobStore::partialsUntouchedSince(const QDateTime &before) const
{
    QStringList stale;
    QDirIterator it(m_root + QStringLiteral("/partial"), QDir::Files);
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        if (info.lastModified() < before && isValidUploadId(info.fileName()))
            stale.append(info.fileName());
    }
    return stale;
}

} // namespace tern::server
