// SPDX-License-Identifier: Apache-2.0
// The call window on a real (virtual) X display: Bob's CallWindow rings for Alice's video call,
// is answered with its button, and then shows Alice's test video (SMPTE colour bars, drawn by
// qml6glsink on the GPU: Mesa under Xvfb) with his own camera picture-in-picture, the duration
// and the quality. The window is saved as a PNG (the suite's in-call screenshot) and its pixels
// are checked for the colour bars. Runs under xvfb-run (qml6glsink draws nothing offscreen).
#include "account.h"
#include "accountmanager.h"
#include "clientfixture.h"
#include "preferences.h"

#include "support/testclient.h"
#include "support/testusers.h"

#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQmlComponent>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Tern_ClientPlugin)
Q_IMPORT_QML_PLUGIN(Tern_AppPlugin)

using namespace tern;
using namespace tern::client;

namespace {

// Share of pixels in `area` near each of the SMPTE bars' saturated colours.
struct BarShares
{
    double yellow = 0, cyan = 0, magenta = 0, green = 0;
};

BarShares barShares(const QImage &image, const QRect &area)
{
    BarShares shares;
    qint64 total = 0;
    for (int y = area.top(); y <= area.bottom(); y += 2) {
        for (int x = area.left(); x <= area.right(); x += 2) {
            const QColor c = image.pixelColor(x, y);
            const auto hi = [](int v) { return v > 140; };
            const auto lo = [](int v) { return v < 70; };
            shares.yellow += hi(c.red()) && hi(c.green()) && lo(c.blue());
            shares.cyan += lo(c.red()) && hi(c.green()) && hi(c.blue());
            shares.magenta += hi(c.red()) && lo(c.green()) && hi(c.blue());
            shares.green += lo(c.red()) && hi(c.green()) && lo(c.blue());
            ++total;
        }
    }
    if (total > 0) {
        shares.yellow /= double(total);
        shares.cyan /= double(total);
        shares.magenta /= double(total);
        shares.green /= double(total);
    }
    return shares;
}

bool showsBars(const BarShares &s)
{
    // Each of the seven bars is 1/7 of the top two thirds; ask for a good part of that.
    return s.yellow > 0.03 && s.cyan > 0.03 && s.magenta > 0.03 && s.green > 0.03;
}

QRect sceneRect(QQuickItem *item, qreal dpr)
{
    const QRectF r = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
    return QRectF(r.topLeft() * dpr, r.size() * dpr).toRect();
}

} // namespace

class tst_CallWindow : public QObject
{
    Q_OBJECT

    ClientFixture m_fx;
    std::unique_ptr<AccountManager> m_accounts;
    std::unique_ptr<Preferences> m_preferences;
    std::unique_ptr<Account> m_alice;
    std::unique_ptr<Account> m_bob;

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = m_fx.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        // The QML singletons the app's components read.
        AccountManager::Options o;
        o.dataDir = m_fx.data.filePath(QStringLiteral("app"));
        o.settingsFile = m_fx.data.filePath(QStringLiteral("app/tern.ini"));
        o.fileTokensOnly = true;
        m_accounts = std::make_unique<AccountManager>(o);
        AccountManager::setInstance(m_accounts.get());
        m_preferences = std::make_unique<Preferences>(o.settingsFile);
        Preferences::setInstance(m_preferences.get());

