// SPDX-License-Identifier: Apache-2.0
// TransferStore: uploads and downloads in progress or done, GUI thread.
#include "transferstore.h"

#include "clientlog.h"
#include "localcache.h"

#include <QSqlError>
#include <QSqlQuery>

namespace tern::client {

namespace {

constexpr auto kColumns = "id, direction, state, local_path, file_id, upload_id, name, mime_type,"
                          " size, sha256, done_bytes, conversation_id, error, created_at_ms";

TransferRecord fromRow(const QSqlQuery &q)
{
    TransferRecord r;
    r.id = q.value(0).toString();
    r.direction = TransferRecord::Direction(q.value(1).toInt());
    r.state = TransferRecord::State(q.value(2).toInt());
    r.localPath = q.value(3).toString();
    r.fileId = q.value(4).toString();
    r.uploadId = q.value(5).toString();
    r.name = q.value(6).toString();
    r.mimeType = q.value(7).toString();
    r.size = q.value(8).toLongLong();
    r.sha256 = q.value(9).toByteArray();
    r.doneBytes = q.value(10).toLongLong();
    r.conversationId = q.value(11).toULongLong();
    r.error = q.value(12).toString();
    r.createdAtMs = q.value(13).toLongLong();
    return r;
}

} // namespace

TransferStore::TransferStore(LocalCache &cache, QObject *parent)
    : QObject(parent)
    , m_cache(cache)
{ }

bool TransferStore::put(const TransferRecord &r)
{
    // Qt binds a null QString as NULL; the text columns are NOT NULL.
    const auto text = [](const QString &value) {
        return value.isNull() ? QStringLiteral("") : value;
    };
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO transfers (%1)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                  .arg(QLatin1String(kColumns)));
    q.addBindValue(text(r.id));
    q.addBindValue(int(r.direction));
    q.addBindValue(int(r.state));
    q.addBindValue(text(r.localPath));
    q.addBindValue(text(r.fileId));
    q.addBindValue(text(r.uploadId));
    q.addBindValue(text(r.name));
    q.addBindValue(text(r.mimeType));
    q.addBindValue(r.size);
    q.addBindValue(r.sha256.isNull() ? QByteArray("") : r.sha256);
    q.addBindValue(r.doneBytes);
    q.addBindValue(qulonglong(r.conversationId));
    q.addBindValue(text(r.error));
    q.addBindValue(r.createdAtMs);
    if (!q.exec()) {
        qCWarning(lcCache) << "transfer write failed:" << q.lastError().text();
        return false;
    }
    Q_EMIT changed(r.id);
    return true;
}

void TransferStore::remove(const QString &id)
{
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("DELETE FROM transfers WHERE id = ?"));
    q.addBindValue(id);
    q.exec();
    Q_EMIT changed(id);
}

std::optional<TransferRecord> TransferStore::get(const QString &id) const
{
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("SELECT %1 FROM transfers WHERE id = ?").arg(QLatin1String(kColumns)));
    q.addBindValue(id);
    if (q.exec() && q.next())
        return fromRow(q);
    return std::nullopt;
}

std::vector<TransferRecord> TransferStore::unfinished() const
{
    std::vector<TransferRecord> out;
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("SELECT %1 FROM transfers WHERE state <> ? ORDER BY created_at_ms")
                  .arg(QLatin1String(kColumns)));
    q.addBindValue(int(TransferRecord::State::Done));
    if (q.exec()) {
        while (q.next())
            out.push_back(fromRow(q));
    }
    return out;
}

std::optional<TransferRecord> TransferStore::finishedFor(const QString &fileId) const
{
    if (fileId.isEmpty())
        return std::nullopt;
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("SELECT %1 FROM transfers WHERE file_id = ? AND state = ?"
                             " ORDER BY direction DESC, created_at_ms DESC LIMIT 1")
                  .arg(QLatin1String(kColumns)));
    q.addBindValue(fileId);
    q.addBindValue(int(TransferRecord::State::Done));
    if (q.exec() && q.next())
        return fromRow(q);
    return std::nullopt;
}

void TransferStore::addUploadCancel(const QString &uploadId)
{
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("INSERT OR IGNORE INTO upload_cancels (upload_id) VALUES (?)"));
    q.addBindValue(uploadId);
    if (!q.exec())
        qCWarning(lcCache) << "upload cancel write failed:" << q.lastError().text();
}

void TransferStore::removeUploadCancel(const QString &uploadId)
{
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("DELETE FROM upload_cancels WHERE upload_id = ?"));
    q.addBindValue(uploadId);
    q.exec();
}

QStringList TransferStore::uploadCancels() const
{
    QStringList out;
    QSqlQuery q(m_cache.db());
    if (q.exec(QStringLiteral("SELECT upload_id FROM upload_cancels"))) {
        while (q.next())
            out.append(q.value(0).toString());
    }
    return out;
}

} // namespace tern::client
