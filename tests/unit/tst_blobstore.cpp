// SPDX-License-Identifier: Apache-2.0
// DiskBlobStore on a temporary directory: partial uploads resumed and verified, content stored
// once, damaged content refused, ranged reads, stale partials found, hostile ids refused.
#include "store/blobstore.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using tern::server::DiskBlobStore;

namespace {

QByteArray sha(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

QByteArray content(int size)
{
    QByteArray data(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        data[i] = char((i * 131 + 7) % 251);
    return data;
}

} // namespace

class TestBlobStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_store = std::make_unique<DiskBlobStore>(m_dir->filePath(QStringLiteral("files")));
        QString error;
        QVERIFY2(m_store->open(&error), qPrintable(error));
        QCOMPARE(QFile::permissions(m_dir->filePath(QStringLiteral("files/partial")))
                     & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                 QFileDevice::Permissions {});
    }

    void uploadInChunksWithRetryThenRead()
    {
        const QByteArray data = content(300000);
        QString error;
        QVERIFY(m_store->writePartial(QStringLiteral("up1"), 0, data.left(100000), &error));
        // A retried chunk replaces what was written from its offset on.
        QVERIFY(m_store->writePartial(QStringLiteral("up1"), 100000, QByteArray(50, 'x'), &error));
        QVERIFY(
            m_store->writePartial(QStringLiteral("up1"), 100000, data.mid(100000, 100000), &error));
        QCOMPARE(m_store->partialSize(QStringLiteral("up1")), quint64(200000));
        // Not past the stored bytes.
        QVERIFY(!m_store->writePartial(QStringLiteral("up1"), 250000, data.mid(250000), &error));
        QVERIFY(m_store->writePartial(QStringLiteral("up1"), 200000, data.mid(200000), &error));

        QCOMPARE(m_store->commit(QStringLiteral("up1"), sha(data), quint64(data.size()), &error),
                 std::optional<bool>(true));
        QCOMPARE(m_store->partialSize(QStringLiteral("up1")), quint64(0));
        QVERIFY(m_store->contains(sha(data)));
        QCOMPARE(m_store->read(sha(data), 0, 1000, &error), std::optional(data.left(1000)));
        QCOMPARE(m_store->read(sha(data), 299990, 1000, &error), std::optional(data.right(10)));
        QCOMPARE(m_store->read(sha(data), 300000, 1000, &error), std::optional(QByteArray()));
    }

    void mismatchIsRefusedAndDiscarded()
    {
        const QByteArray data = content(5000);
        QString error;
        QByteArray damaged = data;
        damaged[1234] = char(damaged[1234] ^ 0x40);
        QVERIFY(m_store->writePartial(QStringLiteral("bad"), 0, damaged, &error));
        QCOMPARE(m_store->commit(QStringLiteral("bad"), sha(data), 5000, &error),
                 std::optional<bool>(false));
        QVERIFY(!m_store->contains(sha(data)));
        QCOMPARE(m_store->partialSize(QStringLiteral("bad")), quint64(0));
        // Someone else stores the real content; committing the refused upload again (its
        // database reset never happened) must not take their blob for it.
        QVERIFY(m_store->writePartial(QStringLiteral("real"), 0, data, &error));
        QCOMPARE(m_store->commit(QStringLiteral("real"), sha(data), 5000, &error),
                 std::optional<bool>(true));
        QCOMPARE(m_store->commit(QStringLiteral("bad"), sha(data), 5000, &error),
                 std::optional<bool>(false));
        // Right bytes, wrong announced size.
        QVERIFY(m_store->writePartial(QStringLiteral("short"), 0, data, &error));
        QCOMPARE(m_store->commit(QStringLiteral("short"), sha(data), 5001, &error),
                 std::optional<bool>(false));
    }

    // Committed, but the database never heard (its write failed): committing again finds the
    // blob; with neither partial nor blob the bytes are gone.
    void committedAgainFindsItsBlob()
    {
        const QByteArray data = content(3000);
        QString error;
        QVERIFY(m_store->writePartial(QStringLiteral("twice"), 0, data, &error));
        QCOMPARE(m_store->commit(QStringLiteral("twice"), sha(data), 3000, &error),
                 std::optional<bool>(true));
        QCOMPARE(m_store->commit(QStringLiteral("twice"), sha(data), 3000, &error),
                 std::optional<bool>(true));
        QCOMPARE(m_store->commit(QStringLiteral("twice"), sha(data), 3001, &error),
                 std::optional<bool>(false));
        QCOMPARE(m_store->commit(QStringLiteral("never"), sha(content(10)), 10, &error),
                 std::optional<bool>(false));
    }

    void sameContentIsStoredOnce()
    {
        const QByteArray data = content(4096);
        QString error;
        for (const QString &id : {QStringLiteral("a"), QStringLiteral("b")}) {
            QVERIFY(m_store->writePartial(id, 0, data, &error));
            QCOMPARE(m_store->commit(id, sha(data), 4096, &error), std::optional<bool>(true));
        }
        const QString hex = QString::fromLatin1(sha(data).toHex());
        const QDir shard(m_dir->filePath(QStringLiteral("files/blobs/") + hex.left(2)));
        QCOMPARE(shard.entryList(QDir::Files), QStringList {hex});
        m_store->beginRemovals();
        m_store->removeGarbage(sha(data));
        QVERIFY(!m_store->contains(sha(data)));
    }

    // The collector forgot a content in the database; an upload of it committed before the
    // collector reached the disk keeps it.
    void garbageCommittedAgainIsKept()
    {
        const QByteArray data = content(2048);
        QString error;
        QVERIFY(m_store->writePartial(QStringLiteral("first"), 0, data, &error));
        QVERIFY(m_store->commit(QStringLiteral("first"), sha(data), 2048, &error).value_or(false));
        m_store->beginRemovals();
        QVERIFY(m_store->writePartial(QStringLiteral("again"), 0, data, &error));
        QVERIFY(m_store->commit(QStringLiteral("again"), sha(data), 2048, &error).value_or(false));
        m_store->removeGarbage(sha(data));
        QVERIFY(m_store->contains(sha(data)));
        // The next collection, with nothing committed since it began, removes it.
        m_store->beginRemovals();
        m_store->removeGarbage(sha(data));
        QVERIFY(!m_store->contains(sha(data)));
    }

    void hostileIdsAreRefused()
    {
        QString error;
        for (const QString &id : {QStringLiteral("../escape"), QStringLiteral("a/b"),
                                  QStringLiteral(""), QString(65, QLatin1Char('a'))}) {
            QVERIFY2(!m_store->writePartial(id, 0, "x", &error), qPrintable(id));
            QCOMPARE(m_store->partialSize(id), quint64(0));
        }
        QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("files/escape"))));
        QVERIFY(!m_store->read(QByteArray(5, 'x'), 0, 10, &error));
    }

    void stalePartialsAreFound()
    {
        QString error;
        QVERIFY(m_store->writePartial(QStringLiteral("old"), 0, "abc", &error));
        QCOMPARE(m_store->partialsUntouchedSince(QDateTime::currentDateTime().addSecs(60)),
                 QStringList {QStringLiteral("old")});
        QVERIFY(
            m_store->partialsUntouchedSince(QDateTime::currentDateTime().addSecs(-60)).isEmpty());
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<DiskBlobStore> m_store;
};

QTEST_GUILESS_MAIN(TestBlobStore)
#include "tst_blobstore.moc"
