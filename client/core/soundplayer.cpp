// SPDX-License-Identifier: Apache-2.0
// SoundPlayer: the Tones to a speaker through a QAudioSink, GUI thread (Qt Multimedia's
// PulseAudio sink pulls the samples on timers of this thread).
#include "soundplayer.h"

#include "clientlog.h"

#include <QAudioSink>
#include <QBuffer>
#include <QMediaDevices>

#include <algorithm>
#include <cstring>

namespace tern::client {

namespace {

// After the pop's own length, how long it may take to come out of the speaker (the sink's
// latency) before the player calls it done.
constexpr int kPlayOutMs = 500;

// One period played over and over: a sequential device that never runs dry, so the sink
// never sees an end and the loop has no gap.
class LoopDevice : public QIODevice
{
public:
    LoopDevice(QByteArray period, QObject *parent)
        : QIODevice(parent)
        , m_period(std::move(period))
    {
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    }

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return m_period.size() + QIODevice::bytesAvailable(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        if (m_period.isEmpty())
            return 0;
        qint64 done = 0;
        while (done < maxSize) {
            const qint64 n = std::min<qint64>(maxSize - done, m_period.size() - m_at);
            std::memcpy(data + done, m_period.constData() + m_at, size_t(n));
            done += n;
            m_at = (m_at + n) % m_period.size();
        }
        return done;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_period;
    qint64 m_at = 0;
};

} // namespace

SoundPlayer::SoundPlayer(QObject *parent)
    : QObject(parent)
{
    m_onceTimer.setSingleShot(true);
    connect(&m_onceTimer, &QTimer::timeout, this, &SoundPlayer::stop);
}

SoundPlayer::~SoundPlayer()
{
    if (m_sink) {
        disconnect(m_sink, nullptr, this, nullptr);
        m_sink->stop();
        delete m_sink;
    }
}

QAudio::State SoundPlayer::state() const
{
    return m_sink ? m_sink->state() : QAudio::StoppedState;
}

QAudioDevice SoundPlayer::speakerNamed(const QString &name)
{
    if (!name.isEmpty()) {
        for (const QAudioDevice &device : QMediaDevices::audioOutputs()) {
            if (device.description() == name)
                return device;
        }
    }
    return QMediaDevices::defaultAudioOutput();
}

void SoundPlayer::ensureSink(const QAudioDevice &device)
{
    if (m_sink && device == m_device)
        return;
    if (m_sink) {
        disconnect(m_sink, nullptr, this, nullptr);
        // Its destructor runs the event loop (PulseAudio): not from inside this call.
        m_sink->deleteLater();
    }
    QAudioFormat format;
    format.setSampleRate(Tones::kSampleRate);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Int16);
    if (!device.isFormatSupported(format))
        format = device.preferredFormat();
    m_device = device;
    m_format = format;
    m_sink = new QAudioSink(device, format, this);
    connect(m_sink, &QAudioSink::stateChanged, this, [this](QAudio::State state) {
        // The sound server went away, or the device: the sound is over.
        if (state == QAudio::StoppedState && m_sound != Tones::Sound::None && m_sink
            && m_sink->error() != QAudio::NoError) {
            qCWarning(lcSound, "the speaker stopped playing (error %d)", int(m_sink->error()));
            m_sound = Tones::Sound::None;
            m_onceTimer.stop();
        }
        Q_EMIT stateChanged();
    });
}

void SoundPlayer::play(Tones::Sound sound)
{
    if (sound == Tones::Sound::None) {
        stop();
        return;
    }
    if (sound == m_sound)
        return;
    stop();
    const QAudioDevice device = speakerNamed(m_speakerName);
    if (device.isNull()) {
        qCInfo(lcSound, "no speaker: no sound");
        return;
    }
    ensureSink(device);
    const Tones::Pattern pattern = Tones::patternOf(sound);
    const QByteArray pcm = Tones::toPcm(Tones::render(sound, m_format.sampleRate()), m_format);
    if (pcm.isEmpty()) {
        qCWarning(lcSound, "the speaker %s takes no format we can make",
                  qPrintable(device.description()));
        return;
    }
    if (pattern.loops) {
        m_source = new LoopDevice(pcm, this);
    } else {
        auto *buffer = new QBuffer(this);
        buffer->setData(pcm);
        buffer->open(QIODevice::ReadOnly);
        m_source = buffer;
    }
    m_sink->start(m_source);
    if (m_sink->error() != QAudio::NoError || m_sink->state() == QAudio::StoppedState) {
        qCWarning(lcSound, "cannot play on %s (error %d)", qPrintable(device.description()),
                  int(m_sink->error()));
        m_sink->stop();
        m_source->deleteLater();
        m_source = nullptr;
        return;
    }
    m_sound = sound;
    if (!pattern.loops)
        m_onceTimer.start(pattern.periodMs + kPlayOutMs);
    Q_EMIT started(sound);
    Q_EMIT stateChanged();
}

void SoundPlayer::stop()
{
    m_onceTimer.stop();
    const bool wasPlaying = m_sound != Tones::Sound::None;
    m_sound = Tones::Sound::None;
    if (m_sink)
        m_sink->stop();
    // The stopped sink reads no more from it (the next start is given a new one).
    if (m_source) {
        m_source->deleteLater();
        m_source = nullptr;
    }
    if (wasPlaying)
        Q_EMIT stateChanged();
}

} // namespace tern::client
