// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediasession.h"

#include <QObject>
#include <QPointer>
#include <QSettings>
#include <QUrl>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QQmlEngine;
class QJSEngine;

namespace tern::client {

class Account;
class ServerLogouts;
class TokenStore;

// The accounts saved on this computer and the one in use; the login page's entry point.
// Remembers servers and usernames (QSettings), never passwords; tokens go to the keychain, or
// to an owner-only file only when the user chose "remember me on this computer" because no
// keychain answered. Logging out revokes the token on the server, later if it is offline
// (ServerLogouts), and may remove all the account keeps here. One instance per process (QML
// singleton).
class AccountManager : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(tern::client::Account *current READ current NOTIFY currentChanged)
    Q_PROPERTY(QVariantList savedAccounts READ savedAccounts NOTIFY savedAccountsChanged)
    Q_PROPERTY(KeychainState keychainState READ keychainState NOTIFY keychainStateChanged)
    Q_PROPERTY(QString lastServer READ lastServer NOTIFY savedAccountsChanged)
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)
public:
    // FilesOnly: the app was started with --no-keychain (tokens go to owner-only files).
    enum class KeychainState { Checking, Available, Unavailable, FilesOnly };
    Q_ENUM(KeychainState)

    struct Options
    {
        // Per-account caches and the fallback token files live here.
        QString dataDir;
        // Where the account list is kept.
        QString settingsFile;
        // Skip the keychain (tests, demos on machines without a Secret Service).
        bool fileTokensOnly = false;
        int initialBackoffMs = 1000;
        // Call devices (or test sources, loopback ICE for demos) for every account.
        MediaOptions callMedia;
    };

    explicit AccountManager(const Options &options, QObject *parent = nullptr);
    ~AccountManager() override;

    // The process-wide instance QML gets; set by main() (or a test) before QML loads.
    static void setInstance(AccountManager *manager);
    static AccountManager *create(QQmlEngine *, QJSEngine *);

    Account *current() const { return m_current.get(); }
    QVariantList savedAccounts() const;
    KeychainState keychainState() const { return m_keychainState; }
    QString lastServer() const;
    bool isBusy() const { return m_busy; }

    // Opens the most recently used account (resuming its session), if any.
    Q_INVOKABLE void restoreLast();
    // `server` may be "host:port", "ws://host:port" or "wss://host"; errors go to loginFailed.
    Q_INVOKABLE void login(const QString &server, const QString &username, const QString &password,
                           bool rememberWithoutKeychain = false);
    Q_INVOKABLE void registerAccount(const QString &server, const QString &username,
                                     const QString &password, const QString &displayName,
                                     bool rememberWithoutKeychain = false);
    Q_INVOKABLE void switchTo(const QString &server, const QString &username);
    // Shows the login page to add another account; the current one stays signed in (its
    // session is kept) and can be switched back to.
    Q_INVOKABLE void addAnother();
    // `removeLocalData`: also delete the account's folder (cache, media, pasted pictures,
    // avatars) and its saved entry; downloads the user saved elsewhere stay.
    Q_INVOKABLE void logout(bool removeLocalData = false);
    // Whether the user gave the app no input for a while (IdleWatcher): for the current
    // account and every one opened later (away while their status is automatic).
    void setIdle(bool idle);
    // Logouts that a server has yet to hear of (tests).
    int pendingServerLogouts() const;

    // "host:port" and friends to a ws:// or wss:// URL; invalid URL when it cannot be one.
    static QUrl serverUrl(const QString &typed);

Q_SIGNALS:
    void currentChanged();
    void savedAccountsChanged();
    void keychainStateChanged();
    void busyChanged();
    void loginFailed(const QString &message);
    // The session ended without the user asking (revoked, password changed, banned).
    void sessionEnded(const QString &reason);

private:
    bool start(const QString &server, const QString &username, const QString &password,
               const QString &displayName, bool registering, bool fileTokens);
    void open(const QUrl &server, const QString &username, bool fileTokens);
    void remember(const QUrl &server, const QString &username, bool fileTokens);
    void forget(const QUrl &server, const QString &username);
    void removeFolder(const QString &folder);
    void setBusy(bool busy);
    QString deviceId();

    Options m_options;
    QSettings m_settings;
    std::unique_ptr<TokenStore> m_keychain;
    std::unique_ptr<TokenStore> m_fileTokens;
    std::unique_ptr<ServerLogouts> m_serverLogouts;
    std::unique_ptr<Account> m_current;
    KeychainState m_keychainState = KeychainState::Checking;
    bool m_busy = false;
    bool m_idle = false;
};

} // namespace tern::client
