// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QTcpServer>

#include <vector>

namespace tern::server {

class IoWorker;

// Accepts TCP connections on the main thread and hands each socket descriptor, round robin,
// to an I/O worker, which does the WebSocket upgrade and everything after.
class Listener : public QTcpServer
{
    Q_OBJECT
public:
    Listener(std::vector<IoWorker *> workers, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    std::vector<IoWorker *> m_workers;
    size_t m_next = 0;
};

} // namespace tern::server
