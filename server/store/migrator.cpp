// SPDX-License-Identifier: Apache-2.0
// Migrator: runs once at start-up on the main thread, before any worker touches the database.
#include "store/migrator.h"

#include "core/logging.h"
#include "store/pgsession.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <map>

namespace tern::server {

namespace {
// Any constant works; it only has to be the same in every ternd.
constexpr const char *kLockKey = "7451946519384113";

struct Migration
{
    QString name;
    QString path;
};

std::map<int, Migration> knownMigrations()
{
    std::map<int, Migration> migrations;
    static const QRegularExpression pattern(QStringLiteral("^(\\d{4})_([a-z0-9_]+)\\.sql$"));
    const QDir dir(QStringLiteral(":/tern/migrations"));
    for (const QString &file : dir.entryList(QDir::Files, QDir::Name)) {
        const auto match = pattern.match(file);
        if (match.hasMatch())
            migrations[match.captured(1).toInt()] = {match.captured(2), dir.filePath(file)};
    }
    return migrations;
}
} // namespace

Migrator::Migrator(PgSession &session)
    : m_session(session)
{ }

QString Migrator::migrate()
{
    const PgStatement lock {"SELECT pg_advisory_lock($1::bigint)", {QByteArray(kLockKey)}};
    if (auto outcome = m_session.exec(lock); !outcome.ok())
        return QStringLiteral("cannot take the migration lock: ") + outcome.error.message;

    QString error = [&]() -> QString {
        auto outcome = m_session.execScript("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                            " version integer PRIMARY KEY, name text NOT NULL,"
                                            " applied_at timestamptz NOT NULL DEFAULT now())");
        if (!outcome.ok())
            return QStringLiteral("cannot create schema_migrations: ") + outcome.error.message;
        outcome = m_session.exec({"SELECT coalesce(max(version), 0) FROM schema_migrations", {}});
        if (!outcome.ok())
            return QStringLiteral("cannot read schema_migrations: ") + outcome.error.message;
        m_applied = int(outcome.results.front().int64(0, 0));

        const auto migrations = knownMigrations();
        const int latest = migrations.empty() ? 0 : migrations.rbegin()->first;
        if (m_applied > latest) {
            return QStringLiteral("the database schema is at version %1, newer than this ternd "
                                  "knows (%2): run a newer ternd")
                .arg(m_applied)
                .arg(latest);
        }
        for (const auto &[version, migration] : migrations) {
            if (version <= m_applied)
                continue;
            QFile file(migration.path);
            if (!file.open(QIODevice::ReadOnly))
                return QStringLiteral("cannot read migration ") + migration.path;
            const QByteArray sql = "BEGIN;\n" + file.readAll()
                + "\nINSERT INTO schema_migrations (version, name) VALUES ("
                + QByteArray::number(version) + ", '" + migration.name.toUtf8() + "');\nCOMMIT;";
            outcome = m_session.execScript(sql);
            if (!outcome.ok()) {
                m_session.execScript("ROLLBACK");
                return QStringLiteral("migration %1_%2 failed: %3")
                    .arg(version, 4, 10, QLatin1Char('0'))
                    .arg(migration.name, outcome.error.message);
            }
            qCInfo(lcStore).noquote() << "applied migration"
                                      << QStringLiteral("%1_%2")
                                             .arg(version, 4, 10, QLatin1Char('0'))
                                             .arg(migration.name);
            m_applied = version;
        }
        return {};
    }();

    m_session.exec({"SELECT pg_advisory_unlock($1::bigint)", {QByteArray(kLockKey)}});
    return error;
}

} // namespace tern::server
