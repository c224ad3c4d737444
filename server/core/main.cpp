// SPDX-License-Identifier: Apache-2.0
// ternd: the Tern messaging daemon.
#include "core/config.h"
#include "core/logging.h"
#include "core/server.h"
#include "core/unixsignals.h"
#include "tern/heaptuning.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <google/protobuf/stubs/logging.h>

#include <cstdio>

using namespace tern::server;

namespace {
void printLine(FILE *stream, const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stream);
    std::fflush(stream);
}
} // namespace

int main(int argc, char *argv[])
{
    tern::keepLargeBuffersInHeap();
    // libprotobuf logs to stderr on its own (e.g. for every frame with invalid UTF-8, which a
    // client controls); route it into a category that is off by default.
    google::protobuf::SetLogHandler(
        [](google::protobuf::LogLevel, const char *, int, const std::string &message) {
            qCDebug(lcNet).noquote() << "protobuf:" << QString::fromStdString(message);
        });
    if (qEnvironmentVariableIsEmpty("QT_MESSAGE_PATTERN")) {
        qSetMessagePattern(
            QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}D%{endif}%{if-info}I%{endif}"
                           "%{if-warning}W%{endif}%{if-critical}E%{endif}%{if-fatal}F%{endif} "
                           "%{category}: %{message}"));
    }
    // Qt's own event dispatcher, not GLib's: GLib keeps socket watches in a list, so enabling
    // and disabling the write watch of each of thousands of sockets (every push does) costs
    // time in proportion to the connections (measured: a 5,000-member group's message took
    // 0.7 s to reach everyone with GLib, 0.13 s without; docs/benchmarks.md).
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ternd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TERN_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral(
            "Tern messaging daemon.\n\n"
            "With no database configured, ternd runs its own PostgreSQL in the data directory.\n"
            "Settings come from defaults < the INI file (--config) < TERN_* environment variables\n"
            "< command-line flags. Every setting and its INI key / environment variable:\n")
        + [] {
              QString text;
              for (const ConfigOption &o : configOptions()) {
                  text += QStringLiteral("  %1 / %2%3\n      %4\n")
                              .arg(QLatin1String(o.key), QLatin1String(o.env),
                                   *o.flag ? QStringLiteral(" / --%1").arg(QLatin1String(o.flag))
                                           : QString(),
                                   QLatin1String(o.help));
              }
              return text;
          }());
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(QStringLiteral("config"),
                                          QStringLiteral("Read settings from INI file <FILE>."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption checkOption(
        QStringLiteral("check-config"),
        QStringLiteral("Validate the configuration, print it and exit (0 = valid)."));
    parser.addOption(configOption);
    parser.addOption(checkOption);
    QList<QCommandLineOption> flagOptions;
    for (const ConfigOption &o : configOptions()) {
        if (!*o.flag)
            continue;
        flagOptions.append(QCommandLineOption(QLatin1String(o.flag), QLatin1String(o.help),
                                              QLatin1String(o.value)));
        parser.addOption(flagOptions.back());
    }
    parser.process(app);
    if (!parser.positionalArguments().isEmpty()) {
        printLine(stderr,
                  QStringLiteral("ternd: unexpected argument '%1' (see --help)")
                      .arg(parser.positionalArguments().constFirst()));
        return 2;
    }

    QHash<QString, QString> flags;
    for (const QCommandLineOption &option : flagOptions) {
        if (parser.isSet(option))
            flags.insert(option.names().constFirst(), parser.value(option));
    }
    const ConfigResult loaded =
        loadConfig(flags, QProcessEnvironment::systemEnvironment(), parser.value(configOption));
    if (!loaded.errors.isEmpty()) {
        for (const QString &error : loaded.errors)
            printLine(stderr, QStringLiteral("ternd: ") + error);
        return 2;
    }
    const ServerConfig &config = loaded.config;
    if (parser.isSet(checkOption)) {
        printLine(stdout, QStringLiteral("configuration OK"));
        printLine(stdout, QStringLiteral("  listen     ") + config.listen.toString());
        printLine(stdout,
                  QStringLiteral("  health     ")
                      + (config.health ? config.health->toString() : QStringLiteral("off")));
        printLine(stdout, QStringLiteral("  workers    ") + QString::number(config.workers));
        printLine(stdout, QStringLiteral("  data dir   ") + config.dataDir);
        printLine(stdout,
                  QStringLiteral("  database   ")
                      + (config.databaseDsn.isEmpty() ? QStringLiteral("embedded")
                                                      : QStringLiteral("external DSN")));
        return 0;
    }

    Server server(config);
    UnixSignals signals_;
    QObject::connect(&signals_, &UnixSignals::terminationRequested, &server, [&](int signal) {
        qCInfo(lcServer) << "received signal" << signal;
        server.stop();
    });
    QObject::connect(
        &server, &Server::stopped, &app, [] { QCoreApplication::exit(0); }, Qt::QueuedConnection);

    if (const QString error = server.start(); !error.isEmpty()) {
        printLine(stderr, QStringLiteral("ternd: ") + error);
        server.stopNow();
        return 1;
    }
    // Machine-readable lines for scripts and tests (the port may have been chosen by the OS).
    // The listening line comes last: once it is printed, everything is up.
    if (const auto health = server.healthListening()) {
        printLine(
            stdout,
            QStringLiteral("ternd: health on http://%1/health/ready").arg(health->toString()));
    }
    printLine(stdout,
              QStringLiteral("ternd: listening on ws://%1").arg(server.listening().toString()));
    return app.exec();
}
