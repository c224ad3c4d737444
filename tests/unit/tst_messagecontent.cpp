// SPDX-License-Identifier: Apache-2.0
// The message content rules both client and server use, and the search terms.
#include "tern/clientmsgid.h"
#include "tern/messagecontent.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <set>
#include <utility>

using namespace tern;

class tst_MessageContent : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clientMsgIds_data();
    void clientMsgIds();
    void newClientMsgIdsAreTimeOrdered();
    void contentRules();
    void searchableTextJoinsTextAndNames();
    void searchGramsCoverCharactersAndPairs();
    void joinedGramsFollowOneRule();
    void queryGrams_data();
    void queryGrams();
    void loneLettersMatchAnyPair();
    void queriesFindTheirTexts();
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

// Version-7 UUIDs the server accepts, all distinct, and in the order they were made when a
// millisecond or more apart (their first 48 bits are the time).
void tst_MessageContent::newClientMsgIdsAreTimeOrdered()
{
    std::set<std::string> seen;
    std::string previous;
    for (int i = 0; i < 2000; ++i) {
        const std::string id = messages::newClientMsgId();
        QVERIFY2(messages::isClientMsgId(id), id.c_str());
        // Qt 6.4's QUuid knows no version 7: the version nibble and the variant bits by hand.
        QCOMPARE(id[14], '7');
        QVERIFY2(std::string("89ab").find(id[19]) != std::string::npos, id.c_str());
        QVERIFY(!QUuid::fromString(QString::fromStdString(id)).isNull());
        QVERIFY(seen.insert(id).second);
        if (i % 500 == 0) {
            if (!previous.empty())
                QVERIFY2(previous < id, (previous + " then " + id).c_str());
            previous = id;
            // The next id compared is made in a later millisecond.
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            while (QDateTime::currentMSecsSinceEpoch() <= now) { }
        }
    }
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();
    const std::string id = messages::newClientMsgId();
    const qint64 stamped = std::stoll(id.substr(0, 8) + id.substr(9, 4), nullptr, 16);
    QVERIFY2(stamped >= ms && stamped - ms < 1000, id.c_str());
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
    text.set_text("\t\n\v\f\r \xc2\xa0\xe3\x80\x80"); // ASCII, no-break and ideographic spaces
    QVERIFY(messages::checkContent(text, limits)); // blank too
    text.set_text(" \xe3\x80\x80x ");
    QVERIFY(!messages::checkContent(text, limits));
    text.set_text("\xe3\x80\x80\xe4\xbd\xa0"); // an ideographic space and 你
    QVERIFY(!messages::checkContent(text, limits));

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

void tst_MessageContent::searchableTextJoinsTextAndNames()
{
    proto::MessageContent content;
    content.set_kind(proto::MessageContent::KIND_TEXT);
    content.set_text("hello \xe4\xbd\xa0");
    QCOMPARE(messages::searchableText(content), QStringLiteral(u"hello \u4f60"));
    content.set_kind(proto::MessageContent::KIND_FILE);
    content.mutable_file()->set_file_id("f1");
    QCOMPARE(messages::searchableText(content), QStringLiteral(u"hello \u4f60")); // no name
    content.mutable_file()->set_name("plan.pdf");
    QCOMPARE(messages::searchableText(content), QStringLiteral(u"hello \u4f60\nplan.pdf"));
    content.clear_text();
    QCOMPARE(messages::searchableText(content), QStringLiteral("plan.pdf"));

    proto::MessageContent bundle;
    bundle.set_kind(proto::MessageContent::KIND_FORWARD_BUNDLE);
    QCOMPARE(messages::searchableText(bundle), QString());
    *bundle.mutable_bundle()->add_items()->mutable_content() = content;
    auto *second = bundle.mutable_bundle()->add_items()->mutable_content();
    second->set_kind(proto::MessageContent::KIND_TEXT);
    second->set_text("see above");
    QCOMPARE(messages::searchableText(bundle), QStringLiteral("plan.pdf\nsee above"));
}

void tst_MessageContent::searchGramsCoverCharactersAndPairs()
{
    const QStringList grams = messages::searchGrams(QStringLiteral("大家好 Hi👋 I"));
    for (const QString &expected :
         {QStringLiteral("大"), QStringLiteral("大家"), QStringLiteral("家好"),
          QStringLiteral("好"), QStringLiteral("hi"), QStringLiteral("i👋"), QStringLiteral("👋"),
          QStringLiteral("i")})
        QVERIFY2(grams.contains(expected), qPrintable(expected));
    QVERIFY(!grams.contains(QStringLiteral("Hi"))); // lower-cased
    QVERIFY(!grams.contains(QStringLiteral("好 "))); // no whitespace
    QVERIFY(!grams.contains(QStringLiteral(" h")));
    QVERIFY(!grams.contains(QStringLiteral("h"))); // in a pair with its ASCII neighbour
    QCOMPARE(grams.size(), QSet<QString>(grams.begin(), grams.end()).size()); // distinct
    QVERIFY(messages::searchGrams(QString()).isEmpty());
    QVERIFY(messages::searchGrams(QStringLiteral(" \t\n")).isEmpty());
}

namespace {
bool isGap(char32_t c)
{
    return c == 0 || c == char32_t(messages::kGramSeparator) || QChar::isSpace(c);
}

// The terms of a text written plainly (lower-cased code points): each pair of neighbours
// without whitespace, the separator or U+0000, and each character that is not ASCII or has
// no ASCII neighbour other than those, alone. Second code point kAlone for a character alone.
constexpr char32_t kAlone = 0;
std::set<std::pair<char32_t, char32_t>> termsByTheRule(const QString &text)
{
    const QList<uint> points = text.toLower().toUcs4();
    const auto joins = [&](qsizetype i) {
        return i >= 0 && i < points.size() && points[i] < 0x80 && !isGap(points[i]);
    };
    std::set<std::pair<char32_t, char32_t>> terms;
    for (qsizetype i = 0; i < points.size(); ++i) {
        if (isGap(points[i]))
            continue;
        if (points[i] >= 0x80 || (!joins(i - 1) && !joins(i + 1)))
            terms.insert({points[i], kAlone});
        if (i + 1 < points.size() && !isGap(points[i + 1]))
            terms.insert({points[i], points[i + 1]});
    }
    return terms;
}

// joinedSearchGrams() by the rule: ordered by first code point, then second, a lone
// character before its pairs (the order of their UTF-8 bytes); joined by the separator.
QByteArray gramsByTheRule(const QString &text)
{
    QByteArray joined;
    for (const auto &[first, second] : termsByTheRule(text)) {
        if (!joined.isEmpty())
            joined += messages::kGramSeparator;
        joined += QString::fromUcs4(&first, 1).toUtf8();
        if (second != kAlone)
            joined += QString::fromUcs4(&second, 1).toUtf8();
    }
    return joined;
}

// Random texts of upper and lower case, digits, punctuation, whitespace, controls and the
// separator, some with a character outside ASCII (or an ideographic space) in them.
QString randomText(QRandomGenerator &random, int round, int maxLength)
{
    const QString others = QStringLiteral("éİß大家好👋Ω\u3000");
    QString text;
    const int length = random.bounded(0, maxLength);
    for (int i = 0; i < length; ++i) {
        const int pick = random.bounded(0, 20);
        if (pick == 0)
            text += QChar(char16_t(messages::kGramSeparator));
        else if (pick == 1)
            text += QChar(random.bounded(0, 0x20));
        else if (pick < 5)
            text += QLatin1Char(' ');
        else
            text += QChar(random.bounded(0x20, 0x80));
    }
    if (round % 3 == 0 && length > 0) {
        for (int n = random.bounded(1, 4); n > 0; --n) {
            const QString other = others.mid(random.bounded(0, int(others.size())), 1);
            if (!other.front().isSurrogate())
                text.insert(random.bounded(0, int(text.size())), other);
        }
    }
    return text;
}
} // namespace

void tst_MessageContent::joinedGramsFollowOneRule()
{
    // ASCII texts take a path of their own; others the general one. Both against the rule.
    QRandomGenerator random(20261127);
    for (int round = 0; round < 3000; ++round) {
        const QString text = randomText(random, round, 160);
        const QByteArray joined = messages::joinedSearchGrams(text);
        QCOMPARE(joined, gramsByTheRule(text));
        // Bytewise ascending, as the index compares: GIN's sort of a row's terms finds them
        // sorted and stops.
        const QList<QByteArray> terms = joined.split(messages::kGramSeparator);
        QVERIFY(std::is_sorted(terms.begin(), terms.end()));
    }
    // Longer than the ASCII path's buffer on the stack.
    const QString longText = randomText(random, 1, 3000) + QString(3000, QLatin1Char('q'));
    QCOMPARE(messages::joinedSearchGrams(longText), gramsByTheRule(longText));
    QCOMPARE(messages::joinedSearchGrams(QStringLiteral("Hi 👋")),
             gramsByTheRule(QStringLiteral("Hi 👋")));
    QCOMPARE(messages::joinedSearchGrams(QStringLiteral("AbA a")),
             QByteArray("a|ab|ba").replace('|', messages::kGramSeparator));
    QCOMPARE(messages::joinedSearchGrams(QStringLiteral("x大")),
             QByteArray("x|x大|大").replace('|', messages::kGramSeparator));
}

void tst_MessageContent::queryGrams_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("grams");
    QTest::newRow("one Chinese character")
        << QStringLiteral("好") << QStringList {QStringLiteral("好")};
    QTest::newRow("two-character word")
        << QStringLiteral("你好") << QStringList {QStringLiteral("你好")};
    QTest::newRow("repeated pair")
        << QStringLiteral("abab") << QStringList {QStringLiteral("ab"), QStringLiteral("ba")};
    QTest::newRow("one emoji") << QStringLiteral("👋") << QStringList {QStringLiteral("👋")};
    QTest::newRow("two words") << QStringLiteral(
        "Hi you") << QStringList {QStringLiteral("hi"), QStringLiteral("yo"), QStringLiteral("ou")};
    QTest::newRow("a letter and a Chinese character")
        << QStringLiteral("a 中") << QStringList {QStringLiteral("中")};
}

