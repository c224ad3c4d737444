// SPDX-License-Identifier: Apache-2.0
// ternd's own WebSocket layer (server/net/wssocket.h) against hand-made bytes over TCP: the
// HTTP upgrade, fragmented messages with control frames between, the closing handshake, and
// the frames a server must refuse. QWebSocket-based tests cover the everyday path.
#include "support/pgfixture.h"
#include "support/rawwsclient.h"
#include "support/terndprocess.h"

#include "tern/framing.h"

#include <QFile>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <optional>

using namespace tern;

namespace {

constexpr int kTimeoutMs = 5000;

struct ServerFrame
{
    bool fin = false;
    int opcode = 0;
    QByteArray payload;
};

// A client frame with FIN as given (RawWsClient::maskedMessage always sets it), masked.
QByteArray clientFrame(int opcode, const QByteArray &payload, bool fin)
{
    QByteArray frame = RawWsClient::maskedMessage(payload, opcode);
    if (!fin)
        frame[0] = char(quint8(frame[0]) & 0x7F);
    return frame;
}

// One raw TCP connection to ternd that reads what the server sends, byte for byte.
class Peer
{
public:
    bool connectTo(const QUrl &url)
    {
        m_socket.connectToHost(url.host(), quint16(url.port()));
        return m_socket.waitForConnected(kTimeoutMs);
    }
    void write(const QByteArray &bytes) { m_socket.write(bytes); }
    // From now on the socket takes in at most a few KiB: the server's frames back up.
    void stopReading() { m_socket.setReadBufferSize(4096); }
    // Waits until everything written has left; false after `timeoutMs`.
    bool flushed(int timeoutMs)
    {
        return QTest::qWaitFor([this] { return m_socket.bytesToWrite() == 0; }, timeoutMs);
    }

    static QByteArray upgradeRequest()
    {
        return "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }

    // The HTTP answer head (up to the blank line), or empty after the timeout.
    QByteArray httpAnswer()
    {
        [[maybe_unused]] const bool answered =
            QTest::qWaitFor([this] { return fill() || m_in.contains("\r\n\r\n"); }, kTimeoutMs);
        const qsizetype end = m_in.indexOf("\r\n\r\n");
        if (end < 0)
            return {};
        const QByteArray head = m_in.left(end);
        m_in.remove(0, end + 4);
        return head;
    }
    // The rest of an HTTP answer once the server has closed the connection.
    QByteArray restUntilClosed()
    {
        [[maybe_unused]] const bool closed = QTest::qWaitFor([this] { return fill(); }, kTimeoutMs);
        return m_in;
    }

    std::optional<ServerFrame> nextFrame()
    {
        std::optional<ServerFrame> frame;
        [[maybe_unused]] const bool arrived = QTest::qWaitFor(
            [&] {
                const bool ended = fill();
                frame = takeFrame();
                return frame || ended;
            },
            kTimeoutMs);
        return frame;
    }
    // The next binary message decoded as a Frame (control frames before it are skipped).
    std::optional<proto::Frame> nextMessage()
    {
        while (const auto frame = nextFrame()) {
            if (frame->opcode != 0x2)
                continue;
            proto::Frame decoded;
            if (!decoded.ParseFromArray(frame->payload.constData(), int(frame->payload.size())))
                return std::nullopt;
            return decoded;
        }
        return std::nullopt;
    }
    bool waitClosed()
    {
        return QTest::qWaitFor([this] { return fill(); }, kTimeoutMs);
    }

private:
    // Reads what arrived; true once the server has ended the connection.
    bool fill()
    {
        m_in += m_socket.readAll();
        return m_socket.state() == QAbstractSocket::UnconnectedState;
    }
    std::optional<ServerFrame> takeFrame()
    {
        if (m_in.size() < 2)
            return std::nullopt;
        const quint8 first = quint8(m_in[0]);
        const quint8 second = quint8(m_in[1]);
        if (second & 0x80)
            qFatal("the server sent a masked frame");
        qsizetype headerBytes = 2;
        quint64 length = second & 0x7F;
        const int extended = length == 126 ? 2 : length == 127 ? 8 : 0;
        if (m_in.size() < 2 + extended)
            return std::nullopt;
        if (extended) {
            length = 0;
            for (int i = 0; i < extended; ++i)
                length = (length << 8) | quint8(m_in[2 + i]);
            headerBytes += extended;
        }
        if (quint64(m_in.size() - headerBytes) < length)
            return std::nullopt;
        ServerFrame frame {bool(first & 0x80), first & 0x0F,
                           m_in.mid(headerBytes, qsizetype(length))};
        m_in.remove(0, headerBytes + qsizetype(length));
        return frame;
    }

    QTcpSocket m_socket;
    QByteArray m_in;
};

QByteArray helloBytes(quint64 requestId)
{
    proto::Frame hello;
    hello.set_request_id(requestId);
    hello.mutable_hello()->set_protocol_version(kProtocolVersion);
    hello.mutable_hello()->set_client_name("tst_websocket");
    return encodeFrame(hello);
}

QByteArray varint(quint64 value)
{
    QByteArray out;
    while (value >= 0x80) {
        out += char((value & 0x7F) | 0x80);
        value >>= 7;
    }
    return out += char(value);
}

int closeCodeOf(const ServerFrame &frame)
{
    if (frame.payload.size() < 2)
        return -1;
    return (quint8(frame.payload[0]) << 8) | quint8(frame.payload[1]);
}

} // namespace

class TestWebSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void plainHttpGetsUpgradeRequired();
    void malformedHandshakeGetsBadRequest();
    void framesRightBehindTheHandshake();
    void fragmentsReassembledAroundAPing();
    void unmaskedFrameFailsTheConnection();
    void unknownOpcodeFailsTheConnection();
    void continuationWithoutMessageFails();
    void clientCloseIsEchoedAndTheServerEndsTcp();
    void largeMessageInManyFragments();
    void pingsOfAPeerThatDoesNotReadPileNothingUp();

private:
    PgFixture m_pg;
    std::unique_ptr<TerndProcess> m_ternd;
};

