// SPDX-License-Identifier: Apache-2.0
#include "cluster/sessionregistry.h"

namespace tern::server {

void SessionRegistry::add(qint64 sessionId, const Entry &entry)
{
    QMutexLocker lock(&m_mutex);
    m_entries[sessionId].append(entry);
}

void SessionRegistry::remove(qint64 sessionId, quint64 connectionId)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_entries.find(sessionId);
    if (it == m_entries.end())
        return;
    it->removeIf([connectionId](const Entry &e) { return e.connectionId == connectionId; });
    if (it->isEmpty())
        m_entries.erase(it);
}

QList<SessionRegistry::Entry> SessionRegistry::connectionsOf(qint64 sessionId) const
{
    QMutexLocker lock(&m_mutex);
    return m_entries.value(sessionId);
}

int SessionRegistry::sessionCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_entries.size());
}

QList<qint64> SessionRegistry::sessionIds() const
{
    QMutexLocker lock(&m_mutex);
    return m_entries.keys();
}

} // namespace tern::server
