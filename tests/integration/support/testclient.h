// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

#include <optional>

// A protocol client for tests, over a real QWebSocket. Calls block (spinning the event loop)
// until the answer arrives or a timeout passes; a timeout yields an Error frame with code
// INTERNAL and message "test timeout", so assertions on the code fail loudly.
class TestClient : public QObject
{
    Q_OBJECT
public:
    explicit TestClient(QObject *parent = nullptr);

    bool open(const QUrl &url, int timeoutMs = 10000);
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

    // Sends `frame` with a fresh request id and waits for the frame answering it.
    tern::proto::Frame request(tern::proto::Frame frame, int timeoutMs = 15000);

    // Pipelining: post() sends a request without waiting and returns its request id;
    // answerTo() waits for that id's answer (a "test timeout" Error when none comes).
    quint64 post(tern::proto::Frame frame);
    tern::proto::Frame answerTo(quint64 requestId, int timeoutMs = 15000);

    // Conveniences over request().
    tern::proto::Frame hello(const QString &deviceId = {}, quint32 version = 1);
    tern::proto::Frame registerUser(const QString &username, const QString &password,
                                    const QString &displayName = {});
    tern::proto::Frame login(const QString &username, const QString &password);
    tern::proto::Frame resume(const QByteArray &token);
    // hello + register; returns the Session (fails the calling test via the code if not).
    tern::proto::Frame connectAndRegister(const QUrl &url, const QString &username,
                                          const QString &password, const QString &deviceId = {});

    void sendRaw(const QByteArray &bytes);
    void sendText(const QString &text);

    // The next frame that was not the answer to a request() (pushes, errors with id 0), except
    // presence pushes: every authenticated device gets them, so they have their own queue.
    std::optional<tern::proto::Frame> nextUnsolicited(int timeoutMs = 10000);
    // The next push of one kind; unsolicited frames of other kinds before it are dropped.
    std::optional<tern::proto::Frame> nextPush(tern::proto::Frame::PayloadCase kind,
                                               int timeoutMs = 10000);
    // The next PresenceChanged push.
    std::optional<tern::proto::PresenceChanged> nextPresence(int timeoutMs = 10000);

    bool waitClosed(int timeoutMs = 15000);
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }

private:
    QWebSocket m_socket;
    QList<tern::proto::Frame> m_received;
    QList<tern::proto::PresenceChanged> m_presence;
    quint64 m_nextRequestId = 1;
};

// The error code of a frame, or ERROR_CODE_UNSPECIFIED when it is not an Error.
tern::proto::ErrorCode errorCode(const tern::proto::Frame &frame);
