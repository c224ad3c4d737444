// SPDX-License-Identifier: Apache-2.0
// Listener: main thread. Never reads a byte; it only distributes accepted descriptors.
#include "net/listener.h"

#include "net/ioworker.h"

namespace tern::server {

Listener::Listener(std::vector<IoWorker *> workers, QObject *parent)
    : QTcpServer(parent)
    , m_workers(std::move(workers))
{
    setListenBacklogSize(4096);
}

void Listener::incomingConnection(qintptr descriptor)
{
    IoWorker *worker = m_workers[m_next++ % m_workers.size()];
    QMetaObject::invokeMethod(
        worker, [worker, descriptor] { worker->adoptSocket(descriptor); }, Qt::QueuedConnection);
}

} // namespace tern::server
