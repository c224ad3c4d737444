// SPDX-License-Identifier: Apache-2.0
// Accounts against a real ternd and PostgreSQL: register, login, rate limits, resume across a
// restart, logout, devices, revocation and password change.
#include "support/pgfixture.h"
#include "support/terndprocess.h"
#include "support/testclient.h"

#include <QTest>

#include <memory>

using namespace tern;

namespace {
const QString kPassword = QStringLiteral("correct horse battery");
}

class TestAccounts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void registerReturnsSessionWithToken();
    void registerRejectsInvalidInput_data();
    void registerRejectsInvalidInput();
    void duplicateUsernameIsRefusedCaseInsensitively();
    void loginWithRightAndWrongPassword();
    void unknownUserLooksLikeWrongPassword();
    void bannedFromRepeatedFailuresWithRetryAfter();
    void perAddressLimitAppliesAcrossAccounts();
    void requestsNeedAuthentication();
    void resumeWorksAfterTerndRestart();
    void logoutEndsTheTokenButKeepsTheConnection();
    void loginFromSameDeviceReplacesItsSession();
    void loginsFromOneDeviceAtOnceBothSucceed();
    void listAndRevokeDevices();
    void cannotRevokeAnotherUsersSession();
    void changePasswordEndsOtherDevices();

private:
    QString startTernd(TerndProcess &ternd);

    PgFixture m_pg;
    std::unique_ptr<TerndProcess> m_ternd;
};

QString TestAccounts::startTernd(TerndProcess &ternd)
{
    ternd.environment().insert(QStringLiteral("TERN_LOGIN_FAILURES_PER_ACCOUNT"),
                               QStringLiteral("3"));
    return ternd.startOn(m_pg);
}

void TestAccounts::initTestCase()
{
    const QString error = m_pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_ternd = std::make_unique<TerndProcess>();
    const QString started = startTernd(*m_ternd);
    QVERIFY2(started.isEmpty(), qPrintable(started));
}

void TestAccounts::cleanupTestCase()
{
    if (m_ternd)
        QCOMPARE(m_ternd->terminate(), 0);
}

void TestAccounts::registerReturnsSessionWithToken()
{
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    const proto::Frame welcome = client.hello(QStringLiteral("dev-1"));
    QVERIFY(welcome.has_welcome());
    QCOMPARE(welcome.welcome().protocol_version(), 1u);
    QVERIFY(welcome.welcome().limits().max_frame_bytes() > 0);
    QCOMPARE(welcome.welcome().limits().max_username_length(), 32u);

    const proto::Frame reply =
        client.registerUser(QStringLiteral("Alice"), kPassword, QStringLiteral("Alice 爱丽丝"));
    QVERIFY2(reply.has_session(), reply.DebugString().c_str());
    QVERIFY(reply.session().user_id() > 0);
    QCOMPARE(reply.session().username(), std::string("Alice"));
    QCOMPARE(QString::fromStdString(reply.session().display_name()),
             QStringLiteral("Alice 爱丽丝"));
    QCOMPARE(reply.session().token().size(), size_t(32));
    QVERIFY(reply.session().session_id() > 0);
}

void TestAccounts::registerRejectsInvalidInput_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("displayName");
    QTest::newRow("short username") << QStringLiteral("ab") << kPassword << QString();
    QTest::newRow("username with space") << QStringLiteral("a b c") << kPassword << QString();
    QTest::newRow("short password")
        << QStringLiteral("shorty") << QStringLiteral("1234567") << QString();
    QTest::newRow("control character in name")
        << QStringLiteral("ctrl") << kPassword << QStringLiteral("bad\u0007name");
    QTest::newRow("display name too long")
        << QStringLiteral("longname") << kPassword << QString(65, QChar(0x5F20));
}

