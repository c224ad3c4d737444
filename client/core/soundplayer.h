// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tones.h"

#include <QAudio>
#include <QAudioDevice>
#include <QAudioFormat>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QAudioSink;
class QIODevice;

namespace tern::client {

// Plays the Tones through Qt Multimedia: a QAudioSink pulling the rendered PCM, looping sounds
// from a device that wraps around (no gap, no restart), the message pop once. One sound at a
// time: a new one replaces what plays. The speaker is chosen by name as Settings shows it
// (CallDevices); a missing one, or "", is the system's default.
//
// Why not QSoundEffect: it plays files only (each sound written to the cache as a WAV first);
// a sink pulling from memory needs nothing on disk, loops without a seam by construction, and
// its state says plainly whether sound is going out (what the tests check).
class SoundPlayer : public QObject
{
    Q_OBJECT
public:
    explicit SoundPlayer(QObject *parent = nullptr);
    ~SoundPlayer() override;

    // Applies from the next sound on.
    void setSpeaker(const QString &name) { m_speakerName = name; }
    QString speaker() const { return m_speakerName; }

    // Starts `sound` (None stops). The sound already playing goes on undisturbed.
    void play(Tones::Sound sound);
    void stop();

    // What plays now (None once stopped, or once the pop has played out).
    Tones::Sound sound() const { return m_sound; }
    // The sink's state: ActiveState while sound goes out, StoppedState when nothing plays (or
    // there is no sink: no sound device at all).
    QAudio::State state() const;
    // The device of the last sound (null before the first).
    QAudioDevice device() const { return m_device; }

    // The output device called `name` (its description, as CallDevices names speakers), or
    // the default output when there is none by that name; null when there is no output.
    static QAudioDevice speakerNamed(const QString &name);

Q_SIGNALS:
    void started(tern::client::Tones::Sound sound);
    // The sink's state changed, or the sound ended.
    void stateChanged();

private:
    void ensureSink(const QAudioDevice &device);

    QString m_speakerName;
    QAudioDevice m_device;
    QAudioFormat m_format;
    QPointer<QAudioSink> m_sink;
    // What the sink pulls the sound from (a child of this player; replaced for each sound).
    QPointer<QIODevice> m_source;
    Tones::Sound m_sound = Tones::Sound::None;
    // A pop is stopped once it has played out: the sink has taken all of it long before that
    // (PulseAudio buffers up to two seconds), so "no more data" is not "done".
    QTimer m_onceTimer;
};

} // namespace tern::client
