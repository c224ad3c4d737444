// SPDX-License-Identifier: Apache-2.0
#include "tern/framing.h"
#include "tern/limits.h"

#include <QTest>

#include <google/protobuf/util/message_differencer.h>

#include <limits>

using namespace tern;

Q_DECLARE_METATYPE(tern::proto::Frame)

namespace {

std::string stdBytes(const QByteArray &bytes)
{
    return std::string(bytes.constData(), size_t(bytes.size()));
}

QByteArray qBytes(const std::string &bytes)
{
    return QByteArray(bytes.data(), qsizetype(bytes.size()));
}

// Hand-made wire format, for inputs encodeFrame would never produce.
QByteArray varint(quint64 value)
{
    QByteArray out;
    while (value >= 0x80) {
        out.append(char((value & 0x7F) | 0x80));
        value >>= 7;
    }
    out.append(char(value));
    return out;
}

QByteArray lengthDelimited(int fieldNumber, const QByteArray &payload)
{
    return varint(quint64(fieldNumber) << 3 | 2) + varint(quint64(payload.size())) + payload;
}

// Field numbers from frame.proto / account.proto / hello.proto / error.proto.
constexpr int kFrameHello = 10;
constexpr int kFrameError = 12;
constexpr int kFrameRegister = 20;
constexpr int kFrameLogin = 21;
constexpr int kFrameSession = 23;

// A valid login frame whose encoding is exactly `size` bytes.
QByteArray frameOfSize(qsizetype size)
{
    proto::Frame frame;
    frame.set_request_id(7);
    for (qsizetype padding = std::max<qsizetype>(0, size - 16); padding <= size; ++padding) {
        for (int name = 1; name <= 3; ++name) {
            frame.mutable_login()->set_username(std::string(size_t(name), 'u'));
            frame.mutable_login()->set_password(std::string(size_t(padding), 'p'));
            if (qsizetype(frame.ByteSizeLong()) == size)
                return encodeFrame(frame);
        }
    }
    qFatal("cannot build a frame of %lld bytes", qlonglong(size));
}

QByteArray sessionToken()
{
    // Zero bytes first, in the middle and last: a C-string conversion anywhere would cut it.
    QByteArray token(limits::kSessionTokenBytes, '\0');
    for (int i = 1; i < token.size() - 1; ++i)
        token[i] = char(i % 3 == 0 ? 0 : 0x80 + i);
    return token;
}

} // namespace

class tst_Framing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void sessionTokenKeepsZeroBytes();
    void errorRetryAfterSurvives();

    void rejectsGarbage_data();
    void rejectsGarbage();
    void sizeLimitIsExact_data();
    void sizeLimitIsExact();
    void sizeIsCheckedBeforeParsing();
    void rejectsFrameWithoutPayload_data();
    void rejectsFrameWithoutPayload();
    void rejectsInvalidUtf8_data();
    void rejectsInvalidUtf8();

    void makeErrorFrameFields();
    void makeErrorFramePush();

    void payloadName_data();
    void payloadName();
    void isRequestPayload_data();
    void isRequestPayload();
};