void tst_MessageContent::queryGrams()
{
    QFETCH(QString, query);
    QFETCH(QStringList, grams);
    const messages::QueryGrams terms = messages::queryGrams(query);
    QCOMPARE(terms.terms, grams);
    QVERIFY(!terms.anyOf);
}

void tst_MessageContent::loneLettersMatchAnyPair()
{
    // Lone ASCII letters: the first alone or in a pair with any ASCII character but a gap or
    // a capital.
    for (const QString &lone : {QStringLiteral("A"), QStringLiteral("a b"), QStringLiteral(" a")}) {
        const messages::QueryGrams any = messages::queryGrams(lone);
        QVERIFY(any.anyOf);
        QCOMPARE(any.terms.front(), QStringLiteral("a"));
        for (const QString &term :
             {QStringLiteral("ab"), QStringLiteral("ba"), QStringLiteral("a1"),
              QStringLiteral("!a"), QStringLiteral("aa")})
            QVERIFY2(any.terms.contains(term), qPrintable(term));
        QVERIFY(!any.terms.contains(QStringLiteral("aB")));
        QVERIFY(!any.terms.contains(QStringLiteral("a ")));
        QVERIFY(!any.terms.contains(QStringLiteral("b")));
        QCOMPARE(any.terms.size(), QSet<QString>(any.terms.begin(), any.terms.end()).size());
    }
    QVERIFY(messages::queryGrams(QStringLiteral(" \x1f ")).terms.isEmpty());
}

