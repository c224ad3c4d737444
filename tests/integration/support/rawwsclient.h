// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QTcpSocket>
#include <QUrl>

#include <optional>

// A WebSocket client written by hand over a QTcpSocket (RFC 6455: the client handshake, masked
// frames out, unmasked frames in), for tests that need what QWebSocket cannot do: stop reading,
// so that everything the server sends backs up into its send queue (invariant 6).
//
// With a small receive buffer it keeps the data in flight small on both sides: a few KB in Qt's
// read buffer and the kernel's receive buffer, and, because the MSS is clamped too, a small
// kernel send buffer on the server's side of the connection (Linux sizes it from the MSS; on
// loopback, with a 64 KB MSS, it would grow to megabytes and hide a slow reader for long).
class RawWsClient
{
public:
    // receiveBufferBytes 0: ordinary buffers.
    explicit RawWsClient(int receiveBufferBytes = 0);

    // TCP connect and WebSocket handshake; an empty string on success, else what went wrong.
    QString open(const QUrl &url, int timeoutMs = 10000);
    // Hello then Login in one write, then reads until the Session answer. Empty on success.
    QString logIn(const QString &username, const QString &password, const QString &deviceId,
                  int timeoutMs = 10000);

    // Sends `frame` as one masked binary message; the caller sets request_id.
    void send(const tern::proto::Frame &frame);

    // Reads whatever has arrived; returns the frames decoded since the last call.
    QList<tern::proto::Frame> readFrames();

    // Lifts the read buffer limit and reads everything until the server ends the connection
    // (TCP EOF or reset, or a WebSocket close frame) or the timeout passes. True when it ended.
    bool drainUntilServerCloses(int timeoutMs);

    bool serverClosed() const;
    // Counts of frames decoded so far, over the client's life.
    int framesRead() const { return m_framesRead; }
    int messagePushesRead() const { return m_messagePushes; }
    QAbstractSocket::SocketState state() const { return m_socket.state(); }

    // A client-to-server message: FIN, `opcode`, masked with a random key, 7-, 16- or 64-bit
    // payload length as its size needs.
    static QByteArray maskedMessage(const QByteArray &payload, int opcode = 0x2);

private:
    bool connectSocket(const QUrl &url);
    // The payload of the next complete binary message in m_buffer (control frames consumed).
    std::optional<QByteArray> takeMessage();

    QTcpSocket m_socket;
    const int m_receiveBufferBytes;
    QByteArray m_buffer;
    QByteArray m_fragments; // a message whose final frame has not arrived yet
    bool m_closeFrameSeen = false;
    int m_framesRead = 0;
    int m_messagePushes = 0;
};
