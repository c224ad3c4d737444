// SPDX-License-Identifier: Apache-2.0
// libternclient against a real ternd and PostgreSQL: login and resume across dropped
// connections and server restarts, the outbox across client restarts and a database restart
// (nothing lost, nothing twice), catching up after being away while 500 messages arrived and
// after rejoining a group, edits and recalls in the chat list, new chats first in it and
// opened offline, reactions taken back, two accounts in one process, asking to join a group
// and hearing the answer, logging out (removing the account's data or not; offline, the
// server hears of it later).
// Tokens live in a FileTokenStore here; the keychain has its own test.
#include "account.h"
#include "accountmanager.h"
#include "clientfixture.h"
#include "contactlistmodel.h"
#include "conversationlistmodel.h"
#include "friendrequestmodel.h"
#include "groupactions.h"
#include "groupeventtext.h"
#include "groupmembermodel.h"
#include "joinrequestmodel.h"
#include "messagemodel.h"
#include "notifier.h"
#include "tokenstore.h"

#include "support/messagingtest.h"
#include "support/testclient.h"
#include "support/testusers.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace tern;
using namespace tern::client;

class tst_ClientSync : public QObject
{
    Q_OBJECT

    ClientFixture m_fx;

    // Another device of an account's user, speaking the protocol directly.
    TestUser rawDevice(const QString &name, quint64 userId, const QString &device)
    {
        return {loginDevice(m_fx.url, TestUser {nullptr, userId, name, ClientFixture::kPassword},
                            device),
                userId, name, ClientFixture::kPassword};
    }

    // A user speaking the protocol directly (`other`), and an account on `device` with a raw
    // device of its own (`raw`, on `device` + "-raw"); friends unless `befriended` is false.
    struct Peers
    {
        TestUser other;
        QString name; // the account's username
        std::unique_ptr<Account> account;
        TestUser raw;
    };
    std::optional<Peers> peers(const char *other, const char *account, const QString &device,
                               bool befriended = true)
    {
        Peers p {registerTestUser(m_fx.url, m_fx.nextName(other), ClientFixture::kPassword),
                 m_fx.nextName(account),
                 nullptr,
                 {}};
        p.account = m_fx.registered(p.name, device);
        if (!p.other.id || !p.account)
            return std::nullopt;
        p.raw = rawDevice(p.name, p.account->userId(), device + QStringLiteral("-raw"));
        if (!p.raw.client || (befriended && !befriend(p.other, p.raw)))
            return std::nullopt;
        return p;
    }

    // The app's AccountManager on a profile of its own (data/<profile>, tokens in files there),
    // as main() makes it.
    std::unique_ptr<AccountManager> appProfile(const QString &profile)
    {
        AccountManager::Options o;
        o.dataDir = m_fx.data.filePath(profile);
        o.settingsFile = QDir(o.dataDir).filePath(QStringLiteral("tern.ini"));
        o.fileTokensOnly = true;
        o.initialBackoffMs = 100;
        return std::make_unique<AccountManager>(o);
    }

    // The token kept in `profile` for `key`; empty when there is none.
    QByteArray storedToken(const QString &profile, const QString &key)
    {
        FileTokenStore store(m_fx.data.filePath(profile + QStringLiteral("/tokens")));
        QByteArray token;
        bool answered = false;
        store.read(key, [&](const TokenStore::Result &r) {
            token = r.token;
            answered = true;
        });
        if (!QTest::qWaitFor([&] { return answered; }, 5000))
            qWarning("the token store did not answer");
        return token;
    }

    // Signs `name` up in the app's profile and waits until it is online; its device token.
    QByteArray signUpIn(AccountManager &accounts, const QString &profile, const QString &name)
    {
        accounts.registerAccount(m_fx.url.toString(), name, ClientFixture::kPassword, name, true);
        if (!QTest::qWaitFor(
                [&] {
                    return accounts.current()
                        && accounts.current()->status() == Account::Status::Online;
                },
                15000))
            return {};
        return storedToken(profile, accounts.current()->key());
    }

