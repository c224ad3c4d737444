// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>

namespace tern::server {

// How many files each user moves at the same time (ServerLimits.max_concurrent_transfers),
// across all I/O workers. A transfer is an upload id or a file id; it holds a slot from its
// first chunk or read until it completes (the upload's last chunk, the read that reaches the
// end, a cancel) or has been idle for `idleMs`, so that a client that vanished mid-transfer
// frees its slots without the server tracking connections. A resumed transfer names the same
// id and so keeps its slot.
class TransferSlots
{
public:
    TransferSlots(int perUser, qint64 idleMs);

    // Takes (or refreshes) the slot of `transfer`; false when the user has no slot left.
    bool acquire(qint64 userId, const QString &transfer, qint64 nowMs);
    void release(qint64 userId, const QString &transfer);
    int perUser() const { return m_perUser; }

private:
    struct Slot
    {
        QString transfer;
        qint64 lastActiveMs = 0;
    };

    const int m_perUser;
    const qint64 m_idleMs;
    QMutex m_mutex;
    QHash<qint64, QList<Slot>> m_slots;
};

} // namespace tern::server
