// SPDX-License-Identifier: Apache-2.0
// The local search index terms (searchterms.h) and the LocalCache's FTS5 table behind them:
// two-character Chinese words, single characters, English word prefixes, mixed scripts.
#include "localcache.h"
#include "messagestore.h"
#include "searchterms.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tern;
using namespace tern::client;

class tst_ClientSearchTerms : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void termsOfMixedText()
    {
        const QStringList terms = searchTerms(QStringLiteral("Hello 你好世界!"));
        QCOMPARE(
            terms,
            (QStringList {QStringLiteral("hello"), QStringLiteral("你"), QStringLiteral("你好"),
                          QStringLiteral("好"), QStringLiteral("好世"), QStringLiteral("世"),
                          QStringLiteral("世界"), QStringLiteral("界")}));
        QVERIFY(searchQuery(QStringLiteral("  !? ")).isEmpty());
    }

    void search_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QList<int>>("expected"); // indexes into the texts below, newest first

        QTest::newRow("two-character word") << QStringLiteral("世界") << QList<int> {1, 0};
        QTest::newRow("word across the run") << QStringLiteral("好世") << QList<int> {0};
        QTest::newRow("one character") << QStringLiteral("界") << QList<int> {1, 0};
        QTest::newRow("four characters") << QStringLiteral("你好世界") << QList<int> {0};
        QTest::newRow("a missing bigram") << QStringLiteral("世界和平") << QList<int> {};
        QTest::newRow("english prefix") << QStringLiteral("meet") << QList<int> {2};
        QTest::newRow("case folded") << QStringLiteral("MEETING") << QList<int> {2};
        QTest::newRow("both scripts") << QStringLiteral("meeting 明天") << QList<int> {2};
        QTest::newRow("no match") << QStringLiteral("再见") << QList<int> {};
        QTest::newRow("quotes are literal") << QStringLiteral("\"meeting") << QList<int> {2};
    }

    void search()
    {
        QFETCH(QString, query);
        QFETCH(QList<int>, expected);
        QTemporaryDir dir;
        LocalCache cache;
        QVERIFY2(cache.open(dir.filePath(QStringLiteral("c.sqlite"))), qPrintable(cache.error()));
        MessageStore store(cache);
        const QStringList texts {QStringLiteral("你好世界"), QStringLiteral("世界很大，和平"),
                                 QStringLiteral("Meeting 明天 at ten")};
        std::vector<proto::Message> entries;
        for (int i = 0; i < texts.size(); ++i) {
            proto::Message m;
            m.set_conversation_id(7);
            m.set_seq(quint64(i + 1));
            m.set_sender_id(1);
            m.set_sent_at_ms(1000 + i);
            m.mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
            m.mutable_content()->set_text(texts[i].toStdString());
            entries.push_back(m);
        }
        QCOMPARE(store.store(7, entries), 3);
        QCOMPARE(store.store(7, entries), 0); // stored twice: ignored
        QList<int> found;
        for (const proto::Message &m : store.search(query, 10))
            found.append(int(m.seq()) - 1);
        QCOMPARE(found, expected);
    }
};

QTEST_GUILESS_MAIN(tst_ClientSearchTerms)
#include "tst_clientsearchterms.moc"