    // Whether the server refuses to resume with `token` (it was revoked).
    bool resumeRefused(const QByteArray &token)
    {
        TestClient raw;
        return raw.open(m_fx.url) && raw.hello().has_welcome()
            && raw.resume(token).error().code() == proto::ERROR_CODE_SESSION_INVALID;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = m_fx.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    // A test that failed while ternd was stopped does not take the next ones down with it.
    void cleanup()
    {
        if (m_fx.ternd && !m_fx.ternd->isRunning())
            QVERIFY2(m_fx.startTernd().isEmpty(), "ternd did not restart");
    }

    // A request failed by a dropped connection whose handler sends again gets an answer
    // (UNAVAILABLE, on the event loop) instead of writing to the socket that is gone.
    void sendingFromAFailedRequestIsAnswered()
    {
        auto account = m_fx.registered(m_fx.nextName("resender"), QStringLiteral("resend-device"));
        QVERIFY(account);
        ServerConnection &connection = account->connection();
        QVERIFY(connection.isConnected());
        proto::Frame ask;
        ask.mutable_get_my_profile();
        std::optional<proto::Frame> first;
        std::optional<proto::Frame> second;
        connection.send(ask, [&](const proto::Frame &answer) {
            first = answer;
            connection.send(ask, [&](const proto::Frame &again) { second = again; });
        });
        connection.abortConnection(); // before the answer could be read
        QTRY_VERIFY_WITH_TIMEOUT(second.has_value(), 5000);
        QCOMPARE(first->error().code(), proto::ERROR_CODE_UNAVAILABLE);
        QCOMPARE(second->error().code(), proto::ERROR_CODE_UNAVAILABLE);
    }

    void registerDropAndResume()
    {
        const QString name = m_fx.nextName("resumer");
        auto account = m_fx.registered(name, QStringLiteral("resume-device"));
        QVERIFY(account);
        QCOMPARE(account->status(), Account::Status::Online);
        const quint64 userId = account->userId();
        QVERIFY(userId != 0);

        // A dropped socket: the account waits, says when it retries, and resumes by token.
        QSignalSpy status(account.get(), &Account::statusChanged);
        account->connection().abortConnection();
        QTRY_VERIFY(account->status() == Account::Status::WaitingToRetry
                    || account->status() == Account::Status::Connecting);
        QTRY_COMPARE_WITH_TIMEOUT(account->status(), Account::Status::Online, 10000);
        QCOMPARE(account->userId(), userId);
        QVERIFY(status.count() >= 2);

        // An app restart: a new Account object finds the token and resumes without a password.
        account.reset();
        auto again = m_fx.makeAccount(name, QStringLiteral("resume-device"));
        QVERIFY(again->open());
        QTRY_COMPARE_WITH_TIMEOUT(again->status(), Account::Status::Online, 10000);
        QCOMPARE(again->userId(), userId);

        // The token ends elsewhere while the app is closed (here: a logout with it): the next
        // start is refused, forgets it and says why in the user's words.
        QByteArray revoked;
        m_fx.tokens->read(again->key(), [&](const TokenStore::Result &r) { revoked = r.token; });
        QTRY_VERIFY(!revoked.isEmpty());
        again.reset();
        {
            TestClient elsewhere;
            QVERIFY(elsewhere.open(m_fx.url));
            QVERIFY(elsewhere.hello(QStringLiteral("resume-device")).has_welcome());
            QVERIFY(elsewhere.resume(revoked).has_session());
            proto::Frame logout;
            logout.mutable_logout();
            QVERIFY(elsewhere.request(logout).has_logout_result());
        }
        auto refused = m_fx.makeAccount(name, QStringLiteral("resume-device"));
        QSignalSpy ended(refused.get(), &Account::loggedOut);
        QVERIFY(refused->open());
        QVERIFY(ended.wait(10000));
        QCOMPARE(ended.first().first().toString(),
                 QStringLiteral("This device's session has ended. Log in again."));
        QCOMPARE(refused->status(), Account::Status::LoggedOut);
        refused.reset();
        again = m_fx.makeAccount(name, QStringLiteral("resume-device"));
        QVERIFY(again->open());
        again->login(ClientFixture::kPassword);
        QTRY_COMPARE_WITH_TIMEOUT(again->status(), Account::Status::Online, 10000);

        // Logging out revokes the token on the server (a raw Resume with it is refused) and
        // forgets it here: the next start has to log in.
        QByteArray token;
        bool tokenRead = false;
        m_fx.tokens->read(again->key(), [&](const TokenStore::Result &r) {
            token = r.token;
            tokenRead = true;
        });
        QTRY_VERIFY(tokenRead);
        QVERIFY(!token.isEmpty());
        QSignalSpy loggedOut(again.get(), &Account::loggedOut);
        again->logout();
        QCOMPARE(again->status(), Account::Status::LoggedOut);
        again.reset();
        auto afterLogout = m_fx.makeAccount(name, QStringLiteral("resume-device"));
        QSignalSpy stillOut(afterLogout.get(), &Account::loggedOut);
        QVERIFY(afterLogout->open());
        QVERIFY(stillOut.wait(5000));
        QCOMPARE(afterLogout->status(), Account::Status::LoggedOut);
        TestClient raw;
        QVERIFY(raw.open(m_fx.url));
        QVERIFY(raw.hello().has_welcome());
        QTRY_VERIFY_WITH_TIMEOUT(
            raw.resume(token).error().code() == proto::ERROR_CODE_SESSION_INVALID, 10000);
    }

    // Logging out and removing what the account keeps here: its folder goes (cache, media,
    // pasted pictures, avatars), and so do its saved entry and its token; the server revokes
    // the token. Files saved elsewhere (the downloads folder) stay.
    void logOutRemovingLocalData()
    {
        const QString profile = QStringLiteral("remove-profile");
        auto accounts = appProfile(profile);
        const QByteArray token = signUpIn(*accounts, profile, m_fx.nextName("leaver"));
        QVERIFY(!token.isEmpty());
        Account *account = accounts->current();
        const QString key = account->key();
        const QString folder = account->folder();
        QVERIFY(QFileInfo::exists(QDir(folder).filePath(QStringLiteral("cache.sqlite"))));
        QCOMPARE(QFileInfo(account->mediaFolder()).path(), folder);
        for (const QString &kept :
             {QStringLiteral("media/voice.wav"), QStringLiteral("pasted/pasted-1.png"),
              QStringLiteral("avatars/a.png")}) {
            const QString path = QDir(folder).filePath(kept);
            QVERIFY(QDir().mkpath(QFileInfo(path).path()));
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("kept here");
        }
        const QString downloaded = m_fx.data.filePath(profile + QStringLiteral("-Downloads/a.pdf"));
        QVERIFY(QDir().mkpath(QFileInfo(downloaded).path()));
        QFile download(downloaded);
        QVERIFY(download.open(QIODevice::WriteOnly));
        download.close();
        QCOMPARE(accounts->savedAccounts().size(), 1);

        accounts->logout(true);
        QVERIFY(!accounts->current());
        QVERIFY(accounts->savedAccounts().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(folder), 5000);
        QVERIFY(QFileInfo::exists(downloaded));
        QVERIFY(storedToken(profile, key).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(accounts->pendingServerLogouts(), 0, 10000);
        QVERIFY(resumeRefused(token));
        // Gone for the next start too.
        accounts.reset();
        QVERIFY(appProfile(profile)->savedAccounts().isEmpty());
    }

    // Logging out and keeping the data: the token is revoked and forgotten; the cache and the
    // saved entry stay.
    void logOutKeepingLocalData()
    {
        const QString profile = QStringLiteral("keep-profile");
        auto accounts = appProfile(profile);
        const QString name = m_fx.nextName("stayer");
        const QByteArray token = signUpIn(*accounts, profile, name);
        QVERIFY(!token.isEmpty());
        const QString key = accounts->current()->key();
        const QString cache =
            QDir(accounts->current()->folder()).filePath(QStringLiteral("cache.sqlite"));

        accounts->logout(false);
        QVERIFY(!accounts->current());
        QTRY_COMPARE_WITH_TIMEOUT(accounts->pendingServerLogouts(), 0, 10000);
        QVERIFY(resumeRefused(token));
        QVERIFY(storedToken(profile, key).isEmpty());
        QVERIFY(QFileInfo::exists(cache));
        QCOMPARE(accounts->savedAccounts().size(), 1);
        QCOMPARE(accounts->savedAccounts().first().toMap().value(QStringLiteral("username")),
                 QVariant(name));
    }

    // Logging out while the server is away: done here at once, and the server hears of it
    // once it is back, after an app restart too; the token then no longer works and the
    // user's other devices no longer list this one.
    void offlineLogOutReachesTheServerLater()
    {
        const QString profile = QStringLiteral("offline-profile");
        auto accounts = appProfile(profile);
        const QString name = m_fx.nextName("traveller");
        const QByteArray token = signUpIn(*accounts, profile, name);
        QVERIFY(!token.isEmpty());
        const quint64 userId = accounts->current()->userId();
        const QString key = accounts->current()->key();
        const QString folder = accounts->current()->folder();

        QCOMPARE(m_fx.ternd->terminate(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(accounts->current()->status() != Account::Status::Online, 10000);
        accounts->logout(true);
        QVERIFY(!accounts->current());
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(folder), 5000);
        QVERIFY(storedToken(profile, key).isEmpty());
        // Kept for the server in the settings file, which only the user may read now.
        QCOMPARE(accounts->pendingServerLogouts(), 1);
        const QString settings = m_fx.data.filePath(profile + QStringLiteral("/tern.ini"));
        QVERIFY(!(QFile::permissions(settings)
                  & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther)));
        QTest::qWait(500); // a few attempts meet no server
        QCOMPARE(accounts->pendingServerLogouts(), 1);
        accounts.reset(); // the app quits
        accounts = appProfile(profile);
        QCOMPARE(accounts->pendingServerLogouts(), 1);

        QVERIFY2(m_fx.startTernd().isEmpty(), "ternd did not restart");
        QTRY_COMPARE_WITH_TIMEOUT(accounts->pendingServerLogouts(), 0, 30000);
        QVERIFY(resumeRefused(token));
        auto other =
            loginDevice(m_fx.url, TestUser {nullptr, userId, name, ClientFixture::kPassword},
                        QStringLiteral("offline-other"));
        QVERIFY(other);
        proto::Frame list;
        list.mutable_list_sessions();
        const proto::Frame sessions = other->request(list);
        QVERIFY(sessions.has_session_list());
        QCOMPARE(sessions.session_list().sessions_size(), 1);
        QVERIFY(sessions.session_list().sessions(0).current());
    }

    void wrongPasswordIsReported()
    {
        const QString name = m_fx.nextName("forgetful");
        auto account = m_fx.registered(name, QStringLiteral("pw-device-1"));
        QVERIFY(account);
        auto other = m_fx.makeAccount(name, QStringLiteral("pw-device-2"));
        QVERIFY(other->open());
        QSignalSpy failed(other.get(), &Account::loginFailed);
        other->login(QStringLiteral("not the password"));
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().first().toString(), QStringLiteral("Wrong username or password."));
        QCOMPARE(other->status(), Account::Status::LoggedOut);
        other->login(ClientFixture::kPassword);
        QTRY_COMPARE_WITH_TIMEOUT(other->status(), Account::Status::Online, 10000);
    }

    // A device that has only a chat's newest page fetches older pages from the server when
    // scrolled up. A fetch that fails (the server is away) says why and is not taken for the
    // beginning of the chat: once the server is back, scrolling up goes on.
    void olderHistoryThatFailedToArriveIsFetchedAgain()
    {
        auto p = peers("uma", "vic", QStringLiteral("older-device"));
        QVERIFY(p);
        TestUser &uma = p->other;
        const QString vicName = p->name;
        const quint64 vicId = p->account->userId();
        p->account.reset();
        const quint64 conversation = openDirect(*uma.client, vicId);
        QVERIFY(conversation);
        for (int i = 0; i < 80; ++i)
            QVERIFY(sendText(*uma.client, conversation, QStringLiteral("o%1").arg(i))
                        .has_message_ack());
        // A new device: its first sync keeps the newest page only.
        auto vic = m_fx.makeAccount(vicName, QStringLiteral("older-device-2"));
        QVERIFY(vic->open());
        QSignalSpy caughtUp(vic.get(), &Account::caughtUp);
        vic->login(ClientFixture::kPassword);
        QVERIFY(caughtUp.wait(15000));
        MessageModel timeline;
        timeline.setAccount(vic.get());
        timeline.setConversationId(conversation);
        const int before = timeline.rowCount();
        QVERIFY2(before > 0 && before < 80, qPrintable(QString::number(before)));

        QCOMPARE(m_fx.ternd->terminate(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(vic->status() != Account::Status::Online, 10000);
        // The status says why the app is offline.
        QTRY_VERIFY_WITH_TIMEOUT(vic->statusText().contains(QLatin1String("Connection refused")),
                                 10000);
        QSignalSpy failed(&timeline, &MessageModel::actionFailed);
        QVERIFY(timeline.canFetchMore({}));
        timeline.fetchMore({});
        QTRY_VERIFY_WITH_TIMEOUT(!timeline.isLoadingOlder(), 10000);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(timeline.rowCount(), before);
        QVERIFY(!timeline.isAtBeginning());
        // Pinning meanwhile is refused for that chat, with the reason (the chat shows it).
        QSignalSpy notPinned(vic.get(), &Account::conversationSettingsFailed);
        vic->setConversationPinned(double(conversation), true);
        QVERIFY(notPinned.wait(5000));
        QCOMPARE(notPinned.first().at(0).toDouble(), double(conversation));
        QVERIFY(!notPinned.first().at(1).toString().isEmpty());

        QVERIFY2(m_fx.startTernd().isEmpty(), "ternd did not restart");
        QTRY_COMPARE_WITH_TIMEOUT(vic->status(), Account::Status::Online, 20000);
        QVERIFY(timeline.canFetchMore({}));
        timeline.fetchMore({});
        QTRY_VERIFY_WITH_TIMEOUT(timeline.rowCount() > before, 15000);
    }

    // Read receipts are one setting on all of a user's devices: turned off on one, the other
    // hears it; a device that logs in later reads it.
    void readReceiptsFollowTheUserAcrossDevices()
    {
        const QString name = m_fx.nextName("quiet");
        auto phone = m_fx.registered(name, QStringLiteral("receipts-phone"));
        QVERIFY(phone);
        auto laptop = m_fx.makeAccount(name, QStringLiteral("receipts-laptop"));
        QVERIFY(laptop->open());
        QSignalSpy laptopHeard(laptop.get(), &Account::messagingSettingsChanged);
        laptop->login(ClientFixture::kPassword);
        QVERIFY(laptopHeard.wait(15000)); // read after logging in: on, the default
        QVERIFY(laptop->readReceipts());
        QSignalSpy phoneHeard(phone.get(), &Account::messagingSettingsChanged);
        phone->setReadReceipts(false);
        QVERIFY(phoneHeard.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!phone->readReceipts(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!laptop->readReceipts(), 10000); // pushed
        auto tablet = m_fx.makeAccount(name, QStringLiteral("receipts-tablet"));
        QVERIFY(tablet->open());
        QSignalSpy tabletCaughtUp(tablet.get(), &Account::caughtUp);
        tablet->login(ClientFixture::kPassword);
        QVERIFY(tabletCaughtUp.wait(15000));
        QTRY_VERIFY_WITH_TIMEOUT(!tablet->readReceipts(), 10000); // read at login
    }

    // A login to an address where no server answers fails with the reason instead of
    // retrying behind an empty window; a stored session would keep retrying instead.
    void loginToAnUnreachableServerFails()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close(); // nothing listens there now
        Account::Options o;
        o.server = QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port));
        o.username = m_fx.nextName("lost");
        o.dataDir = m_fx.data.filePath(QStringLiteral("unreachable-device"));
        o.deviceId = QStringLiteral("unreachable-device");
        o.deviceName = o.deviceId;
        o.initialBackoffMs = 100;
        o.maxBackoffMs = 400;
        Account account(o, m_fx.tokens.get());
        QVERIFY(account.open());
        QSignalSpy failed(&account, &Account::loginFailed);
        account.login(ClientFixture::kPassword);
        QVERIFY(failed.wait(10000));
        const QString reason = failed.first().first().toString();
        QVERIFY2(reason.startsWith(QStringLiteral("The server could not be reached")),
                 qPrintable(reason));
        QCOMPARE(account.status(), Account::Status::LoggedOut);
        // It does not retry behind the user's back.
        QTest::qWait(1000);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(account.connection().state(), ServerConnection::State::Offline);
    }

    // The server goes away; messages written meanwhile wait in the outbox, survive the app
    // being closed and reopened, and arrive exactly once when the server is back.
    void outboxSurvivesRestarts()
    {
        TestUser bob = registerTestUser(m_fx.url, m_fx.nextName("bob"), ClientFixture::kPassword);
        QVERIFY(bob.id);
        const QString aliceName = m_fx.nextName("alice");
        auto alice = m_fx.registered(aliceName, QStringLiteral("outbox-device"));
        QVERIFY(alice);
        TestUser aliceRaw;
        aliceRaw.client = loginDevice(
            m_fx.url, TestUser {nullptr, alice->userId(), aliceName, ClientFixture::kPassword},
            QStringLiteral("outbox-raw"));
        QVERIFY(aliceRaw.client);
        aliceRaw.id = alice->userId();
        aliceRaw.name = aliceName;
        aliceRaw.password = ClientFixture::kPassword;
        QVERIFY(befriend(aliceRaw, bob));
        const quint64 conversation = ClientFixture::openFrom(*alice, bob.id);
        QVERIFY(conversation);

        QCOMPARE(m_fx.ternd->terminate(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(alice->status(), Account::Status::WaitingToRetry, 10000);
        QStringList ids;
        for (int i = 0; i < 3; ++i)
            ids << alice->outbox().sendText(conversation, QStringLiteral("offline %1").arg(i));
        QVERIFY(!ids.contains(QString()));
        QCOMPARE(alice->outboxStore().list(conversation).size(), size_t(3));
        alice.reset(); // the app quits with three unsent messages

        // One of them did reach the server before the app quit (its ack was lost): sent by
        // another connection of the same user with the same client_msg_id.
        QVERIFY2(m_fx.startTernd().isEmpty(), "ternd did not restart");
        aliceRaw.client = loginDevice(m_fx.url, aliceRaw, QStringLiteral("outbox-raw"));
        QVERIFY(aliceRaw.client);
        QVERIFY(sendText(*aliceRaw.client, conversation, QStringLiteral("offline 0"), ids[0])
                    .has_message_ack());

        auto reopened = m_fx.makeAccount(aliceName, QStringLiteral("outbox-device"));
        QVERIFY(reopened->open());
        QCOMPARE(reopened->outboxStore().list(conversation).size(), size_t(3)); // shown at once
        [[maybe_unused]] const bool empty =
            QTest::qWaitFor([&] { return reopened->outboxStore().list().empty(); }, 15000);
        for (const auto &m : reopened->outboxStore().list())
            qWarning() << "left in the outbox:" << m.clientMsgId << m.failed << m.error;
        QCOMPARE(reopened->outboxStore().list().size(), size_t(0));

        // The server holds each once, in the order written.
        bob.client = loginDevice(m_fx.url, bob, QStringLiteral("bob-2"));
        QVERIFY(bob.client);
        const auto history = fetchAllAfter(*bob.client, conversation, 0);
        QStringList texts;
        for (const auto &m : history)
            texts << QString::fromStdString(m.content().text());
        QCOMPARE(texts,
                 (QStringList {QStringLiteral("offline 0"), QStringLiteral("offline 1"),
                               QStringLiteral("offline 2")}));
        // And so does the cache, with the server's seqs.
        QTRY_COMPARE(ClientFixture::countRows(
                         *reopened,
                         QStringLiteral("SELECT count(*) FROM messages WHERE conversation_id = %1")
                             .arg(conversation)),
                     3);
        const auto page = reopened->messages().page(conversation, 0, 10);
        QCOMPARE(page.size(), size_t(3));
        for (size_t i = 0; i < page.size(); ++i) {
            QCOMPARE(page[i].seq(), history[i].seq());
            QCOMPARE(QString::fromStdString(page[i].client_msg_id()), ids[qsizetype(i)]);
        }
    }

    // Away while a friend sent 500 messages: on reopening, the cache gets every one of them,
    // in order, once, and the conversation shows them unread.
    void catchesUpAfterBeingAway()
    {
        auto p = peers("carol", "dave", QStringLiteral("away-device"));
        QVERIFY(p);
        TestUser &carol = p->other;
        const QString daveName = p->name;
        auto &dave = p->account;
        const quint64 conversation = openDirect(*carol.client, dave->userId());
        QVERIFY(sendText(*carol.client, conversation, QStringLiteral("before")).has_message_ack());
        QTRY_VERIFY_WITH_TIMEOUT(dave->messages().page(conversation, 0, 10).size() == 1, 10000);
        dave.reset();

        constexpr int kAway = 500;
        std::vector<quint64> posted;
        for (int i = 0; i < kAway; ++i)
            posted.push_back(carol.client->post(textMessageFrame(
                conversation, QStringLiteral("away %1").arg(i), newClientMsgId())));
        for (quint64 id : posted)
            QVERIFY(carol.client->answerTo(id).has_message_ack());

        auto back = m_fx.makeAccount(daveName, QStringLiteral("away-device"));
        QSignalSpy caughtUp(back.get(), &Account::caughtUp);
        QSignalSpy progress(back.get(), &Account::chatsToSyncChanged);
        QVERIFY(back->open());
        QCOMPARE(back->messages().page(conversation, 0, 10).size(), size_t(1)); // cached, offline
        QVERIFY(caughtUp.wait(20000));
        // The catch-up told how many chats it had to fetch, and that none is left.
        QVERIFY(progress.size() >= 2);
        QCOMPARE(back->chatsToSync(), 0);
        QCOMPARE(ClientFixture::countRows(
                     *back,
                     QStringLiteral("SELECT count(*) FROM messages WHERE conversation_id = %1")
                         .arg(conversation)),
                 kAway + 1);
        const auto all = back->messages().page(conversation, 0, kAway + 10);
        QCOMPARE(all.size(), size_t(kAway + 1));
        for (int i = 0; i < kAway; ++i) {
            QCOMPARE(all[size_t(i + 1)].seq(), all[size_t(i)].seq() + 1);
            QCOMPARE(QString::fromStdString(all[size_t(i + 1)].content().text()),
                     QStringLiteral("away %1").arg(i));
        }
        const auto state = back->conversations().get(conversation);
        QVERIFY(state);
        QCOMPARE(state->state.unread_count(), quint32(kAway + 1)); // "before" was not read either
        QCOMPARE(state->haveSeq, state->state.last_seq());
        QCOMPARE(QString::fromStdString(state->state.last_message().content().text()),
                 QStringLiteral("away %1").arg(kAway - 1));
        // The peer's name is known for the conversation list.
        QTRY_VERIFY(back->users().get(carol.id) && back->users().get(carol.id)->profile);
    }

    // A group event names people this device may never have seen (they send nothing to it):
    // their profiles are fetched with the event, and the event reads with their names.
    void groupEventsNameStrangers()
    {
        auto p = peers("founder", "member", QStringLiteral("event-device"), false);
        QVERIFY(p);
        TestUser third =
            registerTestUser(m_fx.url, m_fx.nextName("third"), ClientFixture::kPassword);
        QVERIFY(third.id);
        const quint64 group = createGroupWith(p->other, {&p->raw}, QStringLiteral("Strangers"));
        QVERIFY(group);
        QVERIFY(befriend(p->other, third)); // so that an invitation adds them at once
        proto::Frame invite;
        invite.mutable_invite_to_group()->set_group_id(group);
        invite.mutable_invite_to_group()->add_user_ids(third.id);
        QVERIFY(p->other.client->request(invite).has_group_change_result());
        Account &device = *p->account;
        const auto known = [&device](quint64 id) {
            const auto user = device.users().get(id);
            return user && user->profile;
        };
        const quint64 conversation = openGroupConversation(*p->other.client, group);
        QVERIFY(conversation);
        QTRY_VERIFY_WITH_TIMEOUT(known(p->other.id) && known(third.id), 10000);
        QString added;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const proto::Message &m : device.messages().page(conversation, 0, 10)) {
                    if (m.has_group_event()
                        && m.group_event().kind() == proto::GroupEvent::KIND_MEMBERS_ADDED)
                        added = describeGroupEvent(m.group_event(), device);
                }
                return !added.isEmpty();
            }(),
            10000);
        QVERIFY2(added.contains(device.users().get(third.id)->shownName()), qPrintable(added));
        QVERIFY2(added.contains(device.users().get(p->other.id)->shownName()), qPrintable(added));
        QVERIFY2(!added.contains(QLatin1String("Someone")), qPrintable(added));
    }

