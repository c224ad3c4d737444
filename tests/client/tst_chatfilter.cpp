// SPDX-License-Identifier: Apache-2.0
// ChatFilterModel: which chats the chat list's search field finds by name, and in what order
// (a word starting with the query first, then the chat list's order), over a real cache and no
// server; and that it follows the list as chats change while the user searches.
#include "account.h"
#include "chatfiltermodel.h"
#include "conversationlistmodel.h"
#include "localcache.h"
#include "offlineaccount.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

using namespace tern;
using namespace tern::client;

namespace {

constexpr quint64 kMe = 1;
constexpr qint64 kEpoch = 1'700'000'000'000;
constexpr quint64 kGroupChat = 900;
constexpr quint64 kGroup = 77;

quint64 peerOf(quint64 conversationId)
{
    return 1000 + conversationId;
}

proto::Message textFrom(quint64 conversationId, quint64 seq, qint64 sentAtMs)
{
    proto::Message m;
    m.set_conversation_id(conversationId);
    m.set_seq(seq);
    m.set_sender_id(peerOf(conversationId));
    m.set_sent_at_ms(sentAtMs);
    m.mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
    m.mutable_content()->set_text("message " + std::to_string(seq));
    return m;
}

// A direct chat whose last message (seq 1) was sent at kEpoch + `activity`.
proto::ConversationState directChat(quint64 id, qint64 activity)
{
    proto::ConversationState s;
    s.set_conversation_id(id);
    s.set_kind(proto::CONVERSATION_KIND_DIRECT);
    s.set_peer_user_id(peerOf(id));
    s.set_active(true);
    s.set_last_seq(1);
    *s.mutable_last_message() = textFrom(id, 1, kEpoch + activity);
    return s;
}

// The peer of chat `conversationId`, username "peer<id>".
proto::UserProfile profile(quint64 conversationId, const QString &displayName)
{
    proto::UserProfile p;
    p.set_user_id(peerOf(conversationId));
    p.set_username("peer" + std::to_string(conversationId));
    p.set_display_name(displayName.toStdString());
    return p;
}

QList<quint64> idsOf(const ChatFilterModel &chats)
{
    QList<quint64> ids;
    for (int row = 0; row < chats.rowCount(); ++row)
        ids << quint64(chats.idAt(row));
    return ids;
}

} // namespace

