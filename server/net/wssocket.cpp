// SPDX-License-Identifier: Apache-2.0
// WsSocket: non-blocking reads and writes on the descriptor, driven by socket notifiers.
#include "net/wssocket.h"

#include <QHostAddress>
#include <QObject>
#include <QSocketNotifier>

#include <algorithm>
#include <cerrno>
#include <memory>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tern::server {

using namespace ws;

namespace {

// One read buffer per thread: whole frames are handled straight from it.
constexpr qsizetype kReadChunk = 64 * 1024;
// Reads per wake-up, so that one fast sender cannot starve the others on the thread (epoll is
// level-triggered: what is left wakes the loop again).
constexpr int kReadsPerWakeup = 4;
// Compact the send queue once this much of its front has been written.
constexpr qsizetype kCompactAfter = 64 * 1024;
// A Ping is answered only while no more than this waits unsent (see handleFrame).
constexpr qsizetype kMaxQueuedForPong = 64 * 1024;

char *readBuffer()
{
    thread_local std::unique_ptr<char[]> buffer(new char[kReadChunk]);
    return buffer.get();
}

bool wouldBlock()
{
    return errno == EAGAIN || errno == EWOULDBLOCK;
}

// A close code the peer may send and we may echo (RFC 6455 section 7.4).
bool isValidCloseCode(quint16 code)
{
    if (code >= 3000 && code <= 4999)
        return true;
    return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
}

} // namespace

WsSocket::WsSocket(qintptr descriptor, QObject *context, Handler &handler, quint64 maxMessageBytes)
    : m_fd(int(descriptor))
    , m_context(context)
    , m_handler(handler)
    , m_maxMessageBytes(maxMessageBytes)
{
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    m_readNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, m_context);
    QObject::connect(m_readNotifier, &QSocketNotifier::activated, m_context,
                     [this] { onReadable(); });
}

WsSocket::~WsSocket()
{
    if (m_flushPending)
        TurnFlusher::forThisThread().remove(this);
    // Unregister before the descriptor is closed (and its number perhaps reused).
    delete m_readNotifier;
    delete m_writeNotifier;
    if (m_fd >= 0)
        ::close(m_fd);
}

QString WsSocket::peerAddress() const
{
    sockaddr_storage storage {};
    socklen_t length = sizeof storage;
    if (m_fd < 0 || ::getpeername(m_fd, reinterpret_cast<sockaddr *>(&storage), &length) != 0)
        return {};
    QHostAddress address(reinterpret_cast<const sockaddr *>(&storage));
    bool mapped = false;
    const quint32 ipv4 = address.toIPv4Address(&mapped);
    if (mapped && address.protocol() == QAbstractSocket::IPv6Protocol)
        address = QHostAddress(ipv4);
    return address.toString();
}

void WsSocket::sendBinary(const QByteArray &payload)
{
    if (m_state == State::Open)
        sendFrame(Binary, payload.constData(), payload.size());
}

void WsSocket::ping()
{
    if (m_state == State::Open)
        sendFrame(Ping, nullptr, 0);
}

void WsSocket::close(CloseCode code, const QByteArray &reason)
{
    if (m_state == State::Handshaking)
        return teardown();
    if (m_state != State::Open)
        return;
    sendClose(closePayload(code, reason));
    if (m_state == State::Closed)
        return;
    // Like Qt's server sockets, do not wait for the peer's answering close frame: once ours is
    // out, the TCP connection ends (a shutdown is not held up by clients that are slow to
    // answer). The owner's grace period covers a peer that does not even read.
    m_state = State::Closing;
    whenFlushed(AfterFlush::Teardown);
}

void WsSocket::sendClose(const QByteArray &payload)
{
    sendFrame(Close, payload.constData(), payload.size());
    m_closeSent = true; // nothing may follow a close frame
}

void WsSocket::abort()
{
    teardown();
}

void WsSocket::fail(CloseCode code, const char *reason)
{
    if (m_state == State::Open)
        sendClose(closePayload(code, reason));
    if (m_state == State::Closed)
        return;
    // The stream cannot be trusted any further: read nothing more from it, tell the peer we
    // are done (FIN after the close frame) and wait for its end of the connection, so that
    // our close frame is not lost to a reset while its data is unread here. The owner's
    // grace period (onFailed) drops a peer that never ends it.
    m_state = State::Closing;
    m_in.clear();
    m_message.clear();
    whenFlushed(AfterFlush::ShutdownWrite);
    m_handler.onFailed();
}

