// SPDX-License-Identifier: Apache-2.0
// ternbench at small size against a real ternd and PostgreSQL, for correctness only: every
// scenario completes, and nothing is lost, duplicated or refused. (Throughput is measured by
// the bench runs, not here.)
#include "support/pgfixture.h"
#include "support/terndprocess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

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
    void storm();

private:
    // Runs one scenario with --json against this test's ternd. Returns its report when it
    // exited 0; otherwise records the failure (with its output) and returns an empty object.
    QJsonObject runBench(const QString &scenario, const QStringList &arguments);

    PgFixture m_pg;
    TerndProcess m_ternd;
};

void TestTernbenchSmoke::initTestCase()
{
    const QString error = m_pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_ternd.environment().insert(QStringLiteral("TERN_MESSAGE_ALLOW_STRANGERS"),
                                 QStringLiteral("1"));
    const QString started = m_ternd.startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
}

void TestTernbenchSmoke::cleanupTestCase()
{
    QCOMPARE(m_ternd.terminate(), 0);
}

QJsonObject TestTernbenchSmoke::runBench(const QString &scenario, const QStringList &arguments)
{
    QProcess bench;
    bench.start(QStringLiteral(TERNBENCH_PATH),
                QStringList {QStringLiteral("--url"), m_ternd.url().toString(),
                             QStringLiteral("--scenario"), scenario, QStringLiteral("--json")}
                    + arguments);
    const bool finished = bench.waitForFinished(120000);
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

void TestTernbenchSmoke::pairs_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("closed loop") << QStringList {QStringLiteral("--window"), QStringLiteral("4")};
    QTest::newRow("open loop") << QStringList {QStringLiteral("--rate"), QStringLiteral("300")};
}

void TestTernbenchSmoke::pairs()
{
    QFETCH(QStringList, arguments);
    const QJsonObject report =
        runBench(QStringLiteral("pairs"),
                 QStringList {QStringLiteral("--users"), QStringLiteral("20"),
                              QStringLiteral("--duration"), QStringLiteral("2")}
                     + arguments);
    QVERIFY(!report.isEmpty());
    const qint64 sent = report.value(QStringLiteral("sent")).toInteger();
    QVERIFY(sent > 0);
    QCOMPARE(report.value(QStringLiteral("acked")).toInteger(), sent);
    QCOMPARE(report.value(QStringLiteral("delivered")).toInteger(), sent);
    QCOMPARE(report.value(QStringLiteral("lost")).toInteger(), 0);
    QCOMPARE(report.value(QStringLiteral("duplicated")).toInteger(), 0);
    QCOMPARE(report.value(QStringLiteral("errors")).toInteger(), 0);
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

void TestTernbenchSmoke::storm()
{
    const QJsonObject report =
        runBench(QStringLiteral("storm"), {QStringLiteral("--users"), QStringLiteral("50")});
    QVERIFY(!report.isEmpty());
    QCOMPARE(report.value(QStringLiteral("back")).toInteger(), 50);
}

QTEST_GUILESS_MAIN(TestTernbenchSmoke)
#include "tst_ternbench_smoke.moc"
