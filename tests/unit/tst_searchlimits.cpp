// SPDX-License-Identifier: Apache-2.0
// SearchLimits: searches running at a time and database time per window, per user.
#include "service/searchlimits.h"

#include <QTest>

using namespace tern::server;
using namespace std::chrono_literals;

class tst_SearchLimits : public QObject
{
    Q_OBJECT

    SearchLimits::Clock::time_point m_now = SearchLimits::Clock::time_point {} + 1h;

    void attach(SearchLimits &limits)
    {
        limits.setClockForTesting([this] { return m_now; });
    }

private Q_SLOTS:
    void runningSearchesAreCapped()
    {
        SearchLimits limits;
        attach(limits);
        for (int i = 0; i < SearchLimits::kRunning; ++i)
            QCOMPARE(limits.admit(1), 0u);
        QCOMPARE(limits.admit(1), quint32(SearchLimits::kRunningRetry.count()));
        QCOMPARE(limits.admit(2), 0u); // another user is not held up
        limits.finish(1, 10ms);
        QCOMPARE(limits.admit(1), 0u);
    }

    void databaseTimeIsBudgeted()
    {
        SearchLimits limits;
        attach(limits);
        // Two searches stopped at 3 s each spend the 5 s budget.
        QCOMPARE(limits.admit(1), 0u);
        limits.finish(1, 3000ms);
        m_now += 10s;
        QCOMPARE(limits.admit(1), 0u);
        limits.finish(1, 3000ms);
        m_now += 5s;
        // The first charge leaves the window 45 s later; then 3 s of 5 are spent.
        QCOMPARE(limits.admit(1), 45000u);
        m_now += 45s;
        QCOMPARE(limits.admit(1), 0u);
    }

    void runningSearchesAreCountedAtTheirLongest()
    {
        SearchLimits limits;
        attach(limits);
        QCOMPARE(limits.admit(1), 0u);
        limits.finish(1, 2500ms);
        // 2.5 s spent: one search may run, but a second beside it only if the budget held with
        // the first cut off at the timeout (2.5 + 3 > 5): it is told to ask again shortly.
        QCOMPARE(limits.admit(1), 0u);
        QCOMPARE(limits.admit(1), quint32(SearchLimits::kRunningRetry.count()));
        limits.finish(1, 100ms);
        QCOMPARE(limits.admit(1), 0u);
        // With 1.5 s spent, two run at once (1.5 + 3 < 5).
        SearchLimits other;
        attach(other);
        QCOMPARE(other.admit(2), 0u);
        other.finish(2, 1500ms);
        QCOMPARE(other.admit(2), 0u);
        QCOMPARE(other.admit(2), 0u);
    }

    void cheapSearchesAreChargedAMinimum()
    {
        SearchLimits limits;
        attach(limits);
        const int allowed = int(SearchLimits::kBudget / SearchLimits::kMinimumCharge);
        for (int i = 0; i < allowed; ++i) {
            QCOMPARE(limits.admit(7), 0u);
            limits.finish(7, 0ms);
            m_now += 1ms;
        }
        const quint32 wait = limits.admit(7);
        QVERIFY(wait > 0);
        QVERIFY(wait <= quint32(SearchLimits::kWindow.count()));
        m_now += std::chrono::milliseconds(wait);
        QCOMPARE(limits.admit(7), 0u);
    }

    void finishWithoutAdmitIsIgnored()
    {
        SearchLimits limits;
        attach(limits);
        limits.finish(3, 60000ms); // nothing running: no charge, no crash
        QCOMPARE(limits.admit(3), 0u);
    }
};

QTEST_GUILESS_MAIN(tst_SearchLimits)
#include "tst_searchlimits.moc"
