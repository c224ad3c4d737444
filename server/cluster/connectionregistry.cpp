// SPDX-License-Identifier: Apache-2.0
// ConnectionRegistry: shared by all threads behind one mutex; pushes are handed to the owning
// I/O worker as queued calls, never sent from the caller's thread.
#include "cluster/connectionregistry.h"

#include "net/ioworker.h"
#include "tern/framing.h"

#include <algorithm>
#include <vector>

namespace tern::server {

namespace {
void removeFrom(QHash<qint64, QList<ConnectionRegistry::Entry>> &map, qint64 key,
                quint64 connectionId)
{
    auto it = map.find(key);
    if (it == map.end())
        return;
    it->removeIf([connectionId](const auto &e) { return e.connectionId == connectionId; });
    if (it->isEmpty())
        map.erase(it);
}
} // namespace

void ConnectionRegistry::add(const Entry &entry)
{
    {
        QMutexLocker lock(&m_mutex);
        m_bySession[entry.sessionId].append(entry);
        m_byUser[entry.userId].append(entry);
    }
    for (const Observer &observer : m_observers)
        observer(entry, true);
}

void ConnectionRegistry::remove(const Entry &entry)
{
    {
        QMutexLocker lock(&m_mutex);
        removeFrom(m_bySession, entry.sessionId, entry.connectionId);
        removeFrom(m_byUser, entry.userId, entry.connectionId);
    }
    for (const Observer &observer : m_observers)
        observer(entry, false);
}

QList<ConnectionRegistry::Entry> ConnectionRegistry::connectionsOfSession(qint64 sessionId) const
{
    QMutexLocker lock(&m_mutex);
    return m_bySession.value(sessionId);
}

QList<ConnectionRegistry::Entry> ConnectionRegistry::connectionsOfUser(qint64 userId) const
{
    QMutexLocker lock(&m_mutex);
    return m_byUser.value(userId);
}

bool ConnectionRegistry::isOnline(qint64 userId) const
{
    QMutexLocker lock(&m_mutex);
    return m_byUser.contains(userId);
}

QList<qint64> ConnectionRegistry::sessionIds() const
{
    QMutexLocker lock(&m_mutex);
    return m_bySession.keys();
}

int ConnectionRegistry::sessionCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_bySession.size());
}

int ConnectionRegistry::userCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_byUser.size());
}

void ConnectionRegistry::pushToUsers(const QList<qint64> &userIds, const proto::Frame &frame,
                                     quint64 exceptConnection) const
{
    QList<Entry> targets;
    {
        QMutexLocker lock(&m_mutex);
        for (qint64 userId : userIds)
            targets += m_byUser.value(userId);
    }
    pushTo(targets, frame, exceptConnection);
}

void ConnectionRegistry::pushToSessions(const QList<qint64> &sessionIds,
                                        const proto::Frame &frame) const
{
    QList<Entry> targets;
    {
        QMutexLocker lock(&m_mutex);
        for (qint64 sessionId : sessionIds)
            targets += m_bySession.value(sessionId);
    }
    pushTo(targets, frame, 0);
}

void ConnectionRegistry::pushTo(const QList<Entry> &targets, const proto::Frame &frame,
                                quint64 exceptConnection) const
{
    if (targets.isEmpty())
        return;
    const QByteArray bytes = encodeFrame(frame); // once, shared by every recipient
    // One hop per worker, not per connection: a 5,000-member group is a few events.
    std::vector<std::pair<IoWorker *, std::vector<quint64>>> byWorker;
    for (const Entry &entry : std::as_const(targets)) {
        if (entry.connectionId == exceptConnection)
            continue;
        auto it = std::find_if(byWorker.begin(), byWorker.end(),
                               [&](const auto &group) { return group.first == entry.worker; });
        if (it == byWorker.end())
            it = byWorker.insert(byWorker.end(), {entry.worker, {}});
        it->second.push_back(entry.connectionId);
    }
    for (auto &[worker, ids] : byWorker) {
        QMetaObject::invokeMethod(
            worker, [worker, ids = std::move(ids), bytes] { worker->deliver(ids, bytes); },
            Qt::QueuedConnection);
    }
}

} // namespace tern::server
