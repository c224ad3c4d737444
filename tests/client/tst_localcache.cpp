// SPDX-License-Identifier: Apache-2.0
// LocalCache::open: a damaged file is set aside and a new cache made (the server fills it
// again); a cache from a newer version of the app is refused, not touched.
#include "localcache.h"

#include <QDir>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace tern::client;

class tst_LocalCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aDamagedCacheIsSetAsideAndMadeAnew()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("cache.sqlite"));
        const QByteArray garbage(8192, 'x');
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(garbage);
        }
        LocalCache cache;
        QVERIFY2(cache.open(path), qPrintable(cache.error()));
        QVERIFY(!cache.setAsidePath().isEmpty());
        QFile aside(cache.setAsidePath());
        QVERIFY(aside.open(QIODevice::ReadOnly));
        QCOMPARE(aside.readAll(), garbage);
        QVERIFY(cache.schemaVersion() > 0);
        cache.setMeta(QStringLiteral("k"), "v");
        QCOMPARE(cache.meta(QStringLiteral("k")), QByteArray("v"));
        // A healthy cache opens as it is.
        cache.close();
        LocalCache again;
        QVERIFY(again.open(path));
        QVERIFY(again.setAsidePath().isEmpty());
        QCOMPARE(again.meta(QStringLiteral("k")), QByteArray("v"));
    }

    void aNewerCacheIsRefusedAndKept()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("cache.sqlite"));
        {
            LocalCache cache;
            QVERIFY(cache.open(path));
            QSqlQuery q(cache.db());
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 999")));
        }
        LocalCache cache;
        QVERIFY(!cache.open(path));
        QVERIFY2(cache.error().contains(QLatin1String("newer version")), qPrintable(cache.error()));
        QVERIFY(cache.setAsidePath().isEmpty());
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("*.broken-*")}).size(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_LocalCache)
#include "tst_localcache.moc"
