// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "service/callpolicy.h"
#include "service/filepolicy.h"
#include "service/messagingpolicy.h"
#include "tern/limits.h"

#include <QHash>
#include <QHostAddress>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace tern::server {

struct Endpoint
{
    QHostAddress address;
    quint16 port = 0;
    QString toString() const;
};

// Everything ternd can be told. Defaults are the embedded default: loopback, own PostgreSQL.
struct ServerConfig
{
    Endpoint listen {QHostAddress::LocalHost, 8765};
    std::optional<Endpoint> health = Endpoint {QHostAddress::LocalHost, 8766};
    // After loadConfig: as set, or one per core (less one with the embedded database).
    int workers = 0;
    QString dataDir;
    QByteArray databaseDsn; // empty = embedded PostgreSQL in dataDir
    QString embeddedUser; // the account the embedded PostgreSQL runs as when ternd is root
    int poolSize = 0; // database connections per worker; 0 = its writers and one more

    // Of a worker's connections, those that write sends: about two batches in flight in all.
    // One per worker when there are several (each batch larger; two per worker was slower,
    // docs/benchmarks.md "How we got here"), two for a single worker, whose one writer held
    // p50 at twice that of two workers at 14,000 msgs/s ("The open loop's budget").
    int writersPerWorker() const { return workers == 1 ? 2 : 1; }
    int effectivePoolSize() const { return poolSize > 0 ? poolSize : writersPerWorker() + 1; }

    quint32 maxFrameBytes = 0;
    int authDeadlineMs = 10000;
    int idleTimeoutMs = 75000;
    int pingIntervalMs = 25000;
    qint64 maxSendQueueBytes = 8 * 1024 * 1024;
    int maxRequestsInFlight = 1024; // per connection

    quint64 argon2Ops = 2; // libsodium OPSLIMIT_INTERACTIVE
    quint64 argon2MemKiB = 64 * 1024; // MEMLIMIT_INTERACTIVE
    int loginFailuresPerAccount = 10; // per login window
    int loginAttemptsPerAddress = 60; // per login window
    int loginWindowSeconds = 300;

    int friendRequestLifetimeSeconds = 30 * 24 * 3600;

    int presenceCoalesceMs = 2000; // presence changes within this window: one push, the latest

    int groupMemberLimit = limits::kDefaultGroupMemberLimit; // owner included

    MessagingPolicy messaging;
    FilePolicy files;
    CallPolicy calls;
};

// One configurable setting, reachable three ways.
struct ConfigOption
{
    const char *key; // INI "section/name"
    const char *flag; // command-line --flag (empty: INI/env only)
    const char *env; // TERN_* variable
    const char *value; // placeholder for --help
    const char *help;
};

const QList<ConfigOption> &configOptions();

// Merges defaults < INI file < TERN_* environment < command-line flags, then validates.
// Every error names the key, where the value came from and what is wrong with it.
struct ConfigResult
{
    ServerConfig config;
    QStringList errors;
};

ConfigResult loadConfig(const QHash<QString, QString> &flags, const QProcessEnvironment &env,
                        const QString &configFile);

// The per-user default data directory (~/.local/share/ternd), /var/lib/ternd for root.
QString defaultDataDir();

} // namespace tern::server
