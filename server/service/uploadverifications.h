// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMutex>
#include <QMutexLocker>
#include <QSet>
#include <QString>

namespace tern::server {

// Uploads whose whole content is being verified, across all I/O workers: one verification per
// upload at a time, however often its client announces it again (each one hashes up to
// max_file_bytes). Per process: ternd processes sharing a database verify on their own, and
// FileStore::completeUpload lets only one of them make the file.
class UploadVerifications
{
public:
    // False when this upload is being verified already.
    bool begin(const QString &uploadId)
    {
        QMutexLocker lock(&m_mutex);
        if (m_running.contains(uploadId))
            return false;
        m_running.insert(uploadId);
        return true;
    }

    void end(const QString &uploadId)
    {
        QMutexLocker lock(&m_mutex);
        m_running.remove(uploadId);
    }

private:
    QMutex m_mutex;
    QSet<QString> m_running;
};

} // namespace tern::server
