// SPDX-License-Identifier: Apache-2.0
// VoiceRecorder: microphone -> WAV file, GUI thread.
#include "voicerecorder.h"

#include <QAudioDevice>
#include <QAudioSource>
#include <QDateTime>
#include <QDir>
#include <QMediaDevices>
#include <QtEndian>

#include <cmath>

namespace tern::client {

namespace {

constexpr int kHeaderBytes = 44;

// A RIFF/WAVE header for `dataBytes` of PCM (integer) or IEEE float samples.
QByteArray wavHeader(const QAudioFormat &format, qint64 dataBytes)
{
    const bool isFloat = format.sampleFormat() == QAudioFormat::Float;
    const quint16 channels = quint16(format.channelCount());
    const quint32 rate = quint32(format.sampleRate());
    const quint16 bits = quint16(format.bytesPerSample() * 8);
    QByteArray h(kHeaderBytes, '\0');
    char *p = h.data();
    const auto u32 = [&](int at, quint32 v) { qToLittleEndian(v, p + at); };
    const auto u16 = [&](int at, quint16 v) { qToLittleEndian(v, p + at); };
    memcpy(p, "RIFF", 4);
    u32(4, quint32(36 + dataBytes));
    memcpy(p + 8, "WAVEfmt ", 8);
    u32(16, 16);
    u16(20, isFloat ? 3 : 1);
    u16(22, channels);
    u32(24, rate);
    u32(28, rate * channels * (bits / 8));
    u16(32, quint16(channels * (bits / 8)));
    u16(34, bits);
    memcpy(p + 36, "data", 4);
    u32(40, quint32(dataBytes));
    return h;
}

// The loudest sample in `data`, 0..1.
double peakOf(const QByteArray &data, const QAudioFormat &format)
{
    double peak = 0;
    const int step = format.bytesPerSample();
    for (qsizetype i = 0; i + step <= data.size(); i += step)
        peak =
            std::max(peak, double(std::fabs(format.normalizedSampleValue(data.constData() + i))));
    return std::min(1.0, peak);
}

} // namespace

VoiceRecorder::VoiceRecorder(QObject *parent)
    : QObject(parent)
{ }

VoiceRecorder::~VoiceRecorder()
{
    cancel();
}

void VoiceRecorder::setFolder(const QString &folder)
{
    if (folder == m_folder)
        return;
    m_folder = folder;
    Q_EMIT folderChanged();
}

void VoiceRecorder::setError(const QString &error)
{
    m_error = error;
    Q_EMIT errorChanged();
}

bool VoiceRecorder::start()
{
    if (m_source)
        return true;
    const QAudioDevice device = QMediaDevices::defaultAudioInput();
    if (device.isNull()) {
        setError(tr("No microphone was found"));
        return false;
    }
    QAudioFormat format;
    format.setSampleRate(16000);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Int16);
    if (!device.isFormatSupported(format))
        format = device.preferredFormat();
    if (m_folder.isEmpty() || !QDir().mkpath(m_folder)) {
        setError(tr("There is no folder to record into"));
        return false;
    }
    m_file.setFileName(QDir(m_folder).filePath(
        QStringLiteral("voice-%1.wav")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")))));
    if (!m_file.open(QIODevice::WriteOnly)) {
        setError(tr("Cannot write %1").arg(m_file.fileName()));
        return false;
    }
    m_format = format;
    m_dataBytes = 0;
    m_file.write(wavHeader(format, 0)); // sizes filled in by finishFile()
    m_source = std::make_unique<QAudioSource>(device, format);
    m_input = m_source->start();
    if (!m_input) {
        m_source.reset();
        m_file.remove();
        setError(tr("The microphone could not be opened"));
        return false;
    }
    connect(m_input, &QIODevice::readyRead, this, &VoiceRecorder::onAudio);
    setError({});
    Q_EMIT recordingChanged();
    return true;
}

void VoiceRecorder::onAudio()
{
    const QByteArray data = m_input->readAll();
    if (data.isEmpty())
        return;
    m_file.write(data);
    m_dataBytes += data.size();
    m_level = peakOf(data, m_format);
    Q_EMIT progress();
    if (durationMs() >= kMaxDurationMs)
        stop();
}

int VoiceRecorder::durationMs() const
{
    const int perSecond = m_format.bytesForDuration(1000000);
    return perSecond > 0 ? int(m_dataBytes * 1000 / perSecond) : 0;
}

void VoiceRecorder::finishFile()
{
    if (m_source) {
        m_source->stop();
        m_source.reset();
        m_input = nullptr;
    }
    if (m_file.isOpen()) {
        m_file.seek(0);
        m_file.write(wavHeader(m_format, m_dataBytes));
        m_file.close();
    }
    m_level = 0;
    Q_EMIT recordingChanged();
}

void VoiceRecorder::stop()
{
    if (!m_source)
        return;
    if (m_input)
        onAudio(); // what is still buffered
    finishFile();
    if (m_dataBytes == 0) {
        m_file.remove();
        setError(tr("Nothing was recorded"));
        return;
    }
    Q_EMIT finished(QUrl::fromLocalFile(m_file.fileName()), durationMs());
}

void VoiceRecorder::cancel()
{
    if (!m_source)
        return;
    finishFile();
    m_file.remove();
}

} // namespace tern::client