    // Asking to join a group that admins approve, by its number: the request is listed with
    // the group's name, a decline shows until dismissed, an approval opens the group's chat.
    void joinRequestsFollowTheirAnswers()
    {
        auto p = peers("hikeadmin", "hikeapplicant", QStringLiteral("join-device"), false);
        QVERIFY(p);
        Account &device = *p->account;
        TestUser &owner = p->other;
        const quint64 group = createGroupWith(owner, {}, QStringLiteral("Hikers"));
        QVERIFY(group);
        const QString number = QString::number(group);
        JoinRequestModel requests;
        QAbstractItemModelTester tester(&requests,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        requests.setAccount(&device);
        QSignalSpy asked(&device, &Account::joinRequested);
        QSignalSpy failed(&device, &Account::actionFailed);

        // Refusals come back in words, and nothing is listed.
        device.requestToJoinGroup(QStringLiteral("12ab"), {});
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.takeFirst().at(0).toString(),
                 QStringLiteral("A group number has only digits."));
        device.requestToJoinGroup(number, {});
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.takeFirst().at(0).toString(),
                 QStringLiteral("This group does not take requests to join."));
        QCOMPARE(requests.rowCount(), 0);

        proto::Frame policy;
        policy.mutable_update_group()->set_group_id(group);
        policy.mutable_update_group()->set_join_policy(proto::GROUP_JOIN_POLICY_APPROVAL);
        QVERIFY(owner.client->request(policy).has_group_change_result());
        const auto ownerAnswers = [&](bool approve) {
            proto::Frame list;
            list.mutable_list_join_applications()->set_group_id(group);
            const proto::Frame listed = owner.client->request(list);
            if (listed.join_application_list().applications_size() != 1)
                return false;
            proto::Frame answer;
            answer.mutable_answer_join_application()->set_application_id(
                listed.join_application_list().applications(0).application_id());
            answer.mutable_answer_join_application()->set_approve(approve);
            return owner.client->request(answer).has_group_change_result();
        };

