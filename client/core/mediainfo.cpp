// SPDX-License-Identifier: Apache-2.0
#include "mediainfo.h"

#include <QBuffer>
#include <QImage>
#include <QImageReader>
#include <QMimeDatabase>
#include <QPainter>

namespace tern::client {

namespace {

// The longest side of a preview; the timeline shows them at most this large.
constexpr int kThumbnailSide = 320;

QByteArray jpegWithin(const QImage &image, int maxBytes)
{
    for (int quality = 80; quality >= 20; quality -= 15) {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        if (image.save(&buffer, "JPEG", quality) && bytes.size() <= maxBytes)
            return bytes;
    }
    return {};
}

} // namespace

LocalMedia describeLocalFile(const QString &path, int maxThumbnailBytes)
{
    LocalMedia media;
    const QMimeType mime = QMimeDatabase().mimeTypeForFile(path);
    media.mimeType = mime.isValid() ? mime.name() : QStringLiteral("application/octet-stream");
    if (media.mimeType.startsWith(QLatin1String("video/")))
        media.kind = proto::MessageContent::KIND_VIDEO;
    if (!media.mimeType.startsWith(QLatin1String("image/")))
        return media;

    QImageReader reader(path);
    reader.setAutoTransform(true); // phone photos carry their rotation in EXIF
    const QSize full = reader.size();
    if (!full.isValid())
        return media;
    QSize scaled = full;
    if (std::max(full.width(), full.height()) > kThumbnailSide)
        scaled = full.scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio);
    reader.setScaledSize(scaled);
    QImage preview = reader.read();
    if (preview.isNull())
        return media;
    // JPEG has no alpha: transparent parts become white, as most chat backgrounds are light.
    if (preview.hasAlphaChannel()) {
        QImage flat(preview.size(), QImage::Format_RGB32);
        flat.fill(Qt::white);
        QPainter(&flat).drawImage(0, 0, preview);
        preview = flat;
    }
    media.kind = proto::MessageContent::KIND_IMAGE;
    const bool rotated = (preview.width() > preview.height()) != (full.width() > full.height());
    media.width = quint32(rotated ? full.height() : full.width());
    media.height = quint32(rotated ? full.width() : full.height());
    media.thumbnail = jpegWithin(preview, maxThumbnailBytes);
    return media;
}

} // namespace tern::client
