// SPDX-License-Identifier: Apache-2.0
// ternbench at small size against a real ternd and PostgreSQL, for correctness only: every
// scenario completes, and nothing is lost, duplicated or refused. (Throughput is measured by
// the bench runs, not here.)
#include "support/pgfixture.h"
#include "support/terndprocess.h"

#include "store/pgsession.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

class TestTernbenchSmoke : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void pairs_data();
    void pairs();
    void catchup();
    void idle();
    void files();
    void storm();
    void fanout_data();
    void fanout();
    void login();
    void pairsAsFriends();
    void pairsSurviveSigkill();

private:
    // Runs one scenario with --json against this test's ternd (or the one at `url`). Returns
    // its report when it exited 0; otherwise records the failure (with its output) and
    // returns an empty object.
    QJsonObject runBench(const QString &scenario, const QStringList &arguments,
                         const QUrl &url = {});
    // --server-pid and --database-pid of this test's ternd and PostgreSQL.
    QStringList pidArguments() const;

    PgFixture m_pg;
    TerndProcess m_ternd;
};

void TestTernbenchSmoke::initTestCase()
{
    const QString error = m_pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_ternd.environment().insert(QStringLiteral("TERN_MESSAGE_ALLOW_STRANGERS"),
                                 QStringLiteral("1"));
    // Hundreds of users register and log in from this one address (as with scripts/bench).
    m_ternd.environment().insert(QStringLiteral("TERN_LOGIN_ATTEMPTS_PER_ADDRESS"),
                                 QStringLiteral("1000000"));
    const QString started = m_ternd.startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
}

void TestTernbenchSmoke::cleanupTestCase()
{
    QCOMPARE(m_ternd.terminate(), 0);
}

QJsonObject TestTernbenchSmoke::runBench(const QString &scenario, const QStringList &arguments,
                                         const QUrl &url)
{
    QProcess bench;
    bench.start(QStringLiteral(TERNBENCH_PATH),
                QStringList {QStringLiteral("--url"),
                             (url.isEmpty() ? m_ternd.url() : url).toString(),
                             QStringLiteral("--scenario"), scenario, QStringLiteral("--json")}
                    + arguments);
    // Spins the event loop meanwhile, so that ternd's (debug) output keeps being read: a full
    // pipe would block ternd.
    const bool finished =
        QTest::qWaitFor([&] { return bench.state() == QProcess::NotRunning; }, 120000);
    const QByteArray output = bench.readAllStandardOutput();
    const QByteArray printed = output + bench.readAllStandardError();
    const bool clean =
        finished && bench.exitStatus() == QProcess::NormalExit && bench.exitCode() == 0;
    [&] { QVERIFY2(clean, printed.constData()); }();
    if (!clean)
        return {};
    const QJsonObject report = QJsonDocument::fromJson(output.trimmed()).object();
    [&] { QCOMPARE(report.value(QStringLiteral("scenario")).toString(), scenario); }();
    return report;
}

QStringList TestTernbenchSmoke::pidArguments() const
{
    QFile pidFile(m_pg.dir() + QStringLiteral("/cluster/postmaster.pid"));
    const QByteArray postmaster =
        pidFile.open(QIODevice::ReadOnly) ? pidFile.readLine().trimmed() : QByteArray("0");
    return {QStringLiteral("--server-pid"), QString::number(m_ternd.pid()),
            QStringLiteral("--database-pid"), QString::fromLatin1(postmaster)};
}

namespace {

// The CPU budget per message or delivery (CpuBudget), measured by the one process or by the
// parent of --processes: ternd's, PostgreSQL's and the generator's, and how busy the machine
// was. Under a closed loop ternd and PostgreSQL worked.
void verifyCpuBudget(const QJsonObject &report, const QString &unit, bool closedLoop)
{
    const QString server = QStringLiteral("server_cpu_us_per_") + unit;
    const QString database = QStringLiteral("database_cpu_us_per_") + unit;
    QVERIFY2(report.contains(server) && report.contains(database), qPrintable(unit));
    QVERIFY(report.value(server).toDouble() >= 0);
    QVERIFY(report.value(database).toDouble() >= 0);
    QVERIFY(report.value(QStringLiteral("generator_cpu_us_per_") + unit).toDouble() > 0);
    const double busy = report.value(QStringLiteral("machine_busy")).toDouble();
    QVERIFY2(busy > 0 && busy <= 1, qPrintable(QString::number(busy)));
    if (closedLoop) {
        QVERIFY2(report.value(server).toDouble() > 0, qPrintable(server));
        QVERIFY2(report.value(database).toDouble() > 0, qPrintable(database));
    }
}

} // namespace