        device.requestToJoinGroup(QStringLiteral(" %1 ").arg(number), QStringLiteral("I hike"));
        QVERIFY(asked.wait(10000));
        QCOMPARE(asked.takeFirst().at(0).toString(), QStringLiteral("Hikers"));
        QTRY_COMPARE_WITH_TIMEOUT(requests.rowCount(), 1, 10000);
        const QModelIndex row = requests.index(0);
        QCOMPARE(row.data(JoinRequestModel::GroupNameRole).toString(), QStringLiteral("Hikers"));
        QCOMPARE(row.data(JoinRequestModel::MemberCountRole).toInt(), 1);
        QCOMPARE(row.data(JoinRequestModel::DeclinedRole).toBool(), false);
        // A model set up later lists it from the server.
        JoinRequestModel listed;
        listed.setAccount(&device);
        QTRY_COMPARE_WITH_TIMEOUT(listed.rowCount(), 1, 10000);
        QCOMPARE(listed.index(0).data(JoinRequestModel::GroupNameRole).toString(),
                 QStringLiteral("Hikers"));

        QVERIFY(ownerAnswers(false));
        QTRY_VERIFY_WITH_TIMEOUT(requests.index(0).data(JoinRequestModel::DeclinedRole).toBool(),
                                 10000);
        requests.dismiss(requests.index(0).data(JoinRequestModel::ApplicationIdRole).toDouble());
        QCOMPARE(requests.rowCount(), 0);

