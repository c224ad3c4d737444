// SPDX-License-Identifier: Apache-2.0
// The server side of RFC 6455 as ternd parses it: the opening handshake and frame headers.
#include "net/wsprotocol.h"

#include <QTest>

using namespace tern::server::ws;

namespace {

QByteArray request(const QByteArray &extraHeaders = {},
                   const QByteArray &key = "dGhlIHNhbXBsZSBub25jZQ==")
{
    return "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
           "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: "
        + key + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
}

// A client frame: FIN as given, masked with a fixed key.
QByteArray clientFrame(quint8 opcode, const QByteArray &payload, bool fin = true)
{
    QByteArray frame;
    frame.append(char((fin ? 0x80 : 0) | opcode));
    const qsizetype size = payload.size();
    if (size < 126) {
        frame.append(char(0x80 | size));
    } else if (size <= 0xFFFF) {
        frame.append(char(0x80 | 126)).append(char(size >> 8)).append(char(size & 0xFF));
    } else {
        frame.append(char(0x80 | 127));
        for (int i = 7; i >= 0; --i)
            frame.append(char((quint64(size) >> (8 * i)) & 0xFF));
    }
    const char key[4] = {0x12, 0x34, 0x56, 0x78};
    frame.append(key, 4);
    for (qsizetype i = 0; i < size; ++i)
        frame.append(char(payload[i] ^ key[i % 4]));
    return frame;
}

} // namespace

class TestWsProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptKeyMatchesTheRfcExample();
    void upgradeIsIncompleteUntilTheBlankLine();
    void upgradeAcceptedAndFramesMayFollow();
    void upgradeRefusals_data();
    void upgradeRefusals();
    void oversizedHandshakeIsRefused();
    void frameHeaderLengths_data();
    void frameHeaderLengths();
    void invalidFrames_data();
    void invalidFrames();
    void oversizedFrameRefusedFromItsHeader();
    void unmaskRestoresThePayload();
    void serverHeaders();
    void closePayloadKeepsUtf8Whole();
};