void TestWebSocket::initTestCase()
{
    const QString error = m_pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_ternd = std::make_unique<TerndProcess>();
    m_ternd->environment().insert(QStringLiteral("TERN_MAX_FRAME_BYTES"), QStringLiteral("65536"));
    const QString started = m_ternd->startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
}

void TestWebSocket::cleanup()
{
    QVERIFY2(m_ternd->isRunning(), qPrintable(m_ternd->output()));
}

void TestWebSocket::cleanupTestCase()
{
    QCOMPARE(m_ternd->terminate(), 0);
}

void TestWebSocket::plainHttpGetsUpgradeRequired()
{
    Peer peer;
    QVERIFY(peer.connectTo(m_ternd->url()));
    peer.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    const QByteArray head = peer.httpAnswer();
    QVERIFY2(head.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), head.constData());
    QVERIFY(head.contains("\r\nUpgrade: websocket"));
    // The body says what this port is; then the server ends the connection.
    QVERIFY(peer.restUntilClosed().contains("WebSocket endpoint"));
}

void TestWebSocket::malformedHandshakeGetsBadRequest()
{
    Peer peer;
    QVERIFY(peer.connectTo(m_ternd->url()));
    peer.write(QByteArray(Peer::upgradeRequest()).replace("dGhlIHNhbXBsZSBub25jZQ==", "short"));
    const QByteArray head = peer.httpAnswer();
    QVERIFY2(head.startsWith("HTTP/1.1 400 Bad Request\r\n"), head.constData());
    QVERIFY(peer.waitClosed());
}

