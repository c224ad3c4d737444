// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/pgtypes.h"

#include <QObject>
#include <QStringList>

#include <algorithm>
#include <vector>

namespace tern::server {

class PgConnection;

// A few pipelined connections owned by one thread. Each I/O worker has its own pool, so
// database results come back on the thread that asked, without locks or thread hops.
class PgPool : public QObject
{
    Q_OBJECT
public:
    // `writers` of the `size` connections take the ordered writes (executeInOrder), the last
    // ones; the first also listens.
    PgPool(const QByteArray &dsn, int size, int writers = 1, QObject *parent = nullptr);

    // LISTEN on these channels (on the first connection); see PgConnection.
    void setListenChannels(const QStringList &channels);
    void open();
    // Skip the reconnect backoff (for probes that must reflect the database right now).
    void reconnectNow();
    // Runs the statements as one transaction on the least busy ready connection. When none is
    // ready, `done` gets Kind::Unavailable (asynchronously, like every other outcome).
    // A job the database aborted to break a deadlock or a serialization conflict
    // (PgError::isTransient) had no effect: it runs again, as a new transaction on the least
    // busy connection then, after a few random milliseconds (kMaxAttempts in all), and `done`
    // sees only the last attempt's outcome. Lock order cycles between SQL functions thus cost
    // a short wait instead of a failed request.
    void execute(std::vector<PgStatement> statements, PgCallback done);
    void execute(PgStatement statement, PgCallback done);
    // Like execute(), but jobs with the same key run on the same connection, one after the
    // other in the order given (failing with Unavailable while it is down): writes to one
    // conversation from one worker commit in the order they were asked for. Such jobs that
    // arrive in one turn of the event loop share a transaction (group commit, at most
    // kMaxBatch); if one of them fails, the others are retried alone (behind any batch sent
    // meanwhile: rare, and only after an error). Use it only for
    // statements whose failure leaves nothing to undo. Unlike execute(), a job that a
    // deadlock aborted on its own is not run again after a delay: by then later jobs of its
    // key may have committed, and it would land behind them.
    void executeInOrder(quint64 key, PgStatement statement, PgCallback done);
    // The connection executeInOrder() uses for `key`, and executeInOrder() by that index: a
    // caller that combines several keys' jobs into one statement (MessageStore's batched
    // sends) keeps them in order with the rest of each key's jobs.
    size_t slotOf(quint64 key) const;
    size_t slotCount() const { return m_batches.size(); }
    void executeInSlot(size_t slot, PgStatement statement, PgCallback done);

    bool isReady() const;
    int pendingJobs() const;

Q_SIGNALS:
    void idle(); // no job pending any more (used to drain at shutdown)
    void notification(const QString &channel, const QString &payload);
    // The listening connection (re)connected: notifications sent meanwhile were missed.
    void listenerReady();

private:
    struct Ordered
    {
        PgStatement statement;
        PgCallback done;
    };
    static constexpr size_t kMaxBatch = 64;
    // Attempts of an execute() job that the database keeps aborting (see execute()).
    static constexpr int kMaxAttempts = 3;

    PgConnection *leastBusy() const;
    void attempt(std::vector<PgStatement> statements, PgCallback done, int attemptNumber);
    void run(PgConnection *connection, std::vector<PgStatement> statements, PgCallback done);
    void flushBatch(size_t index);
    PgConnection *writer(size_t slot) const;

    std::vector<PgConnection *> m_connections;
    std::vector<std::vector<Ordered>> m_batches; // executeInOrder jobs per writer
    int m_retrying = 0; // execute() jobs waiting for their next attempt
};

} // namespace tern::server
