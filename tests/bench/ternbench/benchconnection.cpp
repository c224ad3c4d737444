// SPDX-License-Identifier: Apache-2.0
#include "benchconnection.h"

#include "tern/framing.h"

using namespace tern;

BenchConnection::BenchConnection(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::connected, this, &BenchConnection::opened);
    connect(&m_socket, &QWebSocket::disconnected, this, &BenchConnection::closed);
    // A connection that never opened (refused, reset during the handshake) is closed too.
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this] {
        if (m_socket.state() != QAbstractSocket::ConnectedState)
            Q_EMIT closed();
    });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &bytes) {
        proto::Frame frame;
        if (!frame.ParseFromArray(bytes.constData(), int(bytes.size())))
            return;
        if (frame.request_id() == 0) {
            if (onPush)
                onPush(frame);
            return;
        }
        const Answer answer = m_pending.take(frame.request_id());
        if (answer)
            answer(frame);
    });
}

void BenchConnection::open(const QUrl &url)
{
    m_socket.open(url);
}

void BenchConnection::request(proto::Frame frame, Answer answer)
{
    const quint64 id = m_nextId++;
    frame.set_request_id(id);
    m_pending.insert(id, std::move(answer));
    m_socket.sendBinaryMessage(encodeFrame(frame));
}