void TestWsProtocol::acceptKeyMatchesTheRfcExample()
{
    // RFC 6455 section 1.3.
    QCOMPARE(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void TestWsProtocol::upgradeIsIncompleteUntilTheBlankLine()
{
    const QByteArray whole = request();
    for (qsizetype cut : {0, 1, 10, int(whole.size()) - 1}) {
        const Upgrade upgrade = parseUpgrade(whole.left(cut));
        QCOMPARE(upgrade.status, Upgrade::Incomplete);
    }
}

void TestWsProtocol::upgradeAcceptedAndFramesMayFollow()
{
    const QByteArray whole = request();
    const Upgrade upgrade = parseUpgrade(whole + "\x82\x80");
    QCOMPARE(upgrade.status, Upgrade::Accepted);
    QCOMPARE(upgrade.consumed, whole.size());
    QVERIFY(upgrade.response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
    QVERIFY(
        upgrade.response.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    QVERIFY(upgrade.response.endsWith("\r\n\r\n"));
}

void TestWsProtocol::upgradeRefusals_data()
{
    QTest::addColumn<QByteArray>("received");
    QTest::addColumn<QByteArray>("status");

    QTest::newRow("post") << QByteArray(request()).replace("GET ", "POST ") << QByteArray("405");
    QTest::newRow("http 1.0") << QByteArray(request()).replace("HTTP/1.1", "HTTP/1.0")
                              << QByteArray("400");
    QTest::newRow("not http") << QByteArray("hello there\r\n\r\n") << QByteArray("400");
    QTest::newRow("plain GET") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                               << QByteArray("426");
    QTest::newRow("version 8") << QByteArray(request()).replace("Version: 13", "Version: 8")
                               << QByteArray("426");
    QTest::newRow("short key") << request({}, "c2hvcnQ=") << QByteArray("400");
    QTest::newRow("bad base64") << request({}, "!!!!!!!!!!!!!!!!!!!!!!!!") << QByteArray("400");
    QTest::newRow("header without colon") << request("nonsense\r\n") << QByteArray("400");
}

void TestWsProtocol::upgradeRefusals()
{
    QFETCH(QByteArray, received);
    QFETCH(QByteArray, status);
    const Upgrade upgrade = parseUpgrade(received);
    QCOMPARE(upgrade.status, Upgrade::Refused);
    const QByteArray statusLine = "HTTP/1.1 " + status + ' ';
    QVERIFY2(upgrade.response.startsWith(statusLine), upgrade.response.constData());
    // A complete HTTP answer with a body that says why.
    const qsizetype bodyAt = upgrade.response.indexOf("\r\n\r\n") + 4;
    const QByteArray length =
        "Content-Length: " + QByteArray::number(upgrade.response.size() - bodyAt) + "\r\n";
    QVERIFY(upgrade.response.contains(length));
}

void TestWsProtocol::oversizedHandshakeIsRefused()
{
    const QByteArray padding = "X-Pad: " + QByteArray(kMaxHandshakeBytes, 'p') + "\r\n";
    QCOMPARE(parseUpgrade(request(padding)).status, Upgrade::Refused);
    // Without its end, too: nothing waits for a blank line that may never come.
    QCOMPARE(parseUpgrade(QByteArray(kMaxHandshakeBytes + 1, 'a')).status, Upgrade::Refused);
    QVERIFY(
        parseUpgrade(QByteArray(kMaxHandshakeBytes + 1, 'a')).response.startsWith("HTTP/1.1 431 "));
}

void TestWsProtocol::frameHeaderLengths_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("headerBytes");
    QTest::newRow("empty") << 0 << 6;
    QTest::newRow("125") << 125 << 6;
    QTest::newRow("126") << 126 << 8;
    QTest::newRow("65535") << 65535 << 8;
    QTest::newRow("65536") << 65536 << 14;
}

void TestWsProtocol::frameHeaderLengths()
{
    QFETCH(int, size);
    QFETCH(int, headerBytes);
    const QByteArray frame = clientFrame(Binary, QByteArray(size, 'x'));
    // Every prefix is NeedMore, the whole frame Complete.
    for (qsizetype cut :
         {qsizetype(0), qsizetype(1), qsizetype(headerBytes - 1), frame.size() - 1}) {
        if (cut >= 0 && cut < frame.size())
            QCOMPARE(parseFrameHeader(frame.constData(), cut, 1 << 20).status,
                     FrameHeader::NeedMore);
    }
    const FrameHeader header = parseFrameHeader(frame.constData(), frame.size(), 1 << 20);
    QCOMPARE(header.status, FrameHeader::Complete);
    QVERIFY(header.fin);
    QCOMPARE(header.opcode, quint8(Binary));
    QCOMPARE(header.headerBytes, headerBytes);
    QCOMPARE(header.payloadBytes, quint64(size));
}

void TestWsProtocol::invalidFrames_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("closeCode");

    QByteArray unmasked = clientFrame(Binary, "abc");
    unmasked[1] = char(quint8(unmasked[1]) & 0x7F);
    QTest::newRow("unmasked") << unmasked << int(CloseProtocolError);
    QByteArray reserved = clientFrame(Binary, "abc");
    reserved[0] = char(quint8(reserved[0]) | 0x40);
    QTest::newRow("rsv1") << reserved << int(CloseProtocolError);
    QTest::newRow("opcode 3") << clientFrame(0x3, "abc") << int(CloseProtocolError);
    QTest::newRow("opcode 0xB") << clientFrame(0xB, "abc") << int(CloseProtocolError);
    QTest::newRow("fragmented ping") << clientFrame(Ping, "abc", false) << int(CloseProtocolError);
    QTest::newRow("long ping") << clientFrame(Ping, QByteArray(126, 'p'))
                               << int(CloseProtocolError);
    QByteArray huge = clientFrame(Binary, "x");
    huge = QByteArray("\x82\xff\x80\x00\x00\x00\x00\x00\x00\x01", 10) + huge.right(5);
    QTest::newRow("64-bit length with its top bit") << huge << int(CloseProtocolError);
}

void TestWsProtocol::invalidFrames()
{
    QFETCH(QByteArray, frame);
    QFETCH(int, closeCode);
    const FrameHeader header = parseFrameHeader(frame.constData(), frame.size(), 1 << 20);
    QCOMPARE(header.status, FrameHeader::Invalid);
    QCOMPARE(int(header.closeCode), closeCode);
    QVERIFY(header.reason);
}

void TestWsProtocol::oversizedFrameRefusedFromItsHeader()
{
    const QByteArray frame = clientFrame(Binary, QByteArray(5000, 'x'));
    // Only the first four bytes (the 16-bit length) have arrived: already refused.
    const FrameHeader header = parseFrameHeader(frame.constData(), 4, 4096);
    QCOMPARE(header.status, FrameHeader::Invalid);
    QCOMPARE(header.closeCode, CloseTooBig);
    QCOMPARE(parseFrameHeader(frame.constData(), frame.size(), 5000).status, FrameHeader::Complete);
}

void TestWsProtocol::unmaskRestoresThePayload()
{
    for (int size : {0, 1, 3, 7, 8, 9, 17, 1000}) {
        QByteArray payload(size, Qt::Uninitialized);
        for (int i = 0; i < size; ++i)
            payload[i] = char(i * 7 + 3);
        QByteArray frame = clientFrame(Binary, payload);
        const FrameHeader header = parseFrameHeader(frame.constData(), frame.size(), 1 << 20);
        QCOMPARE(header.status, FrameHeader::Complete);
        const char *unmasked = unmask(frame.data(), header);
        QCOMPARE(QByteArray(unmasked, size), payload);
    }
}

void TestWsProtocol::serverHeaders()
{
    char out[kMaxServerHeaderBytes];
    QCOMPARE(writeServerHeader(out, Binary, 5), 2);
    QCOMPARE(QByteArray(out, 2), QByteArray("\x82\x05", 2));
    QCOMPARE(writeServerHeader(out, Pong, 126), 4);
    QCOMPARE(QByteArray(out, 4), QByteArray("\x8a\x7e\x00\x7e", 4));
    QCOMPARE(writeServerHeader(out, Binary, 70000), 10);
    QCOMPARE(QByteArray(out, 10), QByteArray("\x82\x7f\x00\x00\x00\x00\x00\x01\x11\x70", 10));
}

void TestWsProtocol::closePayloadKeepsUtf8Whole()
{
    QCOMPARE(closePayload(CloseNormal, "bye"),
             QByteArray("\x03\xe8"
                        "bye",
                        5));
    // 62 two-byte characters are 124 bytes: the last would be cut, so it goes whole.
    const QByteArray reason = QString(62, QChar(0x00e9)).toUtf8();
    const QByteArray payload = closePayload(CloseGoingAway, reason);
    QCOMPARE(payload.size(), 2 + 122);
    QVERIFY(QString::fromUtf8(payload.mid(2)).toUtf8() == payload.mid(2));
}

QTEST_GUILESS_MAIN(TestWsProtocol)
#include "tst_wsprotocol.moc"
