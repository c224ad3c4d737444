// SPDX-License-Identifier: Apache-2.0
// NotificationClicks: a click on a desktop notification (the tray does not say which) leads to
// what the last one shown is about: a message's chat, Contacts for a friend request or a group
// invitation, the call window for a ringing call; after an account switch, nowhere.
#include "notificationclicks.h"

#include <QSignalSpy>
#include <QTest>

using namespace tern::client;

class tst_NotificationClicks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clickLeadsToTheLastShown_data()
    {
        // What was shown, in order ("chat:<id>", "contacts", "call", "forget" for an account
        // switch), and what a click then asks for ("" for nothing).
        QTest::addColumn<QStringList>("shown");
        QTest::addColumn<QString>("opened");
        const auto list = [](std::initializer_list<const char *> items) {
            QStringList l;
            for (const char *item : items)
                l.append(QString::fromLatin1(item));
            return l;
        };
        QTest::newRow("nothing shown") << QStringList() << QString();
        QTest::newRow("a message") << list({"chat:42"}) << QStringLiteral("chat:42");
        QTest::newRow("two messages: the later")
            << list({"chat:42", "chat:43"}) << QStringLiteral("chat:43");
        QTest::newRow("a friend request after a message")
            << list({"chat:42", "contacts"}) << QStringLiteral("contacts");
        QTest::newRow("a message after an invitation")
            << list({"contacts", "chat:7"}) << QStringLiteral("chat:7");
        QTest::newRow("a ringing call") << list({"chat:42", "call"}) << QStringLiteral("call");
        QTest::newRow("another account since") << list({"chat:42", "forget"}) << QString();
        QTest::newRow("a message with no chat") << list({"chat:0"}) << QString();
    }

    void clickLeadsToTheLastShown()
    {
        QFETCH(QStringList, shown);
        QFETCH(QString, opened);
        NotificationClicks clicks;
        for (const QString &s : shown) {
            if (s.startsWith(QLatin1String("chat:")))
                clicks.shownConversation(s.mid(5).toDouble());
            else if (s == QLatin1String("contacts"))
                clicks.shownContacts();
            else if (s == QLatin1String("call"))
                clicks.shownCall();
            else
                clicks.forget();
        }
        QSignalSpy chats(&clicks, &NotificationClicks::openConversation);
        QSignalSpy contacts(&clicks, &NotificationClicks::openContacts);
        QSignalSpy calls(&clicks, &NotificationClicks::showCall);
        clicks.clicked();
        QStringList asked;
        for (const QList<QVariant> &call : chats)
            asked.append(QStringLiteral("chat:%1").arg(quint64(call.at(0).toDouble())));
        for (int i = 0; i < contacts.count(); ++i)
            asked.append(QStringLiteral("contacts"));
        for (int i = 0; i < calls.count(); ++i)
            asked.append(QStringLiteral("call"));
        QCOMPARE(asked, opened.isEmpty() ? QStringList() : QStringList {opened});
    }

    // The app's instance is the one QML gets; without one (QML tests) QML gets its own.
    void instanceForQml()
    {
        QCOMPARE(NotificationClicks::instance(), nullptr);
        NotificationClicks *own = NotificationClicks::create(nullptr, nullptr);
        QVERIFY(own);
        delete own;
        {
            NotificationClicks app;
            NotificationClicks::setInstance(&app);
            QCOMPARE(NotificationClicks::create(nullptr, nullptr), &app);
        }
        QCOMPARE(NotificationClicks::instance(), nullptr); // gone with the object
    }
};

QTEST_GUILESS_MAIN(tst_NotificationClicks)
#include "tst_notificationclicks.moc"
