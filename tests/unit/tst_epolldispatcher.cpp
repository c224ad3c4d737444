// SPDX-License-Identifier: Apache-2.0
// EpollDispatcher as the event dispatcher of a thread: timers in deadline order, a timer killed
// or restarted from its own handler, socket notifiers (a socketpair) enabled and disabled,
// events posted from another thread waking a blocked loop, no post lost to the coalesced
// wake-ups, and QEventLoop::exit.
#include "net/epolldispatcher.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QSocketNotifier>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include <sys/socket.h>
#include <unistd.h>

namespace {

// Runs `body` on a thread whose dispatcher is an EpollDispatcher, inside its event loop;
// the body calls `finish` with a failure message (empty: passed).
QString onEpollThread(const std::function<void(std::function<void(QString)>)> &body)
{
    QThread thread;
    thread.setEventDispatcher(new tern::server::EpollDispatcher);
    QString failure = QStringLiteral("did not finish");
    QObject context;
    context.moveToThread(&thread);
    thread.start();
    QMetaObject::invokeMethod(&context, [&] {
        body([&](const QString &outcome) {
            failure = outcome;
            QThread::currentThread()->quit();
        });
    });
    if (!thread.wait(10000)) {
        thread.quit();
        thread.wait();
        return QStringLiteral("timed out");
    }
    return failure;
}

// A started thread with an EpollDispatcher and an object on it to queue calls to.
struct EpollLoop
{
    QThread thread;
    QObject context;

    EpollLoop()
    {
        thread.setEventDispatcher(new tern::server::EpollDispatcher);
        context.moveToThread(&thread);
        thread.start();
    }
    bool stop()
    {
        thread.quit();
        return thread.wait(5000);
    }
};

} // namespace

class TestEpollDispatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void installedOnTheThread();
    void timersFireInDeadlineOrder();
    void timerKilledAndRestartedFromItsHandler();
    void socketNotifiersFollowEnabling();
    void postedEventWakesABlockedLoop();
    void noPostIsLeftWaiting();
    void nestedEventLoopExits();
};

