// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/pgtypes.h"

#include <QHash>
#include <QObject>
#include <QStringList>

#include <algorithm>
#include <optional>
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
    void execute(std::vector<PgStatement> statements, PgCallback done);
    void execute(PgStatement statement, PgCallback done);
    // Like execute(), but jobs with the same key run on the same connection, one after the
    // other in the order given (failing with Unavailable while it is down): writes to one
    // conversation from one worker commit in the order they were asked for. Such jobs that
    // arrive in one turn of the event loop share a transaction (group commit, at most
    // kMaxBatch); if one of them fails, the others are retried alone (behind any batch sent
    // meanwhile: rare, and only after an error). Use it only for
    // statements whose failure leaves nothing to undo.
    void executeInOrder(quint64 key, PgStatement statement, PgCallback done);
    // The writer connections by index, for a caller that combines several keys' jobs into one
    // statement (MessageStore's batched sends) and keeps them in order with the rest of each
    // key's jobs: acquireSlot() says where `key`'s jobs go now and counts one job of it
    // outstanding until releaseSlot(key). A key keeps its connection while it has jobs
    // outstanding, so they commit in order; a key with none is placed afresh (placeKey()).
    size_t acquireSlot(quint64 key);
    void releaseSlot(quint64 key);
    // Where `key`'s outstanding jobs go; nothing when it has none.
    std::optional<size_t> heldSlotOf(quint64 key) const;
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
    // A writer whose statement has run this long counts as busy: keys placed meanwhile go to
    // a less busy writer (docs/benchmarks.md, "Writers chosen per conversation").
    static constexpr qint64 kBusyAfterNs = 1'000'000;
    struct KeyHold
    {
        size_t slot = 0;
        int outstanding = 0;
    };

    // The first writer while it keeps up, so that at moderate load one connection takes
    // nearly every write (fewer, larger statements); the least busy once it does not.
    size_t placeKey() const;

    void run(PgConnection *connection, std::vector<PgStatement> statements, PgCallback done);
    void flushBatch(size_t index);
    PgConnection *writer(size_t slot) const;

    std::vector<PgConnection *> m_connections;
    std::vector<std::vector<Ordered>> m_batches; // executeInOrder jobs per writer
    QHash<quint64, KeyHold> m_held; // keys with jobs outstanding
    // Per connection: since when its current statement runs (while it has jobs).
    std::vector<qint64> m_busySinceNs;
};

} // namespace tern::server
