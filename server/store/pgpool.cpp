// SPDX-License-Identifier: Apache-2.0
// PgPool: the database connections of one thread; picks the least busy ready one per job.
#include "store/pgpool.h"

#include "store/pgconnection.h"

#include <QTimer>

#include <memory>

namespace tern::server {

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

void PgPool::execute(std::vector<PgStatement> statements, PgCallback done)
{
    PgConnection *best = nullptr;
    for (PgConnection *connection : m_connections) {
        if (connection->isReady() && (!best || connection->pendingJobs() < best->pendingJobs()))
            best = connection;
    }
    if (!best)
        best = m_connections.front(); // fails fast with Unavailable
    run(best, std::move(statements), std::move(done));
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
    int pending = 0;
    for (const auto &batch : m_batches)
        pending += int(batch.size());
    for (const PgConnection *connection : m_connections)
        pending += connection->pendingJobs();
    return pending;
}

} // namespace tern::server