void TestTernbenchSmoke::pairs_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("closed loop") << QStringList {QStringLiteral("--window"), QStringLiteral("4")};
    QTest::newRow("open loop") << QStringList {QStringLiteral("--rate"), QStringLiteral("300")};
    QTest::newRow("open loop, 5 ms ticks")
        << QStringList {QStringLiteral("--rate"), QStringLiteral("300"),
                        QStringLiteral("--tick-ms"), QStringLiteral("5")};
    QTest::newRow("Chinese text") << QStringList {
        QStringLiteral("--window"), QStringLiteral("4"),      QStringLiteral("--text"),
        QStringLiteral("hanzi"),    QStringLiteral("--size"), QStringLiteral("300")};
    QTest::newRow("two processes, English words") << QStringList {
        QStringLiteral("--window"), QStringLiteral("4"),      QStringLiteral("--processes"),
        QStringLiteral("2"),        QStringLiteral("--text"), QStringLiteral("words")};
}

void TestTernbenchSmoke::pairs()
{
    QFETCH(QStringList, arguments);
    // The open loop also writes its latency log: one "<sent_ms> <ack_ms>" line per ack.
    QTemporaryDir dir;
    const QString latencyLog = dir.filePath(QStringLiteral("latency.log"));
    if (arguments.contains(QStringLiteral("--rate")))
        arguments << QStringLiteral("--latency-log") << latencyLog;
    const QJsonObject report =
        runBench(QStringLiteral("pairs"),
                 QStringList {QStringLiteral("--users"), QStringLiteral("20"),
                              QStringLiteral("--duration"), QStringLiteral("2")}
                     + pidArguments() + arguments);
    QVERIFY(!report.isEmpty());
    const qint64 sent = report.value(QStringLiteral("sent")).toInteger();
    QVERIFY(sent > 0);
    QCOMPARE(report.value(QStringLiteral("acked")).toInteger(), sent);
    QCOMPARE(report.value(QStringLiteral("delivered")).toInteger(), sent);
    QCOMPARE(report.value(QStringLiteral("lost")).toInteger(), 0);
    QCOMPARE(report.value(QStringLiteral("duplicated")).toInteger(), 0);
    QCOMPARE(report.value(QStringLiteral("errors")).toInteger(), 0);
    // What padded the texts: the letter x unless asked (children of --processes too).
    const qsizetype text = arguments.indexOf(QStringLiteral("--text"));
    QCOMPARE(report.value(QStringLiteral("text")).toString(),
             text >= 0 ? arguments.at(text + 1) : QStringLiteral("x"));
    // The open loop's pacer tick: 1 ms unless asked.
    QCOMPARE(report.value(QStringLiteral("tick_ms")).toInt(),
             arguments.contains(QStringLiteral("--tick-ms")) ? 5 : 1);
    if (arguments.contains(QStringLiteral("--latency-log"))) {
        QFile file(latencyLog);
        QVERIFY(file.open(QIODevice::ReadOnly));
        qint64 lines = 0;
        for (const QByteArray &line : file.readAll().split('\n')) {
            if (line.isEmpty())
                continue;
            const QList<QByteArray> parts = line.split(' ');
            QCOMPARE(parts.size(), 2);
            bool sentOk = false, ackOk = false;
            const double sentMs = parts[0].toDouble(&sentOk);
            const double ackMs = parts[1].toDouble(&ackOk);
            QVERIFY(sentOk && ackOk);
            QVERIFY2(sentMs >= 0 && sentMs <= 2100 && ackMs > 0, line.constData());
            ++lines;
        }
        QCOMPARE(lines, sent);
    }
    verifyCpuBudget(report, QStringLiteral("msg"), !arguments.contains(QStringLiteral("--rate")));
    if (arguments.contains(QStringLiteral("--processes"))) {
        // Two children of 10 users each, their figures added up.
        QCOMPARE(report.value(QStringLiteral("processes")).toInt(), 2);
        QCOMPARE(report.value(QStringLiteral("users")).toInteger(), 20);
    }
}

