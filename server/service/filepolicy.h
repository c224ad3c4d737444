// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

namespace tern::server {

// The files settings (files/* in the configuration; advertised in Welcome.limits).
struct FilePolicy
{
    qint64 maxFileBytes = qint64(2) << 30; // 2 GiB
    qint64 quotaBytes = qint64(20) << 30; // per user, files plus pending uploads
    // Files a user may own, pending uploads included (the quota at 200 KiB a file, a photo's
    // size). Files that nothing refers to are removed after partialLifetimeSeconds and no
    // longer count.
    qint64 maxFilesPerUser = 100000;
    // The largest chunk of an upload or read: the frame limit less room for the envelope.
    quint32 chunkBytes = 255 * 1024;
    // An upload without progress for this long is removed; an uploaded file nothing refers to
    // is garbage once this old.
    int partialLifetimeSeconds = 24 * 3600;
    int janitorIntervalSeconds = 600;
    // Files each user moves at once (TransferSlots).
    int maxConcurrentTransfers = 8;
};

} // namespace tern::server
