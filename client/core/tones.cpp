// SPDX-License-Identifier: Apache-2.0
// Tones: the ringtone, ringback and message pop as PCM, computed; no thread of its own.
#include "tones.h"

#include <QAudioFormat>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace tern::client {

namespace {

constexpr double kPi = 3.14159265358979323846;

// 0 at i = 0, rising along half a cosine to 1 at i = n: a fade without a corner at either end.
double ramp(qsizetype i, qsizetype n)
{
    if (n <= 0 || i >= n)
        return 1.0;
    return i <= 0 ? 0.0 : 0.5 - 0.5 * std::cos(kPi * double(i) / double(n));
}

qsizetype samplesFor(int ms, int sampleRate)
{
    return qsizetype(qint64(ms) * sampleRate / 1000);
}

// Fades the first and the last `fade` samples of [0, length) in and out (the first and the
// last sample become 0).
void fadeEdges(QList<float> &samples, qsizetype length, qsizetype fade)
{
    fade = std::min(fade, length / 2);
    for (qsizetype i = 0; i < fade; ++i) {
        samples[i] = float(samples[i] * ramp(i, fade - 1));
        samples[length - 1 - i] = float(samples[length - 1 - i] * ramp(i, fade - 1));
    }
}

// Scales [0, length) so that its loudest sample is `level`.
void normalize(QList<float> &samples, qsizetype length, float level)
{
    float peak = 0;
    for (qsizetype i = 0; i < length; ++i)
        peak = std::max(peak, std::fabs(samples[i]));
    if (peak <= 0)
        return;
    const float scale = level / peak;
    for (qsizetype i = 0; i < length; ++i)
        samples[i] *= scale;
}

// A rising chime, E5 G#5 B5 (an E major arpeggio), each note struck and dying away like a
// small bell (a soft octave partial that fades faster).
void renderRingtone(QList<float> &out, qsizetype length, int rate)
{
    static constexpr double kNotes[] = {659.26, 830.61, 987.77};
    static constexpr int kOnsetMs = 140; // between the notes
    const qsizetype attack = samplesFor(6, rate);
    for (int n = 0; n < 3; ++n) {
        const double w = 2 * kPi * kNotes[n];
        for (qsizetype i = samplesFor(n * kOnsetMs, rate), k = 0; i < length; ++i, ++k) {
            const double t = double(k) / rate;
            const double body = std::sin(w * t) * std::exp(-t / 0.30);
            const double partial = 0.2 * std::sin(2 * w * t) * std::exp(-t / 0.12);
            out[i] += float(ramp(k, attack) * (body + partial));
        }
    }
    // The last note still sounds at the end of the tone: it fades out rather than stops.
    const qsizetype fade = samplesFor(80, rate);
    for (qsizetype i = 0; i < fade; ++i)
        out[length - 1 - i] = float(out[length - 1 - i] * ramp(i, fade - 1));
}

// The ringback: one steady 440 Hz tone.
void renderRingback(QList<float> &out, qsizetype length, int rate)
{
    const double w = 2 * kPi * 440.0;
    for (qsizetype i = 0; i < length; ++i)
        out[i] = float(std::sin(w * double(i) / rate));
    fadeEdges(out, length, samplesFor(20, rate));
}

// The pop: a sine gliding up from 520 to 880 Hz, quick to rise, falling away to nothing.
void renderMessage(QList<float> &out, qsizetype length, int rate)
{
    const qsizetype attack = samplesFor(10, rate);
    double phase = 0;
    for (qsizetype i = 0; i < length; ++i) {
        const double u = double(i) / double(std::max<qsizetype>(1, length - 1));
        const double frequency = 520.0 + (880.0 - 520.0) * u;
        const double decay = (1.0 - u) * (1.0 - u);
        out[i] = float(ramp(i, attack) * decay * std::sin(phase));
        phase += 2 * kPi * frequency / rate;
    }
}

} // namespace

Tones::Pattern Tones::patternOf(Sound sound)
{
    switch (sound) {
    case Sound::None:
        return {};
    case Sound::Ringtone:
        return {1000, 3000, true, 0.7f};
    case Sound::Ringback:
        // Quieter: it is only a sign that the other side rings.
        return {1000, 4000, true, 0.2f};
    case Sound::Message:
        return {120, 120, false, 0.35f};
    }
    return {};
}

QList<float> Tones::render(Sound sound, int sampleRate)
{
    const Pattern pattern = patternOf(sound);
    if (pattern.periodMs <= 0 || sampleRate <= 0)
        return {};
    QList<float> samples(samplesFor(pattern.periodMs, sampleRate), 0.0f);
    const qsizetype tone = samplesFor(pattern.toneMs, sampleRate);
    switch (sound) {
    case Sound::Ringtone:
        renderRingtone(samples, tone, sampleRate);
        break;
    case Sound::Ringback:
        renderRingback(samples, tone, sampleRate);
        break;
    case Sound::Message:
        renderMessage(samples, tone, sampleRate);
        break;
    case Sound::None:
        break;
    }
    normalize(samples, tone, pattern.level);
    return samples;
}

QByteArray Tones::toPcm(const QList<float> &samples, const QAudioFormat &format)
{
    const int channels = format.channelCount();
    const int width = format.bytesPerSample();
    if (channels <= 0 || width <= 0 || format.sampleFormat() == QAudioFormat::Unknown)
        return {};
    QByteArray pcm(samples.size() * channels * width, Qt::Uninitialized);
    char *at = pcm.data();
    for (const float sample : samples) {
        const double s = std::clamp(double(sample), -1.0, 1.0);
        char frame[4] = {};
        switch (format.sampleFormat()) {
        case QAudioFormat::UInt8:
            frame[0] = char(quint8(std::lround(128 + s * 127)));
            break;
        case QAudioFormat::Int16: {
            const auto v = qint16(std::lround(s * 32767));
            std::memcpy(frame, &v, sizeof v);
            break;
        }
        case QAudioFormat::Int32: {
            const auto v = qint32(std::llround(s * 2147483647.0));
            std::memcpy(frame, &v, sizeof v);
            break;
        }
        case QAudioFormat::Float: {
            const auto v = float(s);
            std::memcpy(frame, &v, sizeof v);
            break;
        }
        default:
            return {};
        }
        for (int c = 0; c < channels; ++c, at += width)
            std::memcpy(at, frame, size_t(width));
    }
    return pcm;
}

} // namespace tern::client
