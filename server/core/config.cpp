// SPDX-License-Identifier: Apache-2.0
#include "core/config.h"

#include "tern/limits.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QThread>

#include <unistd.h>

namespace tern::server {

QString Endpoint::toString() const
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
        : address.toString();
    return host + QLatin1Char(':') + QString::number(port);
}

const QList<ConfigOption> &configOptions()
{
    static const QList<ConfigOption> options {
        {"server/listen", "listen", "TERN_LISTEN", "ADDR:PORT",
         "WebSocket address (default 127.0.0.1:8765; port 0 picks a free one)"},
        {"server/health_listen", "health-listen", "TERN_HEALTH_LISTEN", "ADDR:PORT|off",
         "HTTP health endpoint (default 127.0.0.1:8766)"},
        {"server/workers", "workers", "TERN_WORKERS", "N",
         "I/O worker threads (default: cores, or cores - 1 with the embedded PostgreSQL)"},
        {"server/data_dir", "data-dir", "TERN_DATA_DIR", "DIR",
         "data directory (default ~/.local/share/ternd; /var/lib/ternd as root)"},
        {"database/dsn", "database", "TERN_DATABASE", "DSN",
         "PostgreSQL connection string; unset = embedded PostgreSQL in the data directory"},
        {"database/embedded_user", "", "TERN_EMBEDDED_USER", "USER",
         "account the embedded PostgreSQL runs as when ternd is root (default postgres)"},
        {"database/pool_size", "", "TERN_POOL_SIZE", "N",
         "connections per worker (default 2, or 3 with one worker: its writers and one more)"},
        {"limits/max_frame_bytes", "", "TERN_MAX_FRAME_BYTES", "BYTES", "largest frame accepted"},
        {"limits/auth_deadline_ms", "", "TERN_AUTH_DEADLINE_MS", "MS",
         "close unauthenticated connections after this long (default 10000)"},
        {"limits/idle_timeout_ms", "", "TERN_IDLE_TIMEOUT_MS", "MS",
         "close connections silent for this long (default 75000)"},
        {"limits/ping_interval_ms", "", "TERN_PING_INTERVAL_MS", "MS",
         "WebSocket ping interval (default 25000)"},
        {"limits/max_send_queue_bytes", "", "TERN_MAX_SEND_QUEUE_BYTES", "BYTES",
         "drop a connection whose unsent data exceeds this (default 8 MiB)"},
        {"limits/max_requests_in_flight", "", "TERN_MAX_REQUESTS_IN_FLIGHT", "N",
         "requests one connection may have unanswered; more are refused (default 1024)"},
        {"security/argon2_ops", "", "TERN_ARGON2_OPS", "N", "Argon2id passes (default 2)"},
        {"security/argon2_mem_kib", "", "TERN_ARGON2_MEM_KIB", "KIB",
         "Argon2id memory (default 65536)"},
        {"security/login_failures_per_account", "", "TERN_LOGIN_FAILURES_PER_ACCOUNT", "N",
         "failed logins per account per window (default 10)"},
        {"security/login_attempts_per_address", "", "TERN_LOGIN_ATTEMPTS_PER_ADDRESS", "N",
         "register/login attempts per client address per window (default 60)"},
        {"security/login_window_s", "", "TERN_LOGIN_WINDOW_S", "SECONDS",
         "rate-limit window (default 300)"},
        {"contacts/friend_request_lifetime_s", "", "TERN_FRIEND_REQUEST_LIFETIME_S", "SECONDS",
         "unanswered friend requests expire after this long (default 2592000 = 30 days)"},
        {"presence/coalesce_ms", "", "TERN_PRESENCE_COALESCE_MS", "MS",
         "a user's presence changes within this window reach friends as one push (default 2000)"},
        {"groups/member_limit", "", "TERN_GROUP_MEMBER_LIMIT", "N",
         "most members of a group, the owner included (default 500)"},
        {"messaging/max_text_length", "", "TERN_MESSAGE_MAX_TEXT_LENGTH", "CHARS",
         "longest message text, in characters (default 5000)"},
        {"messaging/edit_window_s", "", "TERN_MESSAGE_EDIT_WINDOW_S", "SECONDS",
         "how long after sending a sender may edit a message (default 900)"},
        {"messaging/recall_window_s", "", "TERN_MESSAGE_RECALL_WINDOW_S", "SECONDS",
         "how long after sending a sender may recall a message (default 120)"},
        {"messaging/allow_strangers", "", "TERN_MESSAGE_ALLOW_STRANGERS", "0|1",
         "1: users may message people who are not their friends (default 0)"},
        {"files/max_file_bytes", "", "TERN_FILE_MAX_BYTES", "BYTES",
         "largest file a user may upload (default 2147483648 = 2 GiB)"},
        {"files/quota_bytes", "", "TERN_FILE_QUOTA_BYTES", "BYTES",
         "bytes of files (and pending uploads) each user may store (default 21474836480 = 20 GiB)"},
        {"files/max_files_per_user", "", "TERN_FILE_MAX_FILES", "N",
         "files each user may keep (default 100000); unreferenced ones expire as below"},
        {"files/partial_upload_lifetime_s", "", "TERN_FILE_PARTIAL_LIFETIME_S", "SECONDS",
         "remove uploads idle this long, and files nothing refers to once this old (default "
         "86400)"},
        {"files/janitor_interval_s", "", "TERN_FILE_JANITOR_INTERVAL_S", "SECONDS",
         "how often abandoned uploads and unreferenced files are cleaned up (default 600)"},
        {"files/max_concurrent_transfers", "", "TERN_FILE_MAX_TRANSFERS", "N",
         "files each user may upload or download at the same time (default 8)"},
        {"calls/ring_timeout_s", "", "TERN_CALL_RING_TIMEOUT_S", "SECONDS",
         "an unanswered call ends after this long (default 45)"},
        {"calls/reconnect_grace_s", "", "TERN_CALL_RECONNECT_GRACE_S", "SECONDS",
         "a device in a call may be disconnected this long before the call ends (default 20)"},
        {"calls/stun_urls", "", "TERN_CALL_STUN_URLS", "URL,URL",
         "STUN servers handed to clients, e.g. stun:stun.example.org:3478 (default none)"},
        {"calls/turn_urls", "", "TERN_CALL_TURN_URLS", "URL,URL",
         "TURN servers (coturn with use-auth-secret), e.g. turn:turn.example.org:3478"},
        {"calls/turn_secret", "", "TERN_CALL_TURN_SECRET", "SECRET",
         "coturn's static-auth-secret; clients get credentials made from it, never the secret"},
        {"calls/turn_credential_ttl_s", "", "TERN_CALL_TURN_TTL_S", "SECONDS",
         "how long TURN credentials stay valid (default 3600)"},
    };
    return options;
}

