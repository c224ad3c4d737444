// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"
#include "tern/v1/messaging.pb.h"

#include <QString>
#include <QVariantMap>

namespace tern::client {

class Transfers;

// What the timeline shows of a message's file, for QML (MessageModel's "file" role):
//   name, size, sizeText, mimeType, width, height, durationMs, thumbnail (a data: URL or ""),
//   fileId, localUrl (a file: URL of this device's copy, or ""), transferId, transferState
//   ("", "queued", "running", "paused", "failed", "done"), progress (0..1), progressText
//   ("1.2 MB of 5 MB · 800 kB/s · 5 s left"), transferError.
// The transfer is the upload of an own message (by its client_msg_id), else the download.
QVariantMap describeMessageFile(const proto::FileRef &file, const QString &clientMsgId, bool mine,
                                const Transfers &transfers);

// "1.2 MB of 5 MB · 800 kB/s · 5 s left" (speed and time only while moving).
QString transferProgressText(qint64 done, qint64 size, double bytesPerSecond);

} // namespace tern::client
