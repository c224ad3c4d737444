// SPDX-License-Identifier: Apache-2.0
#include "benchconnection.h"

#include "net/wsprotocol.h"
#include "tern/framing.h"

#include <QHostAddress>
#include <QRandomGenerator>
#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <memory>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace tern;

namespace {

constexpr qsizetype kReadChunk = 64 * 1024;
constexpr int kReadsPerWakeup = 4;

char *readBuffer()
{
    thread_local std::unique_ptr<char[]> buffer(new char[kReadChunk]);
    return buffer.get();
}

quint64 readBigEndian(const char *data, int bytes)
{
    quint64 value = 0;
    for (int i = 0; i < bytes; ++i)
        value = (value << 8) | quint8(data[i]);
    return value;
}

} // namespace

BenchConnection::BenchConnection(QObject *parent)
    : QObject(parent)
    , m_maskState(QRandomGenerator::global()->generate() | 1)
{ }

BenchConnection::~BenchConnection()
{
    delete m_readNotifier;
    delete m_writeNotifier;
    if (m_fd >= 0)
        ::close(m_fd);
}

void BenchConnection::open(const QUrl &url)
{
    const QHostAddress address(url.host());
    sockaddr_storage storage {};
    socklen_t length = 0;
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        auto *in = reinterpret_cast<sockaddr_in *>(&storage);
        in->sin_family = AF_INET;
        in->sin_port = htons(quint16(url.port()));
        in->sin_addr.s_addr = htonl(address.toIPv4Address());
        length = sizeof *in;
    } else if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(quint16(url.port()));
        const Q_IPV6ADDR ip = address.toIPv6Address();
        std::memcpy(&in6->sin6_addr, ip.c, sizeof ip.c);
        length = sizeof *in6;
    } else {
        qWarning("ternbench: --url needs a numeric address, not %s", qPrintable(url.host()));
        return fail();
    }
    m_fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
        return fail();
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    QByteArray nonce(16, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(nonce.data()), 4);
    m_key = nonce.toBase64();
    const QByteArray path = url.path().isEmpty() ? QByteArray("/") : url.path().toUtf8();
    m_request = "GET " + path + " HTTP/1.1\r\nHost: " + url.host().toUtf8() + ':'
        + QByteArray::number(url.port())
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + m_key
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n";

    m_state = State::Connecting;
    m_readNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    m_readNotifier->setEnabled(false);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &BenchConnection::onReadable);
    m_writeNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Write, this);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &BenchConnection::onWritable);
    if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&storage), length) != 0
        && errno != EINPROGRESS)
        return fail();
}

void BenchConnection::fail()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    for (QSocketNotifier *notifier : {m_readNotifier, m_writeNotifier}) {
        if (notifier) {
            notifier->setEnabled(false);
            notifier->deleteLater();
        }
    }
    m_readNotifier = m_writeNotifier = nullptr;
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_in.clear();
    m_out.clear();
    // Never from inside a caller's own call (request(), open()).
    QMetaObject::invokeMethod(this, &BenchConnection::closed, Qt::QueuedConnection);
}

void BenchConnection::setWriteWatch(bool on)
{
    m_waitingWritable = on;
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(on);
}

void BenchConnection::onWritable()
{
    if (m_state == State::Connecting) {
        int error = 0;
        socklen_t size = sizeof error;
        if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0 || error != 0)
            return fail();
        m_state = State::Upgrading;
        m_readNotifier->setEnabled(true);
        setWriteWatch(false);
        write(m_request);
        m_request.clear();
        return;
    }
    flushOut();
}

void BenchConnection::write(const QByteArray &bytes)
{
    if (m_state == State::Closed || m_state == State::Connecting)
        return;
    m_out.append(bytes);
    queued();
}

void BenchConnection::queued()
{
    // Frames written while a read is handled leave together when it is done, as a Qt socket's
    // would when the event loop comes round (one system call and one TCP segment for the
    // requests a batch of answers prompts); a blocked socket flushes when it is writable.
    if (!m_reading && !m_waitingWritable)
        flushOut();
}

void BenchConnection::flushOut()
{
    qsizetype sentTotal = 0;
    while (sentTotal < m_out.size()) {
        const ssize_t sent = ::send(m_fd, m_out.constData() + sentTotal,
                                    size_t(m_out.size() - sentTotal), MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                return fail();
            break;
        }
        sentTotal += sent;
    }
    if (sentTotal == m_out.size()) {
        m_out.resize(0); // keeps its capacity for the next turn
        setWriteWatch(false);
    } else {
        m_out.remove(0, sentTotal);
        setWriteWatch(true);
    }
}

