// SPDX-License-Identifier: Apache-2.0
#include "core/config.h"
#include "tern/limits.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace tern;
using namespace tern::server;

using Flags = QHash<QString, QString>;

namespace {

QProcessEnvironment environment(const QStringList &assignments)
{
    QProcessEnvironment env; // empty: nothing from the real environment leaks in
    for (const QString &assignment : assignments) {
        const qsizetype eq = assignment.indexOf(QLatin1Char('='));
        env.insert(assignment.left(eq), assignment.mid(eq + 1));
    }
    return env;
}

Flags flags(const QStringList &assignments)
{
    Flags result;
    for (const QString &assignment : assignments) {
        const qsizetype eq = assignment.indexOf(QLatin1Char('='));
        result.insert(assignment.left(eq), assignment.mid(eq + 1));
    }
    return result;
}

} // namespace

class tst_Config : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void defaults();
    void precedence_data();
    void precedence();
    void healthCanBeTurnedOff_data();
    void healthCanBeTurnedOff();
    void endpoints_data();
    void endpoints();
    void fileValues();
    void writersFollowWorkers_data();
    void writersFollowWorkers();

    void badValues_data();
    void badValues();
    void unknownIniKey();
    void unreadableFile();
    void pingMustBeShorterThanIdle_data();
    void pingMustBeShorterThanIdle();

