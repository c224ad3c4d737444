// SPDX-License-Identifier: Apache-2.0
// PgPool's writer connections against a real PostgreSQL: a key's ordered writes stay on one
// connection while any of them is outstanding and commit in the order asked; a key with none
// outstanding goes to the first writer while it keeps up and to another once the first has run
// a statement for longer than a millisecond.
#include "support/pgfixture.h"

#include "store/pgpool.h"

#include <QTest>

#include <memory>

using namespace tern::server;

namespace {

PgStatement sleepFor(double seconds)
{
    return {"SELECT pg_sleep($1::float8)", {pgText(QString::number(seconds))}};
}

PgStatement insertProbe(qint64 key, int n)
{
    return {"INSERT INTO probe (k, n) VALUES ($1, $2)", {pgInt(key), pgInt(n)}};
}

} // namespace

class TestPgPool : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void keyHeldWhileOutstanding();
    void idleFirstWriterTakesNewKeys();
    void busyFirstWriterSendsNewKeysOn();
    void writesStayInOrderAcrossMoves();

private:
    // Runs the statement on any connection and waits for it.
    PgOutcome run(PgStatement statement);

    PgFixture m_pg;
    std::unique_ptr<PgPool> m_pool;
};

void TestPgPool::initTestCase()
{
    const QString error = m_pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // As ternd's single I/O worker has it: three connections, the last two writers.
    m_pool = std::make_unique<PgPool>(m_pg.dsn(), 3, 2);
    QCOMPARE(m_pool->slotCount(), size_t(2));
    m_pool->open();
    QTRY_VERIFY_WITH_TIMEOUT(m_pool->isReady(), 10000);
    const PgOutcome created =
        run({"CREATE TABLE probe (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
             " k bigint NOT NULL, n int NOT NULL)",
             {}});
    QVERIFY2(created.ok(), qPrintable(created.error.message));
}

void TestPgPool::cleanup()
{
    QTRY_COMPARE_WITH_TIMEOUT(m_pool->pendingJobs(), 0, 10000);
}

PgOutcome TestPgPool::run(PgStatement statement)
{
    std::optional<PgOutcome> result;
    m_pool->execute(std::move(statement), [&result](const PgOutcome &o) { result = o; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 10000))
        return PgOutcome {{PgError::Kind::Unavailable, {}, QStringLiteral("timed out")}, {}};
    return *result;
}

void TestPgPool::keyHeldWhileOutstanding()
{
    QCOMPARE(m_pool->heldSlotOf(1), std::nullopt);
    const size_t slot = m_pool->acquireSlot(1);
    QCOMPARE(m_pool->acquireSlot(1), slot);
    QCOMPARE(m_pool->heldSlotOf(1), std::optional<size_t>(slot));
    m_pool->releaseSlot(1);
    QCOMPARE(m_pool->heldSlotOf(1), std::optional<size_t>(slot)); // one still outstanding
    m_pool->releaseSlot(1);
    QCOMPARE(m_pool->heldSlotOf(1), std::nullopt);
}

void TestPgPool::idleFirstWriterTakesNewKeys()
{
    for (quint64 key = 10; key < 30; ++key)
        QCOMPARE(m_pool->acquireSlot(key), size_t(0));
    for (quint64 key = 10; key < 30; ++key)
        m_pool->releaseSlot(key);
}

void TestPgPool::busyFirstWriterSendsNewKeysOn()
{
    QCOMPARE(m_pool->acquireSlot(7), size_t(0)); // placed while the first writer is idle
    bool slept = false;
    m_pool->executeInSlot(0, sleepFor(0.2), [&slept](const PgOutcome &o) { slept = o.ok(); });
    QTest::qWait(30); // the sleep is in flight on the first writer, for longer than 1 ms
    QCOMPARE(m_pool->acquireSlot(7), size_t(0)); // outstanding: stays
    QCOMPARE(m_pool->acquireSlot(8), size_t(1)); // new: the other writer
    m_pool->releaseSlot(7);
    m_pool->releaseSlot(7);
    m_pool->releaseSlot(8);
    QTRY_VERIFY_WITH_TIMEOUT(slept, 10000);
    QCOMPARE(m_pool->acquireSlot(9), size_t(0)); // the first writer keeps up again
    m_pool->releaseSlot(9);
}

void TestPgPool::writesStayInOrderAcrossMoves()
{
    constexpr qint64 key = 42;
    int next = 1;
    int answered = 0;
    int failed = 0;
    const auto insertTen = [&] {
        for (int i = 0; i < 10; ++i) {
            m_pool->executeInOrder(key, insertProbe(key, next++), [&](const PgOutcome &o) {
                ++answered;
                failed += o.ok() ? 0 : 1;
            });
        }
    };
    const auto occupyFirstWriter = [this] {
        m_pool->executeInSlot(0, sleepFor(0.1), [](const PgOutcome &) {});
        QTest::qWait(20); // in flight for longer than 1 ms
    };

    // Ten writes go to the idle first writer; a slow statement queued behind them there keeps
    // them outstanding (they share its transaction), so ten more join them, not the idle writer.
    insertTen();
    QCOMPARE(m_pool->heldSlotOf(key), std::optional<size_t>(0));
    occupyFirstWriter();
    insertTen();
    QCOMPARE(m_pool->heldSlotOf(key), std::optional<size_t>(0));
    QTRY_COMPARE_WITH_TIMEOUT(answered, 20, 10000);
    QCOMPARE(m_pool->heldSlotOf(key), std::nullopt);

    // With nothing outstanding the key moves: the first writer is busy, so the second.
    occupyFirstWriter();
    insertTen();
    QCOMPARE(m_pool->heldSlotOf(key), std::optional<size_t>(1));
    QTRY_COMPARE_WITH_TIMEOUT(answered, 30, 10000);
    QCOMPARE(failed, 0);

    const PgOutcome rows = run({"SELECT n FROM probe WHERE k = $1 ORDER BY id", {pgInt(key)}});
    QVERIFY2(rows.ok(), qPrintable(rows.error.message));
    const PgResult &r = rows.results.front();
    QCOMPARE(r.rowCount(), 30);
    for (int row = 0; row < r.rowCount(); ++row)
        QCOMPARE(r.int64(row, 0), qint64(row + 1)); // committed in the order asked
}

QTEST_GUILESS_MAIN(TestPgPool)
#include "tst_pgpool.moc"
