// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QByteArray>
#include <QObject>
#include <QSettings>
#include <QUrl>

namespace tern::client {

class ServerConnection;

// Device tokens of accounts logged out on this computer that their server has yet to revoke.
// Each is kept in the settings file (not in the account's folder, which logging out may
// remove) until a short-lived connection of its own has resumed with it and sent Logout, or
// heard that the token is no longer good (revoked, or the account banned). That connection
// retries with backoff while the app runs, and the next start tries again: a logout while
// offline still ends the session on the server, and the device leaves the user's device list.
class ServerLogouts : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString settingsFile;
        // As in the account's own connection (the server lists the device by its Hello).
        QString deviceId;
        QString deviceName;
        int initialBackoffMs = 1000;
    };

    // Starts telling the servers about the tokens kept from earlier runs.
    explicit ServerLogouts(const Options &options, QObject *parent = nullptr);

    // Keeps `token` and tells `server` now (or once it can be reached).
    void add(const QUrl &server, const QByteArray &token);
    // How many tokens are still kept (tests).
    int count() const;

private:
    void deliver(const QUrl &server, const QByteArray &token);
    void sendResume(ServerConnection *connection, const QByteArray &token);
    void sendLogout(ServerConnection *connection, const QByteArray &token);
    void onRefused(ServerConnection *connection, const QByteArray &token,
                   const proto::Error &error);
    void finish(ServerConnection *connection, const QByteArray &token);
    void save(const QVariantList &pending);

    Options m_options;
    QSettings m_settings;
};

} // namespace tern::client
