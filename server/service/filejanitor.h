// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

namespace tern::server {

class BlobStore;
class PgPool;

// Housekeeping of files, on the main thread every files/janitor_interval_s: uploads that made
// no progress for files/partial_upload_lifetime_s are removed with their bytes; files that no
// message, avatar or pending upload refers to, once older than that lifetime, are deleted, and
// then every content no file refers to (the garbage collector). Partial files on disk that no
// upload row names (a crash between the two) go too.
class FileJanitor : public QObject
{
    Q_OBJECT
public:
    FileJanitor(const QByteArray &dsn, BlobStore &blobs, int lifetimeSeconds, int intervalSeconds,
                QObject *parent = nullptr);

    void start();
    // One pass now (also what the timer runs).
    void sweep();

private:
    void collectGarbage();

    PgPool *m_pool;
    BlobStore &m_blobs;
    int m_lifetimeSeconds;
    QTimer m_timer;
    bool m_sweeping = false;
};

} // namespace tern::server