void TestAccounts::registerRejectsInvalidInput()
{
    QFETCH(QString, username);
    QFETCH(QString, password);
    QFETCH(QString, displayName);
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    QVERIFY(client.hello().has_welcome());
    const proto::Frame reply = client.registerUser(username, password, displayName);
    QCOMPARE(errorCode(reply), proto::ERROR_CODE_INVALID_ARGUMENT);
    QVERIFY(!reply.error().message().empty());
    // Nothing was created: the connection is still unauthenticated.
    QCOMPARE(errorCode(client.request([] {
                 proto::Frame f;
                 f.mutable_list_sessions();
                 return f;
             }())),
             proto::ERROR_CODE_NOT_AUTHENTICATED);
}

void TestAccounts::duplicateUsernameIsRefusedCaseInsensitively()
{
    TestClient first;
    QVERIFY(
        first.connectAndRegister(m_ternd->url(), QStringLiteral("carol"), kPassword).has_session());
    TestClient second;
    const proto::Frame reply =
        second.connectAndRegister(m_ternd->url(), QStringLiteral("CAROL"), kPassword);
    QCOMPARE(errorCode(reply), proto::ERROR_CODE_USERNAME_TAKEN);
}

void TestAccounts::loginWithRightAndWrongPassword()
{
    TestClient owner;
    QVERIFY(
        owner.connectAndRegister(m_ternd->url(), QStringLiteral("dave"), kPassword).has_session());

    TestClient wrong;
    QVERIFY(wrong.open(m_ternd->url()));
    QVERIFY(wrong.hello(QStringLiteral("dave-phone")).has_welcome());
    QCOMPARE(errorCode(wrong.login(QStringLiteral("dave"), QStringLiteral("not the password"))),
             proto::ERROR_CODE_INVALID_CREDENTIALS);
    // A failed login leaves the connection usable for another attempt.
    const proto::Frame ok = wrong.login(QStringLiteral("DAVE"), kPassword);
    QVERIFY2(ok.has_session(), ok.DebugString().c_str());
    QCOMPARE(ok.session().username(), std::string("dave"));
    QCOMPARE(ok.session().token().size(), size_t(32));
    // Authenticated now: a second login on the same connection is refused.
    QCOMPARE(errorCode(wrong.login(QStringLiteral("dave"), kPassword)),
             proto::ERROR_CODE_ALREADY_AUTHENTICATED);
}

void TestAccounts::unknownUserLooksLikeWrongPassword()
{
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    QVERIFY(client.hello().has_welcome());
    const proto::Frame reply = client.login(QStringLiteral("nobody_here"), kPassword);
    QCOMPARE(errorCode(reply), proto::ERROR_CODE_INVALID_CREDENTIALS);
    QCOMPARE(reply.error().message(), std::string("wrong username or password"));
}

void TestAccounts::bannedFromRepeatedFailuresWithRetryAfter()
{
    TestClient owner;
    QVERIFY(
        owner.connectAndRegister(m_ternd->url(), QStringLiteral("erin"), kPassword).has_session());
    TestClient attacker;
    QVERIFY(attacker.open(m_ternd->url()));
    QVERIFY(attacker.hello().has_welcome());
    // This ternd allows 3 failures per account per window.
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(
            errorCode(attacker.login(QStringLiteral("erin"), QStringLiteral("guess%1").arg(i))),
            proto::ERROR_CODE_INVALID_CREDENTIALS);
    }
    const proto::Frame limited = attacker.login(QStringLiteral("erin"), kPassword);
    QCOMPARE(errorCode(limited), proto::ERROR_CODE_RATE_LIMITED);
    QVERIFY(limited.error().retry_after_ms() > 0);
    QVERIFY(limited.error().retry_after_ms() <= 300u * 1000u);
    // Other accounts are not affected.
    TestClient other;
    QVERIFY(other.open(m_ternd->url()));
    QVERIFY(other.hello().has_welcome());
    QVERIFY(other.login(QStringLiteral("dave"), kPassword).has_session());
}