void WsSocket::whenFlushed(AfterFlush action)
{
    if (queuedBytes() > 0) {
        m_afterFlush = action;
        return;
    }
    if (action == AfterFlush::ShutdownWrite)
        ::shutdown(m_fd, SHUT_WR);
    else if (action == AfterFlush::Teardown)
        teardown();
}

void WsSocket::teardown()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    // This may run inside a notifier's own activation: disable now, delete later.
    for (QSocketNotifier *notifier : {m_readNotifier, m_writeNotifier}) {
        if (notifier) {
            notifier->setEnabled(false);
            notifier->deleteLater();
        }
    }
    m_readNotifier = m_writeNotifier = nullptr;
    ::close(m_fd);
    m_fd = -1;
    m_in = QByteArray();
    m_message = QByteArray();
    m_out = QByteArray();
    m_outOffset = 0;
    Handler *handler = &m_handler;
    QMetaObject::invokeMethod(
        m_context, [handler] { handler->onDisconnected(); }, Qt::QueuedConnection);
}

void WsSocket::onReadable()
{
    char *buffer = readBuffer();
    for (int round = 0; round < kReadsPerWakeup && m_state != State::Closed; ++round) {
        const ssize_t got = ::recv(m_fd, buffer, kReadChunk, MSG_DONTWAIT);
        if (got == 0)
            return teardown(); // the peer closed its end
        if (got < 0) {
            if (errno == EINTR)
                continue;
            if (!wouldBlock())
                teardown();
            return;
        }
        if (m_state != State::Closing) // closing: what arrives is dropped
            consume(buffer, got);
        if (got < kReadChunk)
            return; // drained for now
    }
}

void WsSocket::consume(char *data, qsizetype size)
{
    // Bytes kept from an earlier read go first. The handler may close or abort the socket
    // while frames are handed on, so what is parsed lives in locals, not in m_in.
    QByteArray joined;
    if (!m_in.isEmpty()) {
        m_in.append(data, size);
        joined.swap(m_in);
        data = joined.data();
        size = joined.size();
    }
    qsizetype used = 0;
    if (m_state == State::Handshaking) {
        used = consumeHandshake(data, size);
        if (used < 0) { // incomplete: keep it all
            m_in = joined.isEmpty() ? QByteArray(data, size) : std::move(joined);
            return;
        }
    }
    while (m_state == State::Open) { // once closing, nothing more is parsed
        const FrameHeader header = parseFrameHeader(data + used, size - used, m_maxMessageBytes);
        if (header.status == FrameHeader::NeedMore)
            break;
        if (header.status == FrameHeader::Invalid)
            return fail(header.closeCode, header.reason);
        char *payload = unmask(data + used, header);
        used += header.headerBytes + qsizetype(header.payloadBytes);
        handleFrame(header, payload);
    }
    if (m_state != State::Open || used == size)
        return;
    if (used == 0 && !joined.isEmpty())
        m_in = std::move(joined);
    else
        m_in = QByteArray(data + used, size - used);
}

qsizetype WsSocket::consumeHandshake(char *data, qsizetype size)
{
    const Upgrade upgrade = parseUpgrade(QByteArray::fromRawData(data, size));
    if (upgrade.status == Upgrade::Incomplete)
        return -1;
    write(upgrade.response.constData(), upgrade.response.size(), nullptr, 0);
    if (m_state == State::Closed)
        return size;
    if (upgrade.status == Upgrade::Refused) {
        m_state = State::Closing;
        whenFlushed(AfterFlush::ShutdownWrite);
        return size;
    }
    m_state = State::Open;
    return upgrade.consumed; // frames may follow in the same read
}