void TestTernbenchSmoke::catchup()
{
    const QJsonObject report = runBench(QStringLiteral("catchup"),
                                        {QStringLiteral("--messages"), QStringLiteral("2000"),
                                         QStringLiteral("--conversations"), QStringLiteral("10")});
    QVERIFY(!report.isEmpty());
    QCOMPARE(report.value(QStringLiteral("messages")).toInteger(), 2000);
    QCOMPARE(report.value(QStringLiteral("received")).toInteger(), 2000);
    // One sync page plus, per conversation, 200 missed messages in pages of 200 (the last
    // page says has_more false): proportional to what was missed.
    QVERIFY(report.value(QStringLiteral("requests")).toInteger() <= 1 + 10 * 2);
}

void TestTernbenchSmoke::idle()
{
    const QJsonObject report = runBench(
        QStringLiteral("idle"),
        {QStringLiteral("--users"), QStringLiteral("50"), QStringLiteral("--duration"),
         QStringLiteral("2"), QStringLiteral("--server-pid"), QString::number(m_ternd.pid())});
    QVERIFY(!report.isEmpty());
    QCOMPARE(report.value(QStringLiteral("open")).toInteger(), 50);
    QVERIFY(report.value(QStringLiteral("rss_after_kib")).toInteger() > 0);
    const double cpu = report.value(QStringLiteral("server_cpu_idle")).toDouble();
    QVERIFY2(cpu >= 0 && cpu < 1.0, qPrintable(QString::number(cpu)));
}

void TestTernbenchSmoke::files()
{
    const QJsonObject report =
        runBench(QStringLiteral("files"),
                 {QStringLiteral("--file-mib"), QStringLiteral("8"), QStringLiteral("--server-pid"),
                  QString::number(m_ternd.pid())});
    QVERIFY(!report.isEmpty());
    QCOMPARE(report.value(QStringLiteral("intact")).toBool(), true);
    QVERIFY(report.value(QStringLiteral("upload_mib_s")).toDouble() > 0);
    QVERIFY(report.value(QStringLiteral("download_mib_s")).toDouble() > 0);
    QVERIFY(report.value(QStringLiteral("rss_peak_kib")).toInteger()
            >= report.value(QStringLiteral("rss_before_kib")).toInteger());
}

void TestTernbenchSmoke::storm()
{
    const QJsonObject report =
        runBench(QStringLiteral("storm"), {QStringLiteral("--users"), QStringLiteral("50")});
    QVERIFY(!report.isEmpty());
    QCOMPARE(report.value(QStringLiteral("back")).toInteger(), 50);
}

void TestTernbenchSmoke::fanout_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("closed loop") << QStringList {QStringLiteral("--window"), QStringLiteral("2")};
    QTest::newRow("open loop") << QStringList {QStringLiteral("--rate"), QStringLiteral("20")};
    QTest::newRow("two processes")
        << QStringList {QStringLiteral("--window"), QStringLiteral("2"),
                        QStringLiteral("--processes"), QStringLiteral("2")};
}

