// SPDX-License-Identifier: Apache-2.0
// EmbeddedCluster: the private PostgreSQL of the embedded default. Runs child processes
// (initdb, pg_ctl) synchronously on the main thread; as root it runs them as runAsUser.
#include "store/embeddedcluster.h"

#include "core/logging.h"
#include "store/pgsession.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QVersionNumber>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tern::server {

EmbeddedCluster::EmbeddedCluster(Options options)
    : m_options(std::move(options))
{
    if (m_options.binDir.isEmpty())
        m_options.binDir = findBinDir();
}

QString EmbeddedCluster::findBinDir()
{
    const QString fromEnv = qEnvironmentVariable("TERN_PG_BINDIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QDir root(QStringLiteral("/usr/lib/postgresql"));
    QVersionNumber best;
    QString bestDir;
    for (const QString &entry : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const auto version = QVersionNumber::fromString(entry);
        const QString bin = root.filePath(entry + QStringLiteral("/bin"));
        if (QFileInfo::exists(bin + QStringLiteral("/initdb")) && version > best) {
            best = version;
            bestDir = bin;
        }
    }
    if (!bestDir.isEmpty())
        return bestDir;
    const QString initdb = QStandardPaths::findExecutable(QStringLiteral("initdb"));
    return initdb.isEmpty() ? QString() : QFileInfo(initdb).absolutePath();
}

QString EmbeddedCluster::socketDirFor(const QString &dataDir)
{
    const QString inside = QDir(dataDir).absoluteFilePath(QStringLiteral("run"));
    // sun_path holds 108 bytes; leave room for "/.s.PGSQL.5432".
    if (inside.toUtf8().size() <= 80)
        return inside;
    const QByteArray hash =
        QCryptographicHash::hash(QDir(dataDir).absolutePath().toUtf8(), QCryptographicHash::Sha256)
            .toHex()
            .left(16);
    return QStringLiteral("/tmp/ternd-") + QString::fromLatin1(hash);
}

QByteArray EmbeddedCluster::dsn(const QByteArray &database) const
{
    // Quoted per libpq's keyword=value syntax.
    QByteArray host = m_options.socketDir.toUtf8();
    host.replace('\\', "\\\\").replace('\'', "\\'");
    return "host='" + host + "' port=5432 user=tern dbname=" + database;
}

EmbeddedCluster::RunResult EmbeddedCluster::run(const QString &program,
                                                const QStringList &arguments, int timeoutMs) const
{
    QProcess process;
    process.setProgram(QDir(m_options.binDir).filePath(program));
    process.setArguments(arguments);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(QStringLiteral("/"));
    if (m_dropPrivileges) {
        const uid_t uid = m_uid;
        const gid_t gid = m_gid;
        process.setChildProcessModifier([uid, gid] {
            // Runs in the child between fork and exec: async-signal-safe calls only.
            if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)
                ::_exit(126);
        });
    }
    process.start();
    RunResult result;
    if (!process.waitForStarted(10000)) {
        result.output = process.errorString();
        return result;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(1000);
        result.output =
            QStringLiteral("%1 did not finish within %2 s").arg(program).arg(timeoutMs / 1000);
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.output = QString::fromLocal8Bit(process.readAll()).trimmed();
    return result;
}

QString EmbeddedCluster::prepareUser()
{
    if (::geteuid() != 0) {
        m_dropPrivileges = false;
        return {};
    }
    if (m_options.runAsUser.isEmpty()) {
        return QStringLiteral(
            "ternd runs as root, and PostgreSQL refuses to. Set database/embedded_user (or "
            "TERN_EMBEDDED_USER) to an unprivileged account such as 'postgres', run ternd as a "
            "normal user, or point it at a database with --database");
    }
    const QByteArray name = m_options.runAsUser.toLocal8Bit();
    const struct passwd *account = ::getpwnam(name.constData());
    if (!account || account->pw_uid == 0) {
        return QStringLiteral("ternd runs as root and the embedded PostgreSQL must run as an "
                              "unprivileged user, but user '%1' does not exist (or is root). "
                              "Create it (useradd --system %1), set database/embedded_user to "
                              "another one, or use --database")
            .arg(m_options.runAsUser);
    }
    m_dropPrivileges = true;
    m_uid = account->pw_uid;
    m_gid = account->pw_gid;

    // The unprivileged user must be able to walk down to the cluster directory.
    QFileInfo info(QFileInfo(m_options.clusterDir).absolutePath());
    for (QString path = info.absoluteFilePath(); !path.isEmpty() && path != QStringLiteral("/");
         path = QFileInfo(path).absolutePath()) {
        struct stat st
        {
        };
        if (::stat(QFile::encodeName(path).constData(), &st) != 0)
            continue; // created later by us, owned by root with 0755
        const bool reachable = st.st_uid == m_uid ? (st.st_mode & S_IXUSR)
            : st.st_gid == m_gid                  ? (st.st_mode & S_IXGRP)
                                                  : (st.st_mode & S_IXOTH);
        if (!reachable) {
            return QStringLiteral("the embedded PostgreSQL runs as '%1', which cannot enter %2. "
                                  "Choose a --data-dir it can reach (e.g. /var/lib/ternd)")
                .arg(m_options.runAsUser, path);
        }
    }
    return {};
}

QString EmbeddedCluster::makeOwnedDir(const QString &path) const
{
    QDir dir;
    if (!dir.mkpath(path))
        return QStringLiteral("cannot create directory ") + path;
    const QByteArray native = QFile::encodeName(path);
    if (::chmod(native.constData(), 0700) != 0)
        return QStringLiteral("cannot set permissions of ") + path;
    if (m_dropPrivileges && ::chown(native.constData(), m_uid, m_gid) != 0)
        return QStringLiteral("cannot hand %1 to user %2").arg(path, m_options.runAsUser);
    return {};
}

QString EmbeddedCluster::start()
{
    if (m_options.binDir.isEmpty()
        || !QFileInfo::exists(QDir(m_options.binDir).filePath(QStringLiteral("initdb")))) {
        return QStringLiteral("PostgreSQL server programs (initdb, pg_ctl) not found: install "
                              "postgresql-15 (scripts/bootstrap does), set TERN_PG_BINDIR, or "
                              "use --database");
    }
    if (m_options.socketDir.toUtf8().size() > 100)
        return QStringLiteral("socket directory path too long: ") + m_options.socketDir;
    if (m_options.socketDir.contains(QLatin1Char('\''))
        || m_options.clusterDir.contains(QLatin1Char('\''))) {
        return QStringLiteral("the data directory path may not contain a single quote");
    }
    if (QString error = prepareUser(); !error.isEmpty())
        return error;

    if (!QFileInfo::exists(m_options.clusterDir + QStringLiteral("/PG_VERSION"))) {
        if (QString error = makeOwnedDir(m_options.clusterDir); !error.isEmpty())
            return error;
        qCInfo(lcCluster).noquote() << "initializing PostgreSQL cluster in" << m_options.clusterDir;
        QStringList args {QStringLiteral("-D"),
                          m_options.clusterDir,
                          QStringLiteral("-U"),
                          QStringLiteral("tern"),
                          QStringLiteral("-A"),
                          QStringLiteral("trust"),
                          QStringLiteral("-E"),
                          QStringLiteral("UTF8"),
                          QStringLiteral("--locale=C.UTF-8"),
                          QStringLiteral("--no-instructions")};
        if (m_options.fastInit)
            args << QStringLiteral("--no-sync");
        const RunResult init = run(QStringLiteral("initdb"), args, 120000);
        if (init.exitCode != 0)
            return QStringLiteral("initdb failed: ") + init.output;
    }
    if (QString error = makeOwnedDir(m_options.socketDir); !error.isEmpty())
        return error;

    if (isRunning()) {
        qCInfo(lcCluster) << "adopting the PostgreSQL cluster that is already running";
    } else {
        const QString options =
            QStringLiteral("-c listen_addresses='' -c unix_socket_directories='%1' "
                           "-c unix_socket_permissions=0700")
                .arg(m_options.socketDir);
        const RunResult started = run(
            QStringLiteral("pg_ctl"),
            {QStringLiteral("start"), QStringLiteral("-D"), m_options.clusterDir,
             QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("-l"),
             m_options.clusterDir + QStringLiteral("/server.log"), QStringLiteral("-o"), options},
            70000);
        if (started.exitCode != 0) {
            return QStringLiteral("PostgreSQL did not start (see %1/server.log): %2")
                .arg(m_options.clusterDir, started.output);
        }
    }
    m_startedByUs = true;

    PgSession session;
    if (QString error = session.connect(dsn(QByteArrayLiteral("postgres"))); !error.isEmpty())
        return QStringLiteral("cannot connect to the embedded PostgreSQL: ") + error;
    auto exists = session.exec({"SELECT 1 FROM pg_database WHERE datname = 'tern'", {}});
    if (!exists.ok())
        return exists.error.message;
    if (exists.results.front().rowCount() == 0) {
        auto created = session.execScript("CREATE DATABASE tern");
        if (!created.ok())
            return QStringLiteral("cannot create database tern: ") + created.error.message;
    }
    qCInfo(lcCluster).noquote() << "embedded PostgreSQL ready on socket" << m_options.socketDir;
    return {};
}

bool EmbeddedCluster::isRunning() const
{
    if (!QFileInfo::exists(m_options.clusterDir + QStringLiteral("/PG_VERSION")))
        return false;
    return run(QStringLiteral("pg_ctl"),
               {QStringLiteral("status"), QStringLiteral("-D"), m_options.clusterDir}, 10000)
               .exitCode
        == 0;
}

QString EmbeddedCluster::stop()
{
    if (!m_startedByUs)
        return {};
    const RunResult stopped = run(
        QStringLiteral("pg_ctl"),
        {QStringLiteral("stop"), QStringLiteral("-D"), m_options.clusterDir, QStringLiteral("-m"),
         QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60")},
        70000);
    m_startedByUs = false;
    if (stopped.exitCode != 0)
        return QStringLiteral("pg_ctl stop failed: ") + stopped.output;
    qCInfo(lcCluster) << "embedded PostgreSQL stopped";
    return {};
}

} // namespace tern::server
