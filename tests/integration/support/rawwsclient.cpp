// SPDX-License-Identifier: Apache-2.0
#include "rawwsclient.h"

#include "tern/framing.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QTest>

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace tern;

namespace {
// The smallest MSS Linux lets a socket ask for is 88; 536 is the classic minimum of the
// Internet and keeps the server's kernel send buffer near 150 KB instead of megabytes.
constexpr int kClampedMss = 536;
} // namespace

RawWsClient::RawWsClient(int receiveBufferBytes)
    : m_receiveBufferBytes(receiveBufferBytes)
{ }

bool RawWsClient::connectSocket(const QUrl &url)
{
    const QHostAddress address(url.host());
    if (address.isNull())
        return false;
    // A socket made by hand: QAbstractSocket applies socket options only once its engine exists,
    // which is after the SYN went out, and the receive buffer and the MSS must be in the SYN
    // (window scale, announced MSS) to bound what the server's kernel takes off its queue.
    const int family = address.protocol() == QAbstractSocket::IPv6Protocol ? AF_INET6 : AF_INET;
    const int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    if (m_receiveBufferBytes > 0) {
        const int size = m_receiveBufferBytes;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
        const int mss = kClampedMss;
        ::setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof mss);
    }
    int connected = -1;
    if (family == AF_INET) {
        sockaddr_in sa {};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(quint16(url.port()));
        sa.sin_addr.s_addr = htonl(address.toIPv4Address());
        connected = ::connect(fd, reinterpret_cast<const sockaddr *>(&sa), sizeof sa);
    } else {
        sockaddr_in6 sa {};
        sa.sin6_family = AF_INET6;
        sa.sin6_port = htons(quint16(url.port()));
        const Q_IPV6ADDR ip = address.toIPv6Address();
        memcpy(&sa.sin6_addr, ip.c, sizeof ip.c);
        connected = ::connect(fd, reinterpret_cast<const sockaddr *>(&sa), sizeof sa);
    }
    if (connected != 0) {
        ::close(fd);
        return false;
    }
    if (m_receiveBufferBytes > 0)
        m_socket.setReadBufferSize(m_receiveBufferBytes);
    if (!m_socket.setSocketDescriptor(fd)) {
        ::close(fd);
        return false;
    }
    if (m_receiveBufferBytes > 0)
        m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption,
                                 m_receiveBufferBytes);
    return true;
}

QString RawWsClient::open(const QUrl &url, int timeoutMs)
{
    if (!connectSocket(url))
        return QStringLiteral("cannot connect to ") + url.toString();
    QByteArray nonce(16, Qt::Uninitialized);
    for (char &c : nonce)
        c = char(QRandomGenerator::global()->bounded(256));
    const QByteArray key = nonce.toBase64();
    const QByteArray path = url.path().isEmpty() ? QByteArray("/") : url.path().toUtf8();
    m_socket.write("GET " + path + " HTTP/1.1\r\nHost: " + url.host().toUtf8() + ':'
                   + QByteArray::number(url.port())
                   + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                   + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray response;
    const bool answered = QTest::qWaitFor(
        [&] {
            response += m_socket.readAll();
            return response.contains("\r\n\r\n")
                || m_socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    const qsizetype end = response.indexOf("\r\n\r\n");
    if (!answered || end < 0)
        return QStringLiteral("no handshake answer: ") + QString::fromLatin1(response);
    const QByteArray head = response.left(end);
    if (!head.startsWith("HTTP/1.1 101"))
        return QStringLiteral("handshake refused: ") + QString::fromLatin1(head);
    const QByteArray accept =
        QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                 QCryptographicHash::Sha1)
            .toBase64();
    bool accepted = false;
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "sec-websocket-accept")
            accepted = line.mid(colon + 1).trimmed() == accept;
    }
    if (!accepted)
        return QStringLiteral("wrong Sec-WebSocket-Accept: ") + QString::fromLatin1(head);
    m_buffer = response.mid(end + 4); // frames the server sent right after its answer
    return {};
}

