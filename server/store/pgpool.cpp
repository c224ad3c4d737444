// SPDX-License-Identifier: Apache-2.0
// PgPool: the database connections of one thread; picks the least busy ready one per job.
#include "store/pgpool.h"

#include "store/pgconnection.h"

namespace tern::server {

PgPool::PgPool(const QByteArray &dsn, int size, QObject *parent)
    : QObject(parent)
{
    for (int i = 0; i < std::max(1, size); ++i)
        m_connections.push_back(new PgConnection(dsn, this));
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

void PgPool::executeInOrder(quint64 key, PgStatement statement, PgCallback done)
{
    // Mixed first: keys that share a residue elsewhere (the conversations one worker owns all
    // share id % workers) still spread over the connections.
    const quint64 mixed = (key * 0x9E3779B97F4A7C15ULL) >> 32;
    PgConnection *keyed = m_connections.at(size_t(mixed % m_connections.size()));
    std::vector<PgStatement> statements;
    statements.push_back(std::move(statement));
    // Never rerouted: a later job on another connection could commit first. While the
    // connection is down the job fails fast with Unavailable and the client retries.
    run(keyed, std::move(statements), std::move(done));
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
    for (const PgConnection *connection : m_connections)
        pending += connection->pendingJobs();
    return pending;
}

} // namespace tern::server
