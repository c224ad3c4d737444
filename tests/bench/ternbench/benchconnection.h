// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QHash>
#include <QObject>
#include <QWebSocket>

#include <functional>

// One load-generator connection: a real WebSocket speaking real tern.v1 frames. Requests are
// pipelined; each answer goes to the callback given with its request. Pushes go to onPush.
// Everything runs on the generator's event loop; nothing blocks.
class BenchConnection : public QObject
{
    Q_OBJECT
public:
    using Answer = std::function<void(const tern::proto::Frame &)>;

    explicit BenchConnection(QObject *parent = nullptr);

    void open(const QUrl &url);
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    void request(tern::proto::Frame frame, Answer answer);
    int inFlight() const { return int(m_pending.size()); }

    std::function<void(const tern::proto::Frame &)> onPush;

Q_SIGNALS:
    void opened();
    void closed(); // may come twice (an error, then the disconnect)

private:
    QWebSocket m_socket;
    QHash<quint64, Answer> m_pending;
    quint64 m_nextId = 1;
};