void tst_Framing::roundTrip_data()
{
    QTest::addColumn<proto::Frame>("frame");

    {
        proto::Frame f;
        f.set_request_id(1);
        auto *hello = f.mutable_hello();
        hello->set_protocol_version(kProtocolVersion);
        hello->set_client_name("tern-desktop");
        hello->set_client_version("0.1.0");
        hello->set_device_id("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        hello->set_device_name(QStringLiteral("Zoë’s laptop 💻").toStdString());
        QTest::newRow("hello") << f;
    }
    {
        proto::Frame f;
        f.set_request_id(1);
        auto *welcome = f.mutable_welcome();
        welcome->set_protocol_version(kProtocolVersion);
        welcome->set_server_name("ternd");
        welcome->mutable_limits()->set_max_frame_bytes(limits::kMaxFrameBytes);
        welcome->mutable_limits()->set_ping_interval_ms(25000);
        QTest::newRow("welcome") << f;
    }
    {
        proto::Frame f;
        f.set_request_id(2);
        f.mutable_login()->set_username("alice");
        f.mutable_login()->set_password(QStringLiteral("pässwörd €").toStdString());
        QTest::newRow("login") << f;
    }
    {
        proto::Frame f;
        f.set_request_id(3);
        f.mutable_register_()->set_username("zhang.wei");
        f.mutable_register_()->set_password("correct horse battery staple");
        f.mutable_register_()->set_display_name(QStringLiteral("张伟").toStdString());
        QTest::newRow("register") << f;
    }
    {
        proto::Frame f;
        f.set_request_id(4);
        f.mutable_error()->set_code(proto::ERROR_CODE_RATE_LIMITED);
        f.mutable_error()->set_message("too many attempts");
        f.mutable_error()->set_retry_after_ms(30000);
        QTest::newRow("error with retry_after") << f;
    }
    {
        proto::Frame f; // request_id 0: a push
        f.mutable_error()->set_code(proto::ERROR_CODE_TEXT_FRAME);
        QTest::newRow("error push") << f;
    }
    {
        proto::Frame f;
        f.set_request_id(5);
        auto *session = f.mutable_session();
        session->set_user_id(42);
        session->set_username("alice");
        session->set_display_name("Alice");
        session->set_session_id(std::numeric_limits<quint64>::max());
        session->set_token(stdBytes(sessionToken()));
        QTest::newRow("session with token") << f;
    }
    {
        proto::Frame f;
        f.set_request_id(6);
        f.mutable_resume()->set_token(std::string(limits::kSessionTokenBytes, '\0'));
        QTest::newRow("resume with all-zero token") << f;
    }
    {
        proto::Frame f;
        f.set_request_id(7);
        for (int i = 0; i < 2; ++i) {
            auto *s = f.mutable_session_list()->add_sessions();
            s->set_session_id(quint64(i + 1));
            s->set_device_name("device");
            s->set_created_at_ms(-1); // negative int64 must survive too
            s->set_last_seen_at_ms(std::numeric_limits<qint64>::max());
            s->set_current(i == 0);
        }
        QTest::newRow("session list") << f;
    }
    {
        proto::Frame f;
        f.set_request_id(std::numeric_limits<quint64>::max());
        f.mutable_logout_result(); // empty message: the payload case alone must survive
        QTest::newRow("empty result, max request id") << f;
    }
    {
        proto::Frame f;
        f.mutable_session_ended()->set_reason(proto::SessionEnded::REASON_PASSWORD_CHANGED);
        QTest::newRow("session ended push") << f;
    }
}

void tst_Framing::roundTrip()
{
    QFETCH(proto::Frame, frame);

    const QByteArray bytes = encodeFrame(frame);
    QCOMPARE(bytes.size(), qsizetype(frame.ByteSizeLong()));

    const DecodeResult result = decodeFrame(bytes, limits::kMaxFrameBytes);
    QVERIFY2(result.frame.has_value(), qPrintable(result.reason));
    QCOMPARE(result.error, proto::ERROR_CODE_UNSPECIFIED);
    QVERIFY(result.reason.isEmpty());
    QCOMPARE(result.frame->payload_case(), frame.payload_case());
    QCOMPARE(result.frame->request_id(), frame.request_id());
    QVERIFY2(google::protobuf::util::MessageDifferencer::Equals(*result.frame, frame),
             result.frame->ShortDebugString().c_str());
    QCOMPARE(encodeFrame(*result.frame), bytes);
}

void tst_Framing::sessionTokenKeepsZeroBytes()
{
    const QByteArray token = sessionToken();
    QCOMPARE(token.size(), limits::kSessionTokenBytes);
    QCOMPARE(token.count('\0') > 2, true);

    proto::Frame frame;
    frame.set_request_id(9);
    frame.mutable_session()->set_token(stdBytes(token));

    const DecodeResult result = decodeFrame(encodeFrame(frame), limits::kMaxFrameBytes);
    QVERIFY2(result.frame.has_value(), qPrintable(result.reason));
    QCOMPARE(result.frame->payload_case(), proto::Frame::kSession);
    QCOMPARE(qBytes(result.frame->session().token()), token);
}

void tst_Framing::errorRetryAfterSurvives()
{
    const proto::Frame frame =
        makeErrorFrame(11, proto::ERROR_CODE_UNAVAILABLE, QStringLiteral("database is away"), 1500);
    const DecodeResult result = decodeFrame(encodeFrame(frame), limits::kMaxFrameBytes);
    QVERIFY2(result.frame.has_value(), qPrintable(result.reason));
    QCOMPARE(result.frame->request_id(), quint64(11));
    QCOMPARE(result.frame->payload_case(), proto::Frame::kError);
    QCOMPARE(result.frame->error().code(), proto::ERROR_CODE_UNAVAILABLE);
    QCOMPARE(result.frame->error().retry_after_ms(), 1500u);
    QCOMPARE(QString::fromStdString(result.frame->error().message()),
             QStringLiteral("database is away"));
}

void tst_Framing::rejectsGarbage_data()
{
    QTest::addColumn<QByteArray>("bytes");

    QTest::newRow("truncated varint") << QByteArrayLiteral("\x08");
    QTest::newRow("varint longer than 10 bytes")
        << QByteArray(QByteArrayLiteral("\x08") + QByteArray(11, '\xFF'));
    QTest::newRow("field number zero") << QByteArrayLiteral("\x00\x01");
    QTest::newRow("invalid wire type 7") << QByteArrayLiteral("\x0F\x01");
    QTest::newRow("end group without start") << QByteArrayLiteral("\x0C");
    QTest::newRow("length beyond the end")
        << QByteArray(varint(kFrameHello << 3 | 2) + varint(5) + "ab");
    QTest::newRow("broken nested message") << lengthDelimited(kFrameHello, QByteArray(1, '\0'));
    QTest::newRow("HTTP request") << QByteArrayLiteral("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    QTest::newRow("0xFF bytes") << QByteArray(64, '\xFF');
}

void tst_Framing::rejectsGarbage()
{
    QFETCH(QByteArray, bytes);

    const DecodeResult result = decodeFrame(bytes, limits::kMaxFrameBytes);
    QVERIFY(!result.frame.has_value());
    QCOMPARE(result.error, proto::ERROR_CODE_MALFORMED_FRAME);
    QVERIFY(!result.reason.isEmpty());
}

void tst_Framing::sizeLimitIsExact_data()
{
    QTest::addColumn<quint32>("limit");
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<bool>("accepted");

    QTest::newRow("well under") << 1024u << qsizetype(100) << true;
    QTest::newRow("size == limit") << 1024u << qsizetype(1024) << true;
    QTest::newRow("size == limit + 1") << 1024u << qsizetype(1025) << false;
    QTest::newRow("far over") << 1024u << qsizetype(4096) << false;
    QTest::newRow("default limit, size == limit")
        << limits::kMaxFrameBytes << qsizetype(limits::kMaxFrameBytes) << true;
    QTest::newRow("default limit, size == limit + 1")
        << limits::kMaxFrameBytes << qsizetype(limits::kMaxFrameBytes) + 1 << false;
}

void tst_Framing::sizeLimitIsExact()
{
    QFETCH(quint32, limit);
    QFETCH(qsizetype, size);
    QFETCH(bool, accepted);

    const QByteArray bytes = frameOfSize(size);
    QCOMPARE(bytes.size(), size);

    const DecodeResult result = decodeFrame(bytes, limit);
    QCOMPARE(result.frame.has_value(), accepted);
    if (accepted) {
        QCOMPARE(result.error, proto::ERROR_CODE_UNSPECIFIED);
        QCOMPARE(result.frame->payload_case(), proto::Frame::kLogin);
    } else {
        QCOMPARE(result.error, proto::ERROR_CODE_FRAME_TOO_LARGE);
        QVERIFY2(result.reason.contains(QString::number(size)), qPrintable(result.reason));
        QVERIFY2(result.reason.contains(QString::number(limit)), qPrintable(result.reason));
    }
}

void tst_Framing::sizeIsCheckedBeforeParsing()
{
    // An oversized message is refused for its size, whatever it contains.
    const DecodeResult result = decodeFrame(QByteArray(101, '\xFF'), 100);
    QVERIFY(!result.frame.has_value());
    QCOMPARE(result.error, proto::ERROR_CODE_FRAME_TOO_LARGE);
}

void tst_Framing::rejectsFrameWithoutPayload_data()
{
    QTest::addColumn<QByteArray>("bytes");

    QTest::newRow("empty message") << QByteArray();
    {
        proto::Frame f;
        f.set_request_id(5);
        QTest::newRow("request_id only") << encodeFrame(f);
    }
    // What a newer client's request looks like to this server: an unknown field number.
    QTest::newRow("unknown varint field")
        << QByteArray(varint(1 << 3) + varint(5) + varint(99 << 3) + varint(1));
    QTest::newRow("unknown message field") << QByteArray(
        varint(1 << 3) + varint(5) + lengthDelimited(4000, QByteArrayLiteral("\x08\x01")));
}

void tst_Framing::rejectsFrameWithoutPayload()
{
    QFETCH(QByteArray, bytes);

    const DecodeResult result = decodeFrame(bytes, limits::kMaxFrameBytes);
    QVERIFY(!result.frame.has_value());
    QCOMPARE(result.error, proto::ERROR_CODE_UNKNOWN_REQUEST);
    QVERIFY(!result.reason.isEmpty());
}

void tst_Framing::rejectsInvalidUtf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("accepted");

    // libprotobuf itself checks proto3 string fields (and logs an ERROR line for each refused
    // row; that output is expected).
    const auto stringField = [](int frameField, int field, const QByteArray &value) -> QByteArray {
        return varint(1 << 3) + varint(1)
            + lengthDelimited(frameField, lengthDelimited(field, value));
    };

    QTest::newRow("valid UTF-8 username")
        << stringField(kFrameLogin, 1, QStringLiteral("zoë").toUtf8()) << true;
    QTest::newRow("bad continuation in username")
        << stringField(kFrameLogin, 1, QByteArrayLiteral("\xC3\x28")) << false;
    QTest::newRow("lone continuation in password")
        << stringField(kFrameLogin, 2, QByteArrayLiteral("secret\x80")) << false;
    QTest::newRow("overlong in client_name")
        << stringField(kFrameHello, 2, QByteArrayLiteral("\xC0\xAF")) << false;
    QTest::newRow("surrogate in display_name")
        << stringField(kFrameRegister, 3, QByteArrayLiteral("\xED\xA0\x80")) << false;
    QTest::newRow("truncated sequence in error message")
        << stringField(kFrameError, 2, QByteArrayLiteral("abc\xE2\x82")) << false;
    // bytes fields carry binary data and are not UTF-8 checked.
    QTest::newRow("binary session token")
        << stringField(kFrameSession, 5, QByteArrayLiteral("\xFF\xFE\x00\xC0")) << true;
}

void tst_Framing::rejectsInvalidUtf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, accepted);

    const DecodeResult result = decodeFrame(bytes, limits::kMaxFrameBytes);
    QCOMPARE(result.frame.has_value(), accepted);
    QCOMPARE(result.error,
             accepted ? proto::ERROR_CODE_UNSPECIFIED : proto::ERROR_CODE_MALFORMED_FRAME);
}

