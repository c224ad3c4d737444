// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

namespace tern::server {

// A private PostgreSQL cluster in ternd's data directory: initdb on first use, started with
// pg_ctl on a Unix socket only (no TCP), stopped on shutdown. PostgreSQL refuses to run as
// root, so when ternd is root the cluster runs as an unprivileged user (runAsUser). All calls
// block; they run on the main thread before and after the event loops.
class EmbeddedCluster
{
public:
    struct Options
    {
        QString clusterDir; // the PGDATA directory
        QString socketDir; // Unix socket directory; its path must stay short (< ~100 bytes)
        QString runAsUser; // required when running as root; empty = the current user
        QString binDir; // PostgreSQL's bin directory; empty = find it
        bool fastInit = false; // initdb --no-sync (tests)
    };

    explicit EmbeddedCluster(Options options);

    // Initializes (if needed) and starts the cluster, creating database "tern". An already
    // running cluster in clusterDir (left by a killed ternd) is adopted. Returns an error
    // message that tells the user what to do, or an empty string.
    QString start();
    // Fast shutdown: disconnects clients, waits until PostgreSQL has exited.
    QString stop();
    bool isRunning() const;

    QByteArray dsn(const QByteArray &database = QByteArrayLiteral("tern")) const;
    const Options &options() const { return m_options; }

    // The bin directory of the newest installed PostgreSQL: $TERN_PG_BINDIR, then
    // /usr/lib/postgresql/<newest>/bin, then PATH. Empty when none is found.
    static QString findBinDir();
    // A socket directory for a data directory: inside it if the path is short, else under /tmp.
    static QString socketDirFor(const QString &dataDir);

private:
    struct RunResult
    {
        int exitCode = -1;
        QString output;
    };
    RunResult run(const QString &program, const QStringList &arguments, int timeoutMs) const;
    QString prepareUser();
    QString makeOwnedDir(const QString &path) const;

    Options m_options;
    bool m_dropPrivileges = false;
    unsigned m_uid = 0;
    unsigned m_gid = 0;
    bool m_startedByUs = false;
};

} // namespace tern::server