void TestAccounts::perAddressLimitAppliesAcrossAccounts()
{
    // A second ternd on the same database, with a tight per-address limit.
    TerndProcess strict;
    strict.environment().insert(QStringLiteral("TERN_LOGIN_ATTEMPTS_PER_ADDRESS"),
                                QStringLiteral("2"));
    const QString started = strict.startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
    TestClient client;
    QVERIFY(client.open(strict.url()));
    QVERIFY(client.hello().has_welcome());
    QCOMPARE(errorCode(client.login(QStringLiteral("user_a"), kPassword)),
             proto::ERROR_CODE_INVALID_CREDENTIALS);
    QCOMPARE(errorCode(client.login(QStringLiteral("user_b"), kPassword)),
             proto::ERROR_CODE_INVALID_CREDENTIALS);
    const proto::Frame limited = client.login(QStringLiteral("user_c"), kPassword);
    QCOMPARE(errorCode(limited), proto::ERROR_CODE_RATE_LIMITED);
    QVERIFY(limited.error().retry_after_ms() > 0);
    QCOMPARE(strict.terminate(), 0);
}

void TestAccounts::requestsNeedAuthentication()
{
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    QVERIFY(client.hello().has_welcome());
    proto::Frame change;
    change.mutable_change_password()->set_old_password("x");
    change.mutable_change_password()->set_new_password("yyyyyyyyyy");
    QCOMPARE(errorCode(client.request(change)), proto::ERROR_CODE_NOT_AUTHENTICATED);
    proto::Frame logout;
    logout.mutable_logout();
    QCOMPARE(errorCode(client.request(logout)), proto::ERROR_CODE_NOT_AUTHENTICATED);
    QVERIFY(client.isOpen());
}

void TestAccounts::resumeWorksAfterTerndRestart()
{
    QByteArray token;
    {
        TestClient client;
        const proto::Frame session =
            client.connectAndRegister(m_ternd->url(), QStringLiteral("frank"), kPassword);
        QVERIFY(session.has_session());
        token = QByteArray::fromStdString(session.session().token());
    }
    QCOMPARE(m_ternd->terminate(), 0);
    m_ternd = std::make_unique<TerndProcess>();
    const QString started = startTernd(*m_ternd);
    QVERIFY2(started.isEmpty(), qPrintable(started));

    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    QVERIFY(client.hello().has_welcome());
    const proto::Frame resumed = client.resume(token);
    QVERIFY2(resumed.has_session(), resumed.DebugString().c_str());
    QCOMPARE(resumed.session().username(), std::string("frank"));
    QVERIFY(resumed.session().token().empty()); // the client keeps the token it has

    TestClient forger;
    QVERIFY(forger.open(m_ternd->url()));
    QVERIFY(forger.hello().has_welcome());
    QByteArray wrong = token;
    wrong[0] = char(wrong[0] ^ 0x01);
    QCOMPARE(errorCode(forger.resume(wrong)), proto::ERROR_CODE_SESSION_INVALID);
    QCOMPARE(errorCode(forger.resume(QByteArrayLiteral("short"))),
             proto::ERROR_CODE_SESSION_INVALID);
}

void TestAccounts::logoutEndsTheTokenButKeepsTheConnection()
{
    TestClient client;
    const proto::Frame session =
        client.connectAndRegister(m_ternd->url(), QStringLiteral("grace"), kPassword);
    QVERIFY(session.has_session());
    proto::Frame logout;
    logout.mutable_logout();
    QVERIFY(client.request(logout).has_logout_result());
    QVERIFY(client.isOpen());
    // The connection is unauthenticated again, and the token is dead.
    QCOMPARE(errorCode(client.request(logout)), proto::ERROR_CODE_NOT_AUTHENTICATED);
    QCOMPARE(errorCode(client.resume(QByteArray::fromStdString(session.session().token()))),
             proto::ERROR_CODE_SESSION_INVALID);
    QVERIFY(client.login(QStringLiteral("grace"), kPassword).has_session());
}

