// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QTcpServer>

// A TCP relay on loopback whose client-to-server direction carries at most `bytesPerSecond`:
// a slow uplink in front of a real ternd. It reads from the client only as fast as it may pass
// bytes on, so the client's socket backs up as it would on a slow link. The other direction
// is passed on at once.
class ThrottledProxy : public QObject
{
    Q_OBJECT
public:
    ThrottledProxy(quint16 serverPort, qint64 bytesPerSecond, QObject *parent = nullptr);

    // Listens on a free loopback port; 0 when it cannot.
    quint16 listen();

private:
    void onNewConnection();

    QTcpServer m_server;
    quint16 m_serverPort;
    qint64 m_bytesPerSecond;
};
