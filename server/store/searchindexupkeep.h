// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <atomic>

namespace tern::server {

class PgPool;

// Keeps the message search index's pending list short, off the send path. The n-gram GIN
// index (messages_search) takes new entries into a pending list; whichever insert finds the
// list over gin_pending_list_limit merges it into the index itself, inside its transaction,
// and every send batched with it waits (tens of milliseconds: in ternbench pairs at 3,000
// msgs/s, send->ack p99 45 ms with the index against 17 ms without). Here a connection of its
// own merges the list (gin_clean_pending_list) shortly after sends committed; an insert that
// finds a merge under way skips its own, and migration 0015 raises the limit so that inserts
// reach it only when this falls behind. Main thread; noteInserted() from any thread.
class SearchIndexUpkeep : public QObject
{
    Q_OBJECT
public:
    // How long after the first send it merges; sends meanwhile share the merge. Short, so
    // that each merge is small: sends committed while a merge runs are slow, and with 250 ms
    // the slow acks of an open loop came in bursts of 50-100 ms every 340 ms (English text at
    // 5,000 msgs/s: send->ack p99 46-246 ms, against 29-64 ms with 50 ms; docs/benchmarks.md).
    static constexpr int kDelayMs = 50;

    SearchIndexUpkeep(const QByteArray &dsn, QObject *parent = nullptr);

    void start();
    // Messages were committed (any thread): a merge follows within kDelayMs.
    void noteInserted();

private:
    void merge();

    PgPool *m_pool;
    QTimer m_timer;
    std::atomic<bool> m_dirty {false};
    bool m_merging = false;
    bool m_disabled = false;
};

} // namespace tern::server
