// SPDX-License-Identifier: Apache-2.0
// Calls end to end: two accounts of libternclient, each with its own call engine (Calls +
// MediaSession on GStreamer webrtcbin) and GStreamer test sources, call each other through a
// real ternd. ICE connects on loopback, each side decodes the other's Opus audio and VP8 video
// for several seconds, and after the hang-up both sides and the server's history entry agree
// on how long the call lasted. The same again with relay-only ICE through a real coturn that
// the test starts, with credentials ternd computed (use-auth-secret). With a PulseAudio
// speaker (tst_callsounds_mic), the ringtone and the ringback follow the calls.
#include "account.h"
#include "calldevices.h"
#include "clientfixture.h"
#include "notifier.h"
#include "preferences.h"
#include "soundalerts.h"

#include "support/testclient.h"
#include "support/testusers.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>
#include <functional>
#include <signal.h>

using namespace tern;
using namespace tern::client;

namespace {

constexpr int kMediaSeconds = 4;
const QString kTurnSecret = QStringLiteral("test turn secret");

bool withMicrophone()
{
    return qEnvironmentVariableIsSet("TERN_TEST_WITH_MICROPHONE");
}

quint16 freeTcpPort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost) ? probe.serverPort() : 0;
}

// The call entries (KIND_CALL) an account has cached for a conversation, oldest first.
std::vector<proto::CallRecord> callRecords(Account &account, quint64 conversation)
{
    std::vector<proto::CallRecord> records;
    for (const proto::Message &m : account.messages().page(conversation, 0, 200)) {
        if (m.content().kind() == proto::MessageContent::KIND_CALL)
            records.push_back(m.content().call());
    }
    return records;
}

// Sends `sig` to the test cluster's postmaster and every process it started (its backends):
// SIGSTOP holds every query ternd makes, SIGCONT lets them go on.
bool signalCluster(const QString &clusterParent, int sig)
{
    QFile pidFile(clusterParent + QStringLiteral("/cluster/postmaster.pid"));
    if (!pidFile.open(QIODevice::ReadOnly))
        return false;
    const qint64 postmaster = pidFile.readLine().trimmed().toLongLong();
    if (postmaster <= 0)
        return false;
    QList<qint64> pids {postmaster};
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        if (!entry.front().isDigit() || !stat.open(QIODevice::ReadOnly))
            continue;
        // "pid (comm) state ppid ...": the command may hold spaces, so read after its ')'.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> rest = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (rest.size() > 1 && rest[1].toLongLong() == postmaster)
            pids.append(entry.toLongLong());
    }
    for (qint64 pid : pids)
        ::kill(pid_t(pid), sig);
    return true;
}

} // namespace

class tst_CallMedia : public QObject
{
    Q_OBJECT

    ClientFixture m_fx;
    QTemporaryDir m_turnDir;
    QProcess m_coturn;
    QString m_coturnProblem; // why the relay case cannot run
    std::unique_ptr<Account> m_alice;
    std::unique_ptr<Account> m_bob;
    quint64 m_conversation = 0;

    TestUser rawUser(Account &account)
    {
        TestUser user {nullptr, account.userId(), account.username(), ClientFixture::kPassword};
        user.client = loginDevice(m_fx.url, user, account.username() + QStringLiteral("-raw"));
        return user;
    }

