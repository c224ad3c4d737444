// SPDX-License-Identifier: Apache-2.0
// Protocol abuse against a real ternd: garbage, text frames, oversized frames, requests out of
// order, silent connections. Every case gets a clear error or a policy close, never a crash.
#include "support/pgfixture.h"
#include "support/terndprocess.h"
#include "support/testclient.h"

#include "tern/framing.h"

#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace tern;

class TestProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void garbageBytesGetMalformedThenPolicyClose();
    void textFrameGetsError();
    void oversizedFrameGetsErrorAndHugeFrameCloses();
    void requestBeforeHello();
    void helloTwice();
    void unsupportedVersionNamesBoth();
    void requestIdZeroIsRefused();
    void resultPayloadFromClientIsRefused();
    void requestBeforeLogin();
    void silentConnectionHitsAuthDeadline();
    void authenticatedConnectionOutlivesTheDeadline();
    void tcpWithoutUpgradeIsDropped();

private:
    PgFixture m_pg;
    std::unique_ptr<TerndProcess> m_ternd;
};

void TestProtocol::initTestCase()
{
    const QString error = m_pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_ternd = std::make_unique<TerndProcess>();
    m_ternd->environment().insert(QStringLiteral("TERN_AUTH_DEADLINE_MS"), QStringLiteral("1500"));
    m_ternd->environment().insert(QStringLiteral("TERN_MAX_FRAME_BYTES"), QStringLiteral("4096"));
    const QString started = m_ternd->startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
}

void TestProtocol::cleanup()
{
    // Whatever a test threw at it, ternd must still be alive.
    QVERIFY2(m_ternd->isRunning(), qPrintable(m_ternd->output()));
}

void TestProtocol::cleanupTestCase()
{
    QCOMPARE(m_ternd->terminate(), 0);
}

void TestProtocol::garbageBytesGetMalformedThenPolicyClose()
{
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    for (int i = 0; i < 3; ++i)
        client.sendRaw(QByteArrayLiteral("\xff\xff\xff\xff garbage"));
    for (int i = 0; i < 3; ++i) {
        const auto frame = client.nextUnsolicited();
        QVERIFY(frame);
        QCOMPARE(errorCode(*frame), proto::ERROR_CODE_MALFORMED_FRAME);
        QCOMPARE(frame->request_id(), 0u);
    }
    QVERIFY(client.waitClosed());
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
}

void TestProtocol::textFrameGetsError()
{
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    client.sendText(QStringLiteral("{\"hello\": 1}"));
    const auto frame = client.nextUnsolicited();
    QVERIFY(frame);
    QCOMPARE(errorCode(*frame), proto::ERROR_CODE_TEXT_FRAME);
    // One mistake is forgiven: the connection still works.
    QVERIFY(client.hello().has_welcome());
}

void TestProtocol::oversizedFrameGetsErrorAndHugeFrameCloses()
{
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    const proto::Frame welcome = client.hello();
    QCOMPARE(welcome.welcome().limits().max_frame_bytes(), 4096u);

    proto::Frame big;
    big.set_request_id(7);
    big.mutable_login()->set_username("x");
    big.mutable_login()->set_password(std::string(5000, 'p'));
    client.sendRaw(encodeFrame(big));
    // Over the limit, the frame is not decoded: the error cannot name the request.
    const auto error = client.nextUnsolicited();
    QVERIFY(error);
    QCOMPARE(errorCode(*error), proto::ERROR_CODE_FRAME_TOO_LARGE);
    QCOMPARE(error->request_id(), 0u);
    QVERIFY(client.isOpen());

    // Far over the limit, Qt drops the connection without buffering the message.
    client.sendRaw(QByteArray(4096 * 4 + 1, 'z'));
    QVERIFY(client.waitClosed());
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
}

void TestProtocol::requestBeforeHello()
{
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    const proto::Frame reply = client.login(QStringLiteral("someone"), QStringLiteral("password"));
    QCOMPARE(errorCode(reply), proto::ERROR_CODE_HELLO_REQUIRED);
    QVERIFY(client.hello().has_welcome());
}

void TestProtocol::helloTwice()
{
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    QVERIFY(client.hello().has_welcome());
    QCOMPARE(errorCode(client.hello()), proto::ERROR_CODE_ALREADY_GREETED);
}

void TestProtocol::unsupportedVersionNamesBoth()
{
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    const proto::Frame reply = client.hello({}, 99);
    QCOMPARE(errorCode(reply), proto::ERROR_CODE_UNSUPPORTED_VERSION);
    const QString message = QString::fromStdString(reply.error().message());
    QVERIFY2(message.contains(QLatin1String("99")) && message.contains(QLatin1String("1")),
             qPrintable(message));
    QVERIFY(client.waitClosed());
}

void TestProtocol::requestIdZeroIsRefused()
{
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    proto::Frame hello;
    hello.mutable_hello()->set_protocol_version(1);
    client.sendRaw(encodeFrame(hello)); // request_id 0
    const auto reply = client.nextUnsolicited();
    QVERIFY(reply);
    QCOMPARE(errorCode(*reply), proto::ERROR_CODE_BAD_REQUEST);
}

void TestProtocol::resultPayloadFromClientIsRefused()
{
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    proto::Frame welcome;
    welcome.mutable_welcome()->set_protocol_version(1);
    QCOMPARE(errorCode(client.request(welcome)), proto::ERROR_CODE_BAD_REQUEST);
}

void TestProtocol::requestBeforeLogin()
{
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    QVERIFY(client.hello().has_welcome());
    proto::Frame list;
    list.mutable_list_sessions();
    QCOMPARE(errorCode(client.request(list)), proto::ERROR_CODE_NOT_AUTHENTICATED);
}

void TestProtocol::silentConnectionHitsAuthDeadline()
{
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    QVERIFY(client.hello().has_welcome());
    // The deadline is 1.5 s here; it does not move for unauthenticated traffic.
    QVERIFY(client.waitClosed(10000));
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
}

void TestProtocol::authenticatedConnectionOutlivesTheDeadline()
{
    TestClient client;
    QVERIFY(client
                .connectAndRegister(m_ternd->url(), QStringLiteral("patient"),
                                    QStringLiteral("long enough password"))
                .has_session());
    QVERIFY(!client.waitClosed(3000));
    proto::Frame list;
    list.mutable_list_sessions();
    QVERIFY(client.request(list).has_session_list());
}

void TestProtocol::tcpWithoutUpgradeIsDropped()
{
    QTcpSocket socket;
    socket.connectToHost(m_ternd->url().host(), quint16(m_ternd->url().port()));
    QVERIFY(socket.waitForConnected(5000));
    // Never send the HTTP upgrade: ternd must not hold the socket forever.
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10000);
}

QTEST_GUILESS_MAIN(TestProtocol)
#include "tst_protocol.moc"
