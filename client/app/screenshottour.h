// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDir>
#include <QObject>
#include <QStringList>

#include <functional>
#include <vector>

class QQuickWindow;

namespace tern::client {

class AccountManager;
class Preferences;

// `tern --screenshot-tour DIR`: saves a PNG of every main page (login, chats with the newest
// chat open, contacts, settings) in each language and theme, named
// <page>-<language>-<light|dark>.png, then quits (exit code 0 when every file was written).
// The login page is shot first; the tour then logs in with TERN_USERNAME / TERN_PASSWORD
// (or uses the restored session) and waits until the account is online and caught up.
class ScreenshotTour : public QObject
{
    Q_OBJECT
public:
    ScreenshotTour(QQuickWindow &window, AccountManager &accounts, Preferences &preferences,
                   const QString &directory, const QString &server, QObject *parent = nullptr);

    void start();

private:
    void shootAllLooks(const QString &page, std::function<void()> show, std::function<void()> then);
    void shoot(const QString &name);
    void loginAndContinue();
    void shootPages();
    void finish();
    QObject *findItem(const QString &objectName) const;

    QQuickWindow &m_window;
    AccountManager &m_accounts;
    Preferences &m_preferences;
    QDir m_directory;
    QString m_server;
    QStringList m_written;
    QStringList m_failed;
};

} // namespace tern::client
