// SPDX-License-Identifier: Apache-2.0
// The message content rules both client and server use, and the search terms.
#include "tern/messagecontent.h"

#include <QSet>
#include <QTest>

using namespace tern;

class tst_MessageContent : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clientMsgIds_data();
    void clientMsgIds();
    void contentRules();
    void searchGramsCoverCharactersAndPairs();
    void queryGrams_data();
    void queryGrams();
};

void tst_MessageContent::clientMsgIds_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<bool>("valid");
    QTest::newRow("lower") << QByteArray("0b7f6c1e-4a2d-4c3b-9e8f-1a2b3c4d5e6f") << true;
    QTest::newRow("upper") << QByteArray("0B7F6C1E-4A2D-4C3B-9E8F-1A2B3C4D5E6F") << true;
    QTest::newRow("braces") << QByteArray("{0b7f6c1e-4a2d-4c3b-9e8f-1a2b3c4d5e6f}") << false;
    QTest::newRow("dash moved") << QByteArray("0b7f6c1e4-a2d-4c3b-9e8f-1a2b3c4d5e6f") << false;
    QTest::newRow("not hex") << QByteArray("0b7f6c1e-4a2d-4c3b-9e8f-1a2b3c4d5e6g") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void tst_MessageContent::clientMsgIds()
{
    QFETCH(QByteArray, id);
    QFETCH(bool, valid);
    QCOMPARE(messages::isClientMsgId(id.toStdString()), valid);
}

void tst_MessageContent::contentRules()
{
    const messages::ContentLimits limits {10, 100};
    proto::MessageContent text;
    text.set_kind(proto::MessageContent::KIND_TEXT);
    text.set_text("line one\nline two"); // 17 characters
    QVERIFY(messages::checkContent(text, limits)); // over 10
    text.set_text("\xe4\xbd\xa0\xe5\xa5\xbd\n\xf0\x9f\x91\x8b"); // 你好\n👋: 4 characters
    QVERIFY(!messages::checkContent(text, limits));
    text.set_text(std::string("a\0b", 3));
    QVERIFY(messages::checkContent(text, limits)); // NUL
    text.set_text("   ");
    QVERIFY(messages::checkContent(text, limits)); // blank

    proto::MessageContent voice;
    voice.set_kind(proto::MessageContent::KIND_VOICE);
    voice.mutable_file()->set_file_id("f1");
    QVERIFY(messages::checkContent(voice, limits)); // no duration
    voice.mutable_file()->set_duration_ms(1200);
    QVERIFY(!messages::checkContent(voice, limits));
    voice.mutable_file()->set_thumbnail(std::string(101, 'x'));
    QVERIFY(messages::checkContent(voice, limits)); // thumbnail over 100 bytes

    proto::MessageContent bundle;
    bundle.set_kind(proto::MessageContent::KIND_FORWARD_BUNDLE);
    QVERIFY(messages::checkContent(bundle, limits)); // empty
    auto *item = bundle.mutable_bundle()->add_items();
    item->mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
    item->mutable_content()->set_text("hi");
    QVERIFY(!messages::checkContent(bundle, limits));
    item->mutable_content()->set_kind(proto::MessageContent::KIND_FORWARD_BUNDLE);
    QVERIFY(messages::checkContent(bundle, limits)); // nested
}

void tst_MessageContent::searchGramsCoverCharactersAndPairs()
{
    const QStringList grams = messages::searchGrams(QStringLiteral("大家好 Hi👋"));
    for (const QString &expected :
         {QStringLiteral("大"), QStringLiteral("大家"), QStringLiteral("家好"),
          QStringLiteral("好 "), QStringLiteral("hi"), QStringLiteral("i👋"), QStringLiteral("👋")})
        QVERIFY2(grams.contains(expected), qPrintable(expected));
    QVERIFY(!grams.contains(QStringLiteral("Hi"))); // lower-cased
    QCOMPARE(grams.size(), QSet<QString>(grams.begin(), grams.end()).size()); // distinct
    QVERIFY(messages::searchGrams(QString()).isEmpty());
}

void tst_MessageContent::queryGrams_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("grams");
    QTest::newRow("one Chinese character")
        << QStringLiteral("好") << QStringList {QStringLiteral("好")};
    QTest::newRow("two-character word")
        << QStringLiteral("你好") << QStringList {QStringLiteral("你好")};
    QTest::newRow("one Latin letter") << QStringLiteral("A") << QStringList {QStringLiteral("a")};
    QTest::newRow("repeated pair")
        << QStringLiteral("abab") << QStringList {QStringLiteral("ab"), QStringLiteral("ba")};
    QTest::newRow("one emoji") << QStringLiteral("👋") << QStringList {QStringLiteral("👋")};
}

void tst_MessageContent::queryGrams()
{
    QFETCH(QString, query);
    QFETCH(QStringList, grams);
    QCOMPARE(messages::queryGrams(query), grams);
}

QTEST_APPLESS_MAIN(tst_MessageContent)
#include "tst_messagecontent.moc"