    // coturn on loopback: relays between loopback addresses, use-auth-secret with our secret.
    QString startCoturn(quint16 port)
    {
        const QString turnserver = QStandardPaths::findExecutable(QStringLiteral("turnserver"));
        if (turnserver.isEmpty())
            return QStringLiteral("coturn (turnserver) is not installed: apt-get install coturn");
        m_coturn.setProcessChannelMode(QProcess::MergedChannels);
        m_coturn.start(
            turnserver,
            {QStringLiteral("-n"), QStringLiteral("--listening-ip=127.0.0.1"),
             QStringLiteral("--relay-ip=127.0.0.1"),
             QStringLiteral("--listening-port=%1").arg(port),
             QStringLiteral("--min-port=%1").arg(port + 1),
             QStringLiteral("--max-port=%1").arg(port + 40), QStringLiteral("--use-auth-secret"),
             QStringLiteral("--static-auth-secret=") + kTurnSecret,
             QStringLiteral("--realm=tern.test"), QStringLiteral("--allow-loopback-peers"),
             QStringLiteral("--no-cli"), QStringLiteral("--no-tls"), QStringLiteral("--no-dtls"),
             QStringLiteral("--no-tcp-relay"),
             QStringLiteral("--userdb=") + m_turnDir.filePath(QStringLiteral("turndb")),
             QStringLiteral("--pidfile=") + m_turnDir.filePath(QStringLiteral("pid")),
             QStringLiteral("--log-file=stdout"), QStringLiteral("--verbose")});
        if (!m_coturn.waitForStarted(5000))
            return QStringLiteral("turnserver did not start: ") + m_coturn.errorString();
        // It is ready once it listens (1-2 s).
        QElapsedTimer waited;
        waited.start();
        while (waited.elapsed() < 10000) {
            m_coturn.waitForReadyRead(200);
            m_coturnLog += m_coturn.readAll();
            if (m_coturnLog.contains("listener opened on")
                || m_coturnLog.contains("Total General servers"))
                return {};
            if (m_coturn.state() != QProcess::Running)
                return QStringLiteral("turnserver exited: ")
                    + QString::fromUtf8(m_coturnLog.right(2000));
        }
        return QStringLiteral("turnserver did not get ready: ")
            + QString::fromUtf8(m_coturnLog.right(2000));
    }
    QByteArray m_coturnLog;

    // h264 false: that side runs with --call-vp8-only.
    void setMedia(bool relayOnly, bool aliceH264 = true, bool bobH264 = true)
    {
        MediaOptions media;
        media.testSources = true;
        media.loopbackOnly = true;
        media.relayOnly = relayOnly;
        media.h264 = aliceH264;
        m_alice->calls().setMediaOptions(media);
        media.h264 = bobH264;
        m_bob->calls().setMediaOptions(media);
    }

    // Alice calls Bob with video, Bob answers; both decode audio and video for kMediaSeconds;
    // Alice hangs up. Returns how long the test saw the call connected (ms).
    void callAndHangUp(qint64 *connectedMs, const std::function<void()> &whileConnected = {})
    {
        Calls &caller = m_alice->calls();
        Calls &callee = m_bob->calls();
        caller.startCall(double(m_bob->userId()), true);
        QCOMPARE(caller.state(), Calls::State::Calling);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ringing, 10000);
        QVERIFY(callee.isIncoming());
        QVERIFY(callee.hasVideo());
        QCOMPARE(callee.peerId(), m_alice->userId());
        QCOMPARE(callee.callId(), caller.callId());
        QElapsedTimer connected;
        callee.accept(true);
        connected.start();
        QTRY_COMPARE_WITH_TIMEOUT(caller.state(), Calls::State::Connected, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Connected, 15000);
        QVERIFY(caller.media() && callee.media());
        QVERIFY2(caller.notices().isEmpty(), qPrintable(caller.notices().join(u'\n')));
        QVERIFY2(callee.notices().isEmpty(), qPrintable(callee.notices().join(u'\n')));

        // First decoded media, then several seconds of it, steadily.
        QTRY_VERIFY_WITH_TIMEOUT(caller.media()->videoFramesReceived() > 0
                                     && callee.media()->videoFramesReceived() > 0
                                     && caller.media()->audioBuffersReceived() > 0
                                     && callee.media()->audioBuffersReceived() > 0,
                                 10000);
        for (int second = 0; second < kMediaSeconds; ++second) {
            QVERIFY(caller.media() && callee.media()); // neither failed meanwhile
            const qint64 videoA = caller.media()->videoFramesReceived();
            const qint64 videoB = callee.media()->videoFramesReceived();
            const qint64 audioA = caller.media()->audioBuffersReceived();
            const qint64 audioB = callee.media()->audioBuffersReceived();
            QTest::qWait(1000);
            // 15 frames/s of video and 50 Opus frames/s are sent; a loaded CI machine may
            // decode fewer, but never none in a second.
            qInfo("second %d: frames %lld / %lld, audio buffers %lld / %lld", second + 1,
                  caller.media()->videoFramesReceived() - videoA,
                  callee.media()->videoFramesReceived() - videoB,
                  caller.media()->audioBuffersReceived() - audioA,
                  callee.media()->audioBuffersReceived() - audioB);
            QVERIFY(caller.media()->videoFramesReceived() - videoA >= 3);
            QVERIFY(callee.media()->videoFramesReceived() - videoB >= 3);
            QVERIFY(caller.media()->audioBuffersReceived() - audioA >= 10);
            QVERIFY(callee.media()->audioBuffersReceived() - audioB >= 10);
        }
        QTRY_VERIFY_WITH_TIMEOUT(caller.quality() > 0, 5000); // stats arrive every 2 s
        if (whileConnected)
            whileConnected();