void TestAccounts::loginFromSameDeviceReplacesItsSession()
{
    TestClient first;
    const proto::Frame registered = first.connectAndRegister(
        m_ternd->url(), QStringLiteral("heidi"), kPassword, QStringLiteral("laptop"));
    QVERIFY(registered.has_session());

    TestClient again;
    QVERIFY(again.open(m_ternd->url()));
    QVERIFY(again.hello(QStringLiteral("laptop")).has_welcome());
    QVERIFY(again.login(QStringLiteral("heidi"), kPassword).has_session());

    // The earlier session of the same device is ended and its connection told why.
    const auto pushed = first.nextPush(proto::Frame::kSessionEnded);
    QVERIFY(pushed);
    QVERIFY(pushed->has_session_ended());
    QCOMPARE(pushed->session_ended().reason(), proto::SessionEnded::REASON_REVOKED);
    QVERIFY(first.waitClosed());

    proto::Frame list;
    list.mutable_list_sessions();
    const proto::Frame sessions = again.request(list);
    QCOMPARE(sessions.session_list().sessions_size(), 1);
}

void TestAccounts::loginsFromOneDeviceAtOnceBothSucceed()
{
    TestClient owner;
    QVERIFY(owner
                .connectAndRegister(m_ternd->url(), QStringLiteral("quinn"), kPassword,
                                    QStringLiteral("desk"))
                .has_session());
    // Two logins of one device sent together (a double click, a reconnect racing the old
    // connection): each gets a session, the later replacing the earlier, never an internal
    // error from the two colliding in the database.
    for (int round = 0; round < 5; ++round) {
        TestClient a;
        TestClient b;
        for (TestClient *c : {&a, &b}) {
            QVERIFY(c->open(m_ternd->url()));
            QVERIFY(c->hello(QStringLiteral("phone")).has_welcome());
        }
        proto::Frame login;
        login.mutable_login()->set_username("quinn");
        login.mutable_login()->set_password(kPassword.toStdString());
        const quint64 fromA = a.post(login);
        const quint64 fromB = b.post(login);
        const proto::Frame answerA = a.answerTo(fromA);
        const proto::Frame answerB = b.answerTo(fromB);
        QVERIFY2(answerA.has_session(), answerA.DebugString().c_str());
        QVERIFY2(answerB.has_session(), answerB.DebugString().c_str());
    }
}

void TestAccounts::listAndRevokeDevices()
{
    TestClient laptop;
    QVERIFY(laptop
                .connectAndRegister(m_ternd->url(), QStringLiteral("ivan"), kPassword,
                                    QStringLiteral("laptop"))
                .has_session());
    TestClient phone;
    QVERIFY(phone.open(m_ternd->url()));
    QVERIFY(phone.hello(QStringLiteral("phone")).has_welcome());
    const proto::Frame phoneSession = phone.login(QStringLiteral("ivan"), kPassword);
    QVERIFY(phoneSession.has_session());

    proto::Frame list;
    list.mutable_list_sessions();
    const proto::Frame sessions = laptop.request(list);
    QVERIFY(sessions.has_session_list());
    QCOMPARE(sessions.session_list().sessions_size(), 2);
    int current = 0;
    for (const auto &s : sessions.session_list().sessions()) {
        current += s.current() ? 1 : 0;
        QCOMPARE(s.client_name(), std::string("tern-tests"));
        QCOMPARE(s.last_address(), std::string("127.0.0.1"));
        QVERIFY(s.created_at_ms() > 0);
    }
    QCOMPARE(current, 1);

    proto::Frame revoke;
    revoke.mutable_revoke_session()->set_session_id(phoneSession.session().session_id());
    QVERIFY(laptop.request(revoke).has_revoke_session_result());

    const auto pushed = phone.nextPush(proto::Frame::kSessionEnded);
    QVERIFY(pushed && pushed->has_session_ended());
    QCOMPARE(pushed->session_ended().reason(), proto::SessionEnded::REASON_REVOKED);
    QVERIFY(phone.waitClosed());
    QCOMPARE(laptop.request(list).session_list().sessions_size(), 1);
    // Revoking it again: it is no longer active.
    QCOMPARE(errorCode(laptop.request(revoke)), proto::ERROR_CODE_NOT_FOUND);

    TestClient phoneAgain;
    QVERIFY(phoneAgain.open(m_ternd->url()));
    QVERIFY(phoneAgain.hello(QStringLiteral("phone")).has_welcome());
    QCOMPARE(
        errorCode(phoneAgain.resume(QByteArray::fromStdString(phoneSession.session().token()))),
        proto::ERROR_CODE_SESSION_INVALID);
}

