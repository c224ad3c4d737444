// SPDX-License-Identifier: Apache-2.0
#include "tern/limits.h"
#include "tern/validation.h"

#include <QTest>

using namespace tern;
using namespace tern::validation;

namespace {

std::string bytes(const QByteArray &value)
{
    return std::string(value.constData(), size_t(value.size()));
}

QByteArray utf8(const QString &text)
{
    return text.toUtf8();
}

QByteArray repeated(const QString &unit, int times)
{
    return unit.repeated(times).toUtf8();
}

// Common columns: the input, and for a refused input a word the explanation must contain
// (empty = the input is fine).
void addProblemColumns()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("problem");
}

void checkProblem(const Problem &actual, const QString &expected)
{
    if (expected.isEmpty()) {
        QVERIFY2(!actual.has_value(), qPrintable(actual.value_or(QString())));
    } else {
        QVERIFY2(actual.has_value(), "accepted, but should have been refused");
        QVERIFY2(actual->contains(expected, Qt::CaseInsensitive), qPrintable(*actual));
    }
}

} // namespace

class tst_Validation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void checkUsername_data();
    void checkUsername();
    void checkDisplayName_data();
    void checkDisplayName();
    void checkPassword_data();
    void checkPassword();
    void checkLabel_data();
    void checkLabel();
    void isValidUtf8_data();
    void isValidUtf8();
    void codePointCount_data();
    void codePointCount();
    void usernameKey_data();
    void usernameKey();
};

void tst_Validation::checkUsername_data()
{
    addProblemColumns();
    const QString fine;
    const QString length = QStringLiteral("characters long");

    QTest::newRow("alice") << QByteArrayLiteral("alice") << fine;
    QTest::newRow("Bob_1") << QByteArrayLiteral("Bob_1") << fine;
    QTest::newRow("a.b") << QByteArrayLiteral("a.b") << fine;
    QTest::newRow("a_._b") << QByteArrayLiteral("a_._b") << fine;
    QTest::newRow("shortest") << QByteArray(limits::kMinUsernameLength, 'a') << fine;
    QTest::newRow("longest") << QByteArray(limits::kMaxUsernameLength, 'a') << fine;

    QTest::newRow("empty") << QByteArray() << length;
    QTest::newRow("too short") << QByteArray(limits::kMinUsernameLength - 1, 'a') << length;
    QTest::newRow("too long") << QByteArray(limits::kMaxUsernameLength + 1, 'a') << length;
    QTest::newRow("starts with digit") << QByteArrayLiteral("1alice") << QStringLiteral("start");
    QTest::newRow("starts with '_'") << QByteArrayLiteral("_alice") << QStringLiteral("start");
    QTest::newRow("starts with '.'") << QByteArrayLiteral(".alice") << QStringLiteral("start");
    QTest::newRow("a..b") << QByteArrayLiteral("a..b") << QStringLiteral("\"..\"");
    QTest::newRow("trailing '.'") << QByteArrayLiteral("alice.") << QStringLiteral("end");
    QTest::newRow("space") << QByteArrayLiteral("ali ce") << QStringLiteral("only");
    QTest::newRow("hyphen") << QByteArrayLiteral("ali-ce") << QStringLiteral("only");
    QTest::newRow("non-ASCII") << utf8(QStringLiteral("ali€e")) << QStringLiteral("only");
    QTest::newRow("NUL byte") << QByteArray("ali\0ce", 6) << QStringLiteral("only");
}

void tst_Validation::checkUsername()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, problem);

    checkProblem(validation::checkUsername(bytes(input), limits::kMinUsernameLength,
                                           limits::kMaxUsernameLength),
                 problem);
}

