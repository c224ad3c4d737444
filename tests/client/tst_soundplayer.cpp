// SPDX-License-Identifier: Apache-2.0
// SoundPlayer through Qt Multimedia. tst_soundplayer_speaker runs it under with-microphone.sh:
// a private PulseAudio whose default speaker is the null sink "Speaker" (and a second one,
// "Tone"); the sink's state says sound goes out, and PulseAudio lists our stream on the sink
// chosen. tst_soundplayer runs with no sound server at all: nothing plays, nothing breaks.
#include "soundplayer.h"

#include <QAudioDevice>
#include <QMediaDevices>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace tern::client;
using Sound = Tones::Sound;

namespace {

bool withSpeaker()
{
    return qEnvironmentVariableIsSet("TERN_TEST_WITH_SPEAKER");
}

QString pactl(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral("pactl"), arguments);
    if (!process.waitForFinished(5000))
        return {};
    return QString::fromUtf8(process.readAllStandardOutput());
}

// How many streams play into the PulseAudio sink called `sinkName` ("speaker", "tone").
int streamsOn(const QString &sinkName)
{
    QString index;
    const QStringList sinks =
        pactl({QStringLiteral("list"), QStringLiteral("short"), QStringLiteral("sinks")})
            .split(u'\n', Qt::SkipEmptyParts);
    for (const QString &line : sinks) {
        const QStringList fields = line.split(u'\t');
        if (fields.size() > 1 && fields[1] == sinkName)
            index = fields[0];
    }
    if (index.isEmpty())
        return -1;
    int count = 0;
    const QStringList inputs =
        pactl({QStringLiteral("list"), QStringLiteral("short"), QStringLiteral("sink-inputs")})
            .split(u'\n', Qt::SkipEmptyParts);
    for (const QString &line : inputs) {
        const QStringList fields = line.split(u'\t');
        if (fields.size() > 1 && fields[1] == index)
            ++count;
    }
    return count;
}

} // namespace

class TestSoundPlayer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // No sound server (or no sound card): the ring is simply not heard.
    void withoutSpeakerNothingPlays()
    {
        if (withSpeaker())
            QSKIP("run by the tst_soundplayer ctest entry (no sound server)");
        QVERIFY(QMediaDevices::defaultAudioOutput().isNull());
        SoundPlayer player;
        QSignalSpy started(&player, &SoundPlayer::started);
        player.play(Sound::Ringtone);
        QCOMPARE(player.sound(), Sound::None);
        QCOMPARE(player.state(), QAudio::StoppedState);
        QCOMPARE(started.size(), 0);
        player.stop();
        player.play(Sound::Message);
        QCOMPARE(player.sound(), Sound::None);
    }

    // The ringtone loops (past its 3 s period it still plays) until stopped; asking for it
    // again while it rings changes nothing.
    void ringtoneLoopsUntilStopped()
    {
        if (!withSpeaker())
            QSKIP("run by the tst_soundplayer_speaker ctest entry (a PulseAudio speaker)");
        SoundPlayer player;
        QSignalSpy started(&player, &SoundPlayer::started);
        QCOMPARE(streamsOn(QStringLiteral("speaker")), 0);
        player.play(Sound::Ringtone);
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.first().first().value<Sound>(), Sound::Ringtone);
        QCOMPARE(player.sound(), Sound::Ringtone);
        QCOMPARE(player.device().description(), QStringLiteral("Speaker"));
        QTRY_COMPARE(player.state(), QAudio::ActiveState);
        QTRY_COMPARE(streamsOn(QStringLiteral("speaker")), 1);
        QTest::qWait(3500);
        QCOMPARE(player.state(), QAudio::ActiveState);
        QCOMPARE(player.sound(), Sound::Ringtone);
        player.play(Sound::Ringtone);
        QCOMPARE(started.size(), 1);

        player.stop();
        QCOMPARE(player.sound(), Sound::None);
        QCOMPARE(player.state(), QAudio::StoppedState);
        QTRY_COMPARE(streamsOn(QStringLiteral("speaker")), 0);
        // And it plays again after that (the same sink, a fresh start).
        player.play(Sound::Ringback);
        QTRY_COMPARE(player.state(), QAudio::ActiveState);
        // A call sound replaces another at once.
        player.play(Sound::Ringtone);
        QCOMPARE(player.sound(), Sound::Ringtone);
        QTRY_COMPARE(player.state(), QAudio::ActiveState);
        QCOMPARE(started.size(), 3);
        player.stop();
        QCOMPARE(player.state(), QAudio::StoppedState);
    }

    // The pop plays once and the player is done with it by itself.
    void messagePlaysOnce()
    {
        if (!withSpeaker())
            QSKIP("run by the tst_soundplayer_speaker ctest entry (a PulseAudio speaker)");
        SoundPlayer player;
        // The sink may take all of the short pop at once and be idle soon: every state seen.
        QList<QAudio::State> states;
        connect(&player, &SoundPlayer::stateChanged, this, [&] { states.append(player.state()); });
        player.play(Sound::Message);
        QCOMPARE(player.sound(), Sound::Message);
        QVERIFY(states.contains(QAudio::ActiveState));
        QTRY_COMPARE_WITH_TIMEOUT(player.sound(), Sound::None, 3000);
        QCOMPARE(player.state(), QAudio::StoppedState);
        QCOMPARE(states.last(), QAudio::StoppedState);
        QTRY_COMPARE(streamsOn(QStringLiteral("speaker")), 0);
    }

    // The speaker chosen in Settings by its name; one no longer there is the default.
    void chosenSpeaker()
    {
        if (!withSpeaker())
            QSKIP("run by the tst_soundplayer_speaker ctest entry (a PulseAudio speaker)");
        QCOMPARE(SoundPlayer::speakerNamed(QStringLiteral("Tone")).description(),
                 QStringLiteral("Tone"));
        const QByteArray defaultId = QMediaDevices::defaultAudioOutput().id();
        QVERIFY(!defaultId.isEmpty());
        QCOMPARE(SoundPlayer::speakerNamed(QString()).id(), defaultId);
        QCOMPARE(SoundPlayer::speakerNamed(QStringLiteral("Unplugged headset")).id(), defaultId);

        SoundPlayer player;
        player.setSpeaker(QStringLiteral("Tone"));
        const int before = streamsOn(QStringLiteral("tone")); // its own sine plays there
        QVERIFY(before >= 0);
        player.play(Sound::Ringback);
        QCOMPARE(player.device().description(), QStringLiteral("Tone"));
        QTRY_COMPARE(player.state(), QAudio::ActiveState);
        QTRY_COMPARE(streamsOn(QStringLiteral("tone")), before + 1);
        QCOMPARE(streamsOn(QStringLiteral("speaker")), 0);
        player.stop();
        QTRY_COMPARE(streamsOn(QStringLiteral("tone")), before);

        // Back to the default: the next sound goes there (a sink of its own).
        player.setSpeaker(QStringLiteral("Unplugged headset"));
        player.play(Sound::Ringtone);
        QCOMPARE(player.device().description(), QStringLiteral("Speaker"));
        QTRY_COMPARE(player.state(), QAudio::ActiveState);
        QTRY_COMPARE(streamsOn(QStringLiteral("speaker")), 1);
        player.stop();
    }
};

QTEST_GUILESS_MAIN(TestSoundPlayer)
#include "tst_soundplayer.moc"
