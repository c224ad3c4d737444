// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>

class QAudioFormat;

namespace tern::client {

// The app's sounds, made here from sine waves (no audio files ship with Tern): the ringtone of
// a call ringing here, the ringback the caller hears while it rings at the other side, and a
// short pop for a new message. Pure functions, so that tests can measure what is played.
//
// A looping sound is one period, the tone then its silence, so that playing it over and over
// is the ring pattern. Every tone fades in from 0 and out to 0 (no click at its edges, nor
// where a loop starts again).
class Tones
{
public:
    enum class Sound { None, Ringtone, Ringback, Message };

    struct Pattern
    {
        int toneMs = 0; // the tone, from the start of a period
        int periodMs = 0; // the tone and the silence after it
        bool loops = false; // played again and again until stopped
        float level = 0; // the loudest sample, 0..1
    };

    static constexpr int kSampleRate = 48000;

    static Pattern patternOf(Sound sound);
    // One period of `sound` as mono samples in [-1, 1] (empty for None).
    static QList<float> render(Sound sound, int sampleRate = kSampleRate);
    // `samples` in `format` (Int16, Int32, UInt8 or Float; each channel the same): what a
    // QAudioSink of that format plays. Empty for a format without samples.
    static QByteArray toPcm(const QList<float> &samples, const QAudioFormat &format);
};

} // namespace tern::client
