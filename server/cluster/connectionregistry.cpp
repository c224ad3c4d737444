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
    Targets targets;
    collect(targets, m_byUser, userIds);
    pushTo(targets, frame, exceptConnection);
}

void ConnectionRegistry::pushToSessions(const QList<qint64> &sessionIds,
                                        const proto::Frame &frame) const
{
    Targets targets;
    collect(targets, m_bySession, sessionIds);
    pushTo(targets, frame, 0);
}

void ConnectionRegistry::collect(Targets &targets, const QHash<qint64, QList<Entry>> &index,
                                 const QList<qint64> &keys) const
{
    QMutexLocker lock(&m_mutex);
    for (const qint64 key : keys) {
        const auto found = index.constFind(key);
        if (found != index.cend())
            targets.append(found->constData(), found->size());
    }
}

void ConnectionRegistry::pushTo(const Targets &targets, const proto::Frame &frame,
                                quint64 exceptConnection) const
{
    if (targets.isEmpty())
        return;
    const QByteArray bytes = encodeFrame(frame); // once, shared by every recipient
    // One hop per worker, not per connection: a 5,000-member group is a few events.
    QVarLengthArray<std::pair<IoWorker *, std::vector<quint64>>, 4> byWorker;
    for (const Entry &entry : targets) {
        if (entry.connectionId == exceptConnection)
            continue;
        auto it = std::find_if(byWorker.begin(), byWorker.end(),
                               [&](const auto &group) { return group.first == entry.worker; });
        if (it == byWorker.end()) {
            byWorker.append({entry.worker, {}});
            it = byWorker.end() - 1;
        }
        it->second.push_back(entry.connectionId);
    }
    for (auto &[worker, ids] : byWorker) {
        QMetaObject::invokeMethod(
            worker, [worker, ids = std::move(ids), bytes] { worker->deliver(ids, bytes); },
            Qt::QueuedConnection);
    }
}

} // namespace tern::server