QString defaultDataDir()
{
    if (::geteuid() == 0)
        return QStringLiteral("/var/lib/ternd");
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(base.isEmpty() ? QDir::homePath() : base).filePath(QStringLiteral("ternd"));
}

namespace {

struct Value
{
    QString text;
    QString source;
};

class Parser
{
public:
    Parser(QHash<QString, Value> values, QStringList &errors)
        : m_values(std::move(values))
        , m_errors(errors)
    { }

    const Value *find(const char *key) const
    {
        auto it = m_values.constFind(QLatin1String(key));
        return it == m_values.constEnd() ? nullptr : &*it;
    }

    void bad(const char *key, const Value &value, const QString &expected)
    {
        m_errors << QStringLiteral("invalid value \"%1\" for %2 (from %3): expected %4")
                        .arg(value.text, QLatin1String(key), value.source, expected);
    }

    template<typename T> void integer(const char *key, T &out, qint64 min, qint64 max)
    {
        const Value *value = find(key);
        if (!value)
            return;
        bool ok = false;
        const qint64 parsed = value->text.trimmed().toLongLong(&ok);
        if (!ok || parsed < min || parsed > max) {
            bad(key, *value, QStringLiteral("an integer from %1 to %2").arg(min).arg(max));
            return;
        }
        out = T(parsed);
    }

