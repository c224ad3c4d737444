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

// What the model tests hold for each test function: a fresh folder, its token file and the
// offline account on it. open() in init(), close() in cleanup(); reopen() is a restart of the
// app on the same folder.
class OfflineAccount
{
public:
    bool open()
    {
        close();
        m_dir = std::make_unique<QTemporaryDir>();
        if (!m_dir->isValid())
            return false;
        m_tokens = std::make_unique<tern::client::FileTokenStore>(
            m_dir->filePath(QStringLiteral("tokens")));
        return reopen();
    }
    bool reopen()
    {
        m_account.reset(); // closes the cache before it opens again
        m_account = openOfflineAccount(*m_dir, *m_tokens);
        return m_account != nullptr;
    }
    void close()
    {
        m_account.reset();
        m_tokens.reset();
        m_dir.reset();
    }
    tern::client::Account *get() const { return m_account.get(); }
    tern::client::Account *operator->() const { return m_account.get(); }
    explicit operator bool() const { return m_account != nullptr; }
    // A file in the account's folder.
    QString filePath(const QString &name) const { return m_dir->filePath(name); }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<tern::client::FileTokenStore> m_tokens;
    std::unique_ptr<tern::client::Account> m_account;
};