void tst_MessageContent::queriesFindTheirTexts()
{
    // The property search rests on: for any piece of a text, the text's terms hold the piece's
    // (all of them, or one for a query of lone ASCII characters). Without it a search would
    // miss a message whose text holds the query.
    QRandomGenerator random(20261128);
    int anyOfQueries = 0;
    for (int round = 0; round < 3000; ++round) {
        const QString text = randomText(random, round, 60);
        if (text.trimmed().isEmpty())
            continue;
        const QStringList held = messages::searchGrams(text);
        const QSet<QString> terms(held.begin(), held.end());
        for (int piece = 0; piece < 5; ++piece) {
            const int from = random.bounded(0, int(text.size()));
            QString query = text.mid(from, random.bounded(1, 6));
            if (query.back().isHighSurrogate() || query.front().isLowSurrogate())
                continue;
            const messages::QueryGrams needed = messages::queryGrams(query);
            if (needed.terms.isEmpty())
                continue; // only gaps: the service refuses a blank query
            bool found = !needed.anyOf;
            for (const QString &term : needed.terms) {
                if (needed.anyOf && terms.contains(term))
                    found = true;
                if (!needed.anyOf && !terms.contains(term))
                    found = false;
            }
            anyOfQueries += needed.anyOf ? 1 : 0;
            QVERIFY2(found, qPrintable(QStringLiteral("%1 in %2").arg(query, text)));
        }
    }
    QVERIFY(anyOfQueries > 100); // the lone-letter path was exercised
}

QTEST_APPLESS_MAIN(tst_MessageContent)
#include "tst_messagecontent.moc"
