// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QAudioFormat>
#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QAudioSource;
class QIODevice;

namespace tern::client {

// Records a voice note from the default microphone (Qt Multimedia's QAudioSource) into a WAV
// file: 16 kHz mono 16-bit where the device takes it (32 kB/s), else the device's own format.
// At most kMaxDurationMs; longer recordings stop there and are kept. (Qt 6.4's QMediaRecorder
// lost most of the audio on this platform, so the samples are written here.)
class VoiceRecorder : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool recording READ isRecording NOTIFY recordingChanged)
    Q_PROPERTY(int durationMs READ durationMs NOTIFY progress)
    // 0..1, the loudest sample of the last ~100 ms (for a level meter).
    Q_PROPERTY(double level READ level NOTIFY progress)
    // Why the last start failed ("" when it did not): no microphone, cannot write.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    // Where recordings go (a folder; made if missing).
    Q_PROPERTY(QString folder READ folder WRITE setFolder NOTIFY folderChanged)
public:
    static constexpr int kMaxDurationMs = 5 * 60 * 1000;

    explicit VoiceRecorder(QObject *parent = nullptr);
    ~VoiceRecorder() override;

    Q_INVOKABLE bool start();
    // Ends the recording; finished(file, durationMs) follows when anything was recorded.
    Q_INVOKABLE void stop();
    // Ends it and deletes the file.
    Q_INVOKABLE void cancel();

    bool isRecording() const { return m_source != nullptr; }
    int durationMs() const;
    double level() const { return m_level; }
    QString error() const { return m_error; }
    QString folder() const { return m_folder; }
    void setFolder(const QString &folder);

Q_SIGNALS:
    void recordingChanged();
    void progress();
    void errorChanged();
    void folderChanged();
    void finished(const QUrl &file, int durationMs);

private:
    void onAudio();
    void finishFile();
    void setError(const QString &error);

    QString m_folder;
    QString m_error;
    QFile m_file;
    std::unique_ptr<QAudioSource> m_source;
    QIODevice *m_input = nullptr;
    QAudioFormat m_format;
    qint64 m_dataBytes = 0;
    double m_level = 0;
};

} // namespace tern::client
