// SPDX-License-Identifier: Apache-2.0
// LocalCache: the per-account SQLite file and its migrations. GUI thread only.
#include "localcache.h"

#include "cachemigrations.h"
#include "clientlog.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace tern::client {

LocalCache::LocalCache()
    : m_connectionName(QStringLiteral("tern-cache-")
                       + QUuid::createUuid().toString(QUuid::WithoutBraces))
{ }

LocalCache::~LocalCache()
{
    close();
}

bool LocalCache::open(const QString &path)
{
    m_setAside.clear();
    if (openFile(path))
        return true;
    if (m_newerSchema)
        return false;
    const QString problem = m_error;
    close();
    const QString aside = path + QStringLiteral(".broken-")
        + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    // With its write-ahead log: the three files are one database.
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (QFile::exists(path + suffix) && !QFile::rename(path + suffix, aside + suffix)) {
            m_error = problem;
            return false;
        }
    }
    qCWarning(lcCache).noquote() << "the cache could not be opened (" << problem
                                 << "): set aside as" << aside << "and made anew";
    m_setAside = aside;
    return openFile(path);
}

bool LocalCache::openFile(const QString &path)
{
    close();
    m_newerSchema = false;
    QDir().mkpath(QFileInfo(path).absolutePath());
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(path);
    if (!m_db.open()) {
        m_error = m_db.lastError().text();
        return false;
    }
    QSqlQuery pragma(m_db);
    // WAL: readers never wait for the writer; NORMAL sync is durable across app crashes (the
    // server holds the truth; the outbox is re-sent by client_msg_id if the OS crashed).
    for (const char *statement :
         {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"}) {
        if (!pragma.exec(QString::fromLatin1(statement))) {
            m_error = pragma.lastError().text();
            return false;
        }
    }
    return migrate();
}

void LocalCache::close()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

int LocalCache::schemaVersion() const
{
    QSqlQuery q(m_db);
    q.exec(QStringLiteral("PRAGMA user_version"));
    return q.next() ? q.value(0).toInt() : -1;
}

bool LocalCache::migrate()
{
    const auto &migrations = cacheMigrations();
    const int current = schemaVersion();
    if (current < 0) {
        m_error = QStringLiteral("its schema version cannot be read");
        return false;
    }
    if (current > int(migrations.size())) {
        m_newerSchema = true;
        m_error = QCoreApplication::translate(
                      "LocalCache",
                      "it was written by a newer version of Tern (schema %1; this one knows "
                      "%2): use that version, or log out there")
                      .arg(current)
                      .arg(migrations.size());
        return false;
    }
    for (int version = current + 1; version <= int(migrations.size()); ++version) {
        Transaction tx(*this);
        QSqlQuery q(m_db);
        for (const QString &statement : migrations[size_t(version - 1)]) {
            if (!q.exec(statement)) {
                m_error = QStringLiteral("cache migration %1 failed: %2")
                              .arg(version)
                              .arg(q.lastError().text());
                return false;
            }
        }
        // PRAGMA takes no bound parameters; the number is ours.
        if (!q.exec(QStringLiteral("PRAGMA user_version = %1").arg(version)) || !tx.commit()) {
            m_error = q.lastError().text();
            return false;
        }
        qCInfo(lcCache) << "cache migrated to schema" << version;
    }
    return true;
}

QByteArray LocalCache::meta(const QString &key) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT value FROM meta WHERE key = ?"));
    q.addBindValue(key);
    q.exec();
    return q.next() ? q.value(0).toByteArray() : QByteArray();
}

void LocalCache::setMeta(const QString &key, const QByteArray &value)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO meta (key, value) VALUES (?, ?)"
                             " ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(key);
    q.addBindValue(value);
    if (!q.exec())
        qCWarning(lcCache) << "meta write failed:" << q.lastError().text();
}

LocalCache::Transaction::Transaction(LocalCache &cache)
    : m_cache(cache)
{
    if (m_cache.m_transactionDepth++ == 0) {
        m_cache.m_transactionFailed = false;
        m_cache.m_db.transaction();
    }
}

LocalCache::Transaction::~Transaction()
{
    if (!m_done) {
        m_cache.m_transactionFailed = true;
        if (--m_cache.m_transactionDepth == 0)
            m_cache.m_db.rollback();
    }
}

bool LocalCache::Transaction::commit()
{
    m_done = true;
    if (--m_cache.m_transactionDepth > 0)
        return true;
    if (m_cache.m_transactionFailed) {
        m_cache.m_db.rollback();
        return false;
    }
    return m_cache.m_db.commit();
}

} // namespace tern::client
