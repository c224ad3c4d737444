// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>

namespace tern::client {

// The account's local SQLite database (Qt Sql): opened once per account, schema brought up to
// date by numbered migrations (cachemigrations.cpp), shared by the stores that own its tables
// (ConversationStore, MessageStore, OutboxStore, UserStore). One thread: the GUI thread.
class LocalCache
{
public:
    LocalCache();
    ~LocalCache();
    LocalCache(const LocalCache &) = delete;
    LocalCache &operator=(const LocalCache &) = delete;

    // Opens (creating if needed) and migrates; false with error() when it cannot. A database
    // written by a newer client version is refused rather than damaged.
    bool open(const QString &path);
    void close();
    bool isOpen() const { return m_db.isOpen(); }
    QString error() const { return m_error; }
    int schemaVersion() const;

    QSqlDatabase &db() { return m_db; }

    // Small key/value state: sync cursors, the signed-in user id.
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
    bool migrate();

    QSqlDatabase m_db;
    QString m_connectionName;
    QString m_error;
    int m_transactionDepth = 0;
    bool m_transactionFailed = false;
};

} // namespace tern::client