QString RawWsClient::logIn(const QString &username, const QString &password,
                           const QString &deviceId, int timeoutMs)
{
    proto::Frame hello;
    hello.set_request_id(1);
    hello.mutable_hello()->set_protocol_version(kProtocolVersion);
    hello.mutable_hello()->set_client_name("raw-tests");
    hello.mutable_hello()->set_client_version("1");
    hello.mutable_hello()->set_device_id(deviceId.toStdString());
    proto::Frame login;
    login.set_request_id(2);
    login.mutable_login()->set_username(username.toStdString());
    login.mutable_login()->set_password(password.toStdString());
    // The server handles a connection's frames in order, so both can go at once.
    m_socket.write(maskedMessage(encodeFrame(hello)) + maskedMessage(encodeFrame(login)));

    QString failure = QStringLiteral("no Session answer");
    bool done = false;
    [[maybe_unused]] const bool answered = QTest::qWaitFor(
        [&] {
            for (const proto::Frame &frame : readFrames()) {
                if (frame.request_id() == 1 && !frame.has_welcome()) {
                    failure = QStringLiteral("Hello refused: ")
                        + QString::fromStdString(frame.ShortDebugString());
                    done = true;
                } else if (frame.request_id() == 2) {
                    if (!frame.has_session())
                        failure = QStringLiteral("Login refused: ")
                            + QString::fromStdString(frame.ShortDebugString());
                    else
                        failure.clear();
                    done = true;
                }
            }
            return done || serverClosed();
        },
        timeoutMs);
    return failure;
}

void RawWsClient::send(const proto::Frame &frame)
{
    m_socket.write(maskedMessage(encodeFrame(frame)));
}

QList<proto::Frame> RawWsClient::readFrames()
{
    m_buffer += m_socket.readAll();
    QList<proto::Frame> frames;
    while (const std::optional<QByteArray> payload = takeMessage()) {
        proto::Frame frame;
        if (!frame.ParseFromArray(payload->constData(), int(payload->size())))
            continue;
        ++m_framesRead;
        if (frame.has_message_push())
            ++m_messagePushes;
        frames.append(std::move(frame));
    }
    return frames;
}

bool RawWsClient::drainUntilServerCloses(int timeoutMs)
{
    m_socket.setReadBufferSize(0);
    return QTest::qWaitFor(
        [this] {
            readFrames();
            return serverClosed();
        },
        timeoutMs);
}

bool RawWsClient::serverClosed() const
{
    return m_closeFrameSeen || m_socket.state() == QAbstractSocket::UnconnectedState;
}

QByteArray RawWsClient::maskedMessage(const QByteArray &payload, int opcode)
{
    QByteArray out;
    out += char(0x80 | (opcode & 0x0f));
    const quint64 size = quint64(payload.size());
    if (size < 126) {
        out += char(0x80 | size);
    } else if (size <= 0xffff) {
        out += char(0x80 | 126);
        out += char((size >> 8) & 0xff);
        out += char(size & 0xff);
    } else {
        out += char(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8)
            out += char((size >> shift) & 0xff);
    }
    char mask[4];
    for (char &c : mask)
        c = char(QRandomGenerator::global()->bounded(256));
    out.append(mask, 4);
    const qsizetype start = out.size();
    out.append(payload);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out[start + i] = char(out.at(start + i) ^ mask[i % 4]);
    return out;
}

std::optional<QByteArray> RawWsClient::takeMessage()
{
    while (m_buffer.size() >= 2) {
        const bool fin = (quint8(m_buffer.at(0)) & 0x80) != 0;
        const int opcode = m_buffer.at(0) & 0x0f;
        const bool masked = (quint8(m_buffer.at(1)) & 0x80) != 0;
        quint64 length = quint8(m_buffer.at(1)) & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (m_buffer.size() < 4)
                return std::nullopt;
            length = (quint64(quint8(m_buffer.at(2))) << 8) | quint8(m_buffer.at(3));
            header = 4;
        } else if (length == 127) {
            if (m_buffer.size() < 10)
                return std::nullopt;
            length = 0;
            for (int i = 2; i < 10; ++i)
                length = (length << 8) | quint8(m_buffer.at(i));
            header = 10;
        }
        const qsizetype maskAt = header;
        if (masked)
            header += 4;
        if (quint64(m_buffer.size()) < quint64(header) + length)
            return std::nullopt;
        QByteArray payload = m_buffer.mid(header, qsizetype(length));
        if (masked) {
            for (qsizetype i = 0; i < payload.size(); ++i)
                payload[i] = char(payload.at(i) ^ m_buffer.at(maskAt + i % 4));
        }
        m_buffer.remove(0, header + qsizetype(length));
        switch (opcode) {
        case 0x8: // close: the server ends the connection
            m_closeFrameSeen = true;
            break;
        case 0x9: // ping: left unanswered, like a reader that stalled
        case 0xa:
            break;
        case 0x0: // continuation
        case 0x1:
        case 0x2:
            m_fragments += payload;
            if (fin) {
                QByteArray message;
                message.swap(m_fragments);
                return message;
            }
            break;
        default:
            break;
        }
    }
    return std::nullopt;
}
