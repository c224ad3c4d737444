// SPDX-License-Identifier: Apache-2.0
#include "testclient.h"

#include "tern/framing.h"

#include <QTest>

using namespace tern;

TestClient::TestClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &bytes) {
        proto::Frame frame;
        if (!frame.ParseFromArray(bytes.constData(), int(bytes.size()))) {
            frame = makeErrorFrame(0, proto::ERROR_CODE_INTERNAL,
                                   QStringLiteral("test client could not parse a server frame"));
        }
        if (frame.request_id() == 0 && frame.has_presence_changed())
            return m_presence.append(frame.presence_changed());
        m_received.append(frame);
    });
}

bool TestClient::open(const QUrl &url, int timeoutMs)
{
    m_socket.open(url);
    return QTest::qWaitFor([this] { return isOpen(); }, timeoutMs);
}

proto::Frame TestClient::request(proto::Frame frame, int timeoutMs)
{
    return answerTo(post(std::move(frame)), timeoutMs);
}

quint64 TestClient::post(proto::Frame frame)
{
    const quint64 id = m_nextRequestId++;
    frame.set_request_id(id);
    m_socket.sendBinaryMessage(encodeFrame(frame));
    return id;
}

proto::Frame TestClient::answerTo(quint64 requestId, int timeoutMs)
{
    proto::Frame answer =
        makeErrorFrame(requestId, proto::ERROR_CODE_INTERNAL, QStringLiteral("test timeout"));
    [[maybe_unused]] const bool answered = QTest::qWaitFor(
        [&] {
            for (qsizetype i = 0; i < m_received.size(); ++i) {
                if (m_received.at(i).request_id() == requestId) {
                    answer = m_received.takeAt(i);
                    return true;
                }
            }
            return m_socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    return answer;
}

proto::Frame TestClient::hello(const QString &deviceId, quint32 version)
{
    proto::Frame frame;
    auto *hello = frame.mutable_hello();
    hello->set_protocol_version(version);
    hello->set_client_name("tern-tests");
    hello->set_client_version("1");
    hello->set_device_id(deviceId.toStdString());
    hello->set_device_name("test device");
    return request(frame);
}

proto::Frame TestClient::registerUser(const QString &username, const QString &password,
                                      const QString &displayName)
{
    proto::Frame frame;
    auto *r = frame.mutable_register_();
    r->set_username(username.toStdString());
    r->set_password(password.toStdString());
    r->set_display_name(displayName.toStdString());
    return request(frame);
}

proto::Frame TestClient::login(const QString &username, const QString &password)
{
    proto::Frame frame;
    frame.mutable_login()->set_username(username.toStdString());
    frame.mutable_login()->set_password(password.toStdString());
    return request(frame);
}

proto::Frame TestClient::resume(const QByteArray &token)
{
    proto::Frame frame;
    frame.mutable_resume()->set_token(token.toStdString());
    return request(frame);
}

proto::Frame TestClient::connectAndRegister(const QUrl &url, const QString &username,
                                            const QString &password, const QString &deviceId)
{
    if (!open(url))
        return makeErrorFrame(0, proto::ERROR_CODE_INTERNAL, QStringLiteral("cannot connect"));
    const proto::Frame welcome = hello(deviceId);
    if (!welcome.has_welcome())
        return welcome;
    return registerUser(username, password);
}

void TestClient::sendRaw(const QByteArray &bytes)
{
    m_socket.sendBinaryMessage(bytes);
}

void TestClient::sendText(const QString &text)
{
    m_socket.sendTextMessage(text);
}

std::optional<proto::Frame> TestClient::nextUnsolicited(int timeoutMs)
{
    if (!QTest::qWaitFor([this] { return !m_received.isEmpty(); }, timeoutMs))
        return std::nullopt;
    return m_received.takeFirst();
}

std::optional<proto::PresenceChanged> TestClient::nextPresence(int timeoutMs)
{
    if (!QTest::qWaitFor([this] { return !m_presence.isEmpty(); }, timeoutMs))
        return std::nullopt;
    return m_presence.takeFirst();
}

std::optional<proto::Frame> TestClient::nextPush(proto::Frame::PayloadCase kind, int timeoutMs)
{
    std::optional<proto::Frame> found;
    [[maybe_unused]] const bool arrived = QTest::qWaitFor(
        [&] {
            while (!m_received.isEmpty()) {
                proto::Frame frame = m_received.takeFirst();
                if (frame.payload_case() == kind) {
                    found = std::move(frame);
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

bool TestClient::waitClosed(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; },
                           timeoutMs);
}

proto::ErrorCode errorCode(const proto::Frame &frame)
{
    return frame.has_error() ? frame.error().code() : proto::ERROR_CODE_UNSPECIFIED;
}