void TestEpollDispatcher::installedOnTheThread()
{
    const QString failure = onEpollThread([](auto finish) {
        const bool ours =
            qobject_cast<tern::server::EpollDispatcher *>(QAbstractEventDispatcher::instance())
            != nullptr;
        finish(ours ? QString() : QStringLiteral("another dispatcher runs the thread"));
    });
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

void TestEpollDispatcher::timersFireInDeadlineOrder()
{
    const QString failure = onEpollThread([](auto finish) {
        // Each timer records the deadline it was given; they must fire in deadline order and
        // never early. (Deadlines, not intervals: a slow start, e.g. under ASan, can put the
        // 10 ms timer's deadline before that of the 0 ms timer started after it.)
        auto *fired = new QList<qint64>;
        auto *early = new QStringList;
        QElapsedTimer *clock = new QElapsedTimer;
        clock->start();
        for (const int ms : {60, 10, 35, 0}) {
            const qint64 deadline = clock->elapsed() + ms;
            QTimer::singleShot(ms, [=] {
                if (clock->elapsed() < deadline)
                    early->append(QString::number(ms));
                fired->append(deadline);
                if (fired->size() == 4) {
                    const bool ordered = std::is_sorted(fired->begin(), fired->end());
                    QStringList got;
                    for (qint64 d : std::as_const(*fired))
                        got.append(QString::number(d));
                    const QString outcome = !early->isEmpty()
                        ? QStringLiteral("fired early: ") + early->join(QLatin1Char(','))
                        : !ordered
                        ? QStringLiteral("deadlines out of order: ") + got.join(QLatin1Char(','))
                        : QString();
                    delete fired;
                    delete early;
                    delete clock;
                    finish(outcome);
                }
            });
        }
    });
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

void TestEpollDispatcher::timerKilledAndRestartedFromItsHandler()
{
    const QString failure = onEpollThread([](auto finish) {
        // Two checks run side by side; the thread ends when both reported.
        auto *outcomes = new QStringList;
        auto report = [=](const QString &outcome) {
            outcomes->append(outcome);
            if (outcomes->size() == 2) {
                const QString joined = outcomes->join(QString()).trimmed();
                delete outcomes;
                finish(joined);
            }
        };
        auto *repeating = new QTimer;
        auto *fired = new int(0);
        QObject::connect(repeating, &QTimer::timeout, [=] {
            if (++*fired == 3) {
                repeating->stop(); // killTimer from inside its own event
                // Restarted once more from the handler, then never again.
                QTimer::singleShot(30, [=] {
                    const int count = *fired;
                    delete repeating;
                    delete fired;
                    report(count == 3 ? QString() : QStringLiteral("fired %1 times ").arg(count));
                });
            }
        });
        repeating->start(5);
        QTimer *restarted = new QTimer;
        restarted->setSingleShot(true);
        auto *restarts = new int(0);
        QObject::connect(restarted, &QTimer::timeout, [=] {
            if (++*restarts < 3)
                restarted->start(1);
        });
        restarted->start(1);
        QTimer::singleShot(200, [=] {
            const int count = *restarts;
            delete restarted;
            delete restarts;
            report(count == 3 ? QString()
                              : QStringLiteral("single shot restarted %1 times ").arg(count));
        });
    });
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

void TestEpollDispatcher::socketNotifiersFollowEnabling()
{
    int fds[2];
    QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
    const QString failure = onEpollThread([&](auto finish) {
        auto *reader = new QSocketNotifier(fds[0], QSocketNotifier::Read);
        auto *writer = new QSocketNotifier(fds[1], QSocketNotifier::Write);
        auto *reads = new int(0);
        QObject::connect(reader, &QSocketNotifier::activated, [=] {
            char buffer[16];
            while (read(fds[0], buffer, sizeof buffer) > 0) { }
            ++*reads;
            if (*reads == 2) {
                delete reader;
                delete writer;
                delete reads;
                finish(QString());
            }
        });
        // The write side is writable at once: the notifier fires, writes, and turns itself
        // off; turned on again later, it fires again.
        QObject::connect(writer, &QSocketNotifier::activated, [=] {
            writer->setEnabled(false);
            if (write(fds[1], "x", 1) != 1)
                finish(QStringLiteral("write failed"));
            if (*reads == 0)
                QTimer::singleShot(20, [=] { writer->setEnabled(true); });
        });
        QTimer::singleShot(3000, [=] { finish(QStringLiteral("%1 reads").arg(*reads)); });
    });
    close(fds[0]);
    close(fds[1]);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

void TestEpollDispatcher::postedEventWakesABlockedLoop()
{
    EpollLoop loop;
    // The loop has nothing to do and blocks; a call queued from here must wake it.
    QTest::qWait(50);
    QElapsedTimer clock;
    clock.start();
    std::atomic<bool> ran {false};
    QMetaObject::invokeMethod(&loop.context, [&] { ran = true; });
    QTRY_VERIFY_WITH_TIMEOUT(ran.load(), 2000);
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(loop.stop());
}

// wakeUp() writes the eventfd only once until the loop reads it, and not at all for the loop's
// own posts: posts racing with that read from other threads, and a chain of posts the loop
// makes to itself, must still all run (a lost wake-up would leave one queued on a blocked
// loop, and this would time out).
void TestEpollDispatcher::noPostIsLeftWaiting()
{
    EpollLoop loop;
    constexpr int kPosters = 3;
    constexpr int kPerPoster = 3000;
    constexpr int kChain = 3000;
    std::atomic<int> ran {0};
    std::atomic<int> chained {0};
    std::function<void()> step = [&] {
        if (chained.fetch_add(1) + 1 < kChain)
            QMetaObject::invokeMethod(&loop.context, step, Qt::QueuedConnection);
    };
    QMetaObject::invokeMethod(&loop.context, step, Qt::QueuedConnection);
    std::vector<std::unique_ptr<QThread>> posters;
    for (int p = 0; p < kPosters; ++p) {
        posters.emplace_back(QThread::create([&, p] {
            for (int i = 0; i < kPerPoster; ++i) {
                QMetaObject::invokeMethod(&loop.context, [&] { ++ran; });
                // Not a wait for anything: a gap now and then lets the loop drain its queue
                // and block, so that posts also land on a blocked loop, not only a busy one.
                if ((i + p) % 97 == 0)
                    QThread::usleep(200);
            }
        }));
        posters.back()->start();
    }
    for (auto &poster : posters)
        QVERIFY(poster->wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(ran.load(), kPosters * kPerPoster, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(chained.load(), kChain, 5000);
    // And the loop, idle again, still wakes for one more.
    QTest::qWait(50);
    QMetaObject::invokeMethod(&loop.context, [&] { ++ran; });
    QTRY_COMPARE_WITH_TIMEOUT(ran.load(), kPosters * kPerPoster + 1, 2000);
    QVERIFY(loop.stop());
}

void TestEpollDispatcher::nestedEventLoopExits()
{
    const QString failure = onEpollThread([](auto finish) {
        QEventLoop loop;
        QTimer::singleShot(20, &loop, [&] { loop.exit(7); });
        const int code = loop.exec();
        finish(code == 7 ? QString() : QStringLiteral("exit code %1").arg(code));
    });
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

QTEST_GUILESS_MAIN(TestEpollDispatcher)
#include "tst_epolldispatcher.moc"