void tst_Framing::makeErrorFrameFields()
{
    const QString message = QStringLiteral("Zu viele Versuche – bitte später");
    const proto::Frame frame = makeErrorFrame(17, proto::ERROR_CODE_RATE_LIMITED, message, 42000);

    QCOMPARE(frame.request_id(), quint64(17));
    QCOMPARE(frame.payload_case(), proto::Frame::kError);
    QCOMPARE(frame.error().code(), proto::ERROR_CODE_RATE_LIMITED);
    QCOMPARE(QString::fromStdString(frame.error().message()), message);
    QCOMPARE(frame.error().retry_after_ms(), 42000u);

    // The message is UTF-8 on the wire, so the frame passes the receiver's checks.
    const DecodeResult decoded = decodeFrame(encodeFrame(frame), limits::kMaxFrameBytes);
    QVERIFY2(decoded.frame.has_value(), qPrintable(decoded.reason));
    QCOMPARE(QString::fromStdString(decoded.frame->error().message()), message);
}

void tst_Framing::makeErrorFramePush()
{
    const proto::Frame frame =
        makeErrorFrame(0, proto::ERROR_CODE_TEXT_FRAME, QStringLiteral("binary frames only"));
    QCOMPARE(frame.request_id(), quint64(0));
    QCOMPARE(frame.payload_case(), proto::Frame::kError);
    QCOMPARE(frame.error().code(), proto::ERROR_CODE_TEXT_FRAME);
    QCOMPARE(frame.error().retry_after_ms(), 0u);
}

