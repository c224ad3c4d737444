// SPDX-License-Identifier: Apache-2.0
// One tern per profile: a second start of the same profile hands over to the running one
// (which shows its window) and exits; another profile starts its own instance.
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class tst_SingleInstance : public QObject
{
    Q_OBJECT

    static void startTern(QProcess &process, const QString &profile)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(QStringLiteral(TERN_APP_PATH),
                      {QStringLiteral("--profile"), profile, QStringLiteral("--no-keychain")});
    }

private Q_SLOTS:
    void secondStartOfAProfileHandsOver()
    {
        QTemporaryDir profile;
        QTemporaryDir other;
        QProcess first;
        startTern(first, profile.path());
        QVERIFY(first.waitForStarted());
        // The instance claims its profile first thing in main(); give a loaded machine time.
        QTest::qWait(3000);
        QCOMPARE(first.state(), QProcess::Running);
        QProcess second;
        startTern(second, profile.path());
        QVERIFY(second.waitForFinished(15000));
        QCOMPARE(second.exitCode(), 0);
        const QByteArray said = second.readAll();
        QVERIFY2(said.contains("already running"), said.constData());
        QCOMPARE(first.state(), QProcess::Running);
        // The running one was asked, and brings its window to the front.
        QByteArray firstSaid;
        QTRY_VERIFY_WITH_TIMEOUT(
            (firstSaid += first.readAll()).contains("another start of this profile"), 10000);

        // Another profile is another instance: it keeps running.
        QProcess third;
        startTern(third, other.path());
        QVERIFY(third.waitForStarted());
        QVERIFY(!third.waitForFinished(2000));
        QCOMPARE(third.state(), QProcess::Running);

        for (QProcess *p : {&first, &third}) {
            p->terminate();
            QVERIFY(p->waitForFinished(10000));
        }
    }
};

QTEST_GUILESS_MAIN(tst_SingleInstance)
#include "tst_singleinstance.moc"