private:
    // Writes `contents` as the INI file and returns its path.
    QString writeIni(const QByteArray &contents);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_Config::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString tst_Config::writeIni(const QByteArray &contents)
{
    const QString path = m_dir->filePath(QStringLiteral("ternd.ini"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(contents);
    return path;
}

void tst_Config::defaults()
{
    const ConfigResult result = loadConfig({}, QProcessEnvironment(), QString());
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    const ServerConfig &c = result.config;

    QCOMPARE(c.listen.address, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(c.listen.port, quint16(8765));
    QCOMPARE(c.listen.toString(), QStringLiteral("127.0.0.1:8765"));
    QVERIFY(c.health.has_value());
    QCOMPARE(c.health->toString(), QStringLiteral("127.0.0.1:8766"));
    // A core is left to the embedded PostgreSQL; with a database elsewhere, one per core.
    QCOMPARE(c.workers, std::max(1, QThread::idealThreadCount() - 1));
    QProcessEnvironment external;
    external.insert(QStringLiteral("TERN_DATABASE"), QStringLiteral("host=db dbname=tern"));
    QCOMPARE(loadConfig({}, external, QString()).config.workers,
             std::max(1, QThread::idealThreadCount()));
    QVERIFY(c.databaseDsn.isEmpty()); // embedded PostgreSQL
    QCOMPARE(c.dataDir, defaultDataDir());
    QCOMPARE(c.embeddedUser, QStringLiteral("postgres"));
    QCOMPARE(c.maxFrameBytes, limits::kMaxFrameBytes);
    QVERIFY(c.pingIntervalMs < c.idleTimeoutMs);
}

void tst_Config::precedence_data()
{
    // Empty = that source does not set server/workers.
    QTest::addColumn<QString>("fileValue");
    QTest::addColumn<QString>("envValue");
    QTest::addColumn<QString>("flagValue");
    QTest::addColumn<int>("workers");

    const QString unset;
    QTest::newRow("file") << QStringLiteral("3") << unset << unset << 3;
    QTest::newRow("env") << unset << QStringLiteral("5") << unset << 5;
    QTest::newRow("flag") << unset << unset << QStringLiteral("7") << 7;
    QTest::newRow("env beats file") << QStringLiteral("3") << QStringLiteral("5") << unset << 5;
    QTest::newRow("flag beats file") << QStringLiteral("3") << unset << QStringLiteral("7") << 7;
    QTest::newRow("flag beats env") << unset << QStringLiteral("5") << QStringLiteral("7") << 7;
    QTest::newRow("flag beats all")
        << QStringLiteral("3") << QStringLiteral("5") << QStringLiteral("7") << 7;
}

void tst_Config::precedence()
{
    QFETCH(QString, fileValue);
    QFETCH(QString, envValue);
    QFETCH(QString, flagValue);
    QFETCH(int, workers);

    QByteArray ini = QByteArrayLiteral("[server]\nlisten=127.0.0.1:9100\n");
    if (!fileValue.isEmpty())
        ini += "workers=" + fileValue.toUtf8() + "\n";
    QProcessEnvironment env;
    if (!envValue.isEmpty())
        env.insert(QStringLiteral("TERN_WORKERS"), envValue);
    Flags flagValues;
    if (!flagValue.isEmpty())
        flagValues.insert(QStringLiteral("workers"), flagValue);

    const ConfigResult result = loadConfig(flagValues, env, writeIni(ini));
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(result.config.workers, workers);
    // A setting only the file makes is still taken from it.
    QCOMPARE(result.config.listen.port, quint16(9100));
}

void tst_Config::healthCanBeTurnedOff_data()
{
    QTest::addColumn<QStringList>("flagValues");
    QTest::addColumn<QStringList>("envValues");
    QTest::addColumn<bool>("enabled");

    QTest::newRow("flag") << QStringList {QStringLiteral("health-listen=off")} << QStringList()
                          << false;
    QTest::newRow("env") << QStringList() << QStringList {QStringLiteral("TERN_HEALTH_LISTEN=off")}
                         << false;
    QTest::newRow("with spaces") << QStringList {QStringLiteral("health-listen= off ")}
                                 << QStringList() << false;
    QTest::newRow("flag turns it back on")
        << QStringList {QStringLiteral("health-listen=127.0.0.1:9200")}
        << QStringList {QStringLiteral("TERN_HEALTH_LISTEN=off")} << true;
}

void tst_Config::healthCanBeTurnedOff()
{
    QFETCH(QStringList, flagValues);
    QFETCH(QStringList, envValues);
    QFETCH(bool, enabled);

    const ConfigResult result = loadConfig(flags(flagValues), environment(envValues), QString());
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(result.config.health.has_value(), enabled);
    if (enabled)
        QCOMPARE(result.config.health->port, quint16(9200));
    QCOMPARE(result.config.listen.port, quint16(8765)); // untouched
}

void tst_Config::endpoints_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QHostAddress>("address");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("canonical");

    QTest::newRow("IPv4") << QStringLiteral("10.1.2.3:443")
                          << QHostAddress(QStringLiteral("10.1.2.3")) << 443
                          << QStringLiteral("10.1.2.3:443");
    QTest::newRow("IPv6 loopback")
        << QStringLiteral("[::1]:9000") << QHostAddress(QHostAddress::LocalHostIPv6) << 9000
        << QStringLiteral("[::1]:9000");
    QTest::newRow("IPv6 any") << QStringLiteral("[::]:8765") << QHostAddress(QHostAddress::AnyIPv6)
                              << 8765 << QStringLiteral("[::]:8765");
    QTest::newRow("localhost") << QStringLiteral("localhost:1234")
                               << QHostAddress(QHostAddress::LocalHost) << 1234
                               << QStringLiteral("127.0.0.1:1234");
    QTest::newRow("port 0 picks a free port")
        << QStringLiteral("127.0.0.1:0") << QHostAddress(QHostAddress::LocalHost) << 0
        << QStringLiteral("127.0.0.1:0");
    QTest::newRow("highest port") << QStringLiteral("127.0.0.1:65535")
                                  << QHostAddress(QHostAddress::LocalHost) << 65535
                                  << QStringLiteral("127.0.0.1:65535");
    QTest::newRow("surrounding spaces")
        << QStringLiteral("  127.0.0.1:80 ") << QHostAddress(QHostAddress::LocalHost) << 80
        << QStringLiteral("127.0.0.1:80");
}

void tst_Config::endpoints()
{
    QFETCH(QString, text);
    QFETCH(QHostAddress, address);
    QFETCH(int, port);
    QFETCH(QString, canonical);

    const ConfigResult result =
        loadConfig({{QStringLiteral("listen"), text}}, QProcessEnvironment(), QString());
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(result.config.listen.address, address);
    QCOMPARE(int(result.config.listen.port), port);
    QCOMPARE(result.config.listen.toString(), canonical);
}

void tst_Config::fileValues()
{
    const QString dataDir = m_dir->filePath(QStringLiteral("data"));
    const QString path = writeIni(QByteArrayLiteral("[server]\n"
                                                    "health_listen=off\n"
                                                    "data_dir=")
                                  + dataDir.toUtf8()
                                  + QByteArrayLiteral("\n"
                                                      "[database]\n"
                                                      "dsn=host=db,db2 dbname=tern\n"
                                                      "pool_size=4\n"
                                                      "[security]\n"
                                                      "argon2_ops=3\n"
                                                      "login_window_s=60\n"));
    const ConfigResult result = loadConfig({}, QProcessEnvironment(), path);
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    const ServerConfig &c = result.config;
    QVERIFY(!c.health.has_value());
    QCOMPARE(c.dataDir, dataDir);
    // QSettings would split the value at the comma; it must come back whole.
    QCOMPARE(c.databaseDsn, QByteArrayLiteral("host=db,db2 dbname=tern"));
    QCOMPARE(c.poolSize, 4);
    QCOMPARE(c.argon2Ops, quint64(3));
    QCOMPARE(c.loginWindowSeconds, 60);
}

void tst_Config::writersFollowWorkers_data()
{
    QTest::addColumn<QStringList>("envValues");
    QTest::addColumn<int>("writers");
    QTest::addColumn<int>("connections");
    QTest::newRow("one worker") << QStringList {QStringLiteral("TERN_WORKERS=1")} << 2 << 3;
    QTest::newRow("two workers") << QStringList {QStringLiteral("TERN_WORKERS=2")} << 1 << 2;
    QTest::newRow("eight workers") << QStringList {QStringLiteral("TERN_WORKERS=8")} << 1 << 2;
    QTest::newRow("one worker, pool size set")
        << QStringList {QStringLiteral("TERN_WORKERS=1"), QStringLiteral("TERN_POOL_SIZE=5")} << 2
        << 5;
}

// About two send batches in flight in all: a lone worker writes on two connections (and keeps
// one more for everything else), several write on one each.
void tst_Config::writersFollowWorkers()
{
    QFETCH(QStringList, envValues);
    QFETCH(int, writers);
    QFETCH(int, connections);
    const ConfigResult result = loadConfig({}, environment(envValues), QString());
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(result.config.writersPerWorker(), writers);
    QCOMPARE(result.config.effectivePoolSize(), connections);
}

void tst_Config::badValues_data()
{
    QTest::addColumn<QStringList>("flagValues");
    QTest::addColumn<QStringList>("envValues");
    QTest::addColumn<QByteArray>("ini"); // empty: no file
    QTest::addColumn<QStringList>("mentions"); // "%file" = the INI file's path

    const QStringList none;
    QTest::newRow("env: not an integer")
        << none << QStringList {QStringLiteral("TERN_WORKERS=many")} << QByteArray()
        << QStringList {QStringLiteral("server/workers"), QStringLiteral("TERN_WORKERS"),
                        QStringLiteral("\"many\"")};
    QTest::newRow("flag: below the minimum")
        << QStringList {QStringLiteral("workers=0")} << none << QByteArray()
        << QStringList {QStringLiteral("server/workers"), QStringLiteral("--workers"),
                        QStringLiteral("\"0\""), QStringLiteral("1 to 256")};
    QTest::newRow("file: not an integer")
        << none << none << QByteArrayLiteral("[server]\nworkers=3x\n")
        << QStringList {QStringLiteral("server/workers"), QStringLiteral("config file"),
                        QStringLiteral("%file"), QStringLiteral("\"3x\"")};
    QTest::newRow("env: frame limit too small")
        << none << QStringList {QStringLiteral("TERN_MAX_FRAME_BYTES=10")} << QByteArray()
        << QStringList {QStringLiteral("limits/max_frame_bytes"),
                        QStringLiteral("TERN_MAX_FRAME_BYTES")};
    QTest::newRow("env: negative pool size")
        << none << QStringList {QStringLiteral("TERN_POOL_SIZE=-1")} << QByteArray()
        << QStringList {QStringLiteral("database/pool_size"), QStringLiteral("TERN_POOL_SIZE")};

    const QString listen = QStringLiteral("server/listen");
    QTest::newRow("endpoint: no port")
        << QStringList {QStringLiteral("listen=127.0.0.1")} << none << QByteArray()
        << QStringList {listen, QStringLiteral("--listen"), QStringLiteral("\"127.0.0.1\"")};
    QTest::newRow("endpoint: empty port") << QStringList {QStringLiteral("listen=127.0.0.1:")}
                                          << none << QByteArray() << QStringList {listen};
    QTest::newRow("endpoint: no host") << QStringList {QStringLiteral("listen=:8765")} << none
                                       << QByteArray() << QStringList {listen};
    QTest::newRow("endpoint: port too large")
        << QStringList {QStringLiteral("listen=127.0.0.1:65536")} << none << QByteArray()
        << QStringList {listen, QStringLiteral("65536")};
    QTest::newRow("endpoint: not an address")
        << none << QStringList {QStringLiteral("TERN_LISTEN=example..com:80")} << QByteArray()
        << QStringList {listen, QStringLiteral("TERN_LISTEN")};
    QTest::newRow("endpoint: bad IPv4") << QStringList {QStringLiteral("listen=256.1.1.1:80")}
                                        << none << QByteArray() << QStringList {listen};
    QTest::newRow("endpoint: IPv6 without brackets or port")
        << QStringList {QStringLiteral("listen=[::1]")} << none << QByteArray()
        << QStringList {listen};
    QTest::newRow("health endpoint")
        << QStringList {QStringLiteral("health-listen=nowhere")} << none << QByteArray()
        << QStringList {QStringLiteral("server/health_listen"), QStringLiteral("--health-listen")};
    QTest::newRow("group member limit too small")
        << none << QStringList {QStringLiteral("TERN_GROUP_MEMBER_LIMIT=1")} << QByteArray()
        << QStringList {QStringLiteral("groups/member_limit"),
                        QStringLiteral("TERN_GROUP_MEMBER_LIMIT"), QStringLiteral("2 to 100000")};
    QTest::newRow("friend request lifetime zero")
        << none << QStringList {QStringLiteral("TERN_FRIEND_REQUEST_LIFETIME_S=0")} << QByteArray()
        << QStringList {QStringLiteral("contacts/friend_request_lifetime_s"),
                        QStringLiteral("TERN_FRIEND_REQUEST_LIFETIME_S")};
    QTest::newRow("presence coalescing not a number")
        << none << QStringList {QStringLiteral("TERN_PRESENCE_COALESCE_MS=soon")} << QByteArray()
        << QStringList {QStringLiteral("presence/coalesce_ms"),
                        QStringLiteral("TERN_PRESENCE_COALESCE_MS")};
    QTest::newRow("empty data dir")
        << none << QStringList {QStringLiteral("TERN_DATA_DIR= ")} << QByteArray()
        << QStringList {QStringLiteral("server/data_dir"), QStringLiteral("TERN_DATA_DIR")};
}

void tst_Config::badValues()
{
    QFETCH(QStringList, flagValues);
    QFETCH(QStringList, envValues);
    QFETCH(QByteArray, ini);
    QFETCH(QStringList, mentions);

    const QString path = ini.isEmpty() ? QString() : writeIni(ini);
    const ConfigResult result = loadConfig(flags(flagValues), environment(envValues), path);
    QCOMPARE(result.errors.size(), qsizetype(1));
    const QString &error = result.errors.constFirst();
    for (QString mention : mentions) {
        if (mention == QLatin1String("%file"))
            mention = path;
        QVERIFY2(error.contains(mention),
                 qPrintable(QString(mention + QLatin1String(" not in: ") + error)));
    }
}

void tst_Config::unknownIniKey()
{
    const QString path = writeIni(QByteArrayLiteral("[server]\n"
                                                    "workers=2\n"
                                                    "wrokers=4\n"
                                                    "[database]\n"
                                                    "password=x\n"));
    const ConfigResult result = loadConfig({}, QProcessEnvironment(), path);
    QCOMPARE(result.errors.size(), qsizetype(2));
    const QString all = result.errors.join(QLatin1Char('\n'));
    QVERIFY2(all.contains(QLatin1String("unknown key server/wrokers")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("unknown key database/password")), qPrintable(all));
    QVERIFY2(result.errors.constFirst().contains(path), qPrintable(all));
    QCOMPARE(result.config.workers, 2); // the known key still counts
}

void tst_Config::unreadableFile()
{
    const QString path = m_dir->filePath(QStringLiteral("missing.ini"));
    const ConfigResult result = loadConfig({}, QProcessEnvironment(), path);
    QCOMPARE(result.errors.size(), qsizetype(1));
    QVERIFY2(result.errors.constFirst().contains(path), qPrintable(result.errors.constFirst()));
    QVERIFY2(result.errors.constFirst().contains(QLatin1String("cannot be read")),
             qPrintable(result.errors.constFirst()));
}

void tst_Config::pingMustBeShorterThanIdle_data()
{
    QTest::addColumn<QString>("ping");
    QTest::addColumn<QString>("idle");
    QTest::addColumn<bool>("accepted");

    QTest::newRow("shorter") << QStringLiteral("1000") << QStringLiteral("1001") << true;
    QTest::newRow("equal") << QStringLiteral("5000") << QStringLiteral("5000") << false;
    QTest::newRow("longer") << QStringLiteral("80000") << QStringLiteral("75000") << false;
    QTest::newRow("longer than the default idle timeout")
        << QStringLiteral("80000") << QString() << false;
}

void tst_Config::pingMustBeShorterThanIdle()
{
    QFETCH(QString, ping);
    QFETCH(QString, idle);
    QFETCH(bool, accepted);

    QProcessEnvironment env;
    env.insert(QStringLiteral("TERN_PING_INTERVAL_MS"), ping);
    if (!idle.isEmpty())
        env.insert(QStringLiteral("TERN_IDLE_TIMEOUT_MS"), idle);

    const ConfigResult result = loadConfig({}, env, QString());
    QCOMPARE(result.errors.isEmpty(), accepted);
    if (!accepted) {
        QCOMPARE(result.errors.size(), qsizetype(1));
        const QString &error = result.errors.constFirst();
        QVERIFY2(error.contains(QLatin1String("limits/ping_interval_ms")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("limits/idle_timeout_ms")), qPrintable(error));
        QVERIFY2(error.contains(ping), qPrintable(error));
    } else {
        QCOMPARE(result.config.pingIntervalMs, ping.toInt());
        QCOMPARE(result.config.idleTimeoutMs, idle.toInt());
    }
}

QTEST_APPLESS_MAIN(tst_Config)
#include "tst_config.moc"
