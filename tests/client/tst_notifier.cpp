// SPDX-License-Identifier: Apache-2.0
// The Notifier's news besides messages, against a real ternd and PostgreSQL: a friend request
// to the account and an invitation into a group notify once each (their notification leads to
// Contacts), with the asker's or inviter's name; requests pending before the account was set,
// or that came while it was away, do not; the settings hold them back. And a message's
// notification, clicked, asks for its chat (NotificationClicks, as the tray drives it).
#include "account.h"
#include "clientfixture.h"
#include "notificationclicks.h"
#include "notifier.h"

#include "support/messagingtest.h"
#include "support/testusers.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <optional>

using namespace tern;
using namespace tern::client;

class tst_Notifier : public QObject
{
    Q_OBJECT

    ClientFixture m_fx;

    TestUser person(const char *prefix, const QString &displayName)
    {
        return registerTestUser(m_fx.url, m_fx.nextName(prefix), ClientFixture::kPassword,
                                displayName);
    }

    // `from` asks the account's user to be friends; the request's id, 0 on failure.
    static quint64 askFriendship(TestUser &from, const Account &to, const QString &greeting)
    {
        proto::Frame ask;
        ask.mutable_send_friend_request()->set_user_id(to.userId());
        ask.mutable_send_friend_request()->set_greeting(greeting.toStdString());
        const proto::Frame answer = from.client->request(ask);
        if (!answer.has_friend_request_result())
            qWarning("SendFriendRequest failed: %s", qPrintable(describeFrame(answer)));
        return answer.friend_request_result().request().request_id();
    }

    // Whether the account's cache has the request `requestId` pending.
    static bool hasPending(Account &account, quint64 requestId)
    {
        for (const auto &r :
             account.friendRequests().pending(QDateTime::currentMSecsSinceEpoch())) {
            if (r.request_id() == requestId)
                return true;
        }
        return false;
    }

    static QString body(const QSignalSpy &spy, int i) { return spy.at(i).at(1).toString(); }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = m_fx.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void friendRequests()
    {
        auto account = m_fx.registered(m_fx.nextName("asked"), QStringLiteral("requests-device"));
        QVERIFY(account);
        TestUser early = person("early", QStringLiteral("Early Bird"));
        QVERIFY(early.id);
        const quint64 before = askFriendship(early, *account, QString());
        QVERIFY(before);
        QTRY_VERIFY(hasPending(*account, before));
        QTRY_VERIFY(!account->sync().isSyncing());

        Notifier notifier;
        notifier.setAccount(account.get());
        QSignalSpy notified(&notifier, &Notifier::notifyContacts);
        QSignalSpy messages(&notifier, &Notifier::notify);

        // A new one: its asker's name and greeting.
        TestUser late = person("late", QStringLiteral("Late Comer"));
        QVERIFY(late.id);
        const quint64 news = askFriendship(late, *account, QStringLiteral("we met at the hut"));
        QVERIFY(news);
        QTRY_COMPARE(notified.count(), 1);
        QCOMPARE(notified.at(0).at(0).toString(), QStringLiteral("Friend request"));
        QCOMPARE(body(notified, 0),
                 QStringLiteral("Late Comer wants to be your friend\nwe met at the hut"));

        // Answering one changes the requests: that is no news, nor the one from before.
        std::optional<QString> answered;
        account->contactActions().answerFriendRequest(
            news, false, [&](const QString &error) { answered = error; });
        QTRY_VERIFY(answered.has_value());
        QVERIFY2(answered->isEmpty(), qPrintable(*answered));
        QTRY_VERIFY(!hasPending(*account, news));
        QCoreApplication::processEvents();
        QCOMPARE(notified.count(), 1);

        // Without previews the greeting stays private; switched off, nothing is notified.
        notifier.setShowPreview(false);
        TestUser third = person("third", QStringLiteral("Third Person"));
        QVERIFY(askFriendship(third, *account, QStringLiteral("secret")));
        QTRY_COMPARE(notified.count(), 2);
        QCOMPARE(body(notified, 1), QStringLiteral("Third Person wants to be your friend"));
        notifier.setEnabled(false);
        TestUser quiet = person("quiet", QStringLiteral("Quiet One"));
        const quint64 unheard = askFriendship(quiet, *account, QString());
        QVERIFY(unheard);
        QTRY_VERIFY(hasPending(*account, unheard));
        QCoreApplication::processEvents();
        QCOMPARE(notified.count(), 2);
        // Switched on again, the one that came meanwhile is not told late.
        notifier.setEnabled(true);
        TestUser fifth = person("fifth", QStringLiteral("Fifth Wheel"));
        QVERIFY(askFriendship(fifth, *account, QString()));
        QTRY_COMPARE(notified.count(), 3);
        QCOMPARE(body(notified, 2), QStringLiteral("Fifth Wheel wants to be your friend"));
        QCoreApplication::processEvents();
        QCOMPARE(notified.count(), 3);
        QCOMPARE(messages.count(), 0);
    }