void tst_Framing::payloadName_data()
{
    QTest::addColumn<proto::Frame>("frame");
    QTest::addColumn<QString>("name");

    proto::Frame f;
    QTest::newRow("none") << f << QStringLiteral("(none)");
    f.mutable_hello();
    QTest::newRow("hello") << f << QStringLiteral("hello");
    f.mutable_login();
    QTest::newRow("login") << f << QStringLiteral("login");
    f.mutable_register_();
    QTest::newRow("register") << f << QStringLiteral("register");
    f.mutable_error();
    QTest::newRow("error") << f << QStringLiteral("error");
    f.mutable_session_list();
    QTest::newRow("session_list") << f << QStringLiteral("session_list");
    f.mutable_change_password_result();
    QTest::newRow("change_password_result") << f << QStringLiteral("change_password_result");
}

void tst_Framing::payloadName()
{
    QFETCH(proto::Frame, frame);
    QFETCH(QString, name);

    QCOMPARE(tern::payloadName(frame), name);
}

void tst_Framing::isRequestPayload_data()
{
    QTest::addColumn<int>("payload");
    QTest::addColumn<bool>("request");

    using F = proto::Frame;
    QTest::newRow("hello") << int(F::kHello) << true;
    QTest::newRow("register") << int(F::kRegister) << true;
    QTest::newRow("login") << int(F::kLogin) << true;
    QTest::newRow("resume") << int(F::kResume) << true;
    QTest::newRow("logout") << int(F::kLogout) << true;
    QTest::newRow("list_sessions") << int(F::kListSessions) << true;
    QTest::newRow("revoke_session") << int(F::kRevokeSession) << true;
    QTest::newRow("change_password") << int(F::kChangePassword) << true;
    QTest::newRow("get_my_profile") << int(F::kGetMyProfile) << true;
    QTest::newRow("search_users") << int(F::kSearchUsers) << true;
    QTest::newRow("send_friend_request") << int(F::kSendFriendRequest) << true;
    QTest::newRow("sync_contacts") << int(F::kSyncContacts) << true;
    QTest::newRow("create_group") << int(F::kCreateGroup) << true;
    QTest::newRow("get_group_events") << int(F::kGetGroupEvents) << true;

    QTest::newRow("welcome") << int(F::kWelcome) << false;
    QTest::newRow("error") << int(F::kError) << false;
    QTest::newRow("session") << int(F::kSession) << false;
    QTest::newRow("logout_result") << int(F::kLogoutResult) << false;
    QTest::newRow("session_list") << int(F::kSessionList) << false;
    QTest::newRow("revoke_session_result") << int(F::kRevokeSessionResult) << false;
    QTest::newRow("change_password_result") << int(F::kChangePasswordResult) << false;
    QTest::newRow("session_ended") << int(F::kSessionEnded) << false;
    QTest::newRow("my_profile") << int(F::kMyProfile) << false;
    QTest::newRow("friend_request_result") << int(F::kFriendRequestResult) << false;
    QTest::newRow("contacts_changed") << int(F::kContactsChanged) << false;
    QTest::newRow("group_change_result") << int(F::kGroupChangeResult) << false;
    QTest::newRow("group_event_push") << int(F::kGroupEventPush) << false;
    QTest::newRow("not set") << int(F::PAYLOAD_NOT_SET) << false;
}

void tst_Framing::isRequestPayload()
{
    QFETCH(int, payload);
    QFETCH(bool, request);

    QCOMPARE(tern::isRequestPayload(proto::Frame::PayloadCase(payload)), request);
}

QTEST_APPLESS_MAIN(tst_Framing)
#include "tst_framing.moc"
