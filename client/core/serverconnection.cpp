// SPDX-License-Identifier: Apache-2.0
// ServerConnection: the client's one socket to ternd, on the thread that owns it (the GUI
// thread in the app). Owns the request-id table and the reconnect schedule; never blocks.
#include "serverconnection.h"

#include "clientlog.h"

#include "tern/framing.h"

#include <QDateTime>

namespace tern::client {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Before Welcome tells us the server's limits, accept frames up to this size.
constexpr quint32 kDefaultMaxFrameBytes = 1024 * 1024;

} // namespace

proto::Frame localError(quint64 requestId, proto::ErrorCode code, const QString &message)
{
    return makeErrorFrame(requestId, code, message);
}

ServerConnection::ServerConnection(QObject *parent)
    : QObject(parent)
    , m_backoff(m_options.initialBackoffMs, m_options.maxBackoffMs)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ServerConnection::openSocket);
    m_deadlineTimer.setInterval(1000);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &ServerConnection::checkDeadlines);
    connect(&m_pingTimer, &QTimer::timeout, this, [this] {
        if (m_socket && m_state == State::Connected)
            m_socket->ping();
    });
}

ServerConnection::~ServerConnection()
{
    m_wanted = false;
    if (m_socket) {
        m_socket->disconnect(this);
        // Closed, not dropped, when open: close() flushes what was sent last (a hang-up on
        // quitting) before its close frame, and the server sees a clean end, not a lost
        // connection. Whatever the socket could not take without blocking goes with abort().
        if (m_state == State::Connected)
            m_socket->close(QWebSocketProtocol::CloseCodeNormal);
        m_socket->abort();
        delete m_socket;
    }
    // Nobody is left to answer; handlers must not run into a half-destroyed owner.
    m_pending.clear();
}

void ServerConnection::setOptions(const Options &options)
{
    m_options = options;
    m_backoff = Backoff(options.initialBackoffMs, options.maxBackoffMs);
}

void ServerConnection::start()
{
    if (m_wanted)
        return;
    m_wanted = true;
    m_backoff.reset();
    openSocket();
}

void ServerConnection::stop()
{
    m_wanted = false;
    m_retryTimer.stop();
    if (m_socket)
        m_socket->close(QWebSocketProtocol::CloseCodeNormal);
    else
        setState(State::Offline);
}

void ServerConnection::retryNow()
{
    if (m_wanted && m_state == State::WaitingToRetry) {
        m_retryTimer.stop();
        openSocket();
    }
}

void ServerConnection::abortConnection()
{
    if (m_socket)
        m_socket->abort();
}

void ServerConnection::openSocket()
{
    if (!m_wanted || m_socket)
        return;
    m_welcome.Clear();
    m_lastError.clear(); // each attempt says why it failed, not the one before
    m_lastWrittenMs = 0;
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(kDefaultMaxFrameBytes);
    m_socket->setMaxAllowedIncomingFrameSize(kDefaultMaxFrameBytes);
    connect(m_socket, &QWebSocket::connected, this, &ServerConnection::onSocketConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &ServerConnection::onSocketClosed);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &ServerConnection::onBinaryMessage);
    connect(m_socket, &QWebSocket::pong, this, [this] { m_lastHeardMs = nowMs(); });
    connect(m_socket, &QWebSocket::bytesWritten, this, &ServerConnection::onBytesWritten);
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                if (!m_socket)
                    return;
                m_lastError = m_socket->errorString();
                // A refused or failed connect never emits disconnected(): close it here.
                if (m_socket->state() == QAbstractSocket::UnconnectedState)
                    onSocketClosed();
            });
    connect(m_socket, &QWebSocket::textMessageReceived, this, [](const QString &) {
        qCWarning(lcConnection) << "server sent a text frame; ignored";
    });
    setState(State::Connecting);
    m_deadlineTimer.start();
    m_lastHeardMs = nowMs();
    qCInfo(lcConnection) << "connecting to" << m_options.url.toDisplayString();
    m_socket->open(m_options.url);
}

void ServerConnection::onSocketConnected()
{
    m_lastHeardMs = nowMs();
    proto::Frame frame;
    auto *hello = frame.mutable_hello();
    hello->set_protocol_version(kProtocolVersion);
    hello->set_client_name(m_options.clientName.toStdString());
    hello->set_client_version(m_options.clientVersion.toStdString());
    hello->set_device_id(m_options.deviceId.toStdString());
    hello->set_device_name(m_options.deviceName.toStdString());
    m_helloRequestId = m_nextRequestId++;
    frame.set_request_id(m_helloRequestId);
    m_socket->sendBinaryMessage(encodeFrame(frame));
}

void ServerConnection::onWelcome(const proto::Frame &frame)
{
    if (frame.has_error()) {
        m_lastError = QString::fromStdString(frame.error().message());
        qCWarning(lcConnection) << "server refused our Hello:" << m_lastError;
        if (frame.error().code() == proto::ERROR_CODE_UNSUPPORTED_VERSION)
            m_wanted = false; // retrying cannot help; the user needs another client version
        m_socket->close(QWebSocketProtocol::CloseCodeNormal);
        return;
    }
    if (!frame.has_welcome()) {
        m_lastError = tr("The server answered Hello with something other than Welcome.");
        m_socket->abort();
        return;
    }
    m_welcome = frame.welcome();
    const quint32 maxFrame = std::max(m_welcome.limits().max_frame_bytes(), kDefaultMaxFrameBytes);
    m_socket->setMaxAllowedIncomingMessageSize(maxFrame * 4);
    m_socket->setMaxAllowedIncomingFrameSize(maxFrame * 4);
    const int pingMs = int(m_welcome.limits().ping_interval_ms());
    m_pingTimer.start(pingMs > 0 ? pingMs : 30000);
    m_backoff.reset();
    m_lastError.clear();
    setState(State::Connected);
    Q_EMIT connected();
}