void BenchConnection::sendFrame(quint8 opcode, const char *payload, qsizetype size)
{
    if (m_state == State::Closed || m_state == State::Connecting)
        return;
    // Built in place at the end of the output buffer: no frame of its own to allocate.
    const qsizetype start = m_out.size();
    m_out.reserve(start + 14 + size);
    m_out.append(char(0x80 | opcode));
    if (size < 126) {
        m_out.append(char(0x80 | size));
    } else if (size <= 0xFFFF) {
        m_out.append(char(0x80 | 126)).append(char(size >> 8)).append(char(size & 0xFF));
    } else {
        m_out.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            m_out.append(char((quint64(size) >> shift) & 0xFF));
    }
    // xorshift32: a fresh masking key per frame without a system call.
    m_maskState ^= m_maskState << 13;
    m_maskState ^= m_maskState >> 17;
    m_maskState ^= m_maskState << 5;
    char key[4];
    std::memcpy(key, &m_maskState, 4);
    m_out.append(key, 4);
    const qsizetype body = m_out.size();
    m_out.append(payload, size);
    char *out = m_out.data() + body;
    for (qsizetype i = 0; i < size; ++i)
        out[i] = char(out[i] ^ key[i & 3]);
    queued();
}

void BenchConnection::request(proto::Frame frame, Answer answer)
{
    const quint64 id = m_nextId++;
    frame.set_request_id(id);
    m_pending.insert(id, std::move(answer));
    const QByteArray bytes = encodeFrame(frame);
    sendFrame(0x2, bytes.constData(), bytes.size());
}

void BenchConnection::onReadable()
{
    m_reading = true;
    readFrames();
    m_reading = false;
    if (m_state == State::Open && !m_out.isEmpty() && !m_waitingWritable)
        flushOut();
}

void BenchConnection::readFrames()
{
    char *buffer = readBuffer();
    for (int round = 0; round < kReadsPerWakeup && m_state != State::Closed; ++round) {
        const ssize_t got = ::recv(m_fd, buffer, kReadChunk, 0);
        if (got == 0)
            return fail();
        if (got < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                fail();
            return;
        }
        m_in.append(buffer, got);
        if (m_state == State::Upgrading && !takeUpgradeAnswer())
            continue;
        takeFrames();
        if (got < kReadChunk)
            return;
    }
}

bool BenchConnection::takeUpgradeAnswer()
{
    const qsizetype end = m_in.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    const QByteArray head = m_in.left(end);
    m_in.remove(0, end + 4);
    const QByteArray accept = tern::server::ws::acceptKey(m_key);
    if (!head.startsWith("HTTP/1.1 101") || !head.contains(accept)) {
        qWarning("ternbench: WebSocket upgrade refused: %s", head.left(200).constData());
        fail();
        return false;
    }
    m_state = State::Open;
    Q_EMIT opened();
    return m_state == State::Open;
}

void BenchConnection::takeFrames()
{
    qsizetype used = 0;
    while (m_state == State::Open) {
        const char *data = m_in.constData() + used;
        const qsizetype available = m_in.size() - used;
        if (available < 2)
            break;
        const quint8 first = quint8(data[0]);
        const quint8 length7 = quint8(data[1]) & 0x7F;
        const int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        if (available < 2 + extended)
            break;
        const quint64 size = extended ? readBigEndian(data + 2, extended) : length7;
        const qsizetype header = 2 + extended;
        if (quint64(available - header) < size)
            break;
        const char *payload = data + header;
        used += header + qsizetype(size);
        const quint8 opcode = first & 0x0F;
        if (!(first & 0x80) || (quint8(data[1]) & 0x80)) {
            qWarning("ternbench: the server sent a fragmented or masked frame");
            return fail();
        }
        if (opcode == 0x9) {
            sendFrame(0xA, payload, qsizetype(size));
        } else if (opcode == 0x8) {
            sendFrame(0x8, payload, std::min<qsizetype>(qsizetype(size), 2));
            flushOut(); // the close answered before the socket goes
            return fail();
        } else if (opcode == 0x2) {
            proto::Frame frame;
            if (!frame.ParseFromArray(payload, int(size)))
                continue;
            if (frame.request_id() == 0) {
                if (onPush)
                    onPush(frame);
                continue;
            }
            const Answer answer = m_pending.take(frame.request_id());
            if (answer)
                answer(frame);
        }
    }
    if (m_state == State::Closed)
        return;
    if (used == m_in.size())
        m_in = QByteArray();
    else if (used > 0)
        m_in.remove(0, used);
}