        device.requestToJoinGroup(number, {});
        QVERIFY(asked.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(requests.rowCount(), 1, 10000);
        QVERIFY(ownerAnswers(true));
        QTRY_COMPARE_WITH_TIMEOUT(requests.rowCount(), 0, 10000);
        // The other model was not told to dismiss the decline: only that is left there.
        QTRY_COMPARE_WITH_TIMEOUT(listed.rowCount(), 1, 10000);
        QVERIFY(listed.index(0).data(JoinRequestModel::DeclinedRole).toBool());
        const quint64 conversation = openGroupConversation(*owner.client, group);
        QVERIFY(conversation);
        QTRY_VERIFY_WITH_TIMEOUT(device.conversations().get(conversation)
                                     && device.conversations().get(conversation)->state.active(),
                                 10000);

        // Let in another way while a request waits: the request leaves the list.
        const quint64 second = createGroupWith(owner, {}, QStringLiteral("Climbers"));
        QVERIFY(second);
        policy.mutable_update_group()->set_group_id(second);
        QVERIFY(owner.client->request(policy).has_group_change_result());
        // Withdrawn: the row goes at once.
        device.requestToJoinGroup(QString::number(second), {});
        QVERIFY(asked.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(requests.rowCount(), 1, 10000);
        QSignalSpy refused(&requests, &JoinRequestModel::actionFailed);
        const double waiting =
            requests.index(0).data(JoinRequestModel::ApplicationIdRole).toDouble();
        requests.withdraw(waiting);
        QTRY_COMPARE_WITH_TIMEOUT(requests.rowCount(), 0, 10000);
        requests.withdraw(waiting); // twice: refused in words
        QVERIFY(refused.wait(10000));
        QCOMPARE(refused.takeFirst().at(0).toString(),
                 QStringLiteral("This was answered or cancelled already."));

        device.requestToJoinGroup(QString::number(second), {});
        QVERIFY(asked.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(requests.rowCount(), 1, 10000);
        QVERIFY(allowGroupAddsFromEveryone(p->raw));
        proto::Frame invite;
        invite.mutable_invite_to_group()->set_group_id(second);
        invite.mutable_invite_to_group()->add_user_ids(device.userId());
        QVERIFY(owner.client->request(invite).has_group_change_result());
        QTRY_COMPARE_WITH_TIMEOUT(requests.rowCount(), 0, 10000);
        QCOMPARE(failed.count(), 0);
    }

    // A refused invitation names whom it is about, as this device knows them.
    void refusedInviteNamesWhom()
    {
        auto p = peers("blocker", "inviter", QStringLiteral("inviter-device"));
        QVERIFY(p);
        Account &device = *p->account;
        QTRY_VERIFY_WITH_TIMEOUT(
            device.users().get(p->other.id) && device.users().get(p->other.id)->profile, 10000);
        const QString name = device.users().get(p->other.id)->shownName();
        const quint64 group = createGroupWith(p->raw, {}, QStringLiteral("Nobody yet"));
        QVERIFY(group);
        proto::Frame block;
        block.mutable_block_user()->set_user_id(device.userId());
        QVERIFY(p->other.client->request(block).has_contact());
        QString error;
        bool answered = false;
        device.groupActions().invite(group, {p->other.id}, [&](const QString &e) {
            error = e;
            answered = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
        QCOMPARE(error, QStringLiteral("%1 cannot be added to a group by you.").arg(name));
    }

    // Left a group and was added again: what was said in between is outside the member's
    // window and never comes, yet the device catches up past it and takes what follows.
    void catchesUpAfterRejoiningAGroup()
    {
        auto p = peers("owner", "rejoiner", QStringLiteral("rejoin-device"), false);
        QVERIFY(p);
        TestUser &owner = p->other;
        const QString name = p->name;
        auto &device = p->account;
        TestUser &raw = p->raw;
        const quint64 group = createGroupWith(owner, {&raw}, QStringLiteral("Rejoiners"));
        QVERIFY(group);
        const quint64 conversation = openGroupConversation(*owner.client, group);
        QVERIFY(conversation);
        QVERIFY(sendText(*owner.client, conversation, QStringLiteral("first")).has_message_ack());

        proto::Frame leave;
        leave.mutable_leave_group()->set_group_id(group);
        QVERIFY(raw.client->request(leave).has_group_change_result());
        // The device has everything up to the leave event, then goes away.
        QTRY_VERIFY_WITH_TIMEOUT(
            device->conversations().get(conversation)
                && !device->conversations().get(conversation)->state.active()
                && device->conversations().get(conversation)->haveSeq
                    == device->conversations().get(conversation)->state.last_seq(),
            10000);
        device.reset();

        QVERIFY(sendText(*owner.client, conversation, QStringLiteral("behind your back"))
                    .has_message_ack());
        proto::Frame invite;
        invite.mutable_invite_to_group()->set_group_id(group);
        invite.mutable_invite_to_group()->add_user_ids(raw.id);
        QVERIFY(owner.client->request(invite).has_group_change_result());
        const proto::Frame after =
            sendText(*owner.client, conversation, QStringLiteral("welcome back"));
        QVERIFY(after.has_message_ack());

        auto back = m_fx.makeAccount(name, QStringLiteral("rejoin-device"));
        QSignalSpy caughtUp(back.get(), &Account::caughtUp);
        QVERIFY(back->open());
        QVERIFY(caughtUp.wait(15000));
        const auto state = back->conversations().get(conversation);
        QVERIFY(state);
        QVERIFY(state->state.active());
        QCOMPARE(state->state.last_seq(), after.message_ack().seq());
        QCOMPARE(state->haveSeq, state->state.last_seq());
        const auto cached = back->messages().page(conversation, 0, 50);
        QVERIFY(!cached.empty());
        QCOMPARE(QString::fromStdString(cached.back().content().text()),
                 QStringLiteral("welcome back"));
        for (const auto &m : cached)
            QVERIFY(m.content().text() != "behind your back");
    }

    // A friend edits, then recalls, the newest message: the chat list's preview follows, and
    // the recalled message no longer counts as unread.
    void editAndRecallReachTheChatList()
    {
        auto p = peers("erin", "fred", QStringLiteral("preview-device"));
        QVERIFY(p);
        TestUser &erin = p->other;
        auto &fred = p->account;
        const quint64 conversation = openDirect(*erin.client, fred->userId());
        QVERIFY(sendText(*erin.client, conversation, QStringLiteral("first")).has_message_ack());
        const proto::Frame secret = sendText(*erin.client, conversation, QStringLiteral("secret"));
        QVERIFY(secret.has_message_ack());
        const quint64 seq = secret.message_ack().seq();
        const auto preview = [&] { return fred->conversations().get(conversation); };
        QTRY_VERIFY_WITH_TIMEOUT(preview() && preview()->state.last_message().seq() == seq
                                     && preview()->state.unread_count() == 2,
                                 10000);

        proto::Frame edit;
        edit.mutable_edit_message()->set_conversation_id(conversation);
        edit.mutable_edit_message()->set_target_seq(seq);
        edit.mutable_edit_message()->set_client_msg_id(newClientMsgId().toStdString());
        edit.mutable_edit_message()->set_text("secret, edited");
        QVERIFY(erin.client->request(edit).has_message_ack());
        QTRY_COMPARE_WITH_TIMEOUT(preview()->state.last_message().content().text(),
                                  std::string("secret, edited"), 10000);
        QCOMPARE(preview()->state.unread_count(), 2u);

        proto::Frame recall;
        recall.mutable_recall_message()->set_conversation_id(conversation);
        recall.mutable_recall_message()->set_target_seq(seq);
        recall.mutable_recall_message()->set_client_msg_id(newClientMsgId().toStdString());
        QVERIFY(erin.client->request(recall).has_message_ack());
        QTRY_VERIFY_WITH_TIMEOUT(preview()->state.last_message().recalled(), 10000);
        QVERIFY(!preview()->state.last_message().has_content());
        QCOMPARE(preview()->state.unread_count(), 1u);
    }

    // A group one was added to ("X added you", no message) and a chat just opened with a
    // friend (nothing in it) come first in the chat list, dated, above an older chat with a
    // message. Offline, that friend's chat opens from Contacts at once from the cache.
    void newChatsComeFirstAndOpenOffline()
    {
        auto p = peers("nora", "otto", QStringLiteral("newchat-device"));
        QVERIFY(p);
        TestUser &nora = p->other;
        Account &otto = *p->account;
        ConversationListModel list;
        list.setAccount(&otto);
        const auto idAt = [&list](int row) {
            return list.data(list.index(row), ConversationListModel::ConversationIdRole)
                .toULongLong();
        };
        const auto activityAt = [&list](int row) {
            return list.data(list.index(row), ConversationListModel::LastActivityMsRole)
                .toLongLong();
        };
        const quint64 direct = openDirect(*nora.client, otto.userId());
        QVERIFY(direct);
        QVERIFY(sendText(*nora.client, direct, QStringLiteral("older news")).has_message_ack());
        QTRY_COMPARE_WITH_TIMEOUT(list.rowCount(), 1, 10000);

        const quint64 group = createGroupWith(nora, {&p->raw}, QStringLiteral("Newcomers"));
        QVERIFY(group);
        QTRY_COMPARE_WITH_TIMEOUT(list.rowCount(), 2, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(
            list.data(list.index(0), ConversationListModel::GroupIdRole).toULongLong(),
            qulonglong(group), 10000);
        QVERIFY(activityAt(0) > 0);

        TestUser pia = registerTestUser(m_fx.url, m_fx.nextName("pia"), ClientFixture::kPassword);
        QVERIFY(pia.id);
        QVERIFY(befriend(p->raw, pia));
        const quint64 opened = ClientFixture::openFrom(otto, pia.id);
        QVERIFY(opened);
        QTRY_COMPARE_WITH_TIMEOUT(list.rowCount(), 3, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(idAt(0), qulonglong(opened), 10000);
        QVERIFY(activityAt(0) > 0);
        QCOMPARE(idAt(2), qulonglong(direct));

        ContactListModel contacts;
        contacts.setAccount(&otto);
        QCOMPARE(m_fx.ternd->terminate(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(otto.status() != Account::Status::Online, 10000);
        QSignalSpy chatOpened(&contacts, &ContactListModel::chatOpened);
        QSignalSpy chatFailed(&contacts, &ContactListModel::chatFailed);
        contacts.openChat(double(nora.id));
        QCOMPARE(chatOpened.size(), 1); // at once, not after asking a server that is away
        QCOMPARE(chatOpened.first().first().toDouble(), double(direct));
        QCOMPARE(chatFailed.size(), 0);
        QVERIFY2(m_fx.startTernd().isEmpty(), "ternd did not restart");
    }

    // Choosing the reaction one already has takes it back (the server removes it when sent
    // none); another replaces it.
    void aReactionChosenAgainIsTakenBack()
    {
        auto p = peers("quin", "rita", QStringLiteral("react-device"));
        QVERIFY(p);
        Account &rita = *p->account;
        const quint64 conversation = openDirect(*p->other.client, rita.userId());
        QVERIFY(conversation);
        QVERIFY(sendText(*p->other.client, conversation, QStringLiteral("react to me"))
                    .has_message_ack());
        QTRY_COMPARE_WITH_TIMEOUT(rita.messages().page(conversation, 0, 10).size(), size_t(1),
                                  10000);
        MessageModel timeline;
        timeline.setAccount(&rita);
        timeline.setConversationId(conversation);
        QTRY_COMPARE(timeline.rowCount(), 1);
        const double seq = timeline.index(0).data(MessageModel::SeqRole).toDouble();
        const auto mine = [&timeline] {
            return timeline.index(0).data(MessageModel::MyReactionRole).toString();
        };
        const QString thumbsUp = QStringLiteral("👍");
        const QString heart = QStringLiteral("❤️");
        QSignalSpy failed(&timeline, &MessageModel::actionFailed);
        timeline.react(seq, thumbsUp);
        QTRY_COMPARE_WITH_TIMEOUT(mine(), thumbsUp, 10000);
        timeline.react(seq, heart);
        QTRY_COMPARE_WITH_TIMEOUT(mine(), heart, 10000);
        QCOMPARE(timeline.index(0).data(MessageModel::ReactionsRole).toList().size(), 1);
        timeline.react(seq, heart);
        QTRY_COMPARE_WITH_TIMEOUT(mine(), QString(), 10000);
        QCOMPARE(timeline.index(0).data(MessageModel::ReactionsRole).toList().size(), 0);
        QCOMPARE(failed.size(), 0);
    }

    // Two accounts in one process (two people on one computer, or one person on two servers):
    // separate caches and tokens, and messages flow between them live.
    void twoAccountsInOneProcess()
    {
        const QString eveName = m_fx.nextName("eve");
        const QString frankName = m_fx.nextName("frank");
        auto eve = m_fx.registered(eveName, QStringLiteral("shared-computer"));
        auto frank = m_fx.registered(frankName, QStringLiteral("shared-computer"));
        QVERIFY(eve && frank);
        QVERIFY(eve->key() != frank->key());
        TestUser eveRaw {
            loginDevice(m_fx.url,
                        TestUser {nullptr, eve->userId(), eveName, ClientFixture::kPassword},
                        QStringLiteral("eve-raw")),
            eve->userId(), eveName, ClientFixture::kPassword};
        TestUser frankRaw {
            loginDevice(m_fx.url,
                        TestUser {nullptr, frank->userId(), frankName, ClientFixture::kPassword},
                        QStringLiteral("frank-raw")),
            frank->userId(), frankName, ClientFixture::kPassword};
        QVERIFY(eveRaw.client && frankRaw.client);
        QVERIFY(befriend(eveRaw, frankRaw));
        const quint64 conversation = ClientFixture::openFrom(*eve, frank->userId());
        QVERIFY(conversation);

        const QString id = eve->outbox().sendText(conversation, QStringLiteral("hi frank 你好"));
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(frank->messages().page(conversation, 0, 10).size(), size_t(1),
                                  10000);
        QCOMPARE(QString::fromStdString(
                     frank->messages().page(conversation, 0, 10).front().client_msg_id()),
                 id);
        QTRY_COMPARE(eve->outboxStore().list().size(), size_t(0));
        QCOMPARE(frank->messages().search(QStringLiteral("你好"), 5).size(), size_t(1));
        QCOMPARE(frank->conversations().get(conversation)->state.unread_count(), quint32(1));
        frank->sync().markRead(conversation, frank->conversations().get(conversation)->haveSeq);
        QCOMPARE(frank->conversations().get(conversation)->state.unread_count(), quint32(0));
        // The reader's receipt reaches the sender's cache.
        QTRY_VERIFY_WITH_TIMEOUT(eve->conversations().get(conversation)->state.peer_read_seq() > 0,
                                 10000);
        // The reader stops sharing receipts: the sender's cache forgets what it was shown;
        // shared again, it comes back.
        frank->setReadReceipts(false);
        QTRY_COMPARE_WITH_TIMEOUT(eve->conversations().get(conversation)->state.peer_read_seq(),
                                  quint64(0), 10000);
        QCOMPARE(eve->conversations().get(conversation)->state.peer_delivered_seq(), quint64(0));
        frank->setReadReceipts(true);
        QTRY_VERIFY_WITH_TIMEOUT(eve->conversations().get(conversation)->state.peer_read_seq() > 0,
                                 10000);
    }

    // Desktop notifications: a friend's new message notifies; not the chat on screen, not a
    // muted chat, not one's own message, and not history caught up after being away.
    void notifierPicksWhatIsNews()
    {
        const QString ginaName = m_fx.nextName("gina");
        const QString hankName = m_fx.nextName("hank");
        auto gina = m_fx.registered(ginaName, QStringLiteral("notify-gina"));
        auto hank = m_fx.registered(hankName, QStringLiteral("notify-hank"));
        QVERIFY(gina && hank);
        TestUser ginaRaw {
            loginDevice(m_fx.url,
                        TestUser {nullptr, gina->userId(), ginaName, ClientFixture::kPassword},
                        QStringLiteral("gina-raw")),
            gina->userId(), ginaName, ClientFixture::kPassword};
        TestUser hankRaw {
            loginDevice(m_fx.url,
                        TestUser {nullptr, hank->userId(), hankName, ClientFixture::kPassword},
                        QStringLiteral("hank-raw")),
            hank->userId(), hankName, ClientFixture::kPassword};
        QVERIFY(ginaRaw.client && hankRaw.client);
        QVERIFY(befriend(ginaRaw, hankRaw));
        const quint64 conversation = ClientFixture::openFrom(*gina, hank->userId());
        QVERIFY(conversation);

        Notifier notifier;
        notifier.setAccount(hank.get());
        QSignalSpy notified(&notifier, &Notifier::notify);
        auto sendAndWait = [&](const QString &text) {
            const int before = int(hank->messages().page(conversation, 0, 1000).size());
            gina->outbox().sendText(conversation, text);
            return QTest::qWaitFor(
                [&] {
                    return int(hank->messages().page(conversation, 0, 1000).size()) == before + 1;
                },
                10000);
        };
        QVERIFY(sendAndWait(QStringLiteral("ping 1")));
        QTRY_COMPARE(notified.count(), 1);
        QCOMPARE(notified.first().at(1).toString(), QStringLiteral("ping 1"));
        QCOMPARE(notified.first().at(0).toString(), ginaName);
        QCOMPARE(notified.first().at(2).toDouble(), double(conversation));

        notifier.setViewedConversation(double(conversation)); // reading that chat
        QVERIFY(sendAndWait(QStringLiteral("ping 2")));
        notifier.setViewedConversation(0);
        hank->setConversationMuted(double(conversation), true);
        QTRY_VERIFY(hank->conversations().get(conversation)->state.settings().muted());
        QVERIFY(sendAndWait(QStringLiteral("ping 3")));
        hank->outbox().sendText(conversation, QStringLiteral("own message"));
        QTRY_COMPARE(hank->outboxStore().list().size(), size_t(0));
        QCoreApplication::processEvents();
        QCOMPARE(notified.count(), 1);

        // Away while messages arrive, then back: the catch-up is not a burst of notifications.
        hank->setConversationMuted(double(conversation), false);
        QTRY_VERIFY(!hank->conversations().get(conversation)->state.settings().muted());
        hank.reset();
        for (int i = 0; i < 5; ++i)
            QVERIFY(sendText(*ginaRaw.client, conversation, QStringLiteral("while away %1").arg(i))
                        .has_message_ack());
        auto back = m_fx.makeAccount(hankName, QStringLiteral("notify-hank"));
        QSignalSpy caughtUp(back.get(), &Account::caughtUp);
        QVERIFY(back->open());
        Notifier again; // as the app does: models get the account once its cache is open
        again.setAccount(back.get());
        QSignalSpy notifiedAgain(&again, &Notifier::notify);
        QVERIFY(caughtUp.wait(15000));
        QCoreApplication::processEvents();
        QCOMPARE(notifiedAgain.count(), 0);
        // And news after that notifies again.
        QVERIFY(sendText(*ginaRaw.client, conversation, QStringLiteral("fresh")).has_message_ack());
        QTRY_COMPARE(notifiedAgain.count(), 1);

        // Without previews the text stays private; switched off, nothing is notified.
        again.setShowPreview(false);
        QVERIFY(
            sendText(*ginaRaw.client, conversation, QStringLiteral("secret")).has_message_ack());
        QTRY_COMPARE(notifiedAgain.count(), 2);
        QCOMPARE(notifiedAgain.last().at(1).toString(), QStringLiteral("New message"));
        again.setEnabled(false);
        QVERIFY(sendText(*ginaRaw.client, conversation, QStringLiteral("quiet")).has_message_ack());
        QTRY_VERIFY(back->conversations().get(conversation)->state.last_message().content().text()
                    == "quiet");
        QCoreApplication::processEvents();
        QCOMPARE(notifiedAgain.count(), 2);
    }

    // Every list model keeps Qt's model contract (QAbstractItemModelTester checks each insert,
    // move, change and reset) while a chat fills up live, pages back into history, a request
    // arrives and is accepted, and a message is recalled.
    void modelsKeepTheModelContract()
    {
        const QString ivyName = m_fx.nextName("ivy");
        const QString jayName = m_fx.nextName("jay");
        auto ivy = m_fx.registered(ivyName, QStringLiteral("model-ivy"));
        auto jay = m_fx.registered(jayName, QStringLiteral("model-jay"));
        QVERIFY(ivy && jay);
        TestUser ivyRaw = rawDevice(ivyName, ivy->userId(), QStringLiteral("ivy-raw"));
        QVERIFY(ivyRaw.client);

        ConversationListModel conversations;
        ContactListModel contacts;
        FriendRequestModel requests;
        MessageModel timeline;
        const auto mode = QAbstractItemModelTester::FailureReportingMode::QtTest;
        QAbstractItemModelTester t1(&conversations, mode), t2(&contacts, mode), t3(&requests, mode),
            t4(&timeline, mode);
        conversations.setAccount(jay.get());
        contacts.setAccount(jay.get());
        requests.setAccount(jay.get());
        timeline.setAccount(jay.get());

        // A request arrives and is accepted from the model.
        proto::Frame ask;
        ask.mutable_send_friend_request()->set_user_id(jay->userId());
        QVERIFY(ivyRaw.client->request(ask).has_friend_request_result());
        QTRY_COMPARE(requests.rowCount(), 1);
        QCOMPARE(requests.incomingCount(), 1);
        requests.accept(
            requests.data(requests.index(0), FriendRequestModel::RequestIdRole).toDouble());
        QTRY_COMPARE(requests.rowCount(), 0);
        QTRY_COMPARE(contacts.rowCount(), 1);

        // 120 messages: the list gets the chat, the timeline shows the newest page and pages
        // back through the rest from the cache and the server.
        const quint64 conversation = openDirect(*ivyRaw.client, jay->userId());
        QVERIFY(conversation);
        for (int i = 0; i < 120; ++i)
            QVERIFY(sendText(*ivyRaw.client, conversation, QStringLiteral("m%1").arg(i))
                        .has_message_ack());
        QTRY_COMPARE(conversations.rowCount(), 1);
        QTRY_COMPARE(jay->conversations().get(conversation)->haveSeq,
                     jay->conversations().get(conversation)->state.last_seq());
        timeline.setConversationId(conversation);
        QVERIFY(timeline.rowCount() >= MessageModel::kPageSize);
        while (timeline.canFetchMore({}) || timeline.isLoadingOlder()) {
            const int before = timeline.rowCount();
            timeline.fetchMore({});
            QTRY_VERIFY(!timeline.isLoadingOlder());
            if (timeline.rowCount() == before && !timeline.canFetchMore({}))
                break;
        }
        QCOMPARE(timeline.rowCount(), 120);
        QCOMPARE(timeline.data(timeline.index(0), MessageModel::TextRole).toString(),
                 QStringLiteral("m0"));

        // Live: a new message appends; a recall changes a row in place; own sends go through
        // the outbox rows into history.
        QVERIFY(sendText(*ivyRaw.client, conversation, QStringLiteral("live")).has_message_ack());
        QTRY_COMPARE(timeline.rowCount(), 121);
        const quint64 liveSeq =
            timeline.data(timeline.index(120), MessageModel::SeqRole).toULongLong();
        proto::Frame recall;
        recall.mutable_recall_message()->set_conversation_id(conversation);
        recall.mutable_recall_message()->set_target_seq(liveSeq);
        recall.mutable_recall_message()->set_client_msg_id(newClientMsgId().toStdString());
        QVERIFY(ivyRaw.client->request(recall).has_message_ack());
        QTRY_COMPARE(timeline.data(timeline.index(120), MessageModel::KindRole).toString(),
                     QStringLiteral("recalled"));
        timeline.sendText(QStringLiteral("reply from jay"));
        QTRY_COMPARE(jay->outboxStore().list().size(), size_t(0));
        QTRY_COMPARE(timeline.rowCount(), 122);
        QCOMPARE(timeline.data(timeline.index(121), MessageModel::IsMineRole).toBool(), true);

        // A group's members: the owner first; making ivy an admin and removing her again.
        GroupMemberModel members;
        QAbstractItemModelTester t5(&members, mode);
        quint64 groupConversation = 0;
        jay->groupActions().createGroup(
            QStringLiteral("model group"), {ivy->userId()},
            [&](quint64 id, const QString &) { groupConversation = id; });
        QTRY_VERIFY(groupConversation != 0);
        const quint64 groupId = jay->conversations().get(groupConversation)->state.group_id();
        members.setAccount(jay.get());
        members.setGroupId(double(groupId));
        QTRY_COMPARE(members.rowCount(), 2);
        auto role = [&](int row) {
            return members.data(members.index(row), GroupMemberModel::MemberRoleRole).toInt();
        };
        QCOMPARE(role(0), int(proto::GROUP_ROLE_OWNER));
        QCOMPARE(members.data(members.index(0), GroupMemberModel::IsMeRole).toBool(), true);

        // @-completion finds ivy by jay's private remark too, but what goes into the text the
        // group reads is her public name, never the remark.
        const QString publicName =
            members.data(members.index(1), GroupMemberModel::NameRole).toString();
        QVERIFY(!publicName.isEmpty());
        QString remarkError = QStringLiteral("pending");
        jay->contactActions().setRemark(ivy->userId(), QStringLiteral("Zed secret"),
                                        [&](const QString &error) { remarkError = error; });
        QTRY_COMPARE(remarkError, QString());
        members.refresh();
        QTRY_COMPARE(members.data(members.index(1), GroupMemberModel::NameRole).toString(),
                     QStringLiteral("Zed secret"));
        const QVariantList byRemark = members.matching(QStringLiteral("zed"));
        QCOMPARE(byRemark.size(), 1);
        const QVariantMap candidate = byRemark.constFirst().toMap();
        QCOMPARE(candidate.value(QStringLiteral("name")).toString(), publicName);
        QCOMPARE(candidate.value(QStringLiteral("remark")).toString(),
                 QStringLiteral("Zed secret"));
        QCOMPARE(members.matching(ivyName).size(), 1); // by username
        QCOMPARE(members.matching(QStringLiteral("nobody")).size(), 0);
        QCOMPARE(members.data(members.index(1), GroupMemberModel::CanRemoveRole).toBool(), true);
        members.setAdmin(members.data(members.index(1), GroupMemberModel::UserIdRole).toDouble(),
                         true);
        QTRY_COMPARE(role(1), int(proto::GROUP_ROLE_ADMIN));
        members.remove(members.data(members.index(1), GroupMemberModel::UserIdRole).toDouble());
        QTRY_COMPARE(members.rowCount(), 1);
    }

    // The server's database restarts while the app stays connected: a message sent meanwhile
    // is answered "unavailable", waits in the outbox, and goes out once the database is back,
    // without a reconnect (none would come: the WebSocket stays up throughout).
    void outboxRidesOutADatabaseRestart()
    {
        auto p = peers("kate", "liam", QStringLiteral("restart-device"));
        QVERIFY(p);
        TestUser &kate = p->other;
        auto &liam = p->account;
        const quint64 conversation = ClientFixture::openFrom(*liam, kate.id);
        QVERIFY(conversation);
        QSignalSpy dropped(&liam->connection(), &ServerConnection::disconnected);

        QString error = m_fx.pg.stop();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        proto::Frame probe;
        probe.mutable_list_sessions();
        QTRY_COMPARE_WITH_TIMEOUT(kate.client->request(probe).error().code(),
                                  proto::ERROR_CODE_UNAVAILABLE, 10000);
        const QString id =
            liam->outbox().sendText(conversation, QStringLiteral("while the database was down"));
        QVERIFY(!id.isEmpty());
        // A sync round meanwhile (as after a push about an unknown conversation): its
        // requests are refused too, and it must finish once the database is back.
        QSignalSpy caughtUp(liam.get(), &Account::caughtUp);
        liam->sync().startRound();
        QVERIFY(liam->isSyncing());
        QTest::qWait(1500); // answered "unavailable" meanwhile; still waiting, not failed
        const auto waiting = liam->outboxStore().get(id);
        QVERIFY(waiting && !waiting->failed);
        QVERIFY(liam->isSyncing());

        error = m_fx.pg.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        // Sent once the server answers again, while the first still waits for its retry
        // (backing off): it must not overtake the first.
        QTRY_COMPARE_WITH_TIMEOUT(kate.client->request(probe).error().code(),
                                  proto::ERROR_CODE_UNSPECIFIED, 10000);
        QVERIFY(
            !liam->outbox().sendText(conversation, QStringLiteral("once it was back")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(liam->outboxStore().list().empty(), 40000);
        const auto push = kate.client->nextPush(proto::Frame::kMessagePush, 10000);
        QVERIFY(push);
        QCOMPARE(QString::fromStdString(push->message_push().message().content().text()),
                 QStringLiteral("while the database was down"));
        const auto second = kate.client->nextPush(proto::Frame::kMessagePush, 10000);
        QVERIFY(second);
        QCOMPARE(QString::fromStdString(second->message_push().message().content().text()),
                 QStringLiteral("once it was back"));
        QCOMPARE(second->message_push().message().seq(), push->message_push().message().seq() + 1);
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp.count() > 0 && !liam->isSyncing(), 20000);
        QCOMPARE(dropped.count(), 0);
    }

    void cleanupTestCase()
    {
        if (m_fx.ternd)
            QCOMPARE(m_fx.ternd->terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_ClientSync)
#include "tst_clientsync.moc"
