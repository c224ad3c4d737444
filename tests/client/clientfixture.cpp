// SPDX-License-Identifier: Apache-2.0
#include "clientfixture.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTest>

using namespace tern::client;

namespace {

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

QString ClientFixture::start()
{
    if (!pg.start().isEmpty())
        return QStringLiteral("PostgreSQL did not start");
    port = freePort();
    if (port == 0 || !data.isValid())
        return QStringLiteral("no free port or temporary directory");
    tokens = std::make_unique<FileTokenStore>(data.filePath(QStringLiteral("tokens")));
    return startTernd();
}

QString ClientFixture::startTernd()
{
    ternd = std::make_unique<TerndProcess>();
    for (const QString &key : terndEnvironment.keys())
        ternd->environment().insert(key, terndEnvironment.value(key));
    const QString error =
        ternd->startOn(pg, {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port)});
    url = ternd->url();
    return error;
}

std::unique_ptr<Account> ClientFixture::makeAccount(const QString &username, const QString &device)
{
    Account::Options o;
    o.server = url;
    o.username = username;
    o.dataDir = data.filePath(device);
    o.deviceId = device;
    o.deviceName = device;
    o.initialBackoffMs = 100;
    o.maxBackoffMs = 400;
    return std::make_unique<Account>(o, tokens.get());
}

std::unique_ptr<Account> ClientFixture::registered(const QString &name, const QString &device)
{
    auto account = makeAccount(name, device);
    if (!account->open())
        return nullptr;
    QSignalSpy caughtUp(account.get(), &Account::caughtUp);
    account->registerAccount(kPassword, name);
    if (!caughtUp.wait(15000)) {
        qWarning() << "registering" << name << "did not finish:" << account->statusText()
                   << account->connection().lastError();
        return nullptr;
    }
    return account;
}

QString ClientFixture::nextName(const char *prefix)
{
    return QLatin1String(prefix) + QString::number(++userCounter);
}

quint64 ClientFixture::openFrom(Account &account, quint64 peer)
{
    quint64 id = 0;
    QString error = QStringLiteral("no answer");
    account.sync().openDirect(peer, [&](quint64 conversationId, const QString &e) {
        id = conversationId;
        error = e;
    });
    if (!QTest::qWaitFor([&] { return id != 0 || error != QLatin1String("no answer"); }, 10000)
        || id == 0)
        qWarning() << "opening the conversation failed:" << error;
    return id;
}

int ClientFixture::countRows(Account &account, const QString &sql)
{
    QSqlQuery q(account.cache().db());
    q.exec(sql);
    return q.next() ? q.value(0).toInt() : -1;
}
