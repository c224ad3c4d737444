// SPDX-License-Identifier: Apache-2.0
#include "terndprocess.h"

#include "pgfixture.h"

#include <QRegularExpression>
#include <QTest>

TerndProcess::TerndProcess()
    : m_env(testEnvironment())
{ }

TerndProcess::~TerndProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(20000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
}

QProcessEnvironment TerndProcess::testEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TERN_ARGON2_OPS"), QStringLiteral("1"));
    env.insert(QStringLiteral("TERN_ARGON2_MEM_KIB"), QStringLiteral("8"));
    // Two workers, so that hops between workers are tested; TERN_TEST_WORKERS runs a suite
    // with another number (tests/integration/CMakeLists.txt).
    env.insert(QStringLiteral("TERN_WORKERS"),
               qEnvironmentVariable("TERN_TEST_WORKERS", QStringLiteral("2")));
    env.insert(QStringLiteral("TERN_LOGIN_ATTEMPTS_PER_ADDRESS"), QStringLiteral("100000"));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("tern.*.debug=true"));
    return env;
}

QString TerndProcess::start(const QStringList &arguments, int timeoutMs)
{
    if (!m_env.contains(QStringLiteral("TERN_DATA_DIR"))) {
        if (!m_dataDir)
            m_dataDir = std::make_unique<QTemporaryDir>();
        m_env.insert(QStringLiteral("TERN_DATA_DIR"), m_dataDir->path());
    }
    // A restart: what the last run printed (its port) must not be taken for this run's.
    m_stdout.clear();
    m_stderr.clear();
    m_process.setProcessEnvironment(m_env);
    m_process.setProgram(QStringLiteral(TERND_PATH));
    m_process.setArguments(QStringList {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                        QStringLiteral("--health-listen"),
                                        QStringLiteral("127.0.0.1:0")}
                           + arguments);
    m_process.start();
    if (!m_process.waitForStarted(10000))
        return QStringLiteral("ternd did not start: ") + m_process.errorString();
    static const QRegularExpression listening(QStringLiteral("listening on (ws://\\S+)"));
    static const QRegularExpression health(QStringLiteral("health on (http://\\S+)/health/ready"));
    // ternd prints its health line before the listening line, so both are known at once.
    const bool up = QTest::qWaitFor(
        [&] {
            if (m_process.state() != QProcess::Running)
                return true; // exited: no point waiting
            const QString out = output();
            const auto match = listening.match(out);
            if (!match.hasMatch())
                return false;
            m_url = QUrl(match.captured(1));
            if (const auto healthMatch = health.match(out); healthMatch.hasMatch())
                m_healthUrl = QUrl(healthMatch.captured(1));
            return true;
        },
        timeoutMs);
    if (!up || !m_url.isValid() || m_process.state() != QProcess::Running)
        return QStringLiteral("ternd did not come up:\n") + output();
    return {};
}

QString TerndProcess::startOn(const PgFixture &pg, const QStringList &arguments)
{
    return start(QStringList {QStringLiteral("--database"), QString::fromUtf8(pg.dsn())}
                 + arguments);
}

QString TerndProcess::output() const
{
    auto &process = const_cast<QProcess &>(m_process);
    m_stdout += process.readAllStandardOutput();
    m_stderr += process.readAllStandardError();
    return QString::fromUtf8(m_stdout + m_stderr);
}

int TerndProcess::terminate(int timeoutMs)
{
    int code = -1;
    if (m_process.state() == QProcess::NotRunning) {
        output();
        code = m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    } else {
        m_process.terminate();
        code = waitForExit(timeoutMs);
    }
    if (code != 0) // the test will fail on it: show what ternd said
        qWarning().noquote() << "ternd exited with" << code << "- its output ends with:\n"
                             << output().right(4000);
    return code;
}

int TerndProcess::waitForExit(int timeoutMs)
{
    if (m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished(5000);
        output();
        return -1;
    }
    output();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}
