// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "account.h"
#include "tokenstore.h"

#include <QTemporaryDir>
#include <QUrl>

#include <memory>

// For unit tests of the models: an account that never connects (no token stored, nobody logs
// in) with its cache in `dir`, which the test fills through the account's stores. Opening it
// again on the same folder is what a restart of the app does. Null when it cannot be opened.
inline std::unique_ptr<tern::client::Account> openOfflineAccount(const QTemporaryDir &dir,
                                                                 tern::client::TokenStore &tokens)
{
    tern::client::Account::Options o;
    o.server = QUrl(QStringLiteral("ws://127.0.0.1:9")); // never dialled
    o.username = QStringLiteral("offline");
    o.dataDir = dir.path();
    o.deviceId = QStringLiteral("offline-device");
    o.deviceName = o.deviceId;
    auto account = std::make_unique<tern::client::Account>(o, &tokens);
    if (!account->open())
        return nullptr;
    return account;
}