void tst_Validation::checkDisplayName_data()
{
    addProblemColumns();
    const QString fine;
    const int max = limits::kMaxDisplayNameLength;

    QTest::newRow("Latin") << QByteArrayLiteral("Alice Smith") << fine;
    QTest::newRow("Chinese") << utf8(QStringLiteral("张伟")) << fine;
    QTest::newRow("Arabic") << utf8(QStringLiteral("محمد")) << fine;
    QTest::newRow("emoji with ZWJ") << utf8(QStringLiteral("👩‍💻")) << fine;
    QTest::newRow("empty (means the username)") << QByteArray() << fine;
    QTest::newRow("inner and outer spaces") << QByteArrayLiteral(" A  B ") << fine;
    // The limit counts code points: 64 Chinese characters are 192 bytes, 64 emoji are 128
    // UTF-16 units; both are fine.
    QTest::newRow("64 Chinese characters") << repeated(QStringLiteral("张"), max) << fine;
    QTest::newRow("64 emoji") << repeated(QStringLiteral("😀"), max) << fine;
    QTest::newRow("65 Chinese characters")
        << repeated(QStringLiteral("张"), max + 1) << QStringLiteral("at most");
    QTest::newRow("65 ASCII characters") << QByteArray(max + 1, 'a') << QStringLiteral("at most");

    QTest::newRow("control char \\x01")
        << QByteArrayLiteral("Al\x01ice") << QStringLiteral("control");
    QTest::newRow("tab") << QByteArrayLiteral("Al\tice") << QStringLiteral("control");
    QTest::newRow("newline") << QByteArrayLiteral("Alice\n") << QStringLiteral("control");
    QTest::newRow("DEL") << QByteArrayLiteral("Alice\x7F") << QStringLiteral("control");
    QTest::newRow("right-to-left override")
        << utf8(QStringLiteral("abc\u202Egpj.exe")) << QStringLiteral("control");
    QTest::newRow("line separator")
        << utf8(QStringLiteral("a\u2028b")) << QStringLiteral("control");
    QTest::newRow("only spaces") << QByteArrayLiteral("   ") << QStringLiteral("white space");
    QTest::newRow("only no-break space")
        << utf8(QStringLiteral("\u00A0")) << QStringLiteral("white space");
    QTest::newRow("invalid UTF-8") << QByteArrayLiteral("Al\xC3\x28ice") << QStringLiteral("UTF-8");
    QTest::newRow("overlong UTF-8") << QByteArrayLiteral("\xC0\xAF") << QStringLiteral("UTF-8");
}

void tst_Validation::checkDisplayName()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, problem);

    checkProblem(validation::checkDisplayName(bytes(input), limits::kMaxDisplayNameLength),
                 problem);
}

void tst_Validation::checkPassword_data()
{
    addProblemColumns();
    const QString fine;
    const QString length = QStringLiteral("characters long");
    const int min = limits::kMinPasswordLength;
    const int max = limits::kMaxPasswordLength;

    QTest::newRow("ASCII") << QByteArrayLiteral("correct horse") << fine;
    QTest::newRow("shortest") << QByteArray(min, 'x') << fine;
    QTest::newRow("longest") << QByteArray(max, 'x') << fine;
    // Bounds are in code points: 8 euro signs are 24 bytes, 256 are 768 bytes.
    QTest::newRow("shortest, 3-byte characters") << repeated(QStringLiteral("€"), min) << fine;
    QTest::newRow("longest, 3-byte characters") << repeated(QStringLiteral("€"), max) << fine;
    QTest::newRow("spaces only are allowed") << QByteArray(min, ' ') << fine;

    QTest::newRow("empty") << QByteArray() << length;
    QTest::newRow("too short") << QByteArray(min - 1, 'x') << length;
    QTest::newRow("too short, 3-byte characters")
        << repeated(QStringLiteral("€"), min - 1) << length;
    QTest::newRow("too long") << QByteArray(max + 1, 'x') << length;
    QTest::newRow("too long, 3-byte characters")
        << repeated(QStringLiteral("€"), max + 1) << length;
    QTest::newRow("invalid UTF-8") << QByteArrayLiteral("password\xFF") << QStringLiteral("UTF-8");
    QTest::newRow("surrogate") << QByteArrayLiteral("password\xED\xA0\x80")
                               << QStringLiteral("UTF-8");
}

void tst_Validation::checkPassword()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, problem);

    checkProblem(validation::checkPassword(bytes(input), limits::kMinPasswordLength,
                                           limits::kMaxPasswordLength),
                 problem);
}

void tst_Validation::checkLabel_data()
{
    addProblemColumns();
    const QString fine;

    QTest::newRow("device name") << utf8(QStringLiteral("Zoë’s laptop 💻")) << fine;
    QTest::newRow("empty") << QByteArray() << fine;
    QTest::newRow("at the limit") << repeated(QStringLiteral("ß"), 16) << fine;
    QTest::newRow("over the limit")
        << QByteArray(17, 'a') << QStringLiteral("device_name may be at most 16");
    QTest::newRow("control character")
        << QByteArrayLiteral("a\x1B[2Jb") << QStringLiteral("device_name may not contain control");
    QTest::newRow("invalid UTF-8")
        << QByteArrayLiteral("\xE2\x82") << QStringLiteral("device_name is not valid UTF-8");
}

void tst_Validation::checkLabel()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, problem);

    checkProblem(validation::checkLabel(bytes(input), "device_name", 16), problem);
}

