// SPDX-License-Identifier: Apache-2.0
#include "service/ratelimiter.h"

#include <QTest>

using namespace tern;
using namespace tern::server;
using namespace std::chrono_literals;

namespace {

// A clock the test moves by hand.
struct FakeClock
{
    RateLimiter::Clock::time_point now = RateLimiter::Clock::time_point {} + 1h;

    void attachTo(RateLimiter &limiter)
    {
        limiter.setClockForTesting([this] { return now; });
    }
};

const QString kAlice = QStringLiteral("account:alice");
const QString kBob = QStringLiteral("account:bob");

} // namespace

class tst_RateLimiter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unknownKeyIsAllowed();
    void limitReached_data();
    void limitReached();
    void allowedAgainAfterWindow();
    void windowSlides();
    void neverAnswersZeroWhileLimited();
    void keysAreIndependent();
    void resetForgetsKey();
    void limitIsAtLeastOne();
};

void tst_RateLimiter::unknownKeyIsAllowed()
{
    RateLimiter limiter(3, 1000ms);
    FakeClock clock;
    clock.attachTo(limiter);
    QCOMPARE(limiter.retryAfterMs(kAlice), 0u);
}

void tst_RateLimiter::limitReached_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("windowMs");
    QTest::addColumn<int>("gapMs"); // between consecutive events
    QTest::addColumn<quint32>("retryAfter"); // right after the last allowed event

    QTest::newRow("1 per second") << 1 << 1000 << 0 << 1000u;
    QTest::newRow("3 per second, burst") << 3 << 1000 << 0 << 1000u;
    QTest::newRow("3 per second, 100 ms apart") << 3 << 1000 << 100 << 800u;
    QTest::newRow("10 per 5 minutes, 7 s apart") << 10 << 300000 << 7000 << 237000u;
}

void tst_RateLimiter::limitReached()
{
    QFETCH(int, limit);
    QFETCH(int, windowMs);
    QFETCH(int, gapMs);
    QFETCH(quint32, retryAfter);

    RateLimiter limiter(limit, std::chrono::milliseconds(windowMs));
    FakeClock clock;
    clock.attachTo(limiter);

    for (int i = 0; i < limit; ++i) {
        if (i > 0)
            clock.now += std::chrono::milliseconds(gapMs);
        QCOMPARE(limiter.retryAfterMs(kAlice), 0u);
        limiter.record(kAlice);
    }
    // Limited until the oldest event leaves the window.
    QCOMPARE(limiter.retryAfterMs(kAlice), retryAfter);
    clock.now += 1ms;
    QCOMPARE(limiter.retryAfterMs(kAlice), retryAfter - 1);
}

void tst_RateLimiter::allowedAgainAfterWindow()
{
    RateLimiter limiter(2, 1000ms);
    FakeClock clock;
    clock.attachTo(limiter);
    limiter.record(kAlice);
    limiter.record(kAlice);

    clock.now += 999ms;
    QCOMPARE(limiter.retryAfterMs(kAlice), 1u);
    clock.now += 1ms; // exactly one window later
    QCOMPARE(limiter.retryAfterMs(kAlice), 0u);

    // The budget is whole again.
    limiter.record(kAlice);
    QCOMPARE(limiter.retryAfterMs(kAlice), 0u);
    limiter.record(kAlice);
    QCOMPARE(limiter.retryAfterMs(kAlice), 1000u);
}

void tst_RateLimiter::windowSlides()
{
    RateLimiter limiter(3, 1000ms);
    FakeClock clock;
    clock.attachTo(limiter);
    const auto start = clock.now;
    for (auto at : {0ms, 100ms, 200ms}) {
        clock.now = start + at;
        limiter.record(kAlice);
    }
    QCOMPARE(limiter.retryAfterMs(kAlice), 800u);

    // The first event expires; one more is allowed, and then the second event is the oldest.
    clock.now = start + 1000ms;
    QCOMPARE(limiter.retryAfterMs(kAlice), 0u);
    limiter.record(kAlice);
    QCOMPARE(limiter.retryAfterMs(kAlice), 100u);
}

void tst_RateLimiter::neverAnswersZeroWhileLimited()
{
    RateLimiter limiter(1, 1000ms);
    FakeClock clock;
    clock.attachTo(limiter);
    limiter.record(kAlice);

    // Less than a millisecond left: rounding down to 0 would mean "go ahead".
    clock.now += 999ms + 500us;
    QCOMPARE(limiter.retryAfterMs(kAlice), 1u);
}

void tst_RateLimiter::keysAreIndependent()
{
    RateLimiter limiter(2, 1000ms);
    FakeClock clock;
    clock.attachTo(limiter);
    limiter.record(kAlice);
    limiter.record(kAlice);
    QVERIFY(limiter.retryAfterMs(kAlice) > 0);

    QCOMPARE(limiter.retryAfterMs(kBob), 0u);
    limiter.record(kBob);
    QCOMPARE(limiter.retryAfterMs(kBob), 0u);
    QCOMPARE(limiter.retryAfterMs(kAlice), 1000u);
    // Keys compare exactly; callers normalise (e.g. usernameKey) before asking.
    QCOMPARE(limiter.retryAfterMs(QStringLiteral("account:Alice")), 0u);
}

void tst_RateLimiter::resetForgetsKey()
{
    RateLimiter limiter(2, 1000ms);
    FakeClock clock;
    clock.attachTo(limiter);
    limiter.record(kAlice);
    limiter.record(kAlice);
    limiter.record(kBob);
    limiter.record(kBob);
    QCOMPARE(limiter.retryAfterMs(kAlice), 1000u);

    limiter.reset(kAlice);
    QCOMPARE(limiter.retryAfterMs(kAlice), 0u);
    limiter.record(kAlice);
    QCOMPARE(limiter.retryAfterMs(kAlice), 0u); // one event of two: still allowed
    QCOMPARE(limiter.retryAfterMs(kBob), 1000u); // untouched

    limiter.reset(QStringLiteral("never seen")); // harmless
    QCOMPARE(limiter.retryAfterMs(kBob), 1000u);
}

void tst_RateLimiter::limitIsAtLeastOne()
{
    RateLimiter limiter(0, 1000ms);
    FakeClock clock;
    clock.attachTo(limiter);
    QCOMPARE(limiter.retryAfterMs(kAlice), 0u);
    limiter.record(kAlice);
    QCOMPARE(limiter.retryAfterMs(kAlice), 1000u);
}

QTEST_APPLESS_MAIN(tst_RateLimiter)
#include "tst_ratelimiter.moc"