void TestTernbenchSmoke::fanout()
{
    QFETCH(QStringList, arguments);
    // 120 members: more than one CreateGroup can add, so the invitations path runs too.
    const QJsonObject report =
        runBench(QStringLiteral("fanout"),
                 QStringList {QStringLiteral("--groups"), QStringLiteral("2"),
                              QStringLiteral("--group-size"), QStringLiteral("120"),
                              QStringLiteral("--duration"), QStringLiteral("2")}
                     + pidArguments() + arguments);
    QVERIFY(!report.isEmpty());
    const qint64 sent = report.value(QStringLiteral("sent")).toInteger();
    QVERIFY(sent > 0);
    QCOMPARE(report.value(QStringLiteral("acked")).toInteger(), sent);
    verifyCpuBudget(report, QStringLiteral("delivery"),
                    !arguments.contains(QStringLiteral("--rate")));
    // Everyone but the sender got every message, once.
    QCOMPARE(report.value(QStringLiteral("deliveries")).toInteger(), sent * 119);
    QCOMPARE(report.value(QStringLiteral("lost")).toInteger(), 0);
    QCOMPARE(report.value(QStringLiteral("duplicated")).toInteger(), 0);
    QCOMPARE(report.value(QStringLiteral("errors")).toInteger(), 0);
    if (arguments.contains(QStringLiteral("--processes"))) {
        // One group per child, their figures added up.
        QCOMPARE(report.value(QStringLiteral("processes")).toInt(), 2);
        QCOMPARE(report.value(QStringLiteral("groups")).toInteger(), 2);
    }
}

void TestTernbenchSmoke::login()
{
    const QJsonObject report =
        runBench(QStringLiteral("login"),
                 {QStringLiteral("--users"), QStringLiteral("20"), QStringLiteral("--rate"),
                  QStringLiteral("100"), QStringLiteral("--duration"), QStringLiteral("1")});
    QVERIFY(!report.isEmpty());
    QVERIFY(report.value(QStringLiteral("logins_per_s")).toInteger() > 0);
    QVERIFY(report.value(QStringLiteral("resumes_per_s")).toInteger() > 0);
    QCOMPARE(report.value(QStringLiteral("burst_logins")).toInteger(), 20);
    const qint64 sent = report.value(QStringLiteral("sent")).toInteger();
    QVERIFY(sent > 0);
    QCOMPARE(report.value(QStringLiteral("delivered")).toInteger(), sent);
    QCOMPARE(report.value(QStringLiteral("lost")).toInteger(), 0);
}

// pairs --friends against a server that keeps its production rule (1:1 messages between
// friends only): the pairs become friends over the protocol and every send is accepted; the
// same run without --friends is refused, so the rule was in force.
void TestTernbenchSmoke::pairsAsFriends()
{
    PgFixture pg;
    QString error = pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    TerndProcess ternd;
    ternd.environment().insert(QStringLiteral("TERN_LOGIN_ATTEMPTS_PER_ADDRESS"),
                               QStringLiteral("1000000"));
    error = ternd.startOn(pg);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QStringList load {QStringLiteral("--users"),    QStringLiteral("20"),
                            QStringLiteral("--window"),   QStringLiteral("4"),
                            QStringLiteral("--duration"), QStringLiteral("2")};

    // One process, then two (each child makes its own pairs friends).
    const QList<QStringList> runs {
        {QStringLiteral("--friends")},
        {QStringLiteral("--friends"), QStringLiteral("--processes"), QStringLiteral("2")}};
    for (const QStringList &run : runs) {
        const QJsonObject report = runBench(QStringLiteral("pairs"), load + run, ternd.url());
        QVERIFY(!report.isEmpty());
        QVERIFY(report.value(QStringLiteral("friends")).toBool());
        const qint64 sent = report.value(QStringLiteral("sent")).toInteger();
        QVERIFY(sent > 0);
        QCOMPARE(report.value(QStringLiteral("delivered")).toInteger(), sent);
        QCOMPARE(report.value(QStringLiteral("errors")).toInteger(), 0);
    }
    tern::server::PgSession db;
    QCOMPARE(db.connect(pg.dsn()), QString());
    const tern::server::PgOutcome friendships =
        db.exec({"SELECT count(*) FROM contacts WHERE is_friend", {}});
    QVERIFY2(friendships.ok(), qPrintable(friendships.error.message));
    QCOMPARE(friendships.results.front().int64(0, 0), qint64(40)); // both sides of 2 x 10 pairs

    QProcess strangers;
    strangers.start(QStringLiteral(TERNBENCH_PATH),
                    QStringList {QStringLiteral("--url"), ternd.url().toString(),
                                 QStringLiteral("--scenario"), QStringLiteral("pairs"),
                                 QStringLiteral("--json")}
                        + load);
    QVERIFY(QTest::qWaitFor([&] { return strangers.state() == QProcess::NotRunning; }, 60000));
    QCOMPARE(strangers.exitStatus(), QProcess::NormalExit);
    QVERIFY(strangers.exitCode() != 0);
    const QByteArray refusal = strangers.readAllStandardError();
    QVERIFY2(refusal.contains("ERROR_CODE_PERMISSION_DENIED")
                 && refusal.contains("only message your friends"),
             refusal.constData());
    QCOMPARE(ternd.terminate(), 0);
}

