// SPDX-License-Identifier: Apache-2.0
// ternbench: the load generator. Drives real WebSocket connections speaking real tern.v1
// frames against a running ternd and prints one JSON line (for scripts) and a table (for
// people) per scenario. Exit status 0 only when the scenario completed with nothing lost,
// duplicated or refused.
#include "catchupscenario.h"
#include "fanoutscenario.h"
#include "filesscenario.h"
#include "idlescenario.h"
#include "loginscenario.h"
#include "openlooppacer.h"
#include "pairsscenario.h"
#include "processgroup.h"
#include "stormscenario.h"
#include "taggedtext.h"

#ifdef Q_OS_LINUX
#include "net/epolldispatcher.h"
#include "tern/heaptuning.h"
#endif

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QTextStream>

#include <algorithm>

#include <sys/resource.h>

namespace {
// Prints a scenario's report (the JSON line, then the table unless --json) and any error;
// the exit status: 0 only for a clean run.
int report(bool jsonOnly, const QJsonObject &json, const QString &table, const QString &error,
           bool clean)
{
    QTextStream out(stdout);
    if (!json.isEmpty())
        out << QJsonDocument(json).toJson(QJsonDocument::Compact) << '\n';
    if (!jsonOnly && !table.isEmpty())
        out << table << '\n';
    out.flush();
    if (!error.isEmpty())
        QTextStream(stderr) << "ternbench: " << error << '\n';
    return clean ? 0 : 1;
}
// The human summary of a --processes run (the children print only JSON).
QString processGroupTable(const QJsonObject &json)
{
    if (json.isEmpty())
        return {};
    const bool pairsRun = json.value(QStringLiteral("scenario")).toString() == u"pairs";
    const QJsonObject latency =
        json.value(pairsRun ? QStringLiteral("ack_ms") : QStringLiteral("last_member_ms"))
            .toObject();
    return QStringLiteral("%1 over %2 processes (latencies: the worst process's)\n"
                          "  sent %3  lost %4  duplicated %5  errors %6\n"
                          "  %7/s  %8\n"
                          "  %9 p50 %10  p99 %11  max %12 ms\n"
                          "  generator CPU %13 of one core in all")
        .arg(json.value(QStringLiteral("scenario")).toString())
        .arg(json.value(QStringLiteral("processes")).toInt())
        .arg(qint64(json.value(QStringLiteral("sent")).toDouble()))
        .arg(qint64(json.value(QStringLiteral("lost")).toDouble()))
        .arg(qint64(json.value(QStringLiteral("duplicated")).toDouble()))
        .arg(qint64(json.value(QStringLiteral("errors")).toDouble()))
        .arg(pairsRun ? QStringLiteral("delivered") : QStringLiteral("deliveries"))
        .arg(qint64(json.value(pairsRun ? QStringLiteral("delivered_per_s")
                                        : QStringLiteral("deliveries_per_s"))
                        .toDouble()))
        .arg(pairsRun ? QStringLiteral("send->ack") : QStringLiteral("send->last member"))
        .arg(latency.value(QStringLiteral("p50")).toDouble(), 0, 'f', 2)
        .arg(latency.value(QStringLiteral("p99")).toDouble(), 0, 'f', 2)
        .arg(latency.value(QStringLiteral("max")).toDouble(), 0, 'f', 2)
        .arg(json.value(QStringLiteral("generator_cpu")).toDouble(), 0, 'f', 2);
}
} // namespace

