// SPDX-License-Identifier: Apache-2.0
// FileJanitor: expiry of abandoned uploads and garbage collection of contents, main thread.
#include "service/filejanitor.h"

#include "core/logging.h"
#include "store/blobstore.h"
#include "store/pgpool.h"

#include <QDateTime>

namespace tern::server {

FileJanitor::FileJanitor(const QByteArray &dsn, BlobStore &blobs, int lifetimeSeconds,
                         int intervalSeconds, QObject *parent)
    : QObject(parent)
    , m_pool(new PgPool(dsn, 1, 1, this))
    , m_blobs(blobs)
    , m_lifetimeSeconds(lifetimeSeconds)
{
    m_timer.setInterval(intervalSeconds * 1000);
    connect(&m_timer, &QTimer::timeout, this, &FileJanitor::sweep);
}

void FileJanitor::start()
{
    m_pool->open();
    m_timer.start();
}

void FileJanitor::sweep()
{
    if (m_sweeping)
        return; // the previous pass is still running
    m_sweeping = true;
    m_pool->execute(
        {"DELETE FROM uploads WHERE updated_at < now() - make_interval(secs => $1) RETURNING id",
         {pgInt(m_lifetimeSeconds)}},
        [this](const PgOutcome &o) {
            if (!o.ok()) {
                qCWarning(lcServer) << "files: expiring uploads failed:" << o.error.message;
                m_sweeping = false;
                return;
            }
            const PgResult &r = o.results.front();
            for (int row = 0; row < r.rowCount(); ++row)
                m_blobs.removePartial(r.text(row, 0));
            if (r.rowCount() > 0)
                qCInfo(lcServer) << "files: removed" << r.rowCount() << "abandoned uploads";
            // Partial files no upload names any more (a crash between disk and database).
            const QStringList stale = m_blobs.partialsUntouchedSince(
                QDateTime::currentDateTime().addSecs(-m_lifetimeSeconds));
            if (stale.isEmpty()) {
                collectGarbage();
                return;
            }
            m_pool->execute(
                {"SELECT id FROM uploads WHERE id = ANY ($1::text[])", {pgTextArray(stale)}},
                [this, stale](const PgOutcome &known) {
                    if (known.ok()) {
                        QStringList live;
                        const PgResult &k = known.results.front();
                        for (int row = 0; row < k.rowCount(); ++row)
                            live.append(k.text(row, 0));
                        for (const QString &id : stale) {
                            if (!live.contains(id))
                                m_blobs.removePartial(id);
                        }
                    }
                    collectGarbage();
                });
        });
}

void FileJanitor::collectGarbage()
{
    // Files nobody refers to once past the lifetime (a fresh upload waits for its message),
    // then the contents no file refers to. The database forgets a blob before the disk does;
    // BlobStore::beginRemovals() keeps a content that an upload committed meanwhile.
    m_blobs.beginRemovals();
    m_pool->execute(
        {{"DELETE FROM files f WHERE f.created_at < now() - make_interval(secs => $1)"
          " AND NOT EXISTS (SELECT 1 FROM message_files mf WHERE mf.file_id = f.id)"
          " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.avatar_file_id = f.id)"
          " AND NOT EXISTS (SELECT 1 FROM groups g WHERE g.avatar_file_id = f.id)",
          {pgInt(m_lifetimeSeconds)}},
         {"DELETE FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.sha256 = b.sha256)"
          " AND NOT EXISTS (SELECT 1 FROM uploads u WHERE u.sha256 = b.sha256)"
          " RETURNING b.sha256",
          {}}},
        [this](const PgOutcome &o) {
            m_sweeping = false;
            if (!o.ok()) {
                qCWarning(lcServer) << "files: garbage collection failed:" << o.error.message;
                return;
            }
            const PgResult &r = o.results.back();
            for (int row = 0; row < r.rowCount(); ++row)
                m_blobs.removeGarbage(r.bytea(row, 0));
            if (r.rowCount() > 0)
                qCInfo(lcServer) << "files: removed" << r.rowCount() << "contents nobody refers to";
        });
}

} // namespace tern::server