void WsSocket::handleFrame(const FrameHeader &header, char *payload)
{
    const qsizetype size = qsizetype(header.payloadBytes);
    switch (header.opcode) {
    case Ping:
        // Output waiting unsent means the peer is not reading: one more Pong would only pile
        // up, and a peer sending Pings without reading would grow the queue without end (the
        // send queue's limit applies to messages only). RFC 6455 (5.5.3) lets an endpoint
        // leave earlier Pings unanswered.
        if (queuedBytes() <= kMaxQueuedForPong)
            sendFrame(Pong, payload, size);
        return;
    case Pong:
        m_handler.onPong();
        return;
    case Close: {
        // The peer begins (frames are parsed only while open): echo its code, then end the TCP
        // connection, which is the server's part.
        QByteArray echo;
        if (size >= 2) {
            const quint16 code = quint16((quint8(payload[0]) << 8) | quint8(payload[1]));
            echo = closePayload(isValidCloseCode(code) ? CloseCode(code) : CloseProtocolError, {});
        } else if (size == 1) {
            echo = closePayload(CloseProtocolError, {});
        }
        sendClose(echo);
        if (m_state == State::Closed)
            return;
        m_state = State::Closing;
        return whenFlushed(AfterFlush::Teardown);
    }
    default:
        break;
    }
    if (header.opcode != Continuation) {
        if (m_messageOpcode)
            return fail(CloseProtocolError, "a new message began before the last one ended");
        if (header.fin)
            return m_handler.onMessage(QByteArray::fromRawData(payload, size),
                                       header.opcode == Binary);
        m_messageOpcode = header.opcode;
        m_message = QByteArray(payload, size);
        return;
    }
    if (!m_messageOpcode)
        return fail(CloseProtocolError, "a continuation frame without a message");
    if (quint64(m_message.size()) + header.payloadBytes > m_maxMessageBytes)
        return fail(CloseTooBig, "message too big");
    m_message.append(payload, size);
    if (!header.fin)
        return;
    QByteArray message;
    message.swap(m_message);
    const bool binary = m_messageOpcode == Binary;
    m_messageOpcode = 0;
    m_handler.onMessage(message, binary);
}

void WsSocket::sendFrame(Opcode opcode, const char *payload, qsizetype size)
{
    if (m_state == State::Closed || m_closeSent)
        return;
    char header[kMaxServerHeaderBytes];
    const int headerBytes = writeServerHeader(header, opcode, quint64(size));
    write(header, headerBytes, payload, size);
}

void WsSocket::write(const char *first, qsizetype firstSize, const char *second,
                     qsizetype secondSize)
{
    if (m_state == State::Closed)
        return;
    if (m_outOffset >= kCompactAfter) {
        m_out.remove(0, m_outOffset);
        m_outOffset = 0;
    }
    m_out.append(first, firstSize).append(second, secondSize);
    // The first frame of this turn: flush when the turn's work is done (or when the kernel
    // takes more, if it is refusing now).
    if (!m_flushPending && !(m_writeNotifier && m_writeNotifier->isEnabled())) {
        m_flushPending = true;
        TurnFlusher::forThisThread().add(this);
    }
}

void WsSocket::flush()
{
    m_flushPending = false;
    if (m_state == State::Closed)
        return;
    while (queuedBytes() > 0) {
        const ssize_t sent = ::send(m_fd, m_out.constData() + m_outOffset, size_t(queuedBytes()),
                                    MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            if (!wouldBlock())
                return teardown(); // reset by the peer: the read side will not hear more either
            // The kernel's buffer is full: continue when it has room.
            if (!m_writeNotifier) {
                m_writeNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Write, m_context);
                QObject::connect(m_writeNotifier, &QSocketNotifier::activated, m_context,
                                 [this] { flush(); });
            }
            m_writeNotifier->setEnabled(true);
            return;
        }
        m_outOffset += sent;
    }
    m_out = QByteArray(); // an idle connection keeps no send buffer
    m_outOffset = 0;
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    const AfterFlush action = m_afterFlush;
    m_afterFlush = AfterFlush::Nothing;
    whenFlushed(action);
}

TurnFlusher &TurnFlusher::forThisThread()
{
    thread_local TurnFlusher flusher;
    return flusher;
}

void TurnFlusher::add(WsSocket *socket)
{
    m_dirty.push_back(socket);
    if (m_scheduled)
        return;
    m_scheduled = true;
    QMetaObject::invokeMethod(
        &m_context, [this] { flush(); }, Qt::QueuedConnection);
}

void TurnFlusher::remove(WsSocket *socket)
{
    m_dirty.erase(std::remove(m_dirty.begin(), m_dirty.end(), socket), m_dirty.end());
}

void TurnFlusher::flush()
{
    m_scheduled = false;
    std::vector<WsSocket *> dirty;
    dirty.swap(m_dirty);
    for (WsSocket *socket : dirty)
        socket->flush();
    // Keep the vector's capacity for the next turn.
    dirty.clear();
    if (m_dirty.empty())
        m_dirty.swap(dirty);
}

} // namespace tern::server
