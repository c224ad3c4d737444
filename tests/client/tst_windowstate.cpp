// SPDX-License-Identifier: Apache-2.0
// WindowState: where the main window comes back. Where a saved rectangle may go (on a screen,
// partly, off every screen, too small, too large), and a real window (offscreen: one virtual
// screen) saved into a settings file and restored from it, maximized too. Rectangles are made
// from the screen's available geometry, whatever size the platform gives it.
#include "windowstate.h"

#include <QFile>
#include <QGuiApplication>
#include <QScreen>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QWindow>

#include <memory>

using tern::client::WindowState;

class tst_WindowState : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_file;

    static QRect available() { return QGuiApplication::primaryScreen()->availableGeometry(); }
    // The app's window: a minimum size and the size of a first start, both to scale.
    static QSize minimum() { return available().size() / 4; }
    static QSize preferred() { return available().size() * 3 / 4; }
    // Well inside the screen (no platform nudges it), larger than the minimum.
    static QRect inside()
    {
        const QRect a = available();
        return QRect(a.left() + a.width() / 8, a.top() + a.height() / 6, a.width() / 2,
                     a.height() / 2);
    }
    static QRect centred(const QSize &size)
    {
        QRect r(QPoint(), size);
        r.moveCenter(available().center());
        return r;
    }

    std::unique_ptr<QWindow> makeWindow() const
    {
        auto window = std::make_unique<QWindow>();
        window->setMinimumSize(minimum());
        window->resize(preferred());
        return window;
    }

    QRect savedGeometry() const
    {
        return QSettings(m_file, QSettings::IniFormat)
            .value(QStringLiteral("window/geometry"))
            .toRect();
    }
    bool savedMaximized() const
    {
        return QSettings(m_file, QSettings::IniFormat)
            .value(QStringLiteral("window/maximized"))
            .toBool();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QGuiApplication::primaryScreen());
        QVERIFY2(available().width() >= 4 * WindowState::kGrip
                     && available().height() >= 4 * WindowState::kGrip,
                 "a screen too small to test on");
    }

    void init()
    {
        // A settings file of its own for each case.
        m_file = m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction())
                                + QStringLiteral(".ini"));
        QFile::remove(m_file);
    }

    void placement_data()
    {
        QTest::addColumn<QRect>("saved");
        QTest::addColumn<QList<QRect>>("screens");
        QTest::addColumn<QRect>("expected");

        const QRect a = available();
        const QRect r = inside();
        const QRect fallback = centred(preferred());
        const QRect right = a.translated(a.width(), 0); // a second monitor to the right

        QTest::newRow("nothing saved") << QRect() << QList<QRect> {a} << fallback;
        QTest::newRow("on the screen") << r << QList<QRect> {a} << r;
        const QRect mostlyRight = r.translated(a.right() - r.left() - WindowState::kGrip * 2, 0);
        QTest::newRow("mostly past the right edge, title bar reachable")
            << mostlyRight << QList<QRect> {a} << mostlyRight;
        QTest::newRow("a sliver on the screen")
            << r.translated(a.right() - r.left() - WindowState::kGrip / 2, 0) << QList<QRect> {a}
            << fallback;
        QTest::newRow("title bar above the screen")
            << r.translated(0, a.top() - r.top() - WindowState::kGrip / 2) << QList<QRect> {a}
            << fallback;
        QTest::newRow("below the screen")
            << r.translated(0, a.bottom() - r.top() + 1) << QList<QRect> {a} << fallback;
        QTest::newRow("on a monitor now unplugged")
            << r.translated(a.width(), 0) << QList<QRect> {a} << fallback;
        QTest::newRow("on the second of two monitors")
            << r.translated(a.width(), 0) << QList<QRect> {a, right} << r.translated(a.width(), 0);
        QTest::newRow("smaller than the minimum")
            << QRect(r.topLeft(), minimum() - QSize(1, 1)) << QList<QRect> {a} << fallback;
        QTest::newRow("larger than the screen: cut to it, onto it")
            << QRect(r.topLeft(), a.size() * 2) << QList<QRect> {a} << a;
        QTest::newRow("no screens known") << r << QList<QRect> {} << fallback;
    }

    void placement()
    {
        QFETCH(QRect, saved);
        QFETCH(QList<QRect>, screens);
        QFETCH(QRect, expected);
        QCOMPARE(WindowState::placement(saved, screens, available(), minimum(), preferred()),
                 expected);
    }

    // A first start's size, bounded by the screen and no smaller than the minimum.
    void fallbackSize()
    {
        const QRect a = available();
        QCOMPARE(WindowState::placement({}, {a}, a, minimum(), a.size() * 2), a);
        const QSize tiny = minimum() / 2;
        QCOMPARE(WindowState::placement({}, {a}, a, minimum(), tiny).size(), minimum());
    }

    // Nothing saved yet: the window opens at its own size in the middle of the screen.
    void firstStartIsCentred()
    {
        auto window = makeWindow();
        WindowState state(*window, m_file);
        state.restore();
        QCOMPARE(window->geometry(), centred(preferred()));
        QVERIFY(!window->windowStates().testFlag(Qt::WindowMaximized));
    }

    // Moved and resized (a drag: many changes), the window's rectangle is saved a pause after
    // the last change, not at each; the next start puts the window there.
    void roundTrip()
    {
        const QRect target = inside();
        {
            auto window = makeWindow();
            WindowState state(*window, m_file);
            state.restore();
            window->show();
            QVERIFY(QTest::qWaitForWindowExposed(window.get()));
            int changes = 0;
            bool savedAtOnce = false;
            const auto watch = connect(window.get(), &QWindow::widthChanged, this, [&] {
                ++changes;
                savedAtOnce = savedAtOnce || savedGeometry() == window->geometry();
            });
            for (int step = 4; step >= 0; --step)
                window->setGeometry(target.adjusted(0, 0, step * 8, step * 8));
            QTRY_COMPARE(window->geometry(), target);
            // The platform reports the changes as events: the signals come once they are read.
            QTRY_VERIFY(changes > 0);
            disconnect(watch);
            QVERIFY(!savedAtOnce);
            QTRY_COMPARE(savedGeometry(), target); // while running, not only when quitting
            QVERIFY(!savedMaximized());
        }
        QFile file(m_file);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY2(written.contains("[window]") && written.contains("geometry="),
                 written.constData());

        auto window = makeWindow();
        WindowState state(*window, m_file);
        state.restore();
        QCOMPARE(window->geometry(), target);
        QVERIFY(!window->windowStates().testFlag(Qt::WindowMaximized));
    }

    // Maximized, the window's normal rectangle is still what is saved (with "maximized");
    // un-maximized, that rectangle again. A restart maximizes the window over that rectangle,
    // which the desktop keeps for un-maximizing it.
    void maximizedKeepsItsNormalGeometry()
    {
        const QRect normal = inside();
        {
            auto window = makeWindow();
            WindowState state(*window, m_file);
            state.restore();
            window->setGeometry(normal);
            window->show();
            QVERIFY(QTest::qWaitForWindowExposed(window.get()));
            QTRY_COMPARE(window->geometry(), normal);
            QTRY_COMPARE(savedGeometry(), normal); // held a moment: the normal geometry
            window->showMaximized();
            QTRY_VERIFY(window->geometry() != normal);
            QTRY_VERIFY(savedMaximized());
            QCOMPARE(savedGeometry(), normal);

            window->showNormal();
            QTRY_COMPARE(window->geometry(), normal);
            QTRY_VERIFY(!savedMaximized());
            QCOMPARE(savedGeometry(), normal);

            window->showMaximized();
            QTRY_VERIFY(window->geometry() != normal);
        } // quitting saves too
        QCOMPARE(savedGeometry(), normal);
        QVERIFY(savedMaximized());

        auto window = makeWindow();
        WindowState state(*window, m_file);
        state.restore();
        QCOMPARE(window->geometry(), normal);
        QVERIFY(window->windowStates().testFlag(Qt::WindowMaximized));
    }

    // Saved on a monitor that is gone, maximized there: the window comes up centred on the
    // primary screen at its own size, maximized again.
    void offScreenComesBackOnTheScreen()
    {
        {
            QSettings settings(m_file, QSettings::IniFormat);
            settings.setValue(QStringLiteral("window/geometry"),
                              inside().translated(available().width() * 2, 0));
            settings.setValue(QStringLiteral("window/maximized"), true);
        }
        auto window = makeWindow();
        WindowState state(*window, m_file);
        state.restore();
        QCOMPARE(window->geometry(), centred(preferred()));
        QVERIFY(window->windowStates().testFlag(Qt::WindowMaximized));
    }
};

QTEST_MAIN(tst_WindowState)
#include "tst_windowstate.moc"