void ServerConnection::onBinaryMessage(const QByteArray &bytes)
{
    m_lastHeardMs = nowMs();
    // Our own limit is generous: a server frame we cannot parse is a bug somewhere, not an
    // attack we must survive cheaply.
    DecodeResult decoded = decodeFrame(bytes, quint32(bytes.size()) + 1);
    if (!decoded.frame) {
        qCWarning(lcConnection) << "unparsable frame from the server:" << decoded.reason;
        return;
    }
    const proto::Frame &frame = *decoded.frame;
    const quint64 id = frame.request_id();
    if (id == 0) {
        Q_EMIT pushReceived(frame);
        return;
    }
    if (id == m_helloRequestId) {
        m_helloRequestId = 0;
        onWelcome(frame);
        return;
    }
    auto it = m_pending.find(id);
    if (it == m_pending.end()) {
        qCWarning(lcConnection) << "answer to an unknown request" << id;
        return;
    }
    Pending pending = std::move(it.value());
    m_pending.erase(it);
    deliver(std::move(pending), frame);
}

void ServerConnection::send(proto::Frame frame, ReplyHandler handler, QObject *context)
{
    const quint64 id = m_nextRequestId++;
    Pending pending {std::move(handler), context, context != nullptr, nowMs()};
    if (m_state != State::Connected) {
        // Answer on the event loop, as if the server had, so callers need no second path.
        QMetaObject::invokeMethod(
            this,
            [pending = std::move(pending), id]() mutable {
                deliver(std::move(pending),
                        localError(id, proto::ERROR_CODE_UNAVAILABLE,
                                   QStringLiteral("not connected to the server")));
            },
            Qt::QueuedConnection);
        return;
    }
    frame.set_request_id(id);
    m_pending.insert(id, std::move(pending));
    m_socket->sendBinaryMessage(encodeFrame(frame));
}

void ServerConnection::deliver(Pending pending, const proto::Frame &frame)
{
    if (pending.hasContext && !pending.context)
        return;
    if (pending.handler)
        pending.handler(frame);
}

void ServerConnection::checkDeadlines()
{
    const qint64 now = nowMs();
    if (!m_socket)
        return;
    // Answers come in order of arrival, so on a slow uplink a request waits behind the chunks
    // sent before it: it is late only while the server shows no sign of life either.
    const qint64 timeout = m_options.requestTimeoutMs;
    const bool lifeless = now - std::max(m_lastHeardMs, m_lastWrittenMs) > timeout;
    bool expired = false;
    for (const Pending &p : std::as_const(m_pending)) {
        const qint64 waited = now - p.sentAtMs;
        expired = expired || (waited > timeout && lifeless) || waited > 10 * timeout;
    }
    const qint64 idleLimit = m_welcome.limits().idle_timeout_ms() > 0
        ? qint64(m_welcome.limits().idle_timeout_ms())
        : qint64(m_options.requestTimeoutMs);
    const bool silent = now - m_lastHeardMs > idleLimit + m_options.requestTimeoutMs / 2;
    if (expired || silent) {
        m_lastError =
            expired ? tr("The server stopped answering.") : tr("The connection went silent.");
        qCWarning(lcConnection) << m_lastError << "- reconnecting";
        m_socket->abort();
    }
}

void ServerConnection::onBytesWritten()
{
    // Bytes handed to the kernel while more wait behind them: the send buffer was full, so
    // these went because the peer acknowledged earlier ones. (With nothing left waiting, the
    // kernel may just have room: no proof of a live peer.)
    if (m_socket && m_socket->bytesToWrite() > 0)
        m_lastWrittenMs = nowMs();
}

void ServerConnection::onSocketClosed()
{
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    if (!socket)
        return;
    // Why this attempt ended, unless something said so already: the socket's error (refused,
    // no route, timed out: disconnected() can come before error()), else the close frame's.
    if (m_lastError.isEmpty() && socket->error() != QAbstractSocket::UnknownSocketError)
        m_lastError = socket->errorString();
    else if (m_lastError.isEmpty() && socket->closeCode() != QWebSocketProtocol::CloseCodeNormal)
        m_lastError = socket->closeReason().isEmpty()
            ? tr("The connection was closed (code %1).").arg(int(socket->closeCode()))
            : socket->closeReason();
    socket->disconnect(this);
    socket->deleteLater();
    m_pingTimer.stop();
    m_deadlineTimer.stop();
    m_helloRequestId = 0;
    const bool wasConnected = m_state == State::Connected;
    // No longer Connected before the requests in flight fail: their handlers may send again.
    if (m_wanted)
        scheduleRetry();
    else
        setState(State::Offline);
    failAllPending(tr("The connection to the server was lost."));
    if (wasConnected)
        Q_EMIT disconnected();
}

void ServerConnection::failAllPending(const QString &reason)
{
    // Handlers may send again (and be refused at once); work on a detached table.
    QHash<quint64, Pending> pending;
    pending.swap(m_pending);
    for (auto it = pending.begin(); it != pending.end(); ++it)
        deliver(std::move(it.value()), localError(it.key(), proto::ERROR_CODE_UNAVAILABLE, reason));
}

void ServerConnection::scheduleRetry()
{
    const int delay = m_backoff.nextDelayMs();
    m_retryAtMs = nowMs() + delay;
    qCInfo(lcConnection) << "retrying in" << delay << "ms:" << m_lastError;
    m_retryTimer.start(delay);
    setState(State::WaitingToRetry);
}

void ServerConnection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace tern::client