// The list over an account and the filter over the list, watched by Qt's model tester.
struct FilteredList
{
    explicit FilteredList(Account *account)
    {
        list.setAccount(account);
        chats.setSourceModel(&list);
        tester = std::make_unique<QAbstractItemModelTester>(
            &chats, QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    ConversationListModel list;
    ChatFilterModel chats;
    std::unique_ptr<QAbstractItemModelTester> tester;
};

class tst_ChatFilter : public QObject
{
    Q_OBJECT

    OfflineAccount m_account;
    qint64 m_clock = 10'000; // after every activity the chats start with

    void addChat(quint64 id, qint64 activity, const QString &name)
    {
        m_account->users().storeProfiles({profile(id, name)});
        m_account->conversations().upsert(directChat(id, activity));
    }
    void rename(quint64 id, const QString &name)
    {
        m_account->users().storeProfiles({profile(id, name)});
    }
    // A message from the peer, newer than anything before it: the chat goes to the top.
    void receive(quint64 id)
    {
        const auto c = m_account->conversations().get(id);
        QVERIFY(c);
        const quint64 seq = c->state.last_seq() + 1;
        m_account->conversations().noteEntry(textFrom(id, seq, kEpoch + ++m_clock), kMe);
    }
    void dropChat(quint64 id)
    {
        QSqlQuery q(m_account->cache().db());
        q.prepare(QStringLiteral("DELETE FROM conversations WHERE id = ?"));
        q.addBindValue(qulonglong(id));
        QVERIFY(q.exec());
        Q_EMIT m_account->conversations().changed(id);
    }
    // The list applies a burst of store changes once, from the event loop.
    static void settle() { QTest::qWait(5); }

    // Chats 1..5, chat 5 the most recently active: the list shows 5, 4, 3, 2, 1. For "bo":
    // 1 and 2 have a word starting with it, 3 and 5 only have it inside a word, 4 not at all.
    void addFiveChats()
    {
        addChat(1, 100, QStringLiteral("Bob Stone"));
        addChat(2, 200, QStringLiteral("Anna Bobrova"));
        addChat(3, 300, QStringLiteral("Rambo"));
        addChat(4, 400, QStringLiteral("Carol"));
        addChat(5, 500, QStringLiteral("Elbow"));
    }

private Q_SLOTS:
    void init() { QVERIFY(m_account.open()); }

    void cleanup() { m_account.close(); }

    void match_data()
    {
        QTest::addColumn<QStringList>("names");
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("expected");
        const int start = ChatFilterModel::WordStart;
        const int inside = ChatFilterModel::InsideWord;
        const int none = ChatFilterModel::NoMatch;
        const QStringList alice {QStringLiteral("Alice Liddell")};
        QTest::newRow("start of the name") << alice << QStringLiteral("ali") << start;
        QTest::newRow("start of a later word") << alice << QStringLiteral("lidd") << start;
        QTest::newRow("inside a word") << alice << QStringLiteral("ice") << inside;
        QTest::newRow("across words") << alice << QStringLiteral("alice l") << start;
        QTest::newRow("case") << alice << QStringLiteral("ALICE") << start;
        QTest::newRow("not there") << alice << QStringLiteral("bob") << none;
        QTest::newRow("blank query") << alice << QStringLiteral("  ") << none;
        QTest::newRow("query trimmed") << alice << QStringLiteral(" lidd ") << start;
        QTest::newRow("inner spaces simplified")
            << QStringList {QStringLiteral("Ann   Lee")} << QStringLiteral("ann lee") << start;
        QTest::newRow("after punctuation")
            << QStringList {QStringLiteral("john_doe")} << QStringLiteral("doe") << start;
        // A later occurrence at a word start counts: "an" is inside "Joanna", then starts "Ann".
        QTest::newRow("later occurrence starts a word")
            << QStringList {QStringLiteral("Joanna Ann")} << QStringLiteral("an") << start;
        QTest::newRow("accent in the name") << QStringList {QStringLiteral("Zoë Saldaña")}
                                            << QStringLiteral("zoe saldana") << start;
        QTest::newRow("accent in the query")
            << QStringList {QStringLiteral("Zoe")} << QStringLiteral("zoë") << start;
        QTest::newRow("full-width letters")
            << QStringList {QStringLiteral("Alice")} << QStringLiteral("ＡＬＩ") << start;
        QTest::newRow("Chinese, from the start")
            << QStringList {QStringLiteral("张三丰")} << QStringLiteral("张三") << start;
        QTest::newRow("Chinese, inside")
            << QStringList {QStringLiteral("张三丰")} << QStringLiteral("三") << inside;
        QTest::newRow("kana marks are letters")
            << QStringList {QStringLiteral("が")} << QStringLiteral("か") << none;
        const QStringList boss {QStringLiteral("Boss"), QStringLiteral("Robert"),
                                QStringLiteral("robert.smith")};
        QTest::newRow("best of the names") << boss << QStringLiteral("smi") << start;
        QTest::newRow("inside any name") << boss << QStringLiteral("bert") << inside;
        QTest::newRow("no names") << QStringList {} << QStringLiteral("a") << none;
    }
    void match()
    {
        QFETCH(QStringList, names);
        QFETCH(QString, query);
        QFETCH(int, expected);
        QCOMPARE(int(ChatFilterModel::match(names, query)), expected);
    }

    // What a chat is found by: the name shown (a remark if the user gave one), the peer's
    // display name and username; a group's name.
    void namesOfAChat()
    {
        addChat(1, 100, QStringLiteral("Robert Smith"));
        proto::Contact contact;
        contact.set_user_id(peerOf(1));
        contact.set_is_friend(true);
        contact.set_remark("Boss");
        m_account->users().storeContacts({contact});

        proto::GroupMembership membership;
        membership.mutable_group()->set_group_id(kGroup);
        membership.mutable_group()->set_name("Hiking club");
        membership.set_role(proto::GROUP_ROLE_MEMBER);
        m_account->groups().store({membership});
        proto::ConversationState group;
        group.set_conversation_id(kGroupChat);
        group.set_kind(proto::CONVERSATION_KIND_GROUP);
        group.set_group_id(kGroup);
        group.set_active(true);
        m_account->conversations().upsert(group);

        FilteredList filtered(m_account.get());
        ConversationListModel &list = filtered.list;
        const auto namesOf = [&list](quint64 id) {
            return list.data(list.index(list.rowOf(double(id))), ConversationListModel::NamesRole)
                .toStringList();
        };
        QCOMPARE(namesOf(1),
                 (QStringList {QStringLiteral("Boss"), QStringLiteral("Robert Smith"),
                               QStringLiteral("peer1")}));
        QCOMPARE(namesOf(kGroupChat), QStringList {QStringLiteral("Hiking club")});

        ChatFilterModel &chats = filtered.chats;
        for (const char *query : {"boss", "smith", "peer1", "rob"}) {
            chats.setQuery(QString::fromLatin1(query));
            QCOMPARE(idsOf(chats), QList<quint64> {1});
        }
        chats.setQuery(QStringLiteral("club"));
        QCOMPARE(idsOf(chats), QList<quint64> {kGroupChat});
        chats.setQuery(QStringLiteral("peer")); // every direct chat's username starts so
        QCOMPARE(idsOf(chats), QList<quint64> {1});
    }

    // Word starts first, each part in the list's order; nothing for an empty query.
    void ranksThenListOrder()
    {
        addFiveChats();
        FilteredList filtered(m_account.get());
        ChatFilterModel &chats = filtered.chats;
        QSignalSpy counted(&chats, &ChatFilterModel::countChanged);
        QCOMPARE(chats.count(), 0);
        chats.setQuery(QStringLiteral("bo"));
        QCOMPARE(idsOf(chats), (QList<quint64> {2, 1, 5, 3}));
        QCOMPARE(chats.count(), 4);
        QVERIFY(counted.size() >= 1);
        QCOMPARE(chats.idAt(4), 0.0);
        QCOMPARE(chats.idAt(-1), 0.0);
        // The rows carry the list's roles, for the list's delegate.
        QCOMPARE(chats.data(chats.index(0, 0), ConversationListModel::TitleRole).toString(),
                 QStringLiteral("Anna Bobrova"));

        chats.setQuery(QStringLiteral("BOB"));
        QCOMPARE(idsOf(chats), (QList<quint64> {2, 1}));
        chats.setQuery(QStringLiteral("stone"));
        QCOMPARE(idsOf(chats), QList<quint64> {1});
        chats.setQuery(QString());
        QCOMPARE(chats.count(), 0);
    }

    // While the user searches, the matches follow the chats: a chat's news moves it up within
    // its part, a rename brings a chat in or takes it out, new chats come, dropped ones go.
    void followsTheList()
    {
        addFiveChats();
        FilteredList filtered(m_account.get());
        ChatFilterModel &chats = filtered.chats;
        chats.setQuery(QStringLiteral("bo"));
        QCOMPARE(idsOf(chats), (QList<quint64> {2, 1, 5, 3}));

        receive(3); // the list: 3, 5, 4, 2, 1
        settle();
        QCOMPARE(idsOf(chats), (QList<quint64> {2, 1, 3, 5}));
        receive(1); // the list: 1, 3, 5, 4, 2
        settle();
        QCOMPARE(idsOf(chats), (QList<quint64> {1, 2, 3, 5}));

        rename(4, QStringLiteral("Bono")); // in, at a word start
        settle();
        QCOMPARE(idsOf(chats), (QList<quint64> {1, 4, 2, 3, 5}));
        rename(1, QStringLiteral("Zed")); // out
        settle();
        QCOMPARE(idsOf(chats), (QList<quint64> {4, 2, 3, 5}));
        rename(5, QStringLiteral("Bowie")); // inside a word, now at its start
        settle();
        QCOMPARE(idsOf(chats), (QList<quint64> {5, 4, 2, 3}));

        addChat(6, 20'000, QStringLiteral("Bolt")); // the newest chat
        settle();
        QCOMPARE(idsOf(chats), (QList<quint64> {6, 5, 4, 2, 3}));
        dropChat(4);
        settle();
        QCOMPARE(idsOf(chats), (QList<quint64> {6, 5, 2, 3}));
    }

    // Random changes while searching: the matches always equal a filter built afresh over a
    // list built afresh, and that one is what the ranking says.
    void randomChangesMatchAFreshFilter()
    {
        const QStringList pool {QStringLiteral("Bob"),   QStringLiteral("Rambo"),
                                QStringLiteral("Abbot"), QStringLiteral("Carol"),
                                QStringLiteral("Bo Li"), QStringLiteral("Elbow"),
                                QStringLiteral("Dana")};
        QRandomGenerator random(20240611);
        const auto someName = [&] { return pool.at(random.bounded(int(pool.size()))); };
        for (quint64 id = 1; id <= 10; ++id)
            addChat(id, qint64(id) * 100, someName());
        quint64 nextId = 11;
        FilteredList filtered(m_account.get());
        ChatFilterModel &chats = filtered.chats;
        chats.setQuery(QStringLiteral("bo"));
        for (int round = 0; round < 80; ++round) {
            const auto cached = m_account->conversations().all();
            const quint64 some = cached.empty()
                ? 0
                : cached[size_t(random.bounded(int(cached.size())))].state.conversation_id();
            switch (cached.empty() ? 3 : random.bounded(5)) {
            case 0:
            case 1:
                receive(some);
                break;
            case 2:
                rename(some, someName());
                break;
            case 3: {
                const qint64 activity = random.bounded(20'000);
                addChat(nextId++, activity, someName());
                break;
            }
            default:
                dropChat(some);
                break;
            }
            settle();

            ConversationListModel freshList;
            freshList.setAccount(m_account.get());
            ChatFilterModel fresh;
            fresh.setSourceModel(&freshList);
            fresh.setQuery(chats.query());
            QCOMPARE(idsOf(chats), idsOf(fresh));

            // Worked out here: the list's chats that match, word starts first, stably.
            QList<quint64> expected;
            for (const auto wanted : {ChatFilterModel::WordStart, ChatFilterModel::InsideWord}) {
                for (int row = 0; row < freshList.rowCount(); ++row) {
                    const QModelIndex index = freshList.index(row);
                    if (ChatFilterModel::match(
                            index.data(ConversationListModel::NamesRole).toStringList(),
                            chats.query())
                        == wanted)
                        expected << quint64(freshList.idAt(row));
                }
            }
            QCOMPARE(idsOf(chats), expected);
        }
    }
};

QTEST_GUILESS_MAIN(tst_ChatFilter)
#include "tst_chatfilter.moc"