        caller.hangUp();
        *connectedMs = connected.elapsed();
        QCOMPARE(caller.state(), Calls::State::Ended);
        QVERIFY(!caller.media()); // capture stopped at once
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ended, 10000);
        QCOMPARE(callee.endedText(), QStringLiteral("Call ended"));
        QTRY_COMPARE_WITH_TIMEOUT(caller.call().state(), proto::CALL_STATE_ENDED, 5000);
        QCOMPARE(caller.call().end_reason(), proto::CALL_END_REASON_HANGUP);
        QCOMPARE(callee.call().end_reason(), proto::CALL_END_REASON_HANGUP);
    }

    // Both sides' histories got the entry: completed, with the server's duration, which is
    // what both sides were told and what the test measured.
    void checkRecords(size_t expectedCount, qint64 connectedMs)
    {
        const proto::Call &ended = m_alice->calls().call();
        const qint64 serverMs = ended.ended_at_ms() - ended.connected_at_ms();
        QTRY_COMPARE_WITH_TIMEOUT(callRecords(*m_alice, m_conversation).size(), expectedCount,
                                  10000);
        QTRY_COMPARE_WITH_TIMEOUT(callRecords(*m_bob, m_conversation).size(), expectedCount, 10000);
        for (Account *account : {m_alice.get(), m_bob.get()}) {
            const proto::CallRecord record = callRecords(*account, m_conversation).back();
            QCOMPARE(record.call_id(), ended.call_id());
            QCOMPARE(record.outcome(), proto::CallRecord::OUTCOME_COMPLETED);
            QCOMPARE(record.media(), proto::CALL_MEDIA_VIDEO);
            QCOMPARE(qint64(record.duration_ms()), serverMs);
        }
        QCOMPARE(m_bob->calls().call().ended_at_ms() - m_bob->calls().call().connected_at_ms(),
                 serverMs);
        qInfo("connected %lld ms by the test's clock, %lld ms by the server's", connectedMs,
              serverMs);
        QVERIFY(qAbs(serverMs - connectedMs) < 1500);
        QVERIFY(serverMs >= kMediaSeconds * 1000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Why a call ended, in the log of a failed case.
        const auto logEnds = [](Account *account) {
            connect(&account->calls(), &Calls::ended, account, [account] {
                qInfo("%s: call ended: %s", qPrintable(account->username()),
                      qPrintable(account->calls().endedText()));
            });
        };
        // A machine without microphone, camera or speaker whatever this one has: GStreamer's
        // device monitor finds nothing (before GStreamer starts). Except in the
        // tst_callmedia_mic entry, which has a PulseAudio microphone and speaker.
        if (!withMicrophone())
            qputenv("GST_PLUGIN_FEATURE_RANK",
                    "pulsedeviceprovider:NONE,alsadeviceprovider:NONE,"
                    "v4l2deviceprovider:NONE,pipewiredeviceprovider:NONE");
        QVERIFY(m_turnDir.isValid());
        const quint16 turnPort = freeTcpPort();
        QVERIFY(turnPort > 0);
        m_coturnProblem = startCoturn(turnPort);
        m_fx.terndEnvironment.insert(
            QStringLiteral("TERN_CALL_TURN_URLS"),
            QStringLiteral("turn:127.0.0.1:%1?transport=udp").arg(turnPort));
        m_fx.terndEnvironment.insert(QStringLiteral("TERN_CALL_TURN_SECRET"), kTurnSecret);
        // Short, for ringingStopsWhenTheEndWasMissed; the other cases answer at once.
        m_fx.terndEnvironment.insert(QStringLiteral("TERN_CALL_RING_TIMEOUT_S"),
                                     QStringLiteral("6"));
        m_fx.terndEnvironment.insert(QStringLiteral("TERN_CALL_RECONNECT_GRACE_S"),
                                     QStringLiteral("3"));
        const QString error = m_fx.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));

        m_alice = m_fx.registered(m_fx.nextName("caller"), QStringLiteral("caller-device"));
        m_bob = m_fx.registered(m_fx.nextName("callee"), QStringLiteral("callee-device"));
        QVERIFY(m_alice && m_bob);
        TestUser aliceRaw = rawUser(*m_alice);
        TestUser bobRaw = rawUser(*m_bob);
        QVERIFY(aliceRaw.client && bobRaw.client);
        QVERIFY(befriend(aliceRaw, bobRaw));
        m_conversation = ClientFixture::openFrom(*m_alice, m_bob->userId());
        QVERIFY(m_conversation);
        logEnds(m_alice.get());
        logEnds(m_bob.get());
    }

    // A failed case leaves no call behind for the next one.
    void cleanup()
    {
        if (!m_bob)
            return; // quittingHangsUp failed before Bob's app started again
        const auto over = [](Account &account) {
            return account.calls().state() == Calls::State::Idle
                || account.calls().state() == Calls::State::Ended;
        };
        m_alice->calls().hangUp();
        m_bob->calls().hangUp();
        QTRY_VERIFY_WITH_TIMEOUT(over(*m_alice) && over(*m_bob), 5000);
        m_alice->calls().dismiss();
        m_bob->calls().dismiss();
    }

    void cleanupTestCase()
    {
        m_alice.reset();
        m_bob.reset();
        if (m_coturn.state() == QProcess::Running) {
            m_coturn.terminate();
            m_coturn.waitForFinished(5000);
        }
    }

    // The defaults on both sides: H.264 when both have openh264 (this platform has), VP8
    // otherwise.
    void videoCallOnLoopback()
    {
        setMedia(false);
        qint64 connectedMs = 0;
        const MediaSession::VideoCodec expected = MediaSession::h264Available()
            ? MediaSession::VideoCodec::H264
            : MediaSession::VideoCodec::VP8;
        callAndHangUp(&connectedMs, [this, expected] {
            QCOMPARE(m_alice->calls().media()->videoCodec(), expected);
            QCOMPARE(m_bob->calls().media()->videoCodec(), expected);
        });
        if (QTest::currentTestFailed())
            return;
        checkRecords(1, connectedMs);
    }

    void videoCallThroughTurnOnly()
    {
        if (!m_coturnProblem.isEmpty())
            QSKIP(qPrintable(QStringLiteral("relay-only call not tested: ") + m_coturnProblem));
        setMedia(true, true, false); // the callee answers VP8 only: VP8 is what both send
        m_coturnLog += m_coturn.readAll();
        const qsizetype logBefore = m_coturnLog.size();
        qint64 connectedMs = 0;
        // The media goes through coturn and nowhere else: frozen, it stops; thawed, it flows.
        const auto freezeRelay = [this] {
            QCOMPARE(m_alice->calls().media()->videoCodec(), MediaSession::VideoCodec::VP8);
            QCOMPARE(m_bob->calls().media()->videoCodec(), MediaSession::VideoCodec::VP8);
            MediaSession *media = m_alice->calls().media();
            ::kill(pid_t(m_coturn.processId()), SIGSTOP);
            QTest::qWait(500); // what was in flight and in the jitter buffer drains
            const qint64 frozenAt = media->videoFramesReceived();
            QTest::qWait(1000);
            const qint64 whileFrozen = media->videoFramesReceived() - frozenAt;
            ::kill(pid_t(m_coturn.processId()), SIGCONT);
            qInfo("video frames while the relay was stopped for 1 s: %lld", whileFrozen);
            QCOMPARE(whileFrozen, 0);
            const qint64 thawedAt = media->videoFramesReceived();
            QTRY_VERIFY_WITH_TIMEOUT(media->videoFramesReceived() > thawedAt + 5, 5000);
        };
        callAndHangUp(&connectedMs, freezeRelay);
        if (QTest::currentTestFailed())
            return;
        checkRecords(2, connectedMs);
        // The relay allocated for both sides with ternd's credentials and bound a channel.
        m_coturnLog += m_coturn.readAll();
        const QByteArray during = m_coturnLog.mid(logBefore);
        QVERIFY2(during.count("ALLOCATE processed, success") >= 2, during.right(3000).constData());
        QVERIFY2(during.count("CHANNEL_BIND processed, success") >= 1,
                 during.right(3000).constData());
    }

    // Bob has neither camera nor microphone: he still takes the call, is told why the other
    // side cannot see or hear him, and receives Alice's audio and video.
    void receiveOnlyWithoutDevices()
    {
        setMedia(false);
        MediaOptions none = m_bob->calls().mediaOptions();
        none.testSources = false;
        none.microphone = QStringLiteral("no such microphone");
        none.camera = QStringLiteral("no such camera");
        none.speaker = QStringLiteral("no such speaker");
        m_bob->calls().setMediaOptions(none);
        Calls &caller = m_alice->calls();
        Calls &callee = m_bob->calls();
        caller.startCall(double(m_bob->userId()), true);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ringing, 10000);
        callee.accept(true);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Connected, 15000);
        QCOMPARE(callee.notices().size(), 2);
        QVERIFY(callee.notices().join(u' ').contains(u"No camera"));
        QVERIFY(!callee.isSendingVideo());
        QTRY_VERIFY_WITH_TIMEOUT(callee.media()->videoFramesReceived() > 10
                                     && callee.media()->audioBuffersReceived() > 25,
                                 10000);
        QCOMPARE(caller.media()->videoFramesReceived(), 0);
        callee.hangUp();
        QTRY_COMPARE_WITH_TIMEOUT(caller.state(), Calls::State::Ended, 10000);
    }

    // tst_callmedia_mic (with-microphone.sh: a 440 Hz tone on "Monitor of Tone", a null sink
    // as the default speaker): Bob's side uses those devices through GStreamer's device
    // monitor, the microphone chosen by name, with echo cancellation; Alice hears the tone, and
    // silence while Bob has muted his microphone.
    void callWithMicrophoneAndSpeaker()
    {
        if (!withMicrophone())
            QSKIP("run by the tst_callmedia_mic ctest entry (a PulseAudio microphone)");
        const QStringList microphones = CallDevices::names(CallDevices::Kind::Microphone);
        QVERIFY2(microphones.contains(u"Monitor of Tone"), qPrintable(microphones.join(u", ")));
        qInfo("microphones: %s; speakers: %s", qPrintable(microphones.join(u", ")),
              qPrintable(CallDevices::names(CallDevices::Kind::Speaker).join(u", ")));
        setMedia(false);
        MediaOptions devices = m_bob->calls().mediaOptions();
        devices.testSources = false;
        devices.microphone =
            QStringLiteral("Monitor of Tone"); // chosen by name; the default speaker
        m_bob->calls().setMediaOptions(devices);
        Calls &caller = m_alice->calls();
        Calls &callee = m_bob->calls();
        caller.startCall(double(m_bob->userId()), false);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ringing, 10000);
        callee.accept(false);
        QTRY_COMPARE_WITH_TIMEOUT(caller.state(), Calls::State::Connected, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Connected, 15000);
        QVERIFY2(callee.notices().isEmpty(), qPrintable(callee.notices().join(u'\n')));
        QVERIFY(callee.media()->sendsAudio());
        QTRY_VERIFY_WITH_TIMEOUT(caller.media()->audioLevelReceived() > 0.05, 10000);
        qInfo("level of Bob's microphone at Alice: %.3f", caller.media()->audioLevelReceived());
        callee.setMicrophoneMuted(true);
        QTRY_VERIFY_WITH_TIMEOUT(caller.media()->audioLevelReceived() < 0.01, 2000);
        callee.setMicrophoneMuted(false);
        QTRY_VERIFY_WITH_TIMEOUT(caller.media()->audioLevelReceived() > 0.05, 2000);
        // Audio flows both ways (50 Opus frames a second are sent). Bob's side plays into the
        // private PulseAudio's null sink, which takes it at real-time pace only while that
        // server gets the CPU: under a loaded CI machine it took 21 frames in a second.
        const qint64 heard = caller.media()->audioBuffersReceived();
        const qint64 played = callee.media()->audioBuffersReceived();
        QTest::qWait(2000);
        qInfo("audio buffers in 2 s: %lld heard by Alice, %lld played by Bob",
              caller.media()->audioBuffersReceived() - heard,
              callee.media()->audioBuffersReceived() - played);
        QVERIFY(caller.media()->audioBuffersReceived() - heard >= 50);
        QVERIFY(callee.media()->audioBuffersReceived() - played >= 20);
        caller.hangUp();
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ended, 10000);
    }

    // Declined and cancelled calls end on both sides with the right words.
    void declineAndCancel()
    {
        setMedia(false);
        Calls &caller = m_alice->calls();
        Calls &callee = m_bob->calls();
        caller.startCall(double(m_bob->userId()), false);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ringing, 10000);
        QVERIFY(!callee.hasVideo());
        callee.decline();
        QCOMPARE(callee.state(), Calls::State::Ended);
        QTRY_COMPARE_WITH_TIMEOUT(caller.state(), Calls::State::Ended, 10000);
        QCOMPARE(caller.endedText(), QStringLiteral("The call was declined"));

        caller.startCall(double(m_bob->userId()), false);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ringing, 10000);
        caller.hangUp();
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ended, 10000);
        QCOMPARE(callee.endedText(), QStringLiteral("Missed call"));
        callee.dismiss();
        QCOMPARE(callee.state(), Calls::State::Idle);

        // Refused while already in a call.
        caller.startCall(double(m_bob->userId()), false);
        QSignalSpy refused(&caller, &Calls::actionFailed);
        caller.startCall(double(m_bob->userId()), false);
        QCOMPARE(refused.size(), 1);
        caller.hangUp();
    }

    // A ringing call is notified (the tray shows it while the window is not in front), the
    // message notification settings notwithstanding; after a switch to another account, the
    // one left behind notifies nothing.
    void ringingCallNotifies()
    {
        setMedia(false);
        Notifier notifier;
        notifier.setEnabled(false); // "desktop notifications for new messages": off
        notifier.setAccount(m_bob.get());
        QSignalSpy ringing(&notifier, &Notifier::callRinging);
        Calls &caller = m_alice->calls();
        Calls &callee = m_bob->calls();
        caller.startCall(double(m_bob->userId()), true);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ringing, 10000);
        QCOMPARE(ringing.size(), 1);
        QCOMPARE(ringing.first().at(0).toString(),
                 m_alice->username() + QStringLiteral(" is calling"));
        QCOMPARE(ringing.first().at(1).toString(), QStringLiteral("Incoming video call"));
        caller.hangUp();
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ended, 10000);

        notifier.setAccount(nullptr);
        caller.startCall(double(m_bob->userId()), false);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ringing, 10000);
        QCOMPARE(ringing.size(), 1);
        caller.hangUp();
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ended, 10000);
    }

    // tst_callsounds_mic (with-microphone.sh: a null sink as the default speaker): Bob's
    // ringtone plays while the call rings at his side and Alice's ringback while it rings
    // there, both through Qt Multimedia; they stop when the call is declined or answered, and
    // at once when sounds are switched off, with which a call rings silently. A message from
    // Alice pops at Bob's, unless that chat is the one on his screen.
    void callSounds()
    {
        if (!withMicrophone())
            QSKIP("run by the tst_callsounds_mic ctest entry (a PulseAudio speaker)");
        QTemporaryDir settingsDir;
        QVERIFY(settingsDir.isValid());
        Preferences preferences(settingsDir.filePath(QStringLiteral("tern.ini")));
        preferences.setLanguage(QStringLiteral("en")); // the texts other cases compare
        Preferences::setInstance(&preferences);
        QVERIFY(preferences.sounds()); // on unless switched off
        SoundAlerts aliceSounds;
        SoundAlerts bobSounds;
        aliceSounds.setAccount(m_alice.get());
        bobSounds.setAccount(m_bob.get());
        const SoundPlayer &alicePlayer = aliceSounds.player();
        const SoundPlayer &bobPlayer = bobSounds.player();
        setMedia(false);
        Calls &caller = m_alice->calls();
        Calls &callee = m_bob->calls();

        // Declined.
        caller.startCall(double(m_bob->userId()), false);
        QCOMPARE(caller.state(), Calls::State::Calling);
        QCOMPARE(alicePlayer.sound(), Tones::Sound::Ringback);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ringing, 10000);
        QCOMPARE(bobPlayer.sound(), Tones::Sound::Ringtone);
        QTRY_COMPARE_WITH_TIMEOUT(bobPlayer.state(), QAudio::ActiveState, 3000);
        QTRY_COMPARE_WITH_TIMEOUT(alicePlayer.state(), QAudio::ActiveState, 3000);
        preferences.setSounds(false);
        QCOMPARE(bobPlayer.state(), QAudio::StoppedState);
        QCOMPARE(alicePlayer.state(), QAudio::StoppedState);
        preferences.setSounds(true);
        QCOMPARE(bobPlayer.sound(), Tones::Sound::Ringtone);
        QTRY_COMPARE_WITH_TIMEOUT(bobPlayer.state(), QAudio::ActiveState, 3000);
        QCOMPARE(alicePlayer.sound(), Tones::Sound::Ringback);
        callee.decline();
        QCOMPARE(callee.state(), Calls::State::Ended);
        QCOMPARE(bobPlayer.sound(), Tones::Sound::None);
        QCOMPARE(bobPlayer.state(), QAudio::StoppedState);
        QTRY_COMPARE_WITH_TIMEOUT(caller.state(), Calls::State::Ended, 10000);
        QCOMPARE(alicePlayer.sound(), Tones::Sound::None);
        QCOMPARE(alicePlayer.state(), QAudio::StoppedState);
        caller.dismiss();
        callee.dismiss();

        // Answered: both stop as the call connects.
        caller.startCall(double(m_bob->userId()), false);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ringing, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(bobPlayer.state(), QAudio::ActiveState, 3000);
        callee.accept(false);
        QTRY_COMPARE_WITH_TIMEOUT(bobPlayer.sound(), Tones::Sound::None, 5000);
        QCOMPARE(bobPlayer.state(), QAudio::StoppedState);
        QTRY_COMPARE_WITH_TIMEOUT(caller.state(), Calls::State::Connected, 15000);
        QCOMPARE(alicePlayer.sound(), Tones::Sound::None);
        QCOMPARE(alicePlayer.state(), QAudio::StoppedState);
        caller.hangUp();
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ended, 10000);
        caller.dismiss();
        callee.dismiss();

        // Sounds off: the call rings without a sound.
        preferences.setSounds(false);
        QSignalSpy bobStarted(&bobPlayer, &SoundPlayer::started);
        QSignalSpy aliceStarted(&alicePlayer, &SoundPlayer::started);
        caller.startCall(double(m_bob->userId()), false);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ringing, 10000);
        QTest::qWait(300);
        QCOMPARE(bobPlayer.state(), QAudio::StoppedState);
        QCOMPARE(alicePlayer.state(), QAudio::StoppedState);
        QCOMPARE(bobStarted.size(), 0);
        QCOMPARE(aliceStarted.size(), 0);
        caller.hangUp();
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ended, 10000);
        caller.dismiss();
        callee.dismiss();

        // A message pops (once the call records of the calls above are in: they are entries
        // of this chat too).
        preferences.setSounds(true);
        const auto lastText = [&](Account &account) {
            const auto c = account.conversations().get(m_conversation);
            return c ? QString::fromStdString(c->state.last_message().content().text()) : QString();
        };
        m_alice->outbox().sendText(m_conversation, QStringLiteral("are you there?"));
        QTRY_COMPARE_WITH_TIMEOUT(lastText(*m_bob), QStringLiteral("are you there?"), 10000);
        const auto popped = [&] {
            for (const QList<QVariant> &args : std::as_const(bobStarted)) {
                if (args.first().value<Tones::Sound>() == Tones::Sound::Message)
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(popped(), 5000);
        // Not for the chat on screen.
        QTRY_COMPARE_WITH_TIMEOUT(bobPlayer.sound(), Tones::Sound::None, 3000);
        bobSounds.setViewedConversation(double(m_conversation));
        bobStarted.clear();
        m_alice->outbox().sendText(m_conversation, QStringLiteral("reading along"));
        QTRY_COMPARE_WITH_TIMEOUT(lastText(*m_bob), QStringLiteral("reading along"), 10000);
        QTest::qWait(300);
        QCOMPARE(bobStarted.size(), 0);
    }

    // Both call each other at once: the server rings one call and refuses the other; the side
    // whose call was refused takes the ringing one, and the call connects.
    void callingEachOtherAtOnce()
    {
        setMedia(false);
        Calls &alice = m_alice->calls();
        Calls &bob = m_bob->calls();
        alice.startCall(double(m_bob->userId()), false);
        bob.startCall(double(m_alice->userId()), false);
        QTRY_COMPARE_WITH_TIMEOUT(alice.state(), Calls::State::Connected, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(bob.state(), Calls::State::Connected, 15000);
        QCOMPARE(alice.callId(), bob.callId());
        alice.hangUp();
        QTRY_COMPARE_WITH_TIMEOUT(bob.state(), Calls::State::Ended, 10000);
        QCOMPARE(bob.endedText(), QStringLiteral("Call ended"));
    }

    // Cancelled before the server answered StartCall (its database held the answer): the late
    // answer hangs up the call it started, so the other side stops ringing at once instead of
    // after the ring timeout (6 s here), and the caller is not left "in a call".
    void cancelledBeforeTheServerAnswered()
    {
        setMedia(false);
        Calls &caller = m_alice->calls();
        Calls &callee = m_bob->calls();
        QVERIFY(signalCluster(m_fx.pg.dir(), SIGSTOP));
        caller.startCall(double(m_bob->userId()), false);
        QTest::qWait(2000); // ICE servers and the offer: StartCall is out, waiting on the database
        caller.hangUp();
        QCOMPARE(caller.state(), Calls::State::Ended);
        QElapsedTimer thawed;
        thawed.start();
        QVERIFY(signalCluster(m_fx.pg.dir(), SIGCONT));
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ended, 10000);
        QVERIFY2(thawed.elapsed() < 4000, qPrintable(QString::number(thawed.elapsed())));
        QCOMPARE(callee.endedText(), QStringLiteral("Missed call"));
        callee.dismiss();
        caller.dismiss();
        // Nothing left on the server: a new call rings.
        caller.startCall(double(m_bob->userId()), false);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ringing, 10000);
        caller.hangUp();
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ended, 10000);
    }

    // A ringing device that was offline when the caller gave up is never told: it stops
    // ringing by itself once the call cannot be ringing any more (ring timeout 6 s and grace
    // 3 s here, plus 5 s).
    void ringingStopsWhenTheEndWasMissed()
    {
        setMedia(false);
        Calls &caller = m_alice->calls();
        Calls &callee = m_bob->calls();
        caller.startCall(double(m_bob->userId()), false);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ringing, 10000);
        QElapsedTimer ringing;
        ringing.start();
        m_bob->connection().stop();
        caller.hangUp();
        QTest::qWait(300);
        m_bob->connection().start();
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->status(), Account::Status::Online, 10000);
        QCOMPARE(callee.state(), Calls::State::Ringing);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ended, 20000);
        QCOMPARE(callee.endedText(), QStringLiteral("Missed call"));
        QVERIFY2(ringing.elapsed() >= 13000, qPrintable(QString::number(ringing.elapsed())));
    }

    // Logging out in a call hangs it up: the other side hears "Call ended" at once, not a lost
    // connection after the grace. (Last: Bob logs in again at the end.)
    void loggingOutHangsUp()
    {
        setMedia(false);
        Calls &caller = m_alice->calls();
        Calls &callee = m_bob->calls();
        caller.startCall(double(m_bob->userId()), false);
        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), Calls::State::Ringing, 10000);
        callee.accept(false);
        QTRY_COMPARE_WITH_TIMEOUT(caller.state(), Calls::State::Connected, 15000);
        QElapsedTimer loggedOut;
        loggedOut.start();
        m_bob->logout();
        QCOMPARE(callee.state(), Calls::State::Ended);
        QTRY_COMPARE_WITH_TIMEOUT(caller.state(), Calls::State::Ended, 10000);
        QCOMPARE(caller.endedText(), QStringLiteral("Call ended"));
        QVERIFY2(loggedOut.elapsed() < 2500, qPrintable(QString::number(loggedOut.elapsed())));
        m_bob->login(ClientFixture::kPassword);
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->status(), Account::Status::Online, 10000);
    }

    // Quitting the app (or switching to another account) in a call hangs it up as well: the
    // other side hears "Call ended" at once, not a lost connection after the grace (3 s here).
    // Bob's app starts again at the end and resumes his session.
    void quittingHangsUp()
    {
        setMedia(false);
        Calls &caller = m_alice->calls();
        caller.startCall(double(m_bob->userId()), false);
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->calls().state(), Calls::State::Ringing, 10000);
        m_bob->calls().accept(false);
        QTRY_COMPARE_WITH_TIMEOUT(caller.state(), Calls::State::Connected, 15000);
        const QString bobName = m_bob->username();
        QElapsedTimer quit;
        quit.start();
        m_bob.reset();
        QTRY_COMPARE_WITH_TIMEOUT(caller.state(), Calls::State::Ended, 10000);
        QCOMPARE(caller.endedText(), QStringLiteral("Call ended"));
        QVERIFY2(quit.elapsed() < 2500, qPrintable(QString::number(quit.elapsed())));
        QTRY_COMPARE_WITH_TIMEOUT(caller.call().state(), proto::CALL_STATE_ENDED, 5000);
        QCOMPARE(caller.call().end_reason(), proto::CALL_END_REASON_HANGUP);

        m_bob = m_fx.makeAccount(bobName, QStringLiteral("callee-device"));
        QVERIFY(m_bob->open());
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->status(), Account::Status::Online, 10000);
    }
};

QTEST_GUILESS_MAIN(tst_CallMedia)
#include "tst_callmedia.moc"
