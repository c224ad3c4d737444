// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

class PgFixture;

// A real ternd child process. start() waits for its "listening on" line, which carries the
// port the OS picked (tests listen on port 0), so tests never race for ports.
class TerndProcess
{
public:
    TerndProcess();
    ~TerndProcess();

    // Settings that keep tests fast and deterministic (cheap Argon2, short deadlines).
    static QProcessEnvironment testEnvironment();

    void setEnvironment(const QProcessEnvironment &env) { m_env = env; }
    QProcessEnvironment &environment() { return m_env; }

    // Returns an empty string once ternd listens, else what went wrong (with its output).
    QString start(const QStringList &arguments, int timeoutMs = 60000);
    // start() with --database pointing at `pg`.
    QString startOn(const PgFixture &pg, const QStringList &arguments = {});
    // SIGTERM and wait; returns the exit code (-1 if it crashed or hung).
    int terminate(int timeoutMs = 30000);
    // Waits for a process that is expected to exit on its own (e.g. bad configuration).
    int waitForExit(int timeoutMs = 60000);

    QUrl url() const { return m_url; }
    QUrl healthUrl() const { return m_healthUrl; }
    QString output() const; // stdout + stderr so far
    bool isRunning() const { return m_process.state() == QProcess::Running; }
    qint64 pid() const { return m_process.processId(); }

private:
    QProcess m_process;
    QProcessEnvironment m_env;
    // The data directory (uploaded files) unless the test sets TERN_DATA_DIR itself.
    std::unique_ptr<QTemporaryDir> m_dataDir;
    QUrl m_url;
    QUrl m_healthUrl;
    mutable QByteArray m_stdout;
    mutable QByteArray m_stderr;
};
