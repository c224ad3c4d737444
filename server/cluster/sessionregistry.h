// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QList>
#include <QMutex>

namespace tern::server {

class IoWorker;

// Which local connections hold which session, so that a session ended anywhere (another
// device, ternctl, another ternd) closes its connections here. Written by I/O workers as
// connections authenticate and close; read by SessionEvents. Thread-safe.
class SessionRegistry
{
public:
    struct Entry
    {
        IoWorker *worker = nullptr;
        quint64 connectionId = 0;
    };

    void add(qint64 sessionId, const Entry &entry);
    void remove(qint64 sessionId, quint64 connectionId);
    QList<Entry> connectionsOf(qint64 sessionId) const;
    int sessionCount() const;
    QList<qint64> sessionIds() const;

private:
    mutable QMutex m_mutex;
    QHash<qint64, QList<Entry>> m_entries;
};

} // namespace tern::server