void TestWebSocket::framesRightBehindTheHandshake()
{
    // A client may send its first frames in the same packet as the upgrade request.
    Peer peer;
    QVERIFY(peer.connectTo(m_ternd->url()));
    peer.write(Peer::upgradeRequest() + RawWsClient::maskedMessage(helloBytes(5)));
    const QByteArray head = peer.httpAnswer();
    QVERIFY2(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head.constData());
    QVERIFY(head.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    const auto welcome = peer.nextMessage();
    QVERIFY(welcome);
    QCOMPARE(welcome->request_id(), 5u);
    QVERIFY(welcome->has_welcome());
}

void TestWebSocket::fragmentsReassembledAroundAPing()
{
    Peer peer;
    QVERIFY(peer.connectTo(m_ternd->url()));
    peer.write(Peer::upgradeRequest());
    QVERIFY(peer.httpAnswer().startsWith("HTTP/1.1 101"));

    const QByteArray hello = helloBytes(9);
    const qsizetype third = hello.size() / 3;
    // Fragments, one byte at a time for the first, and a ping between them (RFC 6455 5.4).
    const QByteArray bytes = clientFrame(0x2, hello.left(third), false)
        + clientFrame(0x9, "are you there", true) + clientFrame(0x0, hello.mid(third, third), false)
        + clientFrame(0x0, hello.mid(2 * third), true);
    for (const char byte : bytes.left(12)) {
        peer.write(QByteArray(1, byte));
        QTest::qWait(2);
    }
    peer.write(bytes.mid(12));

    const auto pong = peer.nextFrame();
    QVERIFY(pong);
    QCOMPARE(pong->opcode, 0xA);
    QCOMPARE(pong->payload, QByteArray("are you there"));
    const auto welcome = peer.nextMessage();
    QVERIFY(welcome);
    QCOMPARE(welcome->request_id(), 9u);
    QVERIFY(welcome->has_welcome());
}

void TestWebSocket::unmaskedFrameFailsTheConnection()
{
    Peer peer;
    QVERIFY(peer.connectTo(m_ternd->url()));
    peer.write(Peer::upgradeRequest());
    QVERIFY(peer.httpAnswer().startsWith("HTTP/1.1 101"));
    QByteArray unmasked = QByteArray(1, char(0x82)) + char(3) + "abc";
    peer.write(unmasked);
    const auto close = peer.nextFrame();
    QVERIFY(close);
    QCOMPARE(close->opcode, 0x8);
    QCOMPARE(closeCodeOf(*close), 1002);
    QVERIFY(close->payload.contains("masked"));
    QVERIFY(peer.waitClosed());
}

void TestWebSocket::unknownOpcodeFailsTheConnection()
{
    Peer peer;
    QVERIFY(peer.connectTo(m_ternd->url()));
    peer.write(Peer::upgradeRequest());
    QVERIFY(peer.httpAnswer().startsWith("HTTP/1.1 101"));
    peer.write(clientFrame(0x3, "abc", true));
    const auto close = peer.nextFrame();
    QVERIFY(close);
    QCOMPARE(closeCodeOf(*close), 1002);
    QVERIFY(peer.waitClosed());
}

void TestWebSocket::continuationWithoutMessageFails()
{
    Peer peer;
    QVERIFY(peer.connectTo(m_ternd->url()));
    peer.write(Peer::upgradeRequest());
    QVERIFY(peer.httpAnswer().startsWith("HTTP/1.1 101"));
    peer.write(clientFrame(0x0, "lost", true));
    const auto close = peer.nextFrame();
    QVERIFY(close);
    QCOMPARE(closeCodeOf(*close), 1002);
    QVERIFY(peer.waitClosed());
}

void TestWebSocket::clientCloseIsEchoedAndTheServerEndsTcp()
{
    Peer peer;
    QVERIFY(peer.connectTo(m_ternd->url()));
    peer.write(Peer::upgradeRequest());
    QVERIFY(peer.httpAnswer().startsWith("HTTP/1.1 101"));
    peer.write(clientFrame(0x8, QByteArray("\x0f\xa0", 2) + "done here", true)); // 4000
    const auto close = peer.nextFrame();
    QVERIFY(close);
    QCOMPARE(close->opcode, 0x8);
    QCOMPARE(closeCodeOf(*close), 4000);
    QVERIFY(peer.waitClosed());
}

void TestWebSocket::largeMessageInManyFragments()
{
    // 40 KB of Hello in 1 KB fragments (limit 64 KB): reassembled, decoded, answered.
    Peer peer;
    QVERIFY(peer.connectTo(m_ternd->url()));
    peer.write(Peer::upgradeRequest());
    QVERIFY(peer.httpAnswer().startsWith("HTTP/1.1 101"));
    proto::Frame hello;
    hello.set_request_id(11);
    hello.mutable_hello()->set_protocol_version(kProtocolVersion);
    hello.mutable_hello()->set_client_name("tst_websocket");
    // An unknown field (number 999, length-delimited) is skipped by the decoder: padding that
    // makes the message large.
    QByteArray bytes = encodeFrame(hello);
    bytes += varint((999 << 3) | 2) + varint(40000) + QByteArray(40000, 'x');
    QByteArray fragments;
    for (qsizetype at = 0; at < bytes.size(); at += 1024) {
        const bool last = at + 1024 >= bytes.size();
        fragments += clientFrame(at == 0 ? 0x2 : 0x0, bytes.mid(at, 1024), last);
    }
    peer.write(fragments);
    const auto welcome = peer.nextMessage();
    QVERIFY(welcome);
    QCOMPARE(welcome->request_id(), 11u);
    QVERIFY(welcome->has_welcome());
}

// A peer that sends Pings and never reads: each Ping asks for a Pong, which cannot leave.
// ternd answers no more of them once output waits unsent, so its memory stays put (before,
// every Pong was queued: 32 MiB of Pings grew ternd by as much).
void TestWebSocket::pingsOfAPeerThatDoesNotReadPileNothingUp()
{
    auto rssKiB = [pid = m_ternd->pid()] {
        QFile status(QStringLiteral("/proc/%1/status").arg(pid));
        if (!status.open(QIODevice::ReadOnly))
            return qint64(-1);
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                return line.mid(6).trimmed().split(' ').constFirst().toLongLong();
        }
        return qint64(-1);
    };
    Peer peer;
    QVERIFY(peer.connectTo(m_ternd->url()));
    peer.write(Peer::upgradeRequest());
    QVERIFY(peer.httpAnswer().startsWith("HTTP/1.1 101"));
    peer.stopReading();
    const qint64 before = rssKiB();
    QVERIFY(before > 0);
    const QByteArray ping = clientFrame(0x9, QByteArray(125, 'p'), true);
    constexpr int kPings = 256 * 1024; // 32 MiB of Pings, 31 MiB of Pongs if all were queued
    QByteArray pings;
    pings.reserve(ping.size() * kPings);
    for (int i = 0; i < kPings; ++i)
        pings += ping;
    peer.write(pings);
    QVERIFY(peer.flushed(20000));
    QTest::qWait(300); // the last reads handled
    const qint64 grown = rssKiB() - before;
    QVERIFY2(grown < 8 * 1024, qPrintable(QStringLiteral("ternd grew by %1 KiB").arg(grown)));
}

QTEST_GUILESS_MAIN(TestWebSocket)
#include "tst_websocket.moc"
