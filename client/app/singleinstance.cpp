// SPDX-License-Identifier: Apache-2.0
// SingleInstance: the per-profile local socket, GUI thread.
#include "singleinstance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLocalSocket>

namespace tern::client {

SingleInstance::SingleInstance(const QString &profileDir, QObject *parent)
    : QObject(parent)
{
    const QByteArray hash = QCryptographicHash::hash(QDir(profileDir).absolutePath().toUtf8(),
                                                     QCryptographicHash::Sha256)
                                .toHex()
                                .left(16);
    m_name = QStringLiteral("tern-") + QString::fromLatin1(hash);
    connect(&m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server.nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            Q_EMIT activationRequested();
            socket->disconnectFromServer();
        }
    });
}

bool SingleInstance::claim()
{
    QLocalSocket probe;
    probe.connectToServer(m_name);
    if (probe.waitForConnected(500)) {
        probe.write("show\n");
        probe.waitForBytesWritten(500);
        return false;
    }
    QLocalServer::removeServer(m_name); // a crashed instance's socket file
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    return m_server.listen(m_name);
}

} // namespace tern::client
