// SPDX-License-Identifier: Apache-2.0
// AccountManager: saved accounts and the current Account, GUI thread.
#include "accountmanager.h"

#include "account.h"
#include "clientlog.h"
#include "preferences.h"
#include "serverlogouts.h"
#include "tokenstore.h"

#include <QDir>
#include <QFileInfo>
#include <QJSEngine>
#include <QSysInfo>
#include <QTimer>
#include <QUuid>
#include <QVariantMap>

#include <algorithm>

namespace tern::client {

namespace {

AccountManager *s_instance = nullptr;

const QString kAccounts = QStringLiteral("accounts");
const QString kDeviceId = QStringLiteral("device/id");

// The saved entry of (server, username); usernames compare as the server does, caseless.
bool isEntryOf(const QVariant &entry, const QUrl &server, const QString &username)
{
    const QVariantMap m = entry.toMap();
    return m.value(QStringLiteral("server")).toString() == server.toString()
        && m.value(QStringLiteral("username")).toString().toLower() == username.toLower();
}

} // namespace

AccountManager::AccountManager(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_settings(options.settingsFile, QSettings::IniFormat)
    , m_fileTokens(std::make_unique<FileTokenStore>(
          QDir(options.dataDir).filePath(QStringLiteral("tokens"))))
{
    ServerLogouts::Options logouts;
    logouts.settingsFile = options.settingsFile;
    logouts.deviceId = deviceId();
    logouts.deviceName = QSysInfo::machineHostName();
    logouts.initialBackoffMs = options.initialBackoffMs;
    m_serverLogouts = std::make_unique<ServerLogouts>(logouts);
    if (options.fileTokensOnly) {
        m_keychainState = KeychainState::FilesOnly;
        return;
    }
    m_keychain = std::make_unique<KeychainTokenStore>();
    // Ask once whether a keychain answers at all, so the login page can offer the fallback.
    m_keychain->read(QStringLiteral("tern-probe"), [this](const TokenStore::Result &r) {
        m_keychainState = r.status == TokenStore::Status::Unavailable ? KeychainState::Unavailable
                                                                      : KeychainState::Available;
        Q_EMIT keychainStateChanged();
    });
}

AccountManager::~AccountManager()
{
    m_current.reset();
    if (s_instance == this)
        s_instance = nullptr;
}

void AccountManager::setInstance(AccountManager *manager)
{
    s_instance = manager;
}

AccountManager *AccountManager::create(QQmlEngine *, QJSEngine *)
{
    Q_ASSERT_X(s_instance, "AccountManager", "main() must create the instance before QML loads");
    // C++ keeps ownership: QML must not delete it.
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    return s_instance;
}

QUrl AccountManager::serverUrl(const QString &typed)
{
    QString text = typed.trimmed();
    if (text.isEmpty())
        return {};
    if (!text.contains(QLatin1String("://")))
        text.prepend(QStringLiteral("ws://"));
    QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss")))
        return {};
    return url;
}

QVariantList AccountManager::savedAccounts() const
{
    QVariantList list;
    const QVariantList saved = m_settings.value(kAccounts).toList();
    for (const QVariant &v : saved)
        list.append(v);
    return list;
}

QString AccountManager::lastServer() const
{
    const QVariantList saved = m_settings.value(kAccounts).toList();
    return saved.isEmpty() ? QString()
                           : saved.first().toMap().value(QStringLiteral("server")).toString();
}

QString AccountManager::deviceId()
{
    QString id = m_settings.value(kDeviceId).toString();
    if (id.isEmpty()) {
        id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_settings.setValue(kDeviceId, id);
    }
    return id;
}

void AccountManager::remember(const QUrl &server, const QString &username, bool fileTokens)
{
    // Most recent first; one entry per (server, username).
    QVariantList saved = m_settings.value(kAccounts).toList();
    saved.erase(std::remove_if(saved.begin(), saved.end(),
                               [&](const QVariant &v) { return isEntryOf(v, server, username); }),
                saved.end());
    saved.prepend(QVariantMap {{QStringLiteral("server"), server.toString()},
                               {QStringLiteral("username"), username},
                               {QStringLiteral("fileTokens"), fileTokens}});
    m_settings.setValue(kAccounts, saved);
    m_settings.sync();
    Q_EMIT savedAccountsChanged();
}

void AccountManager::forget(const QUrl &server, const QString &username)
{
    QVariantList saved = m_settings.value(kAccounts).toList();
    saved.erase(std::remove_if(saved.begin(), saved.end(),
                               [&](const QVariant &v) { return isEntryOf(v, server, username); }),
                saved.end());
    m_settings.setValue(kAccounts, saved);
    m_settings.sync();
    Q_EMIT savedAccountsChanged();
}

void AccountManager::open(const QUrl &server, const QString &username, bool fileTokens)
{
    Account::Options o;
    o.server = server;
    o.username = username;
    o.dataDir = m_options.dataDir;
    o.deviceId = deviceId();
    o.deviceName = QSysInfo::machineHostName();
    o.initialBackoffMs = m_options.initialBackoffMs;
    o.callMedia = m_options.callMedia;
    // The devices chosen in Settings, now and whenever they change.
    const auto withChosenDevices = [](MediaOptions media) {
        if (const Preferences *preferences = Preferences::instance()) {
            media.microphone = preferences->callMicrophone();
            media.camera = preferences->callCamera();
            media.speaker = preferences->callSpeaker();
        }
        return media;
    };
    o.callMedia = withChosenDevices(o.callMedia);
    TokenStore *tokens = (fileTokens || !m_keychain) ? m_fileTokens.get() : m_keychain.get();
    m_current = std::make_unique<Account>(o, tokens);
    m_current->setIdle(m_idle);
    if (Preferences *preferences = Preferences::instance()) {
        Calls *calls = &m_current->calls();
        connect(preferences, &Preferences::callDevicesChanged, calls, [calls, withChosenDevices] {
            calls->setMediaOptions(withChosenDevices(calls->mediaOptions()));
        });
    }
    connect(m_current.get(), &Account::loginFailed, this, [this](const QString &message) {
        setBusy(false);
        Q_EMIT loginFailed(message);
    });
    connect(m_current.get(), &Account::sessionChanged, this, [this] {
        if (m_current && m_current->status() == Account::Status::Online) {
            remember(m_current->server(), m_current->username(),
                     m_current->property("fileTokens").toBool());
            setBusy(false);
        }
    });
    connect(m_current.get(), &Account::loggedOut, this, [this](const QString &reason) {
        setBusy(false);
        if (!reason.isEmpty())
            Q_EMIT sessionEnded(reason);
    });
    m_current->setProperty("fileTokens", fileTokens);
    if (!m_current->open()) {
        const QString error = m_current->error();
        m_current.reset();
        Q_EMIT currentChanged();
        Q_EMIT loginFailed(tr("The local cache could not be opened: %1").arg(error));
        return;
    }
    Q_EMIT currentChanged();
}

void AccountManager::setIdle(bool idle)
{
    m_idle = idle;
    if (m_current)
        m_current->setIdle(idle);
}

void AccountManager::restoreLast()
{
    const QVariantList saved = m_settings.value(kAccounts).toList();
    if (saved.isEmpty())
        return;
    const QVariantMap m = saved.first().toMap();
    open(QUrl(m.value(QStringLiteral("server")).toString()),
         m.value(QStringLiteral("username")).toString(),
         m.value(QStringLiteral("fileTokens")).toBool());
}

void AccountManager::switchTo(const QString &server, const QString &username)
{
    for (const QVariant &v : savedAccounts()) {
        const QVariantMap m = v.toMap();
        if (m.value(QStringLiteral("server")).toString() == server
            && m.value(QStringLiteral("username")).toString() == username) {
            open(QUrl(server), username, m.value(QStringLiteral("fileTokens")).toBool());
            return;
        }
    }
}

void AccountManager::addAnother()
{
    if (!m_current)
        return;
    m_current.reset();
    Q_EMIT currentChanged();
}

bool AccountManager::start(const QString &server, const QString &username, const QString &password,
                           const QString &displayName, bool registering, bool fileTokens)
{
    const QUrl url = serverUrl(server);
    if (!url.isValid()) {
        Q_EMIT loginFailed(tr("Enter a server address such as chat.example.org:8765."));
        return false;
    }
    if (username.trimmed().isEmpty() || password.isEmpty()) {
        Q_EMIT loginFailed(tr("Enter your username and password."));
        return false;
    }
    open(url, username.trimmed(), fileTokens);
    if (!m_current)
        return false;
    setBusy(true);
    if (registering)
        m_current->registerAccount(password, displayName);
    else
        m_current->login(password);
    return true;
}

void AccountManager::login(const QString &server, const QString &username, const QString &password,
                           bool rememberWithoutKeychain)
{
    start(server, username, password, {}, false, rememberWithoutKeychain);
}

void AccountManager::registerAccount(const QString &server, const QString &username,
                                     const QString &password, const QString &displayName,
                                     bool rememberWithoutKeychain)
{
    start(server, username, password, displayName, true, rememberWithoutKeychain);
}

void AccountManager::logout(bool removeLocalData)
{
    if (!m_current)
        return;
    const QUrl server = m_current->server();
    const QString username = m_current->username();
    const QString folder = m_current->folder();
    // The server hears of it on a connection of its own, now or once it can be reached: the
    // account's connection closes right here, and what it sent last may go with it.
    if (const QByteArray token = m_current->logoutLocally(); !token.isEmpty())
        m_serverLogouts->add(server, token);
    m_current.reset(); // closes the cache's database
    Q_EMIT currentChanged();
    if (!removeLocalData)
        return;
    forget(server, username);
    // A turn of the event loop later: the pages that showed the account have let go of its
    // files by then (a voice note being recorded, pictures on screen).
    QTimer::singleShot(0, this, [this, folder] { removeFolder(folder); });
}

void AccountManager::removeFolder(const QString &folder)
{
    if (m_current && m_current->folder() == folder)
        return; // signed in again meanwhile: the new session uses it
    // Only ever a folder of our own: a username typed with a '/' must not reach elsewhere.
    if (QFileInfo(QDir::cleanPath(folder)).path() != QDir::cleanPath(m_options.dataDir))
        return;
    if (!QDir(folder).removeRecursively())
        qCWarning(lcCache) << "the account's folder could not be removed entirely:" << folder;
    // Versions before per-account folders kept these beside them, shared by all accounts:
    // they go with the last one.
    if (savedAccounts().isEmpty()) {
        for (const char *shared : {"media", "pasted", "avatars"})
            QDir(QDir(m_options.dataDir).filePath(QLatin1String(shared))).removeRecursively();
    }
}

int AccountManager::pendingServerLogouts() const
{
    return m_serverLogouts->count();
}

void AccountManager::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged();
}

} // namespace tern::client
