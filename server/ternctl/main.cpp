// SPDX-License-Identifier: Apache-2.0
// ternctl: administration against ternd's database (users, passwords, bans, sessions).
#include "core/config.h"
#include "service/passwordhasher.h"
#include "store/adminstore.h"
#include "store/embeddedcluster.h"
#include "store/migrator.h"
#include "store/pgsession.h"
#include "tern/limits.h"
#include "tern/validation.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QTextStream>

#include <sodium.h>

#include <cstdio>
#include <iostream>
#include <string>

using namespace tern;
using namespace tern::server;

namespace {

int fail(const QString &message, int code = 1)
{
    std::fprintf(stderr, "ternctl: %s\n", qPrintable(message));
    return code;
}

void say(const QString &line)
{
    std::fprintf(stdout, "%s\n", qPrintable(line));
}

std::string readPassword(bool fromStdin, QString *generated)
{
    if (fromStdin) {
        std::string line;
        std::getline(std::cin, line);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        return line;
    }
    // 18 random bytes, base64: 24 characters, ~144 bits.
    QByteArray bytes(18, Qt::Uninitialized);
    randombytes_buf(bytes.data(), size_t(bytes.size()));
    *generated = QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding));
    return generated->toStdString();
}

QString describeError(const PgError &error)
{
    return error.kind == PgError::Kind::Unavailable
        ? QStringLiteral("database unavailable: ") + error.message
        : error.message;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ternctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TERN_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Tern administration.\n\n"
        "Commands:\n"
        "  create-user USERNAME    create an account (prints a generated password unless\n"
        "                          --password-stdin)\n"
        "  reset-password USERNAME set a new password and end all the user's sessions\n"
        "  ban USERNAME            refuse logins, close the user's live connections and take\n"
        "                          them out of every group (members see them leave); a group\n"
        "                          they own passes first to its longest-standing admin, else\n"
        "                          member, and one with no other member who is not banned\n"
        "                          is dissolved. Their waiting group invitations and join\n"
        "                          requests are cancelled, and those waiting on them told.\n"
        "  unban USERNAME          lift a ban; the groups and ownerships it took stay gone\n"
        "  sessions USERNAME       list the user's active device sessions\n"
        "  befriend USERNAME OTHER make two users friends at once (demos, imports)\n\n"
        "The database is --database DSN (or TERN_DATABASE); without one, the embedded\n"
        "PostgreSQL of a running ternd with the same --data-dir (or TERN_DATA_DIR)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption databaseOption(QStringLiteral("database"),
                                            QStringLiteral("PostgreSQL connection string."),
                                            QStringLiteral("DSN"));
    const QCommandLineOption dataDirOption(QStringLiteral("data-dir"),
                                           QStringLiteral("ternd's data directory."),
                                           QStringLiteral("DIR"));
    const QCommandLineOption displayNameOption(QStringLiteral("display-name"),
                                               QStringLiteral("create-user: the display name."),
                                               QStringLiteral("NAME"));
    const QCommandLineOption passwordStdinOption(
        QStringLiteral("password-stdin"),
        QStringLiteral("Read the password from the first line of standard input."));
    const QCommandLineOption reasonOption(QStringLiteral("reason"),
                                          QStringLiteral("ban: the reason, kept for the record."),
                                          QStringLiteral("TEXT"));
    parser.addOptions(
        {databaseOption, dataDirOption, displayNameOption, passwordStdinOption, reasonOption});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("See above."));
    parser.addPositionalArgument(QStringLiteral("username"), QStringLiteral("The account."));
    parser.process(app);

    const QStringList args = parser.positionalArguments();
    const bool pairCommand = !args.isEmpty() && args.at(0) == QLatin1String("befriend");
    if (args.size() != (pairCommand ? 3 : 2))
        return fail(QStringLiteral("expected a command and a username (see --help)"), 2);
    const QString command = args.at(0);
    const std::string username = args.at(1).toStdString();
    static const QStringList commands {
        QStringLiteral("create-user"), QStringLiteral("reset-password"),
        QStringLiteral("ban"),         QStringLiteral("unban"),
        QStringLiteral("sessions"),    QStringLiteral("befriend")};
    if (!commands.contains(command))
        return fail(QStringLiteral("unknown command '%1' (see --help)").arg(command), 2);

    QByteArray dsn = parser.value(databaseOption).toUtf8();
    if (dsn.isEmpty())
        dsn = qgetenv("TERN_DATABASE");
    if (dsn.isEmpty()) {
        QString dataDir = parser.value(dataDirOption);
        if (dataDir.isEmpty())
            dataDir = qEnvironmentVariable("TERN_DATA_DIR", defaultDataDir());
        EmbeddedCluster::Options options;
        options.socketDir = EmbeddedCluster::socketDirFor(QDir(dataDir).absolutePath());
        dsn = EmbeddedCluster(options).dsn();
    }
    PgSession session;
    if (const QString error = session.connect(dsn, 5); !error.isEmpty()) {
        return fail(QStringLiteral("cannot connect to the database: %1\n(is ternd running with "
                                   "this data directory? or pass --database)")
                        .arg(error));
    }
    Migrator migrator(session);
    if (const QString error = migrator.migrate(); !error.isEmpty())
        return fail(error);

    AdminStore store(session);
    const QString key = validation::usernameKey(username);
    const PasswordHasher hasher(2, 64ull * 1024 * 1024, 1);

    if (command == QLatin1String("create-user")) {
        if (auto problem = validation::checkUsername(username, limits::kMinUsernameLength,
                                                     limits::kMaxUsernameLength))
            return fail(*problem, 2);
        const QString displayName = parser.isSet(displayNameOption)
            ? parser.value(displayNameOption)
            : QString::fromStdString(username);
        if (auto problem = validation::checkDisplayName(displayName.toStdString(),
                                                        limits::kMaxDisplayNameLength))
            return fail(*problem, 2);
        QString generated;
        const std::string password = readPassword(parser.isSet(passwordStdinOption), &generated);
        if (auto problem = validation::checkPassword(password, limits::kMinPasswordLength,
                                                     limits::kMaxPasswordLength))
            return fail(*problem, 2);
        const auto created = store.createUser(QString::fromStdString(username), key, displayName,
                                              hasher.hash(password));
        if (created.error.isUniqueViolation())
            return fail(QStringLiteral("username '%1' is taken").arg(args.at(1)));
        if (!created.value)
            return fail(describeError(created.error));
        say(QStringLiteral("created user %1 (id %2)").arg(args.at(1)).arg(*created.value));
        if (!generated.isEmpty())
            say(QStringLiteral("password: ") + generated);
        return 0;
    }

    const auto user = store.findUser(key);
    if (user.error.kind != PgError::Kind::None)
        return fail(describeError(user.error));
    if (!user.value)
        return fail(QStringLiteral("no user named '%1'").arg(args.at(1)));
    const qint64 userId = user.value->userId;

    if (command == QLatin1String("reset-password")) {
        QString generated;
        const std::string password = readPassword(parser.isSet(passwordStdinOption), &generated);
        if (auto problem = validation::checkPassword(password, limits::kMinPasswordLength,
                                                     limits::kMaxPasswordLength))
            return fail(*problem, 2);
        const auto done = store.setPassword(userId, hasher.hash(password));
        if (!done.value)
            return fail(describeError(done.error));
        say(QStringLiteral("password of %1 reset; %2 session(s) ended")
                .arg(args.at(1))
                .arg(*done.value));
        if (!generated.isEmpty())
            say(QStringLiteral("password: ") + generated);
    } else if (command == QLatin1String("ban")) {
        const auto done = store.ban(userId, parser.value(reasonOption));
        if (!done.value)
            return fail(describeError(done.error));
        say(QStringLiteral("banned %1; %2 session(s) ended; left %3 group(s)")
                .arg(args.at(1))
                .arg(done.value->sessionsEnded)
                .arg(done.value->groupsLeft));
    } else if (command == QLatin1String("unban")) {
        const auto done = store.unban(userId);
        if (!done.value)
            return fail(describeError(done.error));
        say(*done.value ? QStringLiteral("unbanned %1").arg(args.at(1))
                        : QStringLiteral("%1 was not banned").arg(args.at(1)));
    } else if (command == QLatin1String("befriend")) {
        if (args.size() != 3)
            return fail(QStringLiteral("befriend needs two usernames"), 2);
        const auto other = store.findUser(validation::usernameKey(args.at(2).toStdString()));
        if (!other.value)
            return fail(QStringLiteral("no user named '%1'").arg(args.at(2)));
        if (other.value->userId == userId)
            return fail(QStringLiteral("a user cannot befriend themself"), 2);
        const auto done = store.befriend(userId, other.value->userId);
        if (!done.value)
            return fail(describeError(done.error));
        say(QStringLiteral("%1 and %2 are friends").arg(args.at(1), args.at(2)));
    } else if (command == QLatin1String("sessions")) {
        const auto done = store.sessions(userId);
        if (!done.value)
            return fail(describeError(done.error));
        say(QStringLiteral("%1 active session(s) of %2%3")
                .arg(done.value->size())
                .arg(args.at(1), user.value->banned ? QStringLiteral(" (banned)") : QString()));
        for (const DeviceSessionRecord &s : *done.value) {
            say(QStringLiteral("  %1  %2  %3 %4  last seen %5 from %6")
                    .arg(s.sessionId)
                    .arg(s.deviceName.isEmpty() ? QStringLiteral("(unnamed device)") : s.deviceName,
                         s.clientName, s.clientVersion,
                         QDateTime::fromMSecsSinceEpoch(s.lastSeenAtMs).toString(Qt::ISODate),
                         s.lastAddress));
        }
    }
    return 0;
}