// Invariant 1 under load: ternd is killed (SIGKILL) in the middle of a closed-loop pairs run;
// every message it acknowledged is in the database exactly once.
void TestTernbenchSmoke::pairsSurviveSigkill()
{
    PgFixture pg;
    QString error = pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    TerndProcess ternd;
    ternd.environment().insert(QStringLiteral("TERN_MESSAGE_ALLOW_STRANGERS"), QStringLiteral("1"));
    error = ternd.startOn(pg);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("acked.log"));

    QProcess bench;
    bench.start(QStringLiteral(TERNBENCH_PATH),
                {QStringLiteral("--url"), ternd.url().toString(), QStringLiteral("--scenario"),
                 QStringLiteral("pairs"), QStringLiteral("--users"), QStringLiteral("40"),
                 QStringLiteral("--window"), QStringLiteral("4"), QStringLiteral("--duration"),
                 QStringLiteral("60"), QStringLiteral("--acked-log"), log,
                 QStringLiteral("--json")});
    QVERIFY(bench.waitForStarted());
    // Until the load has run a while: a good number of acks written.
    QVERIFY(QTest::qWaitFor([&] { return QFileInfo(log).size() > 64 * 1024; }, 60000));
    QCOMPARE(::kill(pid_t(ternd.pid()), SIGKILL), 0);
    // ternbench ends early once every connection is gone (exit status 1: not drained).
    QVERIFY(QTest::qWaitFor([&] { return bench.state() == QProcess::NotRunning; }, 60000));

    QFile file(log);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<qint64> conversations, seqs;
    QStringList clientIds;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QList<QByteArray> parts = line.split(' ');
        if (parts.size() != 3)
            continue;
        conversations.append(parts[0].toLongLong());
        seqs.append(parts[1].toLongLong());
        clientIds.append(QString::fromLatin1(parts[2]));
    }
    qInfo("%lld messages were acknowledged before the kill", qlonglong(clientIds.size()));
    QVERIFY(clientIds.size() >= 100);

    tern::server::PgSession db;
    QCOMPARE(db.connect(pg.dsn()), QString());
    // Each where its ack said, with its client id...
    const tern::server::PgOutcome stored = db.exec(
        {"SELECT count(*) FROM unnest($1::bigint[], $2::bigint[], $3::uuid[]) a (c, s, u)"
         "  JOIN messages m ON m.conversation_id = a.c AND m.seq = a.s AND m.client_msg_id = a.u",
         {tern::server::pgIds(conversations), tern::server::pgIds(seqs),
          tern::server::pgTextArray(clientIds)}});
    QVERIFY2(stored.ok(), qPrintable(stored.error.message));
    QCOMPARE(stored.results.front().int64(0, 0), qint64(clientIds.size()));
    // ... and only once.
    const tern::server::PgOutcome copies =
        db.exec({"SELECT count(*) FROM messages WHERE client_msg_id = ANY ($1::uuid[])",
                 {tern::server::pgTextArray(clientIds)}});
    QVERIFY2(copies.ok(), qPrintable(copies.error.message));
    QCOMPARE(copies.results.front().int64(0, 0), qint64(clientIds.size()));
}

QTEST_GUILESS_MAIN(TestTernbenchSmoke)
#include "tst_ternbench_smoke.moc"
