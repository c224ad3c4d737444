// SPDX-License-Identifier: Apache-2.0
#include "throttledproxy.h"

#include <QTcpSocket>
#include <QTimer>

namespace {
constexpr int kTickMs = 20;
}

ThrottledProxy::ThrottledProxy(quint16 serverPort, qint64 bytesPerSecond, QObject *parent)
    : QObject(parent)
    , m_serverPort(serverPort)
    , m_bytesPerSecond(bytesPerSecond)
{
    connect(&m_server, &QTcpServer::newConnection, this, &ThrottledProxy::onNewConnection);
}

quint16 ThrottledProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost) ? m_server.serverPort() : 0;
}

void ThrottledProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        const qint64 perTick = std::max<qint64>(1, m_bytesPerSecond * kTickMs / 1000);
        // Qt reads no more than this from the kernel: the rest stays in the client's send
        // path, which fills up as on a slow link.
        client->setReadBufferSize(perTick);
        auto *server = new QTcpSocket(client);
        auto *tick = new QTimer(client);
        tick->setInterval(kTickMs);
        connect(tick, &QTimer::timeout, client, [client, server, perTick] {
            if (server->state() == QAbstractSocket::ConnectedState)
                server->write(client->read(perTick));
        });
        connect(server, &QTcpSocket::readyRead, client,
                [client, server] { client->write(server->readAll()); });
        connect(server, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
        connect(client, &QTcpSocket::disconnected, client, [client, server] {
            server->disconnectFromHost();
            client->deleteLater();
        });
        server->connectToHost(QHostAddress::LocalHost, m_serverPort);
        tick->start();
    }
}
