// SPDX-License-Identifier: Apache-2.0
// `tern --screenshot-tour` end to end: a real ternd seeded with two friends, a group and
// messages in English and Chinese; the real tern executable (offscreen) logs in and saves
// every main page in English and Chinese, light and dark. Each PNG must exist, have the
// window's size and not be blank; light and dark must differ, and so must the pages.
#include "support/messagingtest.h"
#include "support/pgfixture.h"
#include "support/terndprocess.h"
#include "support/testusers.h"

#include <QDir>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace tern;

namespace {

const QString kPassword = QStringLiteral("tour password 1");

// Distinct colours over a coarse grid: a blank or single-colour image has one or two.
int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

} // namespace

class tst_ScreenshotTour : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyPageInEveryLook()
    {
        PgFixture pg;
        QVERIFY(pg.start().isEmpty());
        TerndProcess ternd;
        const QString started = ternd.startOn(pg);
        QVERIFY2(started.isEmpty(), qPrintable(started));

        TestUser alice = registerTestUser(ternd.url(), QStringLiteral("alice"), kPassword,
                                          QStringLiteral("Alice"));
        TestUser bob = registerTestUser(ternd.url(), QStringLiteral("bob"), kPassword,
                                        QStringLiteral("Bob 王"));
        TestUser carol = registerTestUser(ternd.url(), QStringLiteral("carol"), kPassword,
                                          QStringLiteral("Carol"));
        QVERIFY(alice.id && bob.id && carol.id);
        QVERIFY(befriend(alice, bob));
        QVERIFY(befriend(alice, carol));
        QVERIFY(createGroupWith(alice, {&bob, &carol}, QStringLiteral("Weekend trip 周末")));
        const quint64 direct = openDirect(*alice.client, bob.id);
        QVERIFY(direct);
        for (const auto &[who, text] : std::vector<std::pair<TestUser *, QString>> {
                 {&bob, QStringLiteral("Hi Alice! 你好")},
                 {&alice, QStringLiteral("Hello Bob, how are you?")},
                 {&bob, QStringLiteral("很好，谢谢！Lunch tomorrow?")}}) {
            QVERIFY(sendText(*who->client, direct, text).has_message_ack());
        }

        QTemporaryDir profile;
        // TERN_SCREENSHOT_DIR keeps the pictures (e.g. to look at them); else a temporary folder.
        QTemporaryDir temporaryShots;
        const QDir shots(qEnvironmentVariableIsSet("TERN_SCREENSHOT_DIR")
                             ? qEnvironmentVariable("TERN_SCREENSHOT_DIR")
                             : temporaryShots.path());
        QProcess tern;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("TERN_USERNAME"), QStringLiteral("alice"));
        env.insert(QStringLiteral("TERN_PASSWORD"), kPassword);
        tern.setProcessEnvironment(env);
        tern.setProcessChannelMode(QProcess::MergedChannels);
        tern.start(QStringLiteral(TERN_APP_PATH),
                   {QStringLiteral("--profile"), profile.path(), QStringLiteral("--no-keychain"),
                    QStringLiteral("--server"), ternd.url().authority(),
                    QStringLiteral("--screenshot-tour"), shots.absolutePath()});
        QVERIFY(tern.waitForStarted());
        const bool finished =
            QTest::qWaitFor([&] { return tern.state() == QProcess::NotRunning; }, 120000);
        // The end of the output says why it failed (QTest cuts long messages).
        const QByteArray output = tern.readAll().right(4000);
        QVERIFY2(finished, output.constData());
        QVERIFY2(tern.exitStatus() == QProcess::NormalExit && tern.exitCode() == 0,
                 output.constData());

        QHash<QString, QImage> images;
        for (const char *page : {"login", "chats", "chat-info", "contacts", "settings"}) {
            for (const char *language : {"en", "zh_CN"}) {
                for (const char *theme : {"light", "dark"}) {
                    const QString name = QStringLiteral("%1-%2-%3")
                                             .arg(QLatin1String(page), QLatin1String(language),
                                                  QLatin1String(theme));
                    const QImage image(shots.filePath(name + QStringLiteral(".png")));
                    QVERIFY2(!image.isNull(), qPrintable(name + QStringLiteral(" missing")));
                    QVERIFY2(image.width() >= 720 && image.height() >= 480, qPrintable(name));
                    QVERIFY2(distinctColours(image) > 20,
                             qPrintable(name + QStringLiteral(" looks blank")));
                    images.insert(name, image);
                }
            }
        }
        QVERIFY(images.value(QStringLiteral("chats-en-light"))
                != images.value(QStringLiteral("chats-en-dark")));
        QVERIFY(images.value(QStringLiteral("chats-en-light"))
                != images.value(QStringLiteral("chats-zh_CN-light")));
        QVERIFY(images.value(QStringLiteral("chats-en-light"))
                != images.value(QStringLiteral("contacts-en-light")));
        QVERIFY(images.value(QStringLiteral("login-en-light"))
                != images.value(QStringLiteral("chats-en-light")));
        QVERIFY(images.value(QStringLiteral("chat-info-en-light"))
                != images.value(QStringLiteral("chats-en-light")));
        QCOMPARE(ternd.terminate(), 0);
    }
};

QTEST_MAIN(tst_ScreenshotTour)
#include "tst_screenshottour.moc"
