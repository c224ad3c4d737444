// SPDX-License-Identifier: Apache-2.0
// The app's sounds as samples: how long, how loud, silent where they pause, no step at their
// edges; and in the sample formats a sound device takes. Which call state sounds which.
#include "soundalerts.h"
#include "tones.h"

#include <QAudioFormat>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace tern::client;
using Sound = Tones::Sound;

namespace {

float peakOf(const QList<float> &samples, qsizetype from, qsizetype to)
{
    float peak = 0;
    for (qsizetype i = from; i < to; ++i)
        peak = std::max(peak, std::fabs(samples[i]));
    return peak;
}

QAudioFormat formatOf(QAudioFormat::SampleFormat sampleFormat, int channels, int rate = 48000)
{
    QAudioFormat format;
    format.setSampleRate(rate);
    format.setChannelCount(channels);
    format.setSampleFormat(sampleFormat);
    return format;
}

} // namespace

class TestTones : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shapes_data()
    {
        QTest::addColumn<Sound>("sound");
        QTest::addColumn<int>("sampleRate");
        QTest::addColumn<int>("toneMs");
        QTest::addColumn<int>("periodMs");
        QTest::addColumn<bool>("loops");
        QTest::addColumn<float>("maxLevel");
        // The ringtone rings a second in three; the ringback is quieter, a second in four;
        // the pop is short and plays once.
        QTest::newRow("ringtone") << Sound::Ringtone << 48000 << 1000 << 3000 << true << 0.8f;
        QTest::newRow("ringtone 44.1k") << Sound::Ringtone << 44100 << 1000 << 3000 << true << 0.8f;
        QTest::newRow("ringback") << Sound::Ringback << 48000 << 1000 << 4000 << true << 0.3f;
        QTest::newRow("message") << Sound::Message << 48000 << 120 << 120 << false << 0.5f;
        QTest::newRow("message 22.05k") << Sound::Message << 22050 << 120 << 120 << false << 0.5f;
    }

    void shapes()
    {
        QFETCH(Sound, sound);
        QFETCH(int, sampleRate);
        QFETCH(int, toneMs);
        QFETCH(int, periodMs);
        QFETCH(bool, loops);
        QFETCH(float, maxLevel);
        const Tones::Pattern pattern = Tones::patternOf(sound);
        QCOMPARE(pattern.toneMs, toneMs);
        QCOMPARE(pattern.periodMs, periodMs);
        QCOMPARE(pattern.loops, loops);

        const QList<float> samples = Tones::render(sound, sampleRate);
        QCOMPARE(samples.size(), qsizetype(qint64(periodMs) * sampleRate / 1000));
        const qsizetype tone = qsizetype(qint64(toneMs) * sampleRate / 1000);

        // Loud enough to hear, never clipping, at the level the pattern names.
        const float peak = peakOf(samples, 0, tone);
        QVERIFY2(peak > 0.1f && peak <= maxLevel, qPrintable(QString::number(peak)));
        QVERIFY(qAbs(peak - pattern.level) < 1e-3f);
        for (const float s : samples)
            QVERIFY(std::isfinite(s));

        // It fades in from silence and out to silence: the first and last samples are 0 and
        // the first and last millisecond stay near it (no step, no click; and where a loop
        // starts again, silence meets silence).
        const qsizetype ms = sampleRate / 1000;
        QCOMPARE(samples.first(), 0.0f);
        QVERIFY(qAbs(samples[tone - 1]) < 1e-6f);
        QVERIFY2(peakOf(samples, 0, ms) < 0.03f,
                 qPrintable(QString::number(peakOf(samples, 0, ms))));
        QVERIFY2(peakOf(samples, tone - ms, tone) < 0.01f,
                 qPrintable(QString::number(peakOf(samples, tone - ms, tone))));
        // And it sounds all along the tone: no silent hole inside it.
        for (qsizetype at = ms; at + 10 * ms < tone - ms; at += 10 * ms)
            QVERIFY2(peakOf(samples, at, at + 10 * ms) > 0.001f, qPrintable(QString::number(at)));

        // The pause after the tone is true silence.
        for (qsizetype i = tone; i < samples.size(); ++i) {
            if (samples[i] != 0.0f)
                QFAIL(qPrintable(
                    QStringLiteral("sample %1 of the pause is %2").arg(i).arg(samples[i])));
        }
    }

    void noneIsNothing()
    {
        QVERIFY(Tones::render(Sound::None).isEmpty());
        QCOMPARE(Tones::patternOf(Sound::None).periodMs, 0);
        QVERIFY(Tones::render(Sound::Ringtone, 0).isEmpty());
    }

    // Rendering is pure: the same sound twice is the same samples.
    void sameEachTime()
    {
        QCOMPARE(Tones::render(Sound::Ringback), Tones::render(Sound::Ringback));
    }

    void pcmFormats()
    {
        const QList<float> samples {0.0f, 0.5f, -0.5f, 1.0f, -1.0f, 2.0f};

        // 16-bit mono, what the player asks for first.
        const QByteArray mono16 = Tones::toPcm(samples, formatOf(QAudioFormat::Int16, 1));
        QCOMPARE(mono16.size(), samples.size() * 2);
        const auto *s16 = reinterpret_cast<const qint16 *>(mono16.constData());
        QCOMPARE(s16[0], qint16(0));
        QCOMPARE(s16[1], qint16(16384)); // lround(0.5 * 32767)
        QCOMPARE(s16[2], qint16(-16384));
        QCOMPARE(s16[3], qint16(32767));
        QCOMPARE(s16[4], qint16(-32767));
        QCOMPARE(s16[5], qint16(32767)); // out of range is clamped, not wrapped

        // Stereo: each frame has the sample twice.
        const QByteArray stereo = Tones::toPcm(samples, formatOf(QAudioFormat::Int16, 2));
        QCOMPARE(stereo.size(), samples.size() * 4);
        const auto *st = reinterpret_cast<const qint16 *>(stereo.constData());
        for (qsizetype i = 0; i < samples.size(); ++i)
            QCOMPARE(st[2 * i], st[2 * i + 1]);
        QCOMPARE(st[2], qint16(16384));

        // Float as it is; unsigned 8-bit around 128; 32-bit.
        const QByteArray f = Tones::toPcm(samples, formatOf(QAudioFormat::Float, 1));
        QCOMPARE(f.size(), samples.size() * 4);
        float second = 0;
        std::memcpy(&second, f.constData() + 4, 4);
        QCOMPARE(second, 0.5f);
        const QByteArray u8 = Tones::toPcm(samples, formatOf(QAudioFormat::UInt8, 1));
        QCOMPARE(u8.size(), samples.size());
        QCOMPARE(quint8(u8[0]), quint8(128));
        QCOMPARE(quint8(u8[3]), quint8(255));
        QCOMPARE(quint8(u8[4]), quint8(1));
        const QByteArray s32 = Tones::toPcm(samples, formatOf(QAudioFormat::Int32, 1));
        QCOMPARE(s32.size(), samples.size() * 4);
        qint32 loudest = 0;
        std::memcpy(&loudest, s32.constData() + 12, 4);
        QCOMPARE(loudest, qint32(2147483647));

        QVERIFY(Tones::toPcm(samples, QAudioFormat()).isEmpty());
    }

    // A whole ring period at 48 kHz, 16-bit mono: 3 s of 96 000 bytes a second.
    void ringtoneAsPlayed()
    {
        const QAudioFormat format = formatOf(QAudioFormat::Int16, 1, Tones::kSampleRate);
        const QByteArray pcm = Tones::toPcm(Tones::render(Sound::Ringtone), format);
        QCOMPARE(pcm.size(), qsizetype(format.bytesForDuration(3'000'000)));
    }

    void callStateSounds_data()
    {
        QTest::addColumn<Calls::State>("state");
        QTest::addColumn<Sound>("sound");
        QTest::newRow("idle") << Calls::State::Idle << Sound::None;
        QTest::newRow("calling: ringback") << Calls::State::Calling << Sound::Ringback;
        QTest::newRow("ringing: ringtone") << Calls::State::Ringing << Sound::Ringtone;
        QTest::newRow("connecting") << Calls::State::Connecting << Sound::None;
        QTest::newRow("connected") << Calls::State::Connected << Sound::None;
        QTest::newRow("ended") << Calls::State::Ended << Sound::None;
    }

    void callStateSounds()
    {
        QFETCH(Calls::State, state);
        QFETCH(Sound, sound);
        QCOMPARE(SoundAlerts::callSound(state), sound);
    }
};

QTEST_GUILESS_MAIN(TestTones)
#include "tst_tones.moc"
