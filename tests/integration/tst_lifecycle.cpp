// SPDX-License-Identifier: Apache-2.0
// ternd's life around its database: configuration errors, an unreachable or restarting
// PostgreSQL, the embedded default, health, and clean SIGTERM shutdown.
#include "support/pgfixture.h"
#include "support/terndprocess.h"
#include "support/testclient.h"

#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace tern;

namespace {

QByteArray httpBody(const QUrl &url)
{
    QNetworkAccessManager manager;
    QNetworkReply *reply = manager.get(QNetworkRequest(url));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        return {};
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return body;
}

int httpStatus(const QUrl &url)
{
    QNetworkAccessManager manager;
    QNetworkReply *reply = manager.get(QNetworkRequest(url));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        return -1;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status;
}

// Processes whose command line mentions `needle` (e.g. a cluster directory).
QStringList processesMentioning(const QString &needle)
{
    QStringList found;
    const QDir proc(QStringLiteral("/proc"));
    for (const QString &pid : proc.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool numeric = false;
        pid.toInt(&numeric);
        if (!numeric)
            continue;
        QFile cmdline(proc.filePath(pid + QStringLiteral("/cmdline")));
        if (!cmdline.open(QIODevice::ReadOnly))
            continue;
        const QString line = QString::fromLocal8Bit(cmdline.readAll().replace('\0', ' '));
        if (line.contains(needle) && !line.contains(QLatin1String("tst_lifecycle")))
            found << pid + QLatin1Char(' ') + line;
    }
    return found;
}

QTemporaryDir reachableTempDir()
{
    QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/tern-data-XXXXXX"));
    // As root, the embedded PostgreSQL runs as 'postgres' and must be able to enter it.
    QFile::setPermissions(dir.path(),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup
                              | QFile::ExeOther);
    return dir;
}

proto::Frame listSessions(TestClient &client)
{
    proto::Frame list;
    list.mutable_list_sessions();
    return client.request(list);
}

} // namespace

class TestLifecycle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void badConfigurationNamesKeyAndSource();
    void checkConfigAcceptsGoodConfiguration();
    void unreachableDatabaseAtStartIsAClearError();
    void databaseRestartWhileRunning();
    void embeddedDefaultStartsAndStopsCleanly();
    void pingsKeepClientsAliveAndSilentPeersAreDropped();
};

void TestLifecycle::badConfigurationNamesKeyAndSource()
{
    TerndProcess ternd;
    ternd.environment().insert(QStringLiteral("TERN_IDLE_TIMEOUT_MS"), QStringLiteral("soon"));
    QVERIFY(!ternd.start({QStringLiteral("--workers"), QStringLiteral("many")}, 10000).isEmpty());
    QCOMPARE(ternd.waitForExit(), 2);
    const QString out = ternd.output();
    QVERIFY2(out.contains(QLatin1String("server/workers"))
                 && out.contains(QLatin1String("\"many\""))
                 && out.contains(QLatin1String("--workers")),
             qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("limits/idle_timeout_ms"))
                 && out.contains(QLatin1String("TERN_IDLE_TIMEOUT_MS")),
             qPrintable(out));
}

void TestLifecycle::checkConfigAcceptsGoodConfiguration()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("ternd.ini"));
    QFile file(ini);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[server]\nworkers=3\n[limits]\nauth_deadline_ms=2000\n");
    file.close();
    TerndProcess ternd;
    ternd.environment().remove(QStringLiteral("TERN_WORKERS")); // it would override the file
    QVERIFY(!ternd.start({QStringLiteral("--config"), ini, QStringLiteral("--check-config")}, 10000)
                 .isEmpty());
    QCOMPARE(ternd.waitForExit(), 0);
    QVERIFY2(ternd.output().contains(QLatin1String("configuration OK")),
             qPrintable(ternd.output()));
    QVERIFY2(ternd.output().contains(QLatin1String("workers    3")), qPrintable(ternd.output()));
}

void TestLifecycle::unreachableDatabaseAtStartIsAClearError()
{
    TerndProcess ternd;
    QVERIFY(!ternd
                 .start({QStringLiteral("--database"),
                         QStringLiteral("host=/nonexistent/tern dbname=tern user=tern")},
                        30000)
                 .isEmpty());
    QCOMPARE(ternd.waitForExit(), 1);
    QVERIFY2(ternd.output().contains(QLatin1String("cannot connect to the database")),
             qPrintable(ternd.output()));
}

