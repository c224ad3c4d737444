// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>

namespace tern::client {

// The account's local SQLite database (Qt Sql): opened once per account, schema brought up to
// date by numbered migrations (cachemigrations.cpp), shared by the stores that own its tables
// (ConversationStore, MessageStore, OutboxStore, DraftStore, UserStore...). One thread: the
// GUI thread.
class LocalCache
{
public:
    LocalCache();
    ~LocalCache();
    LocalCache(const LocalCache &) = delete;
    LocalCache &operator=(const LocalCache &) = delete;

    // Opens (creating if needed) and migrates; false with error() when it cannot. A database
    // written by a newer client version is refused rather than damaged. One that cannot be
    // opened or migrated otherwise (damaged, not a database) is set aside beside it
    // ("cache.sqlite.broken-<time>", setAsidePath()) and a new one made: the server holds
    // the truth and the sync fills it again; only what the outbox held is lost.
    bool open(const QString &path);
    // Where a damaged cache was put by the last open(); empty when none was.
    QString setAsidePath() const { return m_setAside; }
    void close();
    bool isOpen() const { return m_db.isOpen(); }
    QString error() const { return m_error; }
    int schemaVersion() const;

    QSqlDatabase &db() { return m_db; }

    // Small key/value state: sync cursors, the signed-in user id, the chat open last.
    QByteArray meta(const QString &key) const;
    void setMeta(const QString &key, const QByteArray &value);

    // RAII transaction: commits in commit(), rolls back if destroyed before. Nests: only the
    // outermost one talks to SQLite, and an inner one that was not committed makes the
    // outermost roll back.
    class Transaction
    {
    public:
        explicit Transaction(LocalCache &cache);
        ~Transaction();
        bool commit();

    private:
        LocalCache &m_cache;
        bool m_done = false;
    };

private:
    bool openFile(const QString &path);
    bool migrate();

    QSqlDatabase m_db;
    QString m_connectionName;
    QString m_error;
    QString m_setAside;
    bool m_newerSchema = false;
    int m_transactionDepth = 0;
    bool m_transactionFailed = false;
};

} // namespace tern::client
