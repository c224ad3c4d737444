// SPDX-License-Identifier: Apache-2.0
// The message content rules both client and server use, and the search terms.
#include "tern/messagecontent.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <set>
#include <utility>

using namespace tern;

class tst_MessageContent : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clientMsgIds_data();
    void clientMsgIds();
    void contentRules();
    void searchGramsCoverCharactersAndPairs();
    void joinedGramsFollowOneRule();
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

namespace {
// The rule of joinedSearchGrams() written plainly: the distinct lower-cased code points and
// pairs of neighbours (none holding the separator), ordered by first code point, then
// second, a lone character after its pairs; UTF-8, joined by the separator.
QByteArray gramsByTheRule(const QString &text)
{
    constexpr char32_t kAlone = 0xFFFFFFFF;
    const QList<uint> points = text.toLower().toUcs4();
    std::set<std::pair<char32_t, char32_t>> terms;
    for (qsizetype i = 0; i < points.size(); ++i) {
        if (points[i] == uint(messages::kGramSeparator))
            continue;
        terms.insert({points[i], kAlone});
        if (i + 1 < points.size() && points[i + 1] != uint(messages::kGramSeparator))
            terms.insert({points[i], points[i + 1]});
    }
    QByteArray joined;
    for (const auto &[first, second] : terms) {
        if (!joined.isEmpty())
            joined += messages::kGramSeparator;
        joined += QString::fromUcs4(&first, 1).toUtf8();
        if (second != kAlone)
            joined += QString::fromUcs4(&second, 1).toUtf8();
    }
    return joined;
}
} // namespace

void tst_MessageContent::joinedGramsFollowOneRule()
{
    // ASCII texts take a path of their own; others the general one. Both against the rule,
    // over random texts of upper and lower case, digits, punctuation, controls and the
    // separator, some with a non-ASCII character in them.
    QRandomGenerator random(20261127);
    const QString others = QStringLiteral("éİß大家好👋Ω");
    for (int round = 0; round < 3000; ++round) {
        QString text;
        const int length = random.bounded(0, 160);
        for (int i = 0; i < length; ++i) {
            const int pick = random.bounded(0, 20);
            if (pick == 0)
                text += QChar(char16_t(messages::kGramSeparator));
            else if (pick == 1)
                text += QChar(random.bounded(0, 0x20));
            else
                text += QChar(random.bounded(0x20, 0x80));
        }
        if (round % 3 == 0 && length > 0) {
            const QString other = others.mid(random.bounded(0, int(others.size())), 1);
            if (!other.front().isSurrogate())
                text.insert(random.bounded(0, int(text.size())), other);
        }
        QCOMPARE(messages::joinedSearchGrams(text), gramsByTheRule(text));
    }
    QCOMPARE(messages::joinedSearchGrams(QStringLiteral("Hi 👋")),
             gramsByTheRule(QStringLiteral("Hi 👋")));
    QCOMPARE(messages::joinedSearchGrams(QStringLiteral("AbA")),
             QByteArray("ab|a|ba|b").replace('|', messages::kGramSeparator));
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
