// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QTcpServer>

#include <functional>

namespace tern::server {

class PgPool;

// A minimal HTTP endpoint for orchestration on its own port:
//   GET /health/live   200 while the process runs
//   GET /health/ready  200 when the database answers a query, else 503
//   GET /metrics       Prometheus text: connections, sessions
// Main thread; one short-lived request per TCP connection.
class HealthServer : public QTcpServer
{
    Q_OBJECT
public:
    using Gauges = std::function<QByteArray()>;
    HealthServer(const QByteArray &dsn, Gauges gauges, QObject *parent = nullptr);

private:
    void onConnection();
    void respond(class QTcpSocket *socket, const QByteArray &path);

    PgPool *m_pool;
    Gauges m_gauges;
};

} // namespace tern::server