        m_alice = m_fx.registered(m_fx.nextName("alice"), QStringLiteral("alice-device"));
        m_bob = m_fx.registered(m_fx.nextName("bob"), QStringLiteral("bob-device"));
        QVERIFY(m_alice && m_bob);
        TestUser aliceRaw {nullptr, m_alice->userId(), m_alice->username(),
                           ClientFixture::kPassword};
        aliceRaw.client = loginDevice(m_fx.url, aliceRaw, QStringLiteral("alice-raw"));
        TestUser bobRaw {nullptr, m_bob->userId(), m_bob->username(), ClientFixture::kPassword};
        bobRaw.client = loginDevice(m_fx.url, bobRaw, QStringLiteral("bob-raw"));
        QVERIFY(befriend(aliceRaw, bobRaw));
        MediaOptions media;
        media.testSources = true;
        media.loopbackOnly = true;
        m_alice->calls().setMediaOptions(media);
        m_bob->calls().setMediaOptions(media);
    }

    void inCallWindowShowsVideo()
    {
        if (QGuiApplication::platformName() != u"xcb")
            QSKIP("needs an X display (run under xvfb-run; qml6glsink draws nothing offscreen)");
        QVERIFY2(Calls::isVideoAvailable(), "GStreamer's qml6glsink is missing (gstreamer1.0-qt6)");
        QQmlApplicationEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/"));
        QQmlComponent component(&engine, QUrl(QStringLiteral("qrc:/Tern/App/CallWindow.qml")));
        std::unique_ptr<QObject> object(component.createWithInitialProperties(
            {{QStringLiteral("calls"), QVariant::fromValue(&m_bob->calls())}}));
        QVERIFY2(object, qPrintable(component.errorString()));
        auto *window = qobject_cast<QQuickWindow *>(object.get());
        QVERIFY(window);
        QVERIFY(!window->isVisible()); // no call, no window

        m_alice->calls().startCall(double(m_bob->userId()), true);
        QTRY_VERIFY_WITH_TIMEOUT(window->isVisible(), 10000);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        auto *answer = window->findChild<QQuickItem *>(QStringLiteral("acceptVideoButton"));
        QVERIFY(answer && answer->isVisible());
        QTest::mouseClick(
            window, Qt::LeftButton, {},
            answer->mapToScene(QPointF(answer->width() / 2, answer->height() / 2)).toPoint());
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->calls().state(), Calls::State::Connected, 15000);
        // The default codec: H.264 where openh264 is installed (its encoder beside the preview
        // branch of the camera is what this test exercises most), else VP8.
        QCOMPARE(m_bob->calls().media()->videoCodec(),
                 MediaSession::h264Available() ? MediaSession::VideoCodec::H264
                                               : MediaSession::VideoCodec::VP8);
        window->resize(800, 540);

        auto *remote = window->findChild<QQuickItem *>(QStringLiteral("remoteVideo"));
        auto *local = window->findChild<QQuickItem *>(QStringLiteral("localVideo"));
        QVERIFY(remote && local);
        QTRY_VERIFY_WITH_TIMEOUT(remote->property("ready").toBool(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(local->property("ready").toBool(), 10000);
        // The picture arrives once the sink is attached and the next key frame is decoded; the
        // quality indicator after the first statistics (2 s).
        QImage shot;
        BarShares remoteShares;
        BarShares localShares;
        const auto look = [&] {
            shot = window->grabWindow();
            remoteShares = barShares(shot, sceneRect(remote, shot.devicePixelRatio()));
            localShares = barShares(shot, sceneRect(local, shot.devicePixelRatio()));
            return showsBars(remoteShares) && showsBars(localShares)
                && m_bob->calls().quality() > 0;
        };
        const QString dir = QStringLiteral(TERN_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(dir));
        QElapsedTimer waited;
        waited.start();
        bool shown = false;
        while (!(shown = look()) && waited.elapsed() < 20000)
            QTest::qWait(300);
        if (!shown) {
            shot.save(dir + QStringLiteral("/call-in-progress-failed.png"));
            qWarning("remote bars %.3f %.3f %.3f %.3f, local %.3f %.3f %.3f %.3f, quality %d",
                     remoteShares.yellow, remoteShares.cyan, remoteShares.magenta,
                     remoteShares.green, localShares.yellow, localShares.cyan, localShares.magenta,
                     localShares.green, m_bob->calls().quality());
            qWarning("bob received %lld frames, %lld audio buffers",
                     m_bob->calls().media()->videoFramesReceived(),
                     m_bob->calls().media()->audioBuffersReceived());
            QTest::qWait(1000);
            qWarning("a second later %lld frames, %lld audio buffers",
                     m_bob->calls().media()->videoFramesReceived(),
                     m_bob->calls().media()->audioBuffersReceived());
            QFAIL("the call window does not show both videos (see call-in-progress-failed.png)");
        }
        QTest::qWait(1200); // the duration has ticked, the quality label is drawn
        shot = window->grabWindow();
        const QString path = dir + QStringLiteral("/call-in-progress.png");
        QVERIFY(shot.save(path));
        qInfo("in-call screenshot: %s (%dx%d); bars in the remote video: yellow %.2f cyan %.2f "
              "magenta %.2f green %.2f",
              qPrintable(path), shot.width(), shot.height(), remoteShares.yellow, remoteShares.cyan,
              remoteShares.magenta, remoteShares.green);
        auto *status = window->findChild<QQuickItem *>(QStringLiteral("callStatus"));
        QVERIFY(status);
        QVERIFY(status->property("text").toString().contains(u':')); // "0:05"

        auto *hangUp = window->findChild<QQuickItem *>(QStringLiteral("hangUpButton"));
        QVERIFY(hangUp && hangUp->isVisible());
        QTest::mouseClick(
            window, Qt::LeftButton, {},
            hangUp->mapToScene(QPointF(hangUp->width() / 2, hangUp->height() / 2)).toPoint());
        QTRY_COMPARE_WITH_TIMEOUT(m_alice->calls().state(), Calls::State::Ended, 10000);
        // The window says so, then closes itself.
        QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), 10000);
    }

    void cleanupTestCase()
    {
        m_alice.reset();
        m_bob.reset();
        m_accounts.reset();
        m_preferences.reset();
    }
};

QTEST_MAIN(tst_CallWindow)
#include "tst_callwindow.moc"
