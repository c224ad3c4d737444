// SPDX-License-Identifier: Apache-2.0
// IdleWatcher: which events are the user's, idle after the (here short) timeout without them,
// kept awake by input, woken by the first input after; a change signalled once, never per
// event. Input is synthetic: events sent to an object, and keys typed into a real window on
// the offscreen platform, with the watcher on the application as the app has it.
#include "idlewatcher.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTest>
#include <QWindow>

using namespace std::chrono_literals;
using tern::client::IdleWatcher;

namespace {

constexpr auto kTimeout =
    1000ms; // input comes every tenth of it: a loaded CI machine stays far inside

void moveMouse(QObject *target)
{
    QMouseEvent move(QEvent::MouseMove, QPointF(5, 5), QPointF(5, 5), Qt::NoButton, Qt::NoButton,
                     Qt::NoModifier);
    QCoreApplication::sendEvent(target, &move);
}

void pressKey(QObject *target)
{
    QKeyEvent press(QEvent::KeyPress, Qt::Key_A, Qt::NoModifier, QStringLiteral("a"));
    QCoreApplication::sendEvent(target, &press);
}

} // namespace

class tst_IdleWatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void whatCountsAsInput_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<bool>("input");
        QTest::newRow("key press") << int(QEvent::KeyPress) << true;
        QTest::newRow("input method") << int(QEvent::InputMethod) << true;
        QTest::newRow("mouse press") << int(QEvent::MouseButtonPress) << true;
        QTest::newRow("mouse move") << int(QEvent::MouseMove) << true;
        QTest::newRow("wheel") << int(QEvent::Wheel) << true;
        QTest::newRow("touch") << int(QEvent::TouchBegin) << true;
        QTest::newRow("key release") << int(QEvent::KeyRelease) << false; // its press counted
        QTest::newRow("hover") << int(QEvent::HoverMove) << false; // Qt's, when items move
        QTest::newRow("paint") << int(QEvent::Paint) << false;
        QTest::newRow("timer") << int(QEvent::Timer) << false;
        QTest::newRow("expose") << int(QEvent::Expose) << false;
        QTest::newRow("focus") << int(QEvent::FocusIn) << false;
        QTest::newRow("activation") << int(QEvent::WindowActivate) << false;
    }
    void whatCountsAsInput()
    {
        QFETCH(int, type);
        QFETCH(bool, input);
        const QEvent event {QEvent::Type(type)};
        QCOMPARE(IdleWatcher::isInput(&event), input);
    }

    void idleAfterTheTimeoutThenWokenByInput()
    {
        QObject target;
        QElapsedTimer clock;
        clock.start();
        IdleWatcher watcher(kTimeout);
        watcher.watch(qApp);
        QSignalSpy changes(&watcher, &IdleWatcher::idleChanged);
        QVERIFY(!watcher.isIdle());

        QTRY_VERIFY_WITH_TIMEOUT(watcher.isIdle(), 5000);
        // (Qt's coarse timers may fire up to 5% early; the watcher looks at the clock.)
        QVERIFY2(clock.elapsed() >= kTimeout.count(), qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.takeFirst().first().toBool(), true);

        // The first input wakes it, at once; more input changes nothing.
        moveMouse(&target);
        QVERIFY(!watcher.isIdle());
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.takeFirst().first().toBool(), false);
        for (int i = 0; i < 20; ++i)
            moveMouse(&target);
        pressKey(&target);
        QCOMPARE(changes.size(), 0);

        // And it counts again from the last input.
        QTRY_VERIFY_WITH_TIMEOUT(watcher.isIdle(), 5000);
        QCOMPARE(changes.size(), 1);
    }

    // Input more often than the timeout keeps it awake however long it goes on; the timeout
    // counts from the last input.
    void inputKeepsItAwake()
    {
        QObject target;
        IdleWatcher watcher(kTimeout);
        watcher.watch(&target);
        QSignalSpy changes(&watcher, &IdleWatcher::idleChanged);
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 3 * kTimeout.count()) {
            pressKey(&target);
            QTest::qWait(int(kTimeout.count() / 10));
            QVERIFY(!watcher.isIdle());
        }
        QCOMPARE(changes.size(), 0);
        pressKey(&target);
        clock.restart();
        QTRY_VERIFY_WITH_TIMEOUT(watcher.isIdle(), 5000);
        QVERIFY2(clock.elapsed() >= kTimeout.count(), qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(changes.size(), 1);
    }

    // Events that are not input do not keep it awake.
    void otherEventsDoNotCount()
    {
        QObject target;
        IdleWatcher watcher(kTimeout);
        watcher.watch(&target);
        QElapsedTimer clock;
        clock.start();
        while (!watcher.isIdle() && clock.elapsed() < 5000) {
            QKeyEvent release(QEvent::KeyRelease, Qt::Key_A, Qt::NoModifier, QStringLiteral("a"));
            QCoreApplication::sendEvent(&target, &release);
            QEvent hover(QEvent::HoverMove);
            QCoreApplication::sendEvent(&target, &hover);
            QTest::qWait(20);
        }
        QVERIFY(watcher.isIdle());
    }

    // As in the app: the watcher on the application sees keys typed into a window, and
    // text composed through an input method.
    void seesWhatReachesTheApplication()
    {
        QObject editor;
        QWindow window;
        window.resize(200, 100);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        IdleWatcher watcher(kTimeout);
        watcher.watch(qApp);
        QSignalSpy changes(&watcher, &IdleWatcher::idleChanged);
        QTRY_VERIFY_WITH_TIMEOUT(watcher.isIdle(), 5000);

        QTest::keyClick(&window, Qt::Key_B);
        QVERIFY(!watcher.isIdle());
        QCOMPARE(changes.size(), 2);
        QCOMPARE(changes.at(1).first().toBool(), false);

        QTRY_VERIFY_WITH_TIMEOUT(watcher.isIdle(), 5000);
        QInputMethodEvent composed;
        composed.setCommitString(QStringLiteral("你好"));
        QCoreApplication::sendEvent(&editor, &composed);
        QVERIFY(!watcher.isIdle());
        QCOMPARE(changes.size(), 4);
    }
};

QTEST_MAIN(tst_IdleWatcher)
#include "tst_idlewatcher.moc"
