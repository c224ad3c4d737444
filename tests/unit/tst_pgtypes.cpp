// SPDX-License-Identifier: Apache-2.0
#include "store/pgtypes.h"

#include <QTest>

using namespace tern::server;

class tst_PgTypes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The text form of a bigint[] result, read in place (every send's recipients).
    void readIds_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QList<qint64>>("ids");
        QTest::newRow("empty array") << QByteArray("{}") << QList<qint64>();
        QTest::newRow("null") << QByteArray() << QList<qint64>();
        QTest::newRow("one") << QByteArray("{7}") << QList<qint64> {7};
        QTest::newRow("several") << QByteArray("{1,22,-3,9223372036854775807}")
                                 << QList<qint64> {1, 22, -3, 9223372036854775807LL};
    }
    void readIds()
    {
        QFETCH(QByteArray, text);
        QFETCH(QList<qint64>, ids);
        QCOMPARE(pgReadIds(text), ids);
        QCOMPARE(pgIds(ids), std::optional<QByteArray>(text.isNull() ? QByteArray("{}") : text));
    }
};

QTEST_GUILESS_MAIN(tst_PgTypes)
#include "tst_pgtypes.moc"
