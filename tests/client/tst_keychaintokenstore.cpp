// SPDX-License-Identifier: Apache-2.0
// Device tokens in a real keychain: gnome-keyring's Secret Service on a private D-Bus session
// (with-keyring.sh starts both), and what happens when no Secret Service answers (the
// session bus address points nowhere): "unavailable", which makes the login page offer the
// explicit file fallback. Also the file store itself: owner-only, atomic, removable.
// Each case runs in its own process (one session bus per process): see CMakeLists.txt.
#include "tokenstore.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace tern::client;

namespace {

TokenStore::Result wait(const std::function<void(TokenStore::Callback)> &call)
{
    TokenStore::Result result;
    bool done = false;
    call([&](const TokenStore::Result &r) {
        result = r;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 20000))
        result.error = QStringLiteral("no answer");
    return result;
}

} // namespace

class tst_KeychainTokenStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keychainRoundTrip()
    {
        if (qEnvironmentVariableIsEmpty("TERN_TEST_KEYRING"))
            QSKIP("runs under with-keyring.sh (ctest tst_keychain_gnome)");
        KeychainTokenStore store(QStringLiteral("tern-test"));
        const QString account = QStringLiteral("alice@chat.example.org:8765");
        const QByteArray token = QByteArray::fromHex("00ff10203040506070809a0b0c0d0e0f"
                                                     "11223344556677889900aabbccddeeff");
        QCOMPARE(wait([&](auto cb) { store.read(account, cb); }).status,
                 TokenStore::Status::NotFound);
        const auto written = wait([&](auto cb) { store.write(account, token, cb); });
        QVERIFY2(written.status == TokenStore::Status::Ok, qPrintable(written.error));
        const auto read = wait([&](auto cb) { store.read(account, cb); });
        QCOMPARE(read.status, TokenStore::Status::Ok);
        QCOMPARE(read.token, token); // binary-safe, zero bytes included
        // Another account on the same keychain is separate.
        QCOMPARE(wait([&](auto cb) {
                     store.read(QStringLiteral("bob@chat.example.org:8765"), cb);
                 }).status,
                 TokenStore::Status::NotFound);
        QCOMPARE(wait([&](auto cb) { store.remove(account, cb); }).status, TokenStore::Status::Ok);
        QCOMPARE(wait([&](auto cb) { store.read(account, cb); }).status,
                 TokenStore::Status::NotFound);
        // Removing what is not there is not an error (logout after a lost token).
        QCOMPARE(wait([&](auto cb) { store.remove(account, cb); }).status, TokenStore::Status::Ok);
    }

    void noSecretServiceIsUnavailable()
    {
        if (qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS")
            != QLatin1String("unix:path=/nonexistent/tern-test-bus"))
            QSKIP("runs with no session bus (ctest tst_keychain_unavailable)");
        KeychainTokenStore store(QStringLiteral("tern-test"));
        const auto read = wait([&](auto cb) { store.read(QStringLiteral("a@b:1"), cb); });
        QCOMPARE(read.status, TokenStore::Status::Unavailable);
        QVERIFY(!read.error.isEmpty());
        const auto written =
            wait([&](auto cb) { store.write(QStringLiteral("a@b:1"), "secret", cb); });
        QCOMPARE(written.status, TokenStore::Status::Unavailable);
    }

    void fileStoreIsOwnerOnly()
    {
        QTemporaryDir dir;
        FileTokenStore store(dir.filePath(QStringLiteral("tokens")));
        const QString account = QStringLiteral("alice@chat.example.org:8765");
        QCOMPARE(wait([&](auto cb) { store.read(account, cb); }).status,
                 TokenStore::Status::NotFound);
        QCOMPARE(wait([&](auto cb) { store.write(account, QByteArray(32, '\0'), cb); }).status,
                 TokenStore::Status::Ok);
        const QFileInfo file(store.pathFor(account));
        QVERIFY(file.exists());
        QCOMPARE(
            file.permissions()
                & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther),
            QFile::Permissions());
        QVERIFY(!file.fileName().contains(
            QLatin1String("alice"))); // the name does not reveal the account
        const auto read = wait([&](auto cb) { store.read(account, cb); });
        QCOMPARE(read.status, TokenStore::Status::Ok);
        QCOMPARE(read.token, QByteArray(32, '\0'));
        QCOMPARE(wait([&](auto cb) { store.remove(account, cb); }).status, TokenStore::Status::Ok);
        QVERIFY(!QFileInfo::exists(store.pathFor(account)));
    }
};

QTEST_GUILESS_MAIN(tst_KeychainTokenStore)
#include "tst_keychaintokenstore.moc"
