// SPDX-License-Identifier: Apache-2.0
// HealthServer: main thread. Reads one request line, answers, closes.
#include "core/healthserver.h"

#include "store/pgpool.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace tern::server {

namespace {
constexpr qint64 kMaxRequestBytes = 8192;
constexpr int kRequestTimeoutMs = 5000;

void write(QTcpSocket *socket, const char *status, const QByteArray &body)
{
    socket->write(QByteArray("HTTP/1.1 ") + status
                  + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    socket->disconnectFromHost();
}
} // namespace

HealthServer::HealthServer(const QByteArray &dsn, Gauges gauges, QObject *parent)
    : QTcpServer(parent)
    , m_pool(new PgPool(dsn, 1, 1, this))
    , m_gauges(std::move(gauges))
{
    m_pool->open();
    connect(this, &QTcpServer::newConnection, this, &HealthServer::onConnection);
}

void HealthServer::onConnection()
{
    while (QTcpSocket *socket = nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(kRequestTimeoutMs, socket, [socket] { socket->abort(); });
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
            if (socket->property("answered").toBool())
                return;
            if (!socket->canReadLine()) {
                if (socket->bytesAvailable() > kMaxRequestBytes)
                    socket->abort();
                return;
            }
            socket->setProperty("answered", true);
            const QList<QByteArray> parts = socket->readLine(kMaxRequestBytes).split(' ');
            if (parts.size() < 2 || parts.at(0) != "GET")
                return write(socket, "405 Method Not Allowed", "GET only\n");
            respond(socket, parts.at(1));
        });
    }
}

void HealthServer::respond(QTcpSocket *socket, const QByteArray &path)
{
    if (path == "/health/live")
        return write(socket, "200 OK", "live\n");
    if (path == "/metrics")
        return write(socket, "200 OK", m_gauges());
    if (path != "/health/ready")
        return write(socket, "404 Not Found", "try /health/live, /health/ready or /metrics\n");
    QPointer<QTcpSocket> guard(socket);
    m_pool->reconnectNow(); // answer for the database as it is now, not as of the last attempt
    m_pool->execute(PgStatement {"SELECT 1", {}}, [guard](const PgOutcome &outcome) {
        if (!guard)
            return;
        if (outcome.ok())
            write(guard, "200 OK", "ready\n");
        else
            write(guard, "503 Service Unavailable",
                  "database unavailable: " + outcome.error.message.toUtf8() + '\n');
    });
}

} // namespace tern::server
