// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "account.h"
#include "tokenstore.h"

#include "support/pgfixture.h"
#include "support/terndprocess.h"

#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

// What libternclient tests run against: a real PostgreSQL and ternd on a fixed loopback port
// (so that clients reconnect to a restarted server at the same address), accounts with their
// caches in one temporary directory and tokens in a FileTokenStore there.
struct ClientFixture
{
    static inline const QString kPassword = QStringLiteral("client password");

    PgFixture pg;
    std::unique_ptr<TerndProcess> ternd;
    quint16 port = 0;
    QUrl url;
    QTemporaryDir data;
    std::unique_ptr<tern::client::FileTokenStore> tokens;
    int userCounter = 0;
    // Added to ternd's environment (configuration: TERN_CALL_TURN_URLS...); set before start().
    QProcessEnvironment terndEnvironment;

    // PostgreSQL, a free port, ternd; an empty string when all is up.
    QString start();
    // A new ternd process on the same port and database (after terminate()).
    QString startTernd();

    // An account of `username` on device `device` (its cache in data/<device>), not opened.
    std::unique_ptr<tern::client::Account> makeAccount(const QString &username,
                                                       const QString &device);
    // Registers `name` through libternclient and waits until it is online and caught up.
    std::unique_ptr<tern::client::Account> registered(const QString &name, const QString &device);
    QString nextName(const char *prefix);

    // Opens the direct conversation from the account's side, as the UI does; 0 on failure.
    static quint64 openFrom(tern::client::Account &account, quint64 peer);
    static int countRows(tern::client::Account &account, const QString &sql);
};
