// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

namespace tern::server {

// The files settings (files/* in the configuration; advertised in Welcome.limits).
struct FilePolicy
{
    qint64 maxFileBytes = qint64(2) << 30; // 2 GiB
    qint64 quotaBytes = qint64(20) << 30; // per user, files plus pending uploads
    // The largest chunk of an upload or read: the frame limit less room for the envelope.
    quint32 chunkBytes = 255 * 1024;
};

} // namespace tern::server