void TestAccounts::cannotRevokeAnotherUsersSession()
{
    TestClient victim;
    const proto::Frame victimSession =
        victim.connectAndRegister(m_ternd->url(), QStringLiteral("judy"), kPassword);
    QVERIFY(victimSession.has_session());
    TestClient mallory;
    QVERIFY(mallory.connectAndRegister(m_ternd->url(), QStringLiteral("mallory"), kPassword)
                .has_session());
    proto::Frame revoke;
    revoke.mutable_revoke_session()->set_session_id(victimSession.session().session_id());
    QCOMPARE(errorCode(mallory.request(revoke)), proto::ERROR_CODE_NOT_FOUND);
    QVERIFY(!victim.nextPush(proto::Frame::kSessionEnded, 500));
    QVERIFY(victim.isOpen());
}

void TestAccounts::changePasswordEndsOtherDevices()
{
    TestClient laptop;
    QVERIFY(laptop
                .connectAndRegister(m_ternd->url(), QStringLiteral("ken"), kPassword,
                                    QStringLiteral("laptop"))
                .has_session());
    TestClient phone;
    QVERIFY(phone.open(m_ternd->url()));
    QVERIFY(phone.hello(QStringLiteral("phone")).has_welcome());
    QVERIFY(phone.login(QStringLiteral("ken"), kPassword).has_session());

    proto::Frame change;
    change.mutable_change_password()->set_old_password("wrong old password");
    change.mutable_change_password()->set_new_password("a brand new secret");
    QCOMPARE(errorCode(laptop.request(change)), proto::ERROR_CODE_INVALID_CREDENTIALS);

    change.mutable_change_password()->set_old_password(kPassword.toStdString());
    change.mutable_change_password()->set_new_password("short");
    QCOMPARE(errorCode(laptop.request(change)), proto::ERROR_CODE_INVALID_ARGUMENT);

    change.mutable_change_password()->set_new_password("a brand new secret");
    const proto::Frame changed = laptop.request(change);
    QVERIFY2(changed.has_change_password_result(), changed.DebugString().c_str());
    QCOMPARE(changed.change_password_result().revoked_sessions(), 1u);

    const auto pushed = phone.nextPush(proto::Frame::kSessionEnded);
    QVERIFY(pushed && pushed->has_session_ended());
    QCOMPARE(pushed->session_ended().reason(), proto::SessionEnded::REASON_PASSWORD_CHANGED);
    QVERIFY(phone.waitClosed());
    QVERIFY(laptop.isOpen());

    TestClient again;
    QVERIFY(again.open(m_ternd->url()));
    QVERIFY(again.hello().has_welcome());
    QCOMPARE(errorCode(again.login(QStringLiteral("ken"), kPassword)),
             proto::ERROR_CODE_INVALID_CREDENTIALS);
    QVERIFY(again.login(QStringLiteral("ken"), QStringLiteral("a brand new secret")).has_session());

    // Attempts sent together are counted as they arrive, not as their hashes fail: past the
    // limit (security/login_failures_per_account) the rest are refused without hashing.
    change.mutable_change_password()->set_old_password("one guess of many");
    change.mutable_change_password()->set_new_password("another new secret");
    QList<quint64> sent;
    for (int i = 0; i < 30; ++i)
        sent.append(again.post(change));
    int refused = 0;
    int wrong = 0;
    for (const quint64 id : sent) {
        const proto::ErrorCode code = errorCode(again.answerTo(id));
        refused += code == proto::ERROR_CODE_RATE_LIMITED;
        wrong += code == proto::ERROR_CODE_INVALID_CREDENTIALS;
    }
    QCOMPARE(refused + wrong, 30);
    QVERIFY2(wrong <= 3, qPrintable(QStringLiteral("%1 guesses were checked").arg(wrong)));
}

QTEST_GUILESS_MAIN(TestAccounts)
#include "tst_accounts.moc"
