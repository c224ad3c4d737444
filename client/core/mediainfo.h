// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"
#include "tern/v1/messaging.pb.h"

#include <QByteArray>
#include <QString>

namespace tern::client {

// What a local file is, for the message that sends it: its MIME type, which kind of message
// it makes (image, video or file), and for images the pixel size and a small JPEG preview the
// receivers show before (or instead of) downloading the file.
struct LocalMedia
{
    QString mimeType;
    proto::MessageContent::Kind kind = proto::MessageContent::KIND_FILE;
    quint32 width = 0;
    quint32 height = 0;
    QByteArray thumbnail;
};

// Reads only what it needs (the header, a scaled decode): fast even for large photos. An image
// that cannot be decoded is sent as a plain file.
LocalMedia describeLocalFile(const QString &path, int maxThumbnailBytes);

} // namespace tern::client
