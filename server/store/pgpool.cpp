// SPDX-License-Identifier: Apache-2.0
// PgPool: the database connections of one thread; picks the least busy ready one per job.
#include "store/pgpool.h"

#include "core/logging.h"
#include "store/pgconnection.h"

#include <QRandomGenerator>
#include <QTimer>

#include <memory>

namespace tern::server {

namespace {
// What a job runs, for the log: the first SQL function its first statement calls (the
// store's statements are calls of tern_* functions with long column lists before them), else
// the statement's start. Its text is the store's own; input only ever travels as parameters,
// and those are never logged: they can hold secrets.
QByteArray describeJob(const std::vector<PgStatement> &statements)
{
    if (statements.empty() || !statements.front().sql)
        return {};
    const QByteArray sql = QByteArray(statements.front().sql).simplified();
    const qsizetype function = sql.indexOf("tern_");
    if (function < 0)
        return sql.left(100);
    const qsizetype end = sql.indexOf('(', function);
    return sql.mid(function, end < 0 ? 60 : std::min<qsizetype>(end - function, 60));
}
} // namespace

PgPool::PgPool(const QByteArray &dsn, int size, int writers, QObject *parent)
    : QObject(parent)
{
    for (int i = 0; i < std::max(1, size); ++i)
        m_connections.push_back(new PgConnection(dsn, this));
    m_batches.resize(size_t(std::clamp(writers, 1, int(m_connections.size()))));
}

void PgPool::setListenChannels(const QStringList &channels)
{
    PgConnection *listener = m_connections.front();
    listener->setListenChannels(channels);
    connect(listener, &PgConnection::notification, this, &PgPool::notification,
            Qt::UniqueConnection);
    connect(listener, &PgConnection::ready, this, &PgPool::listenerReady, Qt::UniqueConnection);
}

void PgPool::open()
{
    for (PgConnection *connection : m_connections)
        connection->open();
}

void PgPool::reconnectNow()
{
    for (PgConnection *connection : m_connections)
        connection->reconnectNow();
}

PgConnection *PgPool::leastBusy() const
{
    PgConnection *best = nullptr;
    for (PgConnection *connection : m_connections) {
        if (connection->isReady() && (!best || connection->pendingJobs() < best->pendingJobs()))
            best = connection;
    }
    return best ? best : m_connections.front(); // none ready: fails fast with Unavailable
}

void PgPool::execute(std::vector<PgStatement> statements, PgCallback done)
{
    attempt(std::move(statements), std::move(done), 1);
}

void PgPool::attempt(std::vector<PgStatement> statements, PgCallback done, int attemptNumber)
{
    PgConnection *connection = leastBusy();
    if (attemptNumber >= kMaxAttempts)
        return run(connection, std::move(statements), std::move(done));
    // A copy for the next attempt (the parameters' bytes are shared, not copied). Each attempt
    // is a job of its own, so a transaction of its own: the connection ends a job's implicit
    // transaction at its pipeline sync point, where an aborted one was rolled back.
    std::vector<PgStatement> again = statements;
    run(connection, std::move(statements),
        [this, again = std::move(again), done = std::move(done),
         attemptNumber](const PgOutcome &outcome) mutable {
            if (!outcome.error.isTransient())
                return done(outcome);
            // Lock order cycles between SQL functions (a user's row, then their direct
            // conversations; a user's row, then a group; a group, then invited users) cannot
            // all be ruled out, and PostgreSQL breaks one by aborting a transaction of
            // it: the job did nothing and runs again. The random delay lets the other side of
            // the cycle commit first, and keeps two jobs that collided from meeting again at
            // once.
            const int delayMs = QRandomGenerator::global()->bounded(2, 21);
            qCInfo(lcStore).noquote()
                << "transaction aborted with SQLSTATE" << outcome.error.sqlState << "- attempt"
                << attemptNumber + 1 << "of" << kMaxAttempts << "in" << delayMs
                << "ms:" << describeJob(again);
            ++m_retrying;
            QTimer::singleShot(
                delayMs, this,
                [this, again = std::move(again), done = std::move(done), attemptNumber]() mutable {
                    --m_retrying;
                    attempt(std::move(again), std::move(done), attemptNumber + 1);
                });
        });
}

size_t PgPool::slotOf(quint64 key) const
{
    // Mixed first: keys that share a residue elsewhere (the conversations one worker owns all
    // share id % workers) still spread over the connections.
    const quint64 mixed = (key * 0x9E3779B97F4A7C15ULL) >> 32;
    return size_t(mixed % slotCount());
}

PgConnection *PgPool::writer(size_t slot) const
{
    // The last connections: the first one also listens for notifications.
    return m_connections.at(m_connections.size() - slotCount() + slot);
}

void PgPool::executeInOrder(quint64 key, PgStatement statement, PgCallback done)
{
    executeInSlot(slotOf(key), std::move(statement), std::move(done));
}

void PgPool::executeInSlot(size_t index, PgStatement statement, PgCallback done)
{
    // Never rerouted: a later job on another connection could commit first. While the
    // connection is down the job fails fast with Unavailable and the client retries.
    std::vector<Ordered> &batch = m_batches[index];
    batch.push_back({std::move(statement), std::move(done)});
    if (batch.size() == 1)
        QTimer::singleShot(0, this, [this, index] { flushBatch(index); });
    else if (batch.size() >= kMaxBatch)
        flushBatch(index);
}

void PgPool::flushBatch(size_t index)
{
    std::vector<Ordered> batch = std::move(m_batches[index]);
    m_batches[index].clear();
    if (batch.empty())
        return;
    PgConnection *connection = writer(index);
    if (batch.size() == 1) {
        std::vector<PgStatement> statements;
        statements.push_back(std::move(batch.front().statement));
        return run(connection, std::move(statements), std::move(batch.front().done));
    }
    // Group commit: the writes that arrived together share one transaction, so one round trip
    // and one WAL flush, and each is answered only after that commit.
    std::vector<PgStatement> statements;
    statements.reserve(batch.size());
    for (const Ordered &write : batch)
        statements.push_back(write.statement);
    auto shared = std::make_shared<std::vector<Ordered>>(std::move(batch));
    run(connection, std::move(statements), [this, connection, shared](const PgOutcome &outcome) {
        if (outcome.ok()) {
            for (size_t i = 0; i < shared->size(); ++i) {
                PgOutcome one;
                one.results.push_back(outcome.results.at(i));
                (*shared)[i].done(one);
            }
            return;
        }
        if (outcome.error.kind == PgError::Kind::Query) {
            // One statement failed and took the others' transaction with it: run them one by
            // one so that only the faulty write fails.
            for (Ordered &write : *shared) {
                std::vector<PgStatement> alone;
                alone.push_back(std::move(write.statement));
                run(connection, std::move(alone), std::move(write.done));
            }
            return;
        }
        for (Ordered &write : *shared)
            write.done(outcome);
    });
}

void PgPool::run(PgConnection *connection, std::vector<PgStatement> statements, PgCallback done)
{
    connection->execute(std::move(statements),
                        [this, done = std::move(done)](const PgOutcome &outcome) {
                            done(outcome);
                            if (pendingJobs() == 0)
                                Q_EMIT idle();
                        });
}

void PgPool::execute(PgStatement statement, PgCallback done)
{
    std::vector<PgStatement> statements;
    statements.push_back(std::move(statement));
    execute(std::move(statements), std::move(done));
}

bool PgPool::isReady() const
{
    for (const PgConnection *connection : m_connections) {
        if (connection->isReady())
            return true;
    }
    return false;
}

int PgPool::pendingJobs() const
{
    int pending = m_retrying; // not done yet: idle() must not fire between attempts
    for (const auto &batch : m_batches)
        pending += int(batch.size());
    for (const PgConnection *connection : m_connections)
        pending += connection->pendingJobs();
    return pending;
}

} // namespace tern::server
