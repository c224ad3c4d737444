// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "backoff.h"

#include "tern/protocol.h"
#include "tern/v1/messaging.pb.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <functional>

namespace tern::client {

// One WebSocket to one server, kept open: Hello/Welcome on every (re)connection, requests with
// ids matched to their answers, pushes passed on, reconnection with backoff and jitter after
// any loss. It knows nothing of accounts: Session authenticates once connected() fires.
//
// Every request is answered exactly once: with the server's answer, or with an Error frame
// (ERROR_CODE_UNAVAILABLE) when the connection drops, the request times out, or it was sent
// while not connected. Answers are delivered on the event loop, never inside send().
class ServerConnection : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Offline, // stop() was called, or the server refused our protocol version
        Connecting, // opening the socket or waiting for Welcome
        Connected, // Welcome received: requests may be sent
        WaitingToRetry, // lost; the next attempt is at retryAtMs()
    };
    Q_ENUM(State)

    using ReplyHandler = std::function<void(const proto::Frame &)>;

    struct Options
    {
        QUrl url;
        QString deviceId;
        QString deviceName;
        QString clientName = QStringLiteral("tern-desktop");
        QString clientVersion = QStringLiteral("0.1.0");
        int initialBackoffMs = 1000;
        int maxBackoffMs = 60000;
        // A request unanswered this long, with no sign of life from the server meanwhile (a
        // frame, or bytes of ours taken off the socket), means the connection is dead
        // (half-open TCP): it is dropped and reopened. Signs of life keep a slow uplink that is
        // still carrying file chunks open; ten times this long ends any request.
        int requestTimeoutMs = 30000;
    };

    explicit ServerConnection(QObject *parent = nullptr);
    ~ServerConnection() override;

    void setOptions(const Options &options);
    const Options &options() const { return m_options; }

    // Connect and keep reconnecting until stop().
    void start();
    void stop();
    // While waiting to retry: try now (the user pressed "retry", or the network came back).
    void retryNow();
    // Drop the socket as if the network failed (tests, and "the OS says we went offline").
    void abortConnection();

    State state() const { return m_state; }
    bool isConnected() const { return m_state == State::Connected; }
    // Wall-clock time (ms since the epoch) of the next attempt while WaitingToRetry.
    qint64 retryAtMs() const { return m_retryAtMs; }
    // Why the last connection ended or failed, for people.
    QString lastError() const { return m_lastError; }
    const proto::Welcome &welcome() const { return m_welcome; }

    // Sends `frame` as a request; `handler` gets the answer (see the class comment). When
    // `context` is given and destroyed first, the handler is not called.
    void send(proto::Frame frame, ReplyHandler handler, QObject *context = nullptr);

Q_SIGNALS:
    void stateChanged(tern::client::ServerConnection::State state);
    // Welcome received on a new connection: authenticate now.
    void connected();
    // The connection was lost or closed (every pending request has been failed already).
    void disconnected();
    void pushReceived(const tern::proto::Frame &frame);

private:
    struct Pending
    {
        ReplyHandler handler;
        QPointer<QObject> context;
        bool hasContext = false;
        qint64 sentAtMs = 0;
    };

    void openSocket();
    void onSocketConnected();
    void onSocketClosed();
    void onBinaryMessage(const QByteArray &bytes);
    void onWelcome(const proto::Frame &frame);
    void checkDeadlines();
    void onBytesWritten();
    void failAllPending(const QString &reason);
    void scheduleRetry();
    void setState(State state);
    static void deliver(Pending pending, const proto::Frame &frame);

    Options m_options;
    QWebSocket *m_socket = nullptr;
    Backoff m_backoff;
    QTimer m_retryTimer;
    QTimer m_deadlineTimer;
    QTimer m_pingTimer;
    State m_state = State::Offline;
    bool m_wanted = false;
    qint64 m_retryAtMs = 0;
    qint64 m_lastHeardMs = 0;
    // When bytes we had queued last went out while more were waiting: the peer takes them.
    qint64 m_lastWrittenMs = 0;
    QString m_lastError;
    proto::Welcome m_welcome;
    quint64 m_nextRequestId = 1;
    quint64 m_helloRequestId = 0;
    QHash<quint64, Pending> m_pending;
};

// An Error frame answering `requestId` locally (the server never saw the request).
proto::Frame localError(quint64 requestId, proto::ErrorCode code, const QString &message);

} // namespace tern::client
