// SPDX-License-Identifier: Apache-2.0
// tern, the desktop app: sets up the application, the account manager and the QML engine.
// Everything else lives in tern_client (C++) and Tern.App (QML).
#include "accountmanager.h"

#include <QCommandLineParser>
#include <QDir>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickStyle>
#include <QStandardPaths>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Tern_ClientPlugin)
Q_IMPORT_QML_PLUGIN(Tern_AppPlugin)

using tern::client::AccountManager;

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("tern"));
    QGuiApplication::setOrganizationName(QStringLiteral("Tern"));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Tern"));
    QGuiApplication::setApplicationVersion(QStringLiteral(TERN_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Tern, a messenger for self-hosted servers."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profile(
        QStringLiteral("profile"),
        QStringLiteral("Keep accounts, caches and settings in DIR instead of the user's data "
                       "directory (two profiles = two independent instances)."),
        QStringLiteral("DIR"));
    const QCommandLineOption server(QStringLiteral("server"),
                                    QStringLiteral("Server to prefill on the login page, e.g. "
                                                   "127.0.0.1:8765."),
                                    QStringLiteral("ADDRESS"));
    const QCommandLineOption fileTokens(
        QStringLiteral("no-keychain"),
        QStringLiteral("Keep device tokens in owner-only files in the profile instead of the "
                       "system keychain (machines without a keychain service)."));
    parser.addOptions({profile, server, fileTokens});
    parser.process(app);

    QString dataDir = parser.value(profile);
    if (dataDir.isEmpty())
        dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dataDir);

    AccountManager::Options options;
    options.dataDir = QDir(dataDir).absolutePath();
    options.settingsFile = QDir(dataDir).filePath(QStringLiteral("tern.ini"));
    options.fileTokensOnly = parser.isSet(fileTokens);
    AccountManager accounts(options);
    AccountManager::setInstance(&accounts);

    QQuickStyle::setStyle(QStringLiteral("Basic"));
    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.setInitialProperties({{QStringLiteral("defaultServer"), parser.value(server)}});
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app,
        [] { QCoreApplication::exit(1); }, Qt::QueuedConnection);
    // Qt 6.4 has no loadFromModule: load the module's Main.qml by its resource path.
    engine.load(QUrl(QStringLiteral("qrc:/Tern/App/Main.qml")));
    accounts.restoreLast();
    return QGuiApplication::exec();
}