int main(int argc, char *argv[])
{
    tern::keepLargeBuffersInHeap();
    // Thousands of sockets on one thread: epoll, not poll() over all of them on every wake-up
    // (see server/net/epolldispatcher.h).
#ifdef Q_OS_LINUX
    QCoreApplication::setEventDispatcher(new tern::server::EpollDispatcher);
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ternbench"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Tern load generator. Point it at a running ternd started with "
        "messaging/allow_strangers=1 (benchmark users are not friends; pairs --friends "
        "makes them friends instead).\n"
        "Scenarios: pairs (1:1 messages between pairs of users), catchup (a device away while "
        "messages arrive, then resuming and catching up), idle (many authenticated idle "
        "connections: server memory per connection and idle CPU; needs --server-pid), storm "
        "(--users devices drop at once and resume with their tokens), fanout (--groups groups "
        "of --group-size members, everyone online, the owners sending), login (password logins/s, "
        "token resumes/s, and 1:1 latency at --rate before and during a burst of password "
        "logins), files (a --file-mib MiB upload and download: speed, the server's peak memory "
        "with --server-pid, and text message latency on the same connection meanwhile)."));
    parser.addHelpOption();
    const QCommandLineOption url({QStringLiteral("u"), QStringLiteral("url")},
                                 QStringLiteral("ternd's WebSocket URL."), QStringLiteral("URL"),
                                 QStringLiteral("ws://127.0.0.1:8765"));
    const QCommandLineOption scenario({QStringLiteral("s"), QStringLiteral("scenario")},
                                      QStringLiteral("Which scenario to run."),
                                      QStringLiteral("NAME"), QStringLiteral("pairs"));
    const QCommandLineOption users(QStringLiteral("users"),
                                   QStringLiteral("Users (connections) in the run."),
                                   QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption window(
        QStringLiteral("window"),
        QStringLiteral("Closed loop: sends in flight per sender (pairs: every user; "
                       "fanout: each group's sender)."),
        QStringLiteral("W"), QStringLiteral("8"));
    const QCommandLineOption rate(
        QStringLiteral("rate"),
        QStringLiteral("Open loop: messages per second in all (0: closed loop)."),
        QStringLiteral("R"), QStringLiteral("0"));
    const QCommandLineOption tick(
        QStringLiteral("tick-ms"),
        QStringLiteral("Open loop: the pacer's tick; each tick sends what is due (default 1 ms)."),
        QStringLiteral("MS"), QString::number(OpenLoopPacer::kDefaultTickMs));
    const QCommandLineOption duration(QStringLiteral("duration"),
                                      QStringLiteral("Seconds of load."), QStringLiteral("S"),
                                      QStringLiteral("10"));
    const QCommandLineOption size(QStringLiteral("size"),
                                  QStringLiteral("Bytes of text per message."),
                                  QStringLiteral("BYTES"), QStringLiteral("100"));
    const QCommandLineOption text(
        QStringLiteral("text"),
        QStringLiteral("pairs, fanout: what pads each message to --size: x (the letter x, as "
                       "before), words (English words) or hanzi (Chinese characters). The "
                       "server's search index costs more the more distinct characters a text "
                       "has."),
        QStringLiteral("KIND"), QStringLiteral("x"));
    const QCommandLineOption friends(
        QStringLiteral("friends"),
        QStringLiteral("pairs: make each pair friends first (over the protocol), for a server "
                       "that keeps 1:1 messages between friends, as by default."));
    const QCommandLineOption messages(QStringLiteral("messages"),
                                      QStringLiteral("catchup: messages missed in all."),
                                      QStringLiteral("M"), QStringLiteral("10000"));
    const QCommandLineOption conversations(QStringLiteral("conversations"),
                                           QStringLiteral("catchup: conversations they arrive in."),
                                           QStringLiteral("K"), QStringLiteral("100"));
    const QCommandLineOption groups(QStringLiteral("groups"),
                                    QStringLiteral("fanout: groups, each with its own sender."),
                                    QStringLiteral("G"), QStringLiteral("1"));
    const QCommandLineOption groupSize(QStringLiteral("group-size"),
                                       QStringLiteral("fanout: members per group."),
                                       QStringLiteral("M"), QStringLiteral("500"));
    const QCommandLineOption serverPid(
        QStringLiteral("server-pid"),
        QStringLiteral("idle, files, pairs, fanout: the process id of the ternd under test (same "
                       "machine); pairs and fanout report its CPU per message."),
        QStringLiteral("PID"), QStringLiteral("0"));
    const QCommandLineOption databasePid(
        QStringLiteral("database-pid"),
        QStringLiteral("pairs, fanout: the process id of the PostgreSQL postmaster behind ternd "
                       "(same machine); the report adds the CPU of it and of every process it "
                       "started, per message."),
        QStringLiteral("PID"), QStringLiteral("0"));
    const QCommandLineOption ackedLog(
        QStringLiteral("acked-log"),
        QStringLiteral("pairs: write every ack (conversation, seq, client id) to FILE."),
        QStringLiteral("FILE"));
    const QCommandLineOption latencyLog(
        QStringLiteral("latency-log"),
        QStringLiteral("pairs, one process: write every ack's send time and send-to-ack "
                       "latency (ms) to FILE."),
        QStringLiteral("FILE"));
    const QCommandLineOption fileMiB(QStringLiteral("file-mib"),
                                     QStringLiteral("files: size of the file in MiB."),
                                     QStringLiteral("MIB"), QStringLiteral("1024"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print only the JSON line."));
    const QCommandLineOption processes(
        QStringLiteral("processes"),
        QStringLiteral("pairs, fanout: run as P processes, each with its share of --users or "
                       "--groups and --rate, started together; the report adds their counts "
                       "and rates and takes the worst process's latencies."),
        QStringLiteral("P"), QStringLiteral("1"));
    QCommandLineOption processIndex(QStringLiteral("process-index"),
                                    QStringLiteral("Internal: this is child I of --processes."),
                                    QStringLiteral("I"), QStringLiteral("-1"));
    processIndex.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({url, scenario, users, window, rate, tick, duration, size, text, friends});
    parser.addOptions({messages, conversations, groups, groupSize, serverPid, databasePid, ackedLog,
                       latencyLog, fileMiB, json, processes, processIndex});
    parser.process(app);

    QTextStream err(stderr);
    OpenLoopPacer::setTickMs(std::clamp(parser.value(tick).toInt(), 1, 100));
    const auto padding = std::find(kTextPaddingNames.begin(), kTextPaddingNames.end(),
                                   parser.value(text).toStdString());
    if (padding == kTextPaddingNames.end()) {
        err << "ternbench: --text is x, words or hanzi, not '" << parser.value(text) << "'\n";
        return 2;
    }
    textPadding() = TextPadding(padding - kTextPaddingNames.begin());
    QString tag = QString::number(QDateTime::currentMSecsSinceEpoch(), 36);
    const int childIndex = parser.value(processIndex).toInt();
    if (childIndex >= 0) {
        setProcessIndex(childIndex);
        tag += QLatin1Char('p') + QString::number(childIndex); // users never collide
    }
    const int processCount = std::max(1, parser.value(processes).toInt());
    if (processCount > 1 && childIndex < 0) {
        const QString name = parser.value(scenario);
        const bool pairsRun = name == QLatin1String("pairs");
        if (!pairsRun && name != QLatin1String("fanout")) {
            err << "ternbench: --processes works with pairs and fanout\n";
            return 2;
        }
        // Each child gets its share; pairs need an even number of users per process.
        const int totalUsers = parser.value(users).toInt();
        const int totalGroups = parser.value(groups).toInt();
        const int totalRate = parser.value(rate).toInt();
        if ((pairsRun && totalUsers / processCount < 2)
            || (!pairsRun && totalGroups < processCount)) {
            err << "ternbench: too few users or groups for " << processCount << " processes\n";
            return 2;
        }
        std::vector<QStringList> childArguments;
        for (int i = 0; i < processCount; ++i) {
            const auto share = [&](int total) {
                return total / processCount + (i < total % processCount ? 1 : 0);
            };
            QStringList arguments {QStringLiteral("--url"),
                                   parser.value(url),
                                   QStringLiteral("--scenario"),
                                   name,
                                   QStringLiteral("--window"),
                                   parser.value(window),
                                   QStringLiteral("--duration"),
                                   parser.value(duration),
                                   QStringLiteral("--size"),
                                   parser.value(size),
                                   QStringLiteral("--text"),
                                   parser.value(text),
                                   QStringLiteral("--group-size"),
                                   parser.value(groupSize),
                                   QStringLiteral("--rate"),
                                   QString::number(share(totalRate)),
                                   QStringLiteral("--tick-ms"),
                                   parser.value(tick),
                                   QStringLiteral("--json"),
                                   QStringLiteral("--process-index"),
                                   QString::number(i)};
            if (pairsRun)
                arguments << QStringLiteral("--users")
                          << QString::number(totalUsers / processCount / 2 * 2);
            else
                arguments << QStringLiteral("--groups") << QString::number(share(totalGroups));
            if (parser.isSet(friends))
                arguments << QStringLiteral("--friends");
            childArguments.push_back(arguments);
        }
        GroupBudget budget;
        budget.serverPid = parser.value(serverPid).toLongLong();
        budget.databasePid = parser.value(databasePid).toLongLong();
        budget.durationS = std::max(1, parser.value(duration).toInt());
        budget.rateKey =
            pairsRun ? QStringLiteral("delivered_per_s") : QStringLiteral("deliveries_per_s");
        budget.unit = pairsRun ? QStringLiteral("msg") : QStringLiteral("delivery");
        const ProcessGroupResult result = runProcessGroup(childArguments, budget);
        QString table = processGroupTable(result.json);
        if (!result.table.isEmpty())
            table += QLatin1Char('\n') + result.table;
        return report(parser.isSet(json), result.json, table, result.error, result.ok);
    }
    // Every user is a socket: allow as many as the hard limit does.
    rlimit files {};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }
    if (parser.value(scenario) == QLatin1String("files")) {
        FilesOptions options;
        options.url = QUrl(parser.value(url));
        options.fileMiB = std::max<qint64>(1, parser.value(fileMiB).toLongLong());
        options.serverPid = parser.value(serverPid).toLongLong();
        options.tag = tag;
        const FilesResult result = runFiles(options);
        return report(parser.isSet(json), result.json, result.table, result.error, result.ok);
    }
    if (parser.value(scenario) == QLatin1String("idle")) {
        IdleOptions options;
        options.url = QUrl(parser.value(url));
        options.connections = std::max(1, parser.value(users).toInt());
        options.idleSeconds = std::max(1, parser.value(duration).toInt());
        options.serverPid = parser.value(serverPid).toLongLong();
        options.tag = tag;
        const IdleResult result = runIdle(options);
        return report(parser.isSet(json), result.json, result.table, result.error, result.ok);
    }
    if (parser.value(scenario) == QLatin1String("storm")) {
        StormOptions options;
        options.url = QUrl(parser.value(url));
        options.devices = std::max(1, parser.value(users).toInt());
        options.tag = tag;
        const StormResult result = runStorm(options);
        return report(parser.isSet(json), result.json, result.table, result.error, result.ok);
    }
    if (parser.value(scenario) == QLatin1String("fanout")) {
        FanoutOptions options;
        options.url = QUrl(parser.value(url));
        options.groups = std::max(1, parser.value(groups).toInt());
        options.groupSize = std::max(2, parser.value(groupSize).toInt());
        options.window = std::max(1, parser.value(window).toInt());
        options.rate = std::max(0, parser.value(rate).toInt());
        options.durationS = std::max(1, parser.value(duration).toInt());
        options.textBytes = std::clamp(parser.value(size).toInt(), 16, 4000);
        options.tag = tag;
        options.serverPid = parser.value(serverPid).toLongLong();
        options.databasePid = parser.value(databasePid).toLongLong();
        const FanoutResult result = runFanout(options);
        return report(parser.isSet(json), result.json, result.table, result.error, result.ok);
    }
    if (parser.value(scenario) == QLatin1String("login")) {
        LoginOptions options;
        options.url = QUrl(parser.value(url));
        options.users = std::max(2, parser.value(users).toInt());
        options.rate = std::max(1, parser.value(rate).toInt());
        options.durationS = std::max(1, parser.value(duration).toInt());
        options.tag = tag;
        const LoginResult result = runLogin(options);
        return report(parser.isSet(json), result.json, result.table, result.error, result.ok);
    }
    if (parser.value(scenario) == QLatin1String("catchup")) {
        CatchupOptions options;
        options.url = QUrl(parser.value(url));
        options.messages = std::max(1, parser.value(messages).toInt());
        options.conversations = std::max(1, parser.value(conversations).toInt());
        options.tag = tag;
        const CatchupResult result = runCatchup(options);
        return report(parser.isSet(json), result.json, result.table, result.error, result.ok);
    }
    if (parser.value(scenario) != QLatin1String("pairs")) {
        err << "ternbench: unknown scenario '" << parser.value(scenario) << "'\n";
        return 2;
    }
    PairsOptions options;
    options.url = QUrl(parser.value(url));
    options.users = parser.value(users).toInt();
    options.window = std::max(1, parser.value(window).toInt());
    options.rate = std::max(0, parser.value(rate).toInt());
    options.durationS = std::max(1, parser.value(duration).toInt());
    options.textBytes = std::clamp(parser.value(size).toInt(), 16, 4000);
    options.friends = parser.isSet(friends);
    options.tag = tag;
    options.ackedLog = parser.value(ackedLog);
    options.latencyLog = parser.value(latencyLog);
    options.serverPid = parser.value(serverPid).toLongLong();
    options.databasePid = parser.value(databasePid).toLongLong();

    const PairsResult result = runPairs(options);
    const bool clean =
        result.completed && result.lost == 0 && result.duplicated == 0 && result.errors == 0;
    return report(parser.isSet(json), result.json, result.table, result.error, clean);
}
