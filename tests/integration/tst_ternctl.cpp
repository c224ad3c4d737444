// SPDX-License-Identifier: Apache-2.0
// ternctl against the database of a running ternd: create-user, reset-password, ban (cuts
// live connections), unban, sessions.
#include "support/pgfixture.h"
#include "support/terndprocess.h"
#include "support/testclient.h"

#include <QProcess>
#include <QTest>

#include <memory>

using namespace tern;

class TestTernctl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void createUserThenLogin();
    void createUserGeneratesPassword();
    void createUserRefusesBadInput();
    void banCutsLiveConnectionsAndRefusesLogin();
    void resetPasswordEndsSessions();
    void sessionsListsDevices();
    void befriendMakesFriendsBothWays();
    void unknownUserAndUnreachableDatabase();

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Run ternctl(const QStringList &args, const QByteArray &stdinData = {},
                const QByteArray &dsn = {});
    proto::Frame login(TestClient &client, const QString &user, const QString &password);

    PgFixture m_pg;
    std::unique_ptr<TerndProcess> m_ternd;
};

void TestTernctl::initTestCase()
{
    const QString error = m_pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_ternd = std::make_unique<TerndProcess>();
    const QString started = m_ternd->startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
}

void TestTernctl::cleanupTestCase()
{
    QCOMPARE(m_ternd->terminate(), 0);
}

