// SPDX-License-Identifier: Apache-2.0
// tern, the desktop app: sets up the application, the account manager and the QML engine.
// Everything else lives in tern_client (C++) and Tern.App (QML).
#include "account.h"
#include "accountmanager.h"
#include "idlewatcher.h"
#include "notificationclicks.h"
#include "preferences.h"
#include "screenshottour.h"
#include "singleinstance.h"
#include "soundalerts.h"
#include "trayicon.h"
#include "windowstate.h"

#include "tern/heaptuning.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Tern_ClientPlugin)
Q_IMPORT_QML_PLUGIN(Tern_AppPlugin)

using tern::client::AccountManager;
using tern::client::Preferences;

int main(int argc, char *argv[])
{
    tern::keepLargeBuffersInHeap(); // file transfers
    // QApplication (not QGuiApplication) for the system tray, which lives in Qt Widgets.
    QApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("tern"));
    QGuiApplication::setOrganizationName(QStringLiteral("Tern"));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Tern"));
    QGuiApplication::setApplicationVersion(QStringLiteral(TERN_VERSION));
    // The launcher entry's name (resources/), so that Wayland shells match windows to it.
    QGuiApplication::setDesktopFileName(QStringLiteral(TERN_APP_ID));
    QGuiApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/tern.svg")));

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
    const QCommandLineOption tour(
        QStringLiteral("screenshot-tour"),
        QStringLiteral("Save a PNG of every main page in each language and theme to DIR, then "
                       "quit. Logs in with TERN_USERNAME and TERN_PASSWORD unless a session is "
                       "saved in the profile."),
        QStringLiteral("DIR"));
    const QCommandLineOption testMedia(
        QStringLiteral("call-test-media"),
        QStringLiteral("In calls, send a test tone and colour bars instead of microphone and "
                       "camera (demos on machines without them)."));
    const QCommandLineOption loopbackIce(
        QStringLiteral("call-loopback"),
        QStringLiteral("Connect calls over 127.0.0.1 only: two instances on one machine "
                       "(demos, tests). Not for real calls."));
    const QCommandLineOption relayOnly(
        QStringLiteral("call-relay-only"),
        QStringLiteral("Send call media only through the server's TURN relay (the other side "
                       "never learns this computer's addresses)."));
    const QCommandLineOption vp8Only(
        QStringLiteral("call-vp8-only"),
        QStringLiteral("Offer and answer video calls with VP8 only (by default H.264 is "
                       "preferred when openh264 is installed)."));
    parser.addOptions(
        {profile, server, fileTokens, tour, testMedia, loopbackIce, relayOnly, vp8Only});
    parser.process(app);

    QString dataDir = parser.value(profile);
    if (dataDir.isEmpty())
        dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dataDir);

    // One instance per profile (the screenshot tour is a separate, short-lived run).
    tern::client::SingleInstance instance(dataDir);
    if (!parser.isSet(tour) && !instance.claim()) {
        qInfo("tern is already running with this profile; showing its window");
        return 0;
    }

    AccountManager::Options options;
    options.dataDir = QDir(dataDir).absolutePath();
    options.settingsFile = QDir(dataDir).filePath(QStringLiteral("tern.ini"));
    options.fileTokensOnly = parser.isSet(fileTokens);
    options.callMedia.testSources = parser.isSet(testMedia);
    options.callMedia.loopbackOnly = parser.isSet(loopbackIce);
    options.callMedia.relayOnly = parser.isSet(relayOnly);
    options.callMedia.h264 = !parser.isSet(vp8Only);
    AccountManager accounts(options);
    AccountManager::setInstance(&accounts);
    Preferences preferences(options.settingsFile);
    Preferences::setInstance(&preferences);
    // Ten minutes without input to any of the app's windows: away, while the user's status is
    // the automatic "Online".
    tern::client::IdleWatcher idle;
    idle.watch(&app);
    QObject::connect(&idle, &tern::client::IdleWatcher::idleChanged, &accounts,
                     &AccountManager::setIdle);
    tern::client::NotificationClicks notificationClicks;
    tern::client::NotificationClicks::setInstance(&notificationClicks);

    // Call video is drawn by GStreamer with OpenGL into the scene (qml6glsink): the scene
    // graph must render with OpenGL too (Windows would pick Direct3D).
    QQuickWindow::setGraphicsApi(QSGRendererInterface::OpenGL);
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

    auto *window = engine.rootObjects().isEmpty()
        ? nullptr
        : qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    // Main.qml leaves the window hidden: it is shown here, where it was left (the screenshot
    // tour keeps Main.qml's fixed size, and what it does to the window is not remembered).
    std::unique_ptr<tern::client::WindowState> windowState;
    if (window && !parser.isSet(tour)) {
        windowState = std::make_unique<tern::client::WindowState>(*window, options.settingsFile);
        windowState->restore();
    }
    if (window)
        window->show();
    std::unique_ptr<tern::client::TrayIcon> tray;
    if (window && !parser.isSet(tour)) {
        tray = std::make_unique<tern::client::TrayIcon>(*window, accounts, notificationClicks);
        // Another start of this profile: this window comes to the front instead.
        QObject::connect(&instance, &tern::client::SingleInstance::activationRequested, tray.get(),
                         [tray = tray.get()] {
                             qInfo("another start of this profile: showing the window");
                             tray->showWindow();
                         });
    }
    // Sounds: the ringtone, the ringback and the pop of a new message, for the current account.
    std::unique_ptr<tern::client::SoundAlerts> sounds;
    if (window && !parser.isSet(tour)) {
        sounds = std::make_unique<tern::client::SoundAlerts>();
        sounds->setWindow(window);
        sounds->setAccount(accounts.current());
        QObject::connect(
            &accounts, &AccountManager::currentChanged, sounds.get(),
            [&accounts, sounds = sounds.get()] { sounds->setAccount(accounts.current()); });
    }
    std::unique_ptr<tern::client::ScreenshotTour> screenshotTour;
    if (parser.isSet(tour)) {
        if (!window)
            return 1;
        screenshotTour = std::make_unique<tern::client::ScreenshotTour>(
            *window, accounts, preferences, parser.value(tour), parser.value(server));
        screenshotTour->start();
    } else if (const QString user = qEnvironmentVariable("TERN_USERNAME"),
               password = qEnvironmentVariable("TERN_PASSWORD");
               !user.isEmpty() && !password.isEmpty() && parser.isSet(server)
               && (!accounts.current() || accounts.current()->username() != user)) {
        // Demos: start logged in (the password comes from the environment, never argv).
        accounts.login(parser.value(server), user, password);
    }
    return QGuiApplication::exec();
}