void TestLifecycle::databaseRestartWhileRunning()
{
    PgFixture pg;
    QString error = pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    TerndProcess ternd;
    error = ternd.start({QStringLiteral("--database"), QString::fromUtf8(pg.dsn())});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QUrl ready = ternd.healthUrl().resolved(QUrl(QStringLiteral("/health/ready")));
    QCOMPARE(httpStatus(ready), 200);

    TestClient client;
    QVERIFY(client
                .connectAndRegister(ternd.url(), QStringLiteral("olivia"),
                                    QStringLiteral("survives restarts"))
                .has_session());
    QVERIFY(listSessions(client).has_session_list());
    const QByteArray metrics =
        httpBody(ternd.healthUrl().resolved(QUrl(QStringLiteral("/metrics"))));
    QVERIFY2(metrics.contains("\ntern_connections 1\n") && metrics.contains("\ntern_sessions 1\n")
                 && metrics.contains("\ntern_online_users 1\n"),
             metrics.constData());

    error = pg.stop();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Meanwhile: a retryable error, not a hang and not a crash.
    QTRY_COMPARE_WITH_TIMEOUT(errorCode(listSessions(client)), proto::ERROR_CODE_UNAVAILABLE,
                              10000);
    const proto::Frame unavailable = listSessions(client);
    QCOMPARE(errorCode(unavailable), proto::ERROR_CODE_UNAVAILABLE);
    QVERIFY(unavailable.error().retry_after_ms() > 0);
    QCOMPARE(httpStatus(ready), 503);
    QVERIFY(ternd.isRunning());
    QVERIFY(client.isOpen());

    error = pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Afterwards: the same connection works again once ternd has reconnected.
    QTRY_VERIFY_WITH_TIMEOUT(listSessions(client).has_session_list(), 20000);
    QCOMPARE(httpStatus(ready), 200);
    QCOMPARE(ternd.terminate(), 0);
}

void TestLifecycle::embeddedDefaultStartsAndStopsCleanly()
{
    QTemporaryDir data = reachableTempDir();
    QVERIFY(data.isValid());
    const QString clusterDir = data.filePath(QStringLiteral("postgres"));
    {
        TerndProcess ternd;
        const QString error = ternd.start({QStringLiteral("--data-dir"), data.path()}, 120000);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(QFile::exists(clusterDir + QStringLiteral("/PG_VERSION")));
        QVERIFY(!processesMentioning(clusterDir).isEmpty());

        TestClient client;
        QVERIFY(client
                    .connectAndRegister(ternd.url(), QStringLiteral("embedded"),
                                        QStringLiteral("no setup needed"))
                    .has_session());
        QCOMPARE(ternd.terminate(), 0);
        QVERIFY(client.waitClosed());
        QVERIFY2(ternd.output().contains(QLatin1String("embedded PostgreSQL stopped")),
                 qPrintable(ternd.output()));
    }
    // pg_ctl stop -w returns once the postmaster removed its pid file, a moment before the
    // process itself has gone.
    QTRY_VERIFY2_WITH_TIMEOUT(processesMentioning(clusterDir).isEmpty(),
                              qPrintable(processesMentioning(clusterDir).join(QLatin1Char('\n'))),
                              5000);
    QVERIFY(!QFile::exists(clusterDir + QStringLiteral("/postmaster.pid")));

    // A second start reuses the cluster and its data.
    TerndProcess again;
    const QString error = again.start({QStringLiteral("--data-dir"), data.path()}, 120000);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    TestClient client;
    QVERIFY(client.open(again.url()));
    QVERIFY(client.hello().has_welcome());
    QVERIFY(
        client.login(QStringLiteral("embedded"), QStringLiteral("no setup needed")).has_session());
    QCOMPARE(again.terminate(), 0);
    QVERIFY(processesMentioning(clusterDir).isEmpty());
}

void TestLifecycle::pingsKeepClientsAliveAndSilentPeersAreDropped()
{
    PgFixture pg;
    QString error = pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    TerndProcess ternd;
    ternd.environment().insert(QStringLiteral("TERN_IDLE_TIMEOUT_MS"), QStringLiteral("1200"));
    ternd.environment().insert(QStringLiteral("TERN_PING_INTERVAL_MS"), QStringLiteral("500"));
    ternd.environment().insert(QStringLiteral("TERN_AUTH_DEADLINE_MS"), QStringLiteral("60000"));
    error = ternd.start({QStringLiteral("--database"), QString::fromUtf8(pg.dsn())});
    QVERIFY2(error.isEmpty(), qPrintable(error));

    // QWebSocket answers the server's pings by itself: an idle but healthy client stays.
    TestClient healthy;
    QVERIFY(healthy
                .connectAndRegister(ternd.url(), QStringLiteral("quiet"),
                                    QStringLiteral("still here, just quiet"))
                .has_session());
    QVERIFY(!healthy.waitClosed(3000));

    // A peer that upgrades and then never answers anything is dropped by the idle timeout,
    // long before its authentication deadline (60 s here).
    QTcpSocket silent;
    silent.connectToHost(ternd.url().host(), quint16(ternd.url().port()));
    QVERIFY(silent.waitForConnected(5000));
    silent.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                 "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 "Sec-WebSocket-Version: 13\r\n\r\n");
    QByteArray received;
    QTRY_VERIFY_WITH_TIMEOUT((received += silent.readAll()).contains("101 Switching Protocols"),
                             5000);
    QTRY_COMPARE_WITH_TIMEOUT(silent.state(), QAbstractSocket::UnconnectedState, 15000);
    QVERIFY(healthy.isOpen());
    QCOMPARE(ternd.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestLifecycle)
#include "tst_lifecycle.moc"
