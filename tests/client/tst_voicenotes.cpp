// SPDX-License-Identifier: Apache-2.0
// Voice notes: recorded from the default microphone (a PulseAudio sine source, see
// with-microphone.sh) into a WAV file, sent as a voice message through a real ternd, fetched
// by the receiver and played back with Qt Multimedia at the recorded length. And without any
// microphone, a clear error.
#include "account.h"
#include "clientfixture.h"
#include "voicerecorder.h"

#include "support/testclient.h"
#include "support/testusers.h"

#include <QAudioOutput>
#include <QFile>
#include <QMediaPlayer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace tern;
using namespace tern::client;

class tst_VoiceNotes : public QObject
{
    Q_OBJECT

    ClientFixture m_fx;
    QTemporaryDir m_media;

private Q_SLOTS:
    // The tst_voicenotes ctest entry: no PulseAudio (PULSE_SERVER points nowhere), no device.
    void noMicrophoneIsAClearError()
    {
        if (qEnvironmentVariable("PULSE_SERVER") != QLatin1String("unix:/nonexistent"))
            QSKIP("run by the tst_voicenotes ctest entry, which has no sound server");
        VoiceRecorder recorder;
        recorder.setFolder(m_media.path());
        QVERIFY(!recorder.start());
        QCOMPARE(recorder.error(), QStringLiteral("No microphone was found"));
        QVERIFY(!recorder.isRecording());
    }

    void recordSendAndPlay()
    {
        if (qEnvironmentVariable("PULSE_SERVER") == QLatin1String("unix:/nonexistent"))
            QSKIP("needs the microphone of with-microphone.sh");
        QVERIFY2(m_fx.start().isEmpty(), "ternd did not start");
        VoiceRecorder recorder;
        recorder.setFolder(m_media.filePath(QStringLiteral("recorded")));
        QSignalSpy finished(&recorder, &VoiceRecorder::finished);
        QSignalSpy progress(&recorder, &VoiceRecorder::progress);
        QVERIFY2(recorder.start(), qPrintable(recorder.error()));
        QVERIFY(recorder.isRecording());
        QVERIFY(QTest::qWaitFor([&] { return recorder.durationMs() >= 1500; }, 10000));
        QVERIFY(!progress.isEmpty());
        double loudest = 0;
        for (int i = 0; i < 5; ++i) {
            loudest = std::max(loudest, recorder.level());
            QTest::qWait(20);
        }
        QVERIFY2(loudest > 0.1, qPrintable(QString::number(loudest))); // the sine, not silence
        recorder.stop();
        QCOMPARE(finished.size(), 1);
        const QUrl file = finished.first().at(0).toUrl();
        const int durationMs = finished.first().at(1).toInt();
        QVERIFY(durationMs >= 1500);
        QFile wav(file.toLocalFile());
        QVERIFY(wav.open(QIODevice::ReadOnly));
        const QByteArray header = wav.read(44);
        QCOMPARE(header.left(4), QByteArray("RIFF"));
        QCOMPARE(header.mid(8, 8), QByteArray("WAVEfmt "));
        QCOMPARE(qint64(qFromLittleEndian<quint32>(header.constData() + 40)), wav.size() - 44);

        // Sent as a voice message; the receiver fetches it and plays it for as long.
        const QString aliceName = m_fx.nextName("talker");
        auto alice = m_fx.registered(aliceName, QStringLiteral("talker-device"));
        const QString bobName = m_fx.nextName("listener");
        auto bob = m_fx.registered(bobName, QStringLiteral("listener-device"));
        QVERIFY(alice && bob);
        TestUser aliceRaw {nullptr, alice->userId(), aliceName, ClientFixture::kPassword};
        aliceRaw.client = loginDevice(m_fx.url, aliceRaw, QStringLiteral("talker-raw"));
        TestUser bobRaw {nullptr, bob->userId(), bobName, ClientFixture::kPassword};
        bobRaw.client = loginDevice(m_fx.url, bobRaw, QStringLiteral("listener-raw"));
        QVERIFY(befriend(aliceRaw, bobRaw));
        const quint64 conversation = ClientFixture::openFrom(*alice, bob->userId());
        QVERIFY(conversation);
        QString error;
        QVERIFY2(!alice->transfers()
                      .sendVoiceNote(conversation, file.toLocalFile(), quint32(durationMs), &error)
                      .isEmpty(),
                 qPrintable(error));
        QVERIFY(QTest::qWaitFor([&] { return alice->outboxStore().list().empty(); }, 20000));
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto page = bob->messages().page(conversation, 0, 5);
                return !page.empty()
                    && page.back().content().kind() == proto::MessageContent::KIND_VOICE;
            },
            20000));
        const proto::FileRef voice =
            bob->messages().page(conversation, 0, 5).back().content().file();
        QCOMPARE(voice.duration_ms(), quint32(durationMs));
        QVERIFY(QString::fromStdString(voice.mime_type()).startsWith(u"audio/"));
        QSignalSpy downloaded(&bob->transfers(), &Transfers::downloaded);
        QVERIFY(!bob->transfers().download(voice, bob->mediaFolder(), &error).isEmpty());
        QVERIFY(downloaded.wait(20000));
        const QString local = downloaded.first().at(1).toString();

        QMediaPlayer player;
        QAudioOutput output;
        player.setAudioOutput(&output);
        QSignalSpy ended(&player, &QMediaPlayer::mediaStatusChanged);
        player.setSource(QUrl::fromLocalFile(local));
        QTRY_VERIFY_WITH_TIMEOUT(player.duration() > 0, 10000);
        QVERIFY2(std::abs(player.duration() - durationMs) <= durationMs / 10 + 50,
                 qPrintable(QStringLiteral("plays %1 ms, recorded %2 ms")
                                .arg(player.duration())
                                .arg(durationMs)));
        player.play();
        QTRY_COMPARE_WITH_TIMEOUT(player.mediaStatus(), QMediaPlayer::EndOfMedia,
                                  durationMs * 3 + 5000);
    }
};

QTEST_MAIN(tst_VoiceNotes)
#include "tst_voicenotes.moc"
