// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QVarLengthArray>

#include <functional>
#include <vector>

namespace tern::server {

class IoWorker;

// Which local connections are authenticated as which user and session, so that a push for a
// user reaches every one of their devices here, and a session ended anywhere (another device,
// ternctl, another ternd) closes its connections. Written by I/O workers as connections
// authenticate and close; read from any thread. Other ternd processes are reached through
// PostgreSQL (cluster/sessionevents, cluster/groupevents) and later Redis.
class ConnectionRegistry
{
public:
    struct Entry
    {
        IoWorker *worker = nullptr;
        quint64 connectionId = 0;
        qint64 userId = 0;
        qint64 sessionId = 0;
    };

    void add(const Entry &entry);
    void remove(const Entry &entry);

    // Told after every add() (added = true) and remove(), on the calling I/O worker thread,
    // outside the lock; used by the presence tracker and the call registry. Added before the
    // workers start and cleared only after they stopped.
    using Observer = std::function<void(const Entry &entry, bool added)>;
    void addObserver(Observer observer) { m_observers.push_back(std::move(observer)); }
    void clearObservers() { m_observers.clear(); }

    QList<Entry> connectionsOfSession(qint64 sessionId) const;
    QList<Entry> connectionsOfUser(qint64 userId) const;
    bool isOnline(qint64 userId) const;
    QList<qint64> sessionIds() const;
    int sessionCount() const;
    int userCount() const;

    // Sends `frame` (a push: request_id 0) to every connection of these users, serialized
    // once. `exceptConnection` skips the connection that caused the push, when it got the
    // same information as its answer.
    void pushToUsers(const QList<qint64> &userIds, const proto::Frame &frame,
                     quint64 exceptConnection = 0) const;
    // The same, to every connection of these sessions (devices).
    void pushToSessions(const QList<qint64> &sessionIds, const proto::Frame &frame) const;

private:
    // Most pushes go to a few connections (every 1:1 message): the lists stay on the stack.
    using Targets = QVarLengthArray<Entry, 8>;
    void collect(Targets &targets, const QHash<qint64, QList<Entry>> &index,
                 const QList<qint64> &keys) const;
    void pushTo(const Targets &targets, const proto::Frame &frame, quint64 exceptConnection) const;

    mutable QMutex m_mutex;
    QHash<qint64, QList<Entry>> m_bySession;
    QHash<qint64, QList<Entry>> m_byUser;
    std::vector<Observer> m_observers;
};

} // namespace tern::server