TestTernctl::Run TestTernctl::ternctl(const QStringList &args, const QByteArray &stdinData,
                                      const QByteArray &dsn)
{
    QProcess process;
    process.start(QStringLiteral(TERNCTL_PATH),
                  args
                      + QStringList {QStringLiteral("--database"),
                                     QString::fromUtf8(dsn.isEmpty() ? m_pg.dsn() : dsn)});
    process.write(stdinData);
    process.closeWriteChannel();
    Run run;
    if (!process.waitForFinished(60000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

proto::Frame TestTernctl::login(TestClient &client, const QString &user, const QString &password)
{
    if (!client.isOpen() && !client.open(m_ternd->url()))
        return {};
    if (!client.hello().has_welcome())
        return {};
    return client.login(user, password);
}

void TestTernctl::createUserThenLogin()
{
    const Run run = ternctl({QStringLiteral("create-user"), QStringLiteral("zoe"),
                             QStringLiteral("--display-name"), QStringLiteral("Zoë 佐伊"),
                             QStringLiteral("--password-stdin")},
                            "zoe's password\n");
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.out.contains(QLatin1String("created user zoe")));
    TestClient client;
    const proto::Frame session =
        login(client, QStringLiteral("zoe"), QStringLiteral("zoe's password"));
    QVERIFY2(session.has_session(), session.DebugString().c_str());
    QCOMPARE(QString::fromStdString(session.session().display_name()), QStringLiteral("Zoë 佐伊"));

    const Run again = ternctl(
        {QStringLiteral("create-user"), QStringLiteral("ZOE"), QStringLiteral("--password-stdin")},
        "another password\n");
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains(QLatin1String("taken")), qPrintable(again.err));
}

void TestTernctl::createUserGeneratesPassword()
{
    const Run run = ternctl({QStringLiteral("create-user"), QStringLiteral("yuri")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const qsizetype at = run.out.indexOf(QLatin1String("password: "));
    QVERIFY(at >= 0);
    const QString password = run.out.mid(at + 10).trimmed();
    QCOMPARE(password.size(), 24);
    TestClient client;
    QVERIFY(login(client, QStringLiteral("yuri"), password).has_session());
}

void TestTernctl::createUserRefusesBadInput()
{
    Run run = ternctl({QStringLiteral("create-user"), QStringLiteral("9lives"),
                       QStringLiteral("--password-stdin")},
                      "long enough\n");
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QLatin1String("start with a letter")), qPrintable(run.err));
    run = ternctl({QStringLiteral("create-user"), QStringLiteral("shortpw"),
                   QStringLiteral("--password-stdin")},
                  "short\n");
    QCOMPARE(run.exitCode, 2);
    run = ternctl({QStringLiteral("frobnicate"), QStringLiteral("zoe")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.err.contains(QLatin1String("unknown command")));
}

void TestTernctl::banCutsLiveConnectionsAndRefusesLogin()
{
    QCOMPARE(ternctl({QStringLiteral("create-user"), QStringLiteral("xavier"),
                      QStringLiteral("--password-stdin")},
                     "xavier's password\n")
                 .exitCode,
             0);
    TestClient live;
    const proto::Frame session =
        login(live, QStringLiteral("xavier"), QStringLiteral("xavier's password"));
    QVERIFY(session.has_session());

    const Run ban = ternctl({QStringLiteral("ban"), QStringLiteral("xavier"),
                             QStringLiteral("--reason"), QStringLiteral("spam")});
    QVERIFY2(ban.exitCode == 0, qPrintable(ban.err));
    QVERIFY2(ban.out.contains(QLatin1String("1 session(s) ended")), qPrintable(ban.out));

    const auto pushed = live.nextPush(proto::Frame::kSessionEnded);
    QVERIFY(pushed && pushed->has_session_ended());
    QCOMPARE(pushed->session_ended().reason(), proto::SessionEnded::REASON_BANNED);
    QVERIFY(live.waitClosed());

    TestClient retry;
    QCOMPARE(errorCode(login(retry, QStringLiteral("xavier"), QStringLiteral("xavier's password"))),
             proto::ERROR_CODE_ACCOUNT_BANNED);
    QCOMPARE(errorCode(retry.resume(QByteArray::fromStdString(session.session().token()))),
             proto::ERROR_CODE_SESSION_INVALID);

    const Run unban = ternctl({QStringLiteral("unban"), QStringLiteral("xavier")});
    QCOMPARE(unban.exitCode, 0);
    QVERIFY(unban.out.contains(QLatin1String("unbanned")));
    TestClient after;
    QVERIFY(
        login(after, QStringLiteral("xavier"), QStringLiteral("xavier's password")).has_session());
}

void TestTernctl::resetPasswordEndsSessions()
{
    QCOMPARE(ternctl({QStringLiteral("create-user"), QStringLiteral("wendy"),
                      QStringLiteral("--password-stdin")},
                     "old password!\n")
                 .exitCode,
             0);
    TestClient live;
    QVERIFY(login(live, QStringLiteral("wendy"), QStringLiteral("old password!")).has_session());
    const Run reset = ternctl({QStringLiteral("reset-password"), QStringLiteral("wendy"),
                               QStringLiteral("--password-stdin")},
                              "new password!\n");
    QVERIFY2(reset.exitCode == 0, qPrintable(reset.err));
    const auto pushed = live.nextPush(proto::Frame::kSessionEnded);
    QVERIFY(pushed && pushed->has_session_ended());
    QCOMPARE(pushed->session_ended().reason(), proto::SessionEnded::REASON_PASSWORD_CHANGED);
    TestClient retry;
    QCOMPARE(errorCode(login(retry, QStringLiteral("wendy"), QStringLiteral("old password!"))),
             proto::ERROR_CODE_INVALID_CREDENTIALS);
    QVERIFY(retry.login(QStringLiteral("wendy"), QStringLiteral("new password!")).has_session());
}

void TestTernctl::sessionsListsDevices()
{
    QCOMPARE(ternctl({QStringLiteral("create-user"), QStringLiteral("victor"),
                      QStringLiteral("--password-stdin")},
                     "victor password\n")
                 .exitCode,
             0);
    TestClient one;
    QVERIFY(login(one, QStringLiteral("victor"), QStringLiteral("victor password")).has_session());
    const Run run = ternctl({QStringLiteral("sessions"), QStringLiteral("victor")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QLatin1String("1 active session(s)"))
                 && run.out.contains(QLatin1String("test device"))
                 && run.out.contains(QLatin1String("127.0.0.1")),
             qPrintable(run.out));
}

void TestTernctl::befriendMakesFriendsBothWays()
{
    for (const char *name : {"yan", "xiu"}) {
        const Run made = ternctl({QStringLiteral("create-user"), QString::fromLatin1(name),
                                  QStringLiteral("--password-stdin")},
                                 "friendly password\n");
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    }
    const Run run =
        ternctl({QStringLiteral("befriend"), QStringLiteral("yan"), QStringLiteral("XIU")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.out.contains(QLatin1String("yan and XIU are friends")));

    // Both see the other as a friend, and may open a direct conversation.
    TestClient yan;
    QVERIFY(login(yan, QStringLiteral("yan"), QStringLiteral("friendly password")).has_session());
    proto::Frame list;
    list.mutable_list_contacts();
    const proto::Frame contacts = yan.request(list);
    QCOMPARE(contacts.contact_list().contacts_size(), 1);
    QVERIFY(contacts.contact_list().contacts(0).is_friend());
    proto::Frame open;
    open.mutable_open_conversation()->set_peer_user_id(
        contacts.contact_list().contacts(0).user_id());
    QVERIFY2(yan.request(open).has_conversation_state(), "friends may open a chat");
    TestClient xiu;
    QVERIFY(login(xiu, QStringLiteral("xiu"), QStringLiteral("friendly password")).has_session());
    QCOMPARE(xiu.request(list).contact_list().contacts(0).is_friend(), true);

    // Bad input: one name, self, unknown.
    QCOMPARE(ternctl({QStringLiteral("befriend"), QStringLiteral("yan")}).exitCode, 2);
    QCOMPARE(ternctl({QStringLiteral("befriend"), QStringLiteral("yan"), QStringLiteral("yan")})
                 .exitCode,
             2);
    const Run unknown =
        ternctl({QStringLiteral("befriend"), QStringLiteral("yan"), QStringLiteral("nobody")});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY(unknown.err.contains(QLatin1String("no user named 'nobody'")));
}

void TestTernctl::unknownUserAndUnreachableDatabase()
{
    Run run = ternctl({QStringLiteral("ban"), QStringLiteral("nobody")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.err.contains(QLatin1String("no user named 'nobody'")));
    run = ternctl({QStringLiteral("sessions"), QStringLiteral("zoe")}, {},
                  QByteArrayLiteral("host=/nonexistent/tern dbname=tern user=tern"));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QLatin1String("cannot connect to the database")),
             qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestTernctl)
#include "tst_ternctl.moc"
