// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>

namespace tern::client {

// Where a device token lives between runs. Keyed by account ("alice@chat.example.org:8765").
// Every call answers once, asynchronously (keychains are D-Bus services).
class TokenStore : public QObject
{
    Q_OBJECT
public:
    enum class Status {
        Ok,
        NotFound,
        // No secure storage reachable (no Secret Service, locked keychain, denied access).
        Unavailable,
        Failed,
    };
    Q_ENUM(Status)

    struct Result
    {
        Status status = Status::Failed;
        QByteArray token; // Ok reads only
        QString error; // for people
    };
    using Callback = std::function<void(const Result &)>;

    using QObject::QObject;

    virtual void read(const QString &account, Callback done) = 0;
    virtual void write(const QString &account, const QByteArray &token, Callback done) = 0;
    virtual void remove(const QString &account, Callback done) = 0;
    // For the UI: "system keychain" or "file on this computer".
    virtual QString description() const = 0;
};

// The OS keychain through QtKeychain (Secret Service, macOS Keychain, Windows Credential Store).
class KeychainTokenStore : public TokenStore
{
    Q_OBJECT
public:
    explicit KeychainTokenStore(const QString &service = QStringLiteral("tern"),
                                QObject *parent = nullptr);

    void read(const QString &account, Callback done) override;
    void write(const QString &account, const QByteArray &token, Callback done) override;
    void remove(const QString &account, Callback done) override;
    QString description() const override;

private:
    QString m_service;
};

// The explicit "remember me on this computer" fallback when no keychain is reachable: one file
// per account, readable by the user only (0600, like an SSH key). Used only when the user chose
// it; the UI says the token is then as safe as the user's home directory.
class FileTokenStore : public TokenStore
{
    Q_OBJECT
public:
    explicit FileTokenStore(const QString &directory, QObject *parent = nullptr);

    void read(const QString &account, Callback done) override;
    void write(const QString &account, const QByteArray &token, Callback done) override;
    void remove(const QString &account, Callback done) override;
    QString description() const override;

    QString pathFor(const QString &account) const;

private:
    QString m_directory;
};

} // namespace tern::client
