// SPDX-License-Identifier: Apache-2.0
#include "service/transferslots.h"

#include <QMutexLocker>

namespace tern::server {

TransferSlots::TransferSlots(int perUser, qint64 idleMs)
    : m_perUser(perUser)
    , m_idleMs(idleMs)
{ }

bool TransferSlots::acquire(qint64 userId, const QString &transfer, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    QList<Slot> &slots = m_slots[userId];
    slots.removeIf([&](const Slot &s) { return nowMs - s.lastActiveMs > m_idleMs; });
    for (Slot &slot : slots) {
        if (slot.transfer == transfer) {
            slot.lastActiveMs = nowMs;
            return true;
        }
    }
    if (slots.size() >= m_perUser) {
        return false;
    }
    slots.append({transfer, nowMs});
    return true;
}

void TransferSlots::release(qint64 userId, const QString &transfer)
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_slots.find(userId);
    if (it == m_slots.end())
        return;
    it->removeIf([&](const Slot &s) { return s.transfer == transfer; });
    if (it->isEmpty())
        m_slots.erase(it);
}

} // namespace tern::server