    // Requests that came while the app was closed are listed, not notified, when it opens
    // again; the next one is news.
    void requestsWhileAwayAreNotNews()
    {
        const QString name = m_fx.nextName("away");
        auto account = m_fx.registered(name, QStringLiteral("away-device"));
        QVERIFY(account);
        const quint64 userId = account->userId();
        account.reset();
        for (int i = 0; i < 3; ++i) {
            TestUser asker = person("whileaway", QStringLiteral("Asker %1").arg(i));
            proto::Frame ask;
            ask.mutable_send_friend_request()->set_user_id(userId);
            QVERIFY(asker.client->request(ask).has_friend_request_result());
        }
        auto back = m_fx.makeAccount(name, QStringLiteral("away-device"));
        QSignalSpy caughtUp(back.get(), &Account::caughtUp);
        QVERIFY(back->open());
        Notifier notifier; // as the app does: models get the account once its cache is open
        notifier.setAccount(back.get());
        QSignalSpy notified(&notifier, &Notifier::notifyContacts);
        QVERIFY(caughtUp.wait(15000));
        QCoreApplication::processEvents();
        QCOMPARE(back->friendRequests().pending(QDateTime::currentMSecsSinceEpoch()).size(),
                 size_t(3));
        QCOMPARE(notified.count(), 0);

        TestUser next = person("afterwards", QStringLiteral("After Wards"));
        QVERIFY(askFriendship(next, *back, QString()));
        QTRY_COMPARE(notified.count(), 1);
        QCOMPARE(body(notified, 0), QStringLiteral("After Wards wants to be your friend"));
    }

    // A stranger's invitation (the user's default: only friends add them directly) notifies
    // once, with the inviter's name though this device had no profile of them.
    void groupInvitations()
    {
        auto account = m_fx.registered(m_fx.nextName("invitee"), QStringLiteral("invited-device"));
        QVERIFY(account);
        Notifier notifier;
        notifier.setAccount(account.get());
        QSignalSpy notified(&notifier, &Notifier::notifyContacts);
        TestUser host = person("host", QStringLiteral("Group Host"));
        QVERIFY(host.id);
        QVERIFY(!account->users().get(host.id));
        proto::Frame create;
        create.mutable_create_group()->set_name("Hikers");
        create.mutable_create_group()->add_member_ids(account->userId());
        const proto::Frame created = host.client->request(create);
        QVERIFY2(created.has_group_change_result(), qPrintable(describeFrame(created)));
        QCOMPARE(created.group_change_result().group().member_count(), 1u); // invited, not added
        QTRY_COMPARE(notified.count(), 1);
        QCOMPARE(notified.at(0).at(0).toString(), QStringLiteral("Group invitation"));
        QCOMPARE(body(notified, 0), QStringLiteral("Group Host invited you to Hikers"));

        // The host's second group: a second invitation; the inviter is known now.
        create.mutable_create_group()->set_name("Climbers");
        QVERIFY(host.client->request(create).has_group_change_result());
        QTRY_COMPARE(notified.count(), 2);
        QCOMPARE(body(notified, 1), QStringLiteral("Group Host invited you to Climbers"));
        QCoreApplication::processEvents();
        QCOMPARE(notified.count(), 2);
    }

    // A message's notification, shown and then clicked, asks for its chat (the tray's wiring).
    void clickedMessageOpensItsChat()
    {
        const QString name = m_fx.nextName("reader");
        auto account = m_fx.registered(name, QStringLiteral("reader-device"));
        QVERIFY(account);
        TestUser raw {
            loginDevice(m_fx.url,
                        TestUser {nullptr, account->userId(), name, ClientFixture::kPassword},
                        QStringLiteral("reader-raw")),
            account->userId(), name, ClientFixture::kPassword};
        QVERIFY(raw.client);
        TestUser writer = person("writer", QStringLiteral("Writer"));
        QVERIFY(befriend(writer, raw));
        const quint64 conversation = openDirect(*writer.client, account->userId());
        QVERIFY(conversation);
        QTRY_VERIFY(!account->sync().isSyncing()); // a catch-up's messages are not news

        Notifier notifier;
        notifier.setAccount(account.get());
        NotificationClicks clicks;
        connect(&notifier, &Notifier::notify, &clicks,
                [&clicks](const QString &, const QString &, double conversationId) {
                    clicks.shownConversation(conversationId);
                });
        QSignalSpy notified(&notifier, &Notifier::notify);
        QSignalSpy opened(&clicks, &NotificationClicks::openConversation);
        QVERIFY(
            sendText(*writer.client, conversation, QStringLiteral("open me")).has_message_ack());
        QTRY_COMPARE(notified.count(), 1);
        QCOMPARE(notified.at(0).at(2).toDouble(), double(conversation));
        clicks.clicked();
        QCOMPARE(opened.count(), 1);
        QCOMPARE(quint64(opened.at(0).at(0).toDouble()), conversation);
    }
};

QTEST_GUILESS_MAIN(tst_Notifier)
#include "tst_notifier.moc"