void tst_Validation::isValidUtf8_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("valid");

    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("ASCII") << QByteArrayLiteral("hello") << true;
    QTest::newRow("embedded NUL") << QByteArray("a\0b", 3) << true;
    QTest::newRow("2-byte U+00E9") << QByteArrayLiteral("\xC3\xA9") << true;
    QTest::newRow("3-byte U+20AC") << QByteArrayLiteral("\xE2\x82\xAC") << true;
    QTest::newRow("U+D7FF, below surrogates") << QByteArrayLiteral("\xED\x9F\xBF") << true;
    QTest::newRow("U+E000, above surrogates") << QByteArrayLiteral("\xEE\x80\x80") << true;
    QTest::newRow("U+FFFF") << QByteArrayLiteral("\xEF\xBF\xBF") << true;
    QTest::newRow("4-byte U+1F600") << QByteArrayLiteral("\xF0\x9F\x98\x80") << true;
    QTest::newRow("4-byte U+10FFFF") << QByteArrayLiteral("\xF4\x8F\xBF\xBF") << true;
    QTest::newRow("mixed") << utf8(QStringLiteral("aé€😀张")) << true;

    QTest::newRow("overlong '/' (2 bytes)") << QByteArrayLiteral("\xC0\xAF") << false;
    QTest::newRow("overlong U+007F") << QByteArrayLiteral("\xC1\xBF") << false;
    QTest::newRow("overlong '/' (3 bytes)") << QByteArrayLiteral("\xE0\x80\xAF") << false;
    QTest::newRow("overlong U+07FF (3 bytes)") << QByteArrayLiteral("\xE0\x9F\xBF") << false;
    QTest::newRow("overlong '/' (4 bytes)") << QByteArrayLiteral("\xF0\x80\x80\xAF") << false;
    QTest::newRow("overlong U+FFFF (4 bytes)") << QByteArrayLiteral("\xF0\x8F\xBF\xBF") << false;
    QTest::newRow("surrogate U+D800") << QByteArrayLiteral("\xED\xA0\x80") << false;
    QTest::newRow("surrogate U+DFFF") << QByteArrayLiteral("\xED\xBF\xBF") << false;
    QTest::newRow("U+110000") << QByteArrayLiteral("\xF4\x90\x80\x80") << false;
    QTest::newRow("lead byte 0xF5") << QByteArrayLiteral("\xF5\x80\x80\x80") << false;
    QTest::newRow("byte 0xFF") << QByteArrayLiteral("\xFF") << false;
    QTest::newRow("lone continuation") << QByteArrayLiteral("\x80") << false;
    QTest::newRow("truncated 2-byte") << QByteArrayLiteral("\xC3") << false;
    QTest::newRow("truncated 3-byte") << QByteArrayLiteral("\xE2\x82") << false;
    QTest::newRow("truncated 4-byte") << QByteArrayLiteral("\xF0\x9F\x98") << false;
    QTest::newRow("truncated after valid text") << QByteArrayLiteral("abc\xE2\x82") << false;
    QTest::newRow("ASCII where continuation expected") << QByteArrayLiteral("\xE2(\xA1") << false;
    QTest::newRow("extra continuation") << QByteArrayLiteral("\xC3\xA9\xA9") << false;
}

void tst_Validation::isValidUtf8()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, valid);

    QCOMPARE(validation::isValidUtf8(bytes(input)), valid);
}

void tst_Validation::codePointCount_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qsizetype>("count");

    QTest::newRow("empty") << QByteArray() << qsizetype(0);
    QTest::newRow("ASCII") << QByteArrayLiteral("abc") << qsizetype(3);
    QTest::newRow("Chinese") << utf8(QStringLiteral("张伟")) << qsizetype(2);
    QTest::newRow("emoji with ZWJ") << utf8(QStringLiteral("👩‍💻")) << qsizetype(3);
    QTest::newRow("1 to 4 bytes each") << utf8(QStringLiteral("aé€😀")) << qsizetype(4);
}

void tst_Validation::codePointCount()
{
    QFETCH(QByteArray, input);
    QFETCH(qsizetype, count);

    QCOMPARE(validation::codePointCount(bytes(input)), count);
}

void tst_Validation::usernameKey_data()
{
    QTest::addColumn<QByteArray>("username");
    QTest::addColumn<QString>("key");

    QTest::newRow("lower") << QByteArrayLiteral("alice") << QStringLiteral("alice");
    QTest::newRow("capitalised") << QByteArrayLiteral("Alice") << QStringLiteral("alice");
    QTest::newRow("upper, digits, '_' and '.'")
        << QByteArrayLiteral("BOB_1.X") << QStringLiteral("bob_1.x");
}

void tst_Validation::usernameKey()
{
    QFETCH(QByteArray, username);
    QFETCH(QString, key);

    QCOMPARE(validation::usernameKey(bytes(username)), key);
    QCOMPARE(validation::usernameKey(bytes(username.toUpper())), key);
}

QTEST_APPLESS_MAIN(tst_Validation)
#include "tst_validation.moc"
