// SPDX-License-Identifier: Apache-2.0
#include "service/tokens.h"
#include "tern/limits.h"

#include <QSet>
#include <QTest>

using namespace tern;
using namespace tern::server;

class tst_Tokens : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokenIs32Bytes();
    void tokensDiffer();
    void hashIsSha256_data();
    void hashIsSha256();
    void hashIsDeterministicAndNotTheToken();
    void differentTokensHashDifferently();
};

void tst_Tokens::tokenIs32Bytes()
{
    QCOMPARE(limits::kSessionTokenBytes, 32);
    QCOMPARE(newSessionToken().size(), qsizetype(32));
}

void tst_Tokens::tokensDiffer()
{
    const QByteArray first = newSessionToken();
    const QByteArray second = newSessionToken();
    QVERIFY(first != second);
    QVERIFY(first != QByteArray(32, '\0')); // filled in, not left zeroed

    QSet<QByteArray> seen;
    for (int i = 0; i < 1000; ++i)
        seen.insert(newSessionToken());
    QCOMPARE(seen.size(), qsizetype(1000));
}

void tst_Tokens::hashIsSha256_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QByteArray>("hexHash");

    // FIPS 180-2 test vectors.
    QTest::newRow("empty") << QByteArray()
                           << QByteArrayLiteral("e3b0c44298fc1c149afbf4c8996fb924"
                                                "27ae41e4649b934ca495991b7852b855");
    QTest::newRow("abc") << QByteArrayLiteral("abc")
                         << QByteArrayLiteral("ba7816bf8f01cfea414140de5dae2223"
                                              "b00361a396177a9cb410ff61f20015ad");
}

void tst_Tokens::hashIsSha256()
{
    QFETCH(QByteArray, token);
    QFETCH(QByteArray, hexHash);

    QCOMPARE(sessionTokenHash(token).toHex(), hexHash);
}

void tst_Tokens::hashIsDeterministicAndNotTheToken()
{
    const QByteArray token = newSessionToken();
    const QByteArray hash = sessionTokenHash(token);
    QCOMPARE(hash.size(), qsizetype(32));
    QCOMPARE(sessionTokenHash(token), hash);
    QCOMPARE(sessionTokenHash(QByteArray(token)), hash); // a copy, not the same buffer
    QVERIFY(hash != token);
}

void tst_Tokens::differentTokensHashDifferently()
{
    QByteArray token = newSessionToken();
    const QByteArray hash = sessionTokenHash(token);
    token[31] = char(token[31] ^ 1);
    QVERIFY(sessionTokenHash(token) != hash);
}

QTEST_APPLESS_MAIN(tst_Tokens)
#include "tst_tokens.moc"