    std::optional<Endpoint> endpoint(const char *key, const Value &value)
    {
        const QString text = value.text.trimmed();
        const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
        QString host = text.left(colon);
        if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
            host = host.mid(1, host.size() - 2);
        bool ok = false;
        const uint port = text.mid(colon + 1).toUInt(&ok);
        QHostAddress address;
        if (host == QLatin1String("localhost"))
            address = QHostAddress::LocalHost;
        else if (host == QLatin1String("*"))
            address = QHostAddress::Any;
        else
            address = QHostAddress(host);
        if (colon <= 0 || !ok || port > 65535 || address.isNull()) {
            bad(key, value, QStringLiteral("ADDRESS:PORT, e.g. 127.0.0.1:8765 or [::]:8765"));
            return std::nullopt;
        }
        return Endpoint {address, quint16(port)};
    }

private:
    QHash<QString, Value> m_values;
    QStringList &m_errors;
};

} // namespace

ConfigResult loadConfig(const QHash<QString, QString> &flags, const QProcessEnvironment &env,
                        const QString &configFile)
{
    ConfigResult result;
    QHash<QString, Value> values;

    if (!configFile.isEmpty()) {
        if (!QFileInfo(configFile).isReadable()) {
            result.errors << QStringLiteral("config file %1 cannot be read").arg(configFile);
        } else {
            QSettings ini(configFile, QSettings::IniFormat);
            if (ini.status() != QSettings::NoError)
                result.errors << QStringLiteral("config file %1 is not valid INI").arg(configFile);
            for (const QString &key : ini.allKeys()) {
                const bool known =
                    std::any_of(configOptions().begin(), configOptions().end(),
                                [&](const ConfigOption &o) { return key == QLatin1String(o.key); });
                if (!known) {
                    result.errors
                        << QStringLiteral("unknown key %1 in config file %2").arg(key, configFile);
                    continue;
                }
                // QSettings splits unquoted values at commas; join them back.
                const QVariant raw = ini.value(key);
                const QString text = raw.typeId() == QMetaType::QStringList
                    ? raw.toStringList().join(QLatin1Char(','))
                    : raw.toString();
                values.insert(key, {text, QStringLiteral("config file %1").arg(configFile)});
            }
        }
    }
    for (const ConfigOption &option : configOptions()) {
        const QString name = QLatin1String(option.env);
        if (env.contains(name))
            values.insert(QLatin1String(option.key), {env.value(name), name});
    }
    for (const ConfigOption &option : configOptions()) {
        const QString flag = QLatin1String(option.flag);
        if (!flag.isEmpty() && flags.contains(flag)) {
            values.insert(QLatin1String(option.key),
                          {flags.value(flag), QStringLiteral("--") + flag});
        }
    }

    ServerConfig &c = result.config;
    c.maxFrameBytes = limits::kMaxFrameBytes;
    c.workers = 0; // decided once the database is known
    c.dataDir = defaultDataDir();
    c.embeddedUser = QStringLiteral("postgres");

    Parser p(values, result.errors);
    if (const Value *v = p.find("server/listen")) {
        if (auto e = p.endpoint("server/listen", *v))
            c.listen = *e;
    }
    if (const Value *v = p.find("server/health_listen")) {
        if (v->text.trimmed() == QLatin1String("off"))
            c.health.reset();
        else if (auto e = p.endpoint("server/health_listen", *v))
            c.health = *e;
    }
    p.integer("server/workers", c.workers, 1, 256);
    if (const Value *v = p.find("server/data_dir")) {
        if (v->text.trimmed().isEmpty())
            p.bad("server/data_dir", *v, QStringLiteral("a directory path"));
        else
            c.dataDir = QDir(v->text.trimmed()).absolutePath();
    }
    if (const Value *v = p.find("database/dsn"))
        c.databaseDsn = v->text.trimmed().toUtf8();
    if (const Value *v = p.find("database/embedded_user"))
        c.embeddedUser = v->text.trimmed();
    p.integer("database/pool_size", c.poolSize, 1, 64);
    if (c.workers == 0) {
        // The embedded PostgreSQL runs on this machine: a core is left to it. On the 2-core
        // benchmark machine one worker (writing on two connections) used 15-23 % less ternd
        // CPU per message than two, with the same or more throughput (docs/benchmarks.md,
        // "one I/O worker on two cores").
        const int cores = std::max(1, QThread::idealThreadCount());
        c.workers = c.databaseDsn.isEmpty() ? std::max(1, cores - 1) : cores;
    }
    p.integer("limits/max_frame_bytes", c.maxFrameBytes, 1024, 64 * 1024 * 1024);
    p.integer("limits/auth_deadline_ms", c.authDeadlineMs, 100, 600000);
    p.integer("limits/idle_timeout_ms", c.idleTimeoutMs, 1000, 3600000);
    p.integer("limits/ping_interval_ms", c.pingIntervalMs, 500, 3600000);
    p.integer("limits/max_send_queue_bytes", c.maxSendQueueBytes, 64 * 1024, qint64(1) << 32);
    p.integer("limits/max_requests_in_flight", c.maxRequestsInFlight, 1, 1000000);
    p.integer("security/argon2_ops", c.argon2Ops, 1, 64);
    p.integer("security/argon2_mem_kib", c.argon2MemKiB, 8, 4 * 1024 * 1024);
    p.integer("security/login_failures_per_account", c.loginFailuresPerAccount, 1, 1000000);
    p.integer("security/login_attempts_per_address", c.loginAttemptsPerAddress, 1, 1000000);
    p.integer("security/login_window_s", c.loginWindowSeconds, 1, 86400);
    p.integer("contacts/friend_request_lifetime_s", c.friendRequestLifetimeSeconds, 1,
              365 * 24 * 3600);
    p.integer("presence/coalesce_ms", c.presenceCoalesceMs, 0, 600000);
    p.integer("groups/member_limit", c.groupMemberLimit, 2, 100000);
    p.integer("messaging/max_text_length", c.messaging.maxTextLength, 1, 100000);
    p.integer("messaging/edit_window_s", c.messaging.editWindowSeconds, 0, 365 * 24 * 3600);
    p.integer("messaging/recall_window_s", c.messaging.recallWindowSeconds, 0, 365 * 24 * 3600);
    p.integer("messaging/allow_strangers", c.messaging.allowStrangers, 0, 1);
    p.integer("files/max_file_bytes", c.files.maxFileBytes, 1, qint64(1) << 40);
    p.integer("files/quota_bytes", c.files.quotaBytes, 1, qint64(1) << 50);
    p.integer("files/max_files_per_user", c.files.maxFilesPerUser, 1, qint64(1) << 40);
    p.integer("files/partial_upload_lifetime_s", c.files.partialLifetimeSeconds, 1,
              365 * 24 * 3600);
    p.integer("files/janitor_interval_s", c.files.janitorIntervalSeconds, 1, 24 * 3600);
    p.integer("files/max_concurrent_transfers", c.files.maxConcurrentTransfers, 1, 1000);
    p.integer("calls/ring_timeout_s", c.calls.ringTimeoutSeconds, 1, 600);
    p.integer("calls/reconnect_grace_s", c.calls.reconnectGraceSeconds, 1, 600);
    p.integer("calls/turn_credential_ttl_s", c.calls.turnCredentialTtlSeconds, 60, 7 * 24 * 3600);
    const auto urls = [&](const char *key, QStringList &out) {
        if (const Value *v = p.find(key)) {
            for (const QString &url : v->text.split(QLatin1Char(','), Qt::SkipEmptyParts))
                out << url.trimmed();
        }
    };
    urls("calls/stun_urls", c.calls.stunUrls);
    urls("calls/turn_urls", c.calls.turnUrls);
    if (const Value *v = p.find("calls/turn_secret"))
        c.calls.turnSecret = v->text;
    if (!c.calls.turnUrls.isEmpty() && c.calls.turnSecret.isEmpty())
        result.errors << QStringLiteral("calls/turn_urls needs calls/turn_secret (coturn's "
                                        "static-auth-secret)");

    if (c.pingIntervalMs >= c.idleTimeoutMs) {
        result.errors << QStringLiteral("limits/ping_interval_ms (%1) must be shorter than "
                                        "limits/idle_timeout_ms (%2)")
                             .arg(c.pingIntervalMs)
                             .arg(c.idleTimeoutMs);
    }
    return result;
}

} // namespace tern::server
