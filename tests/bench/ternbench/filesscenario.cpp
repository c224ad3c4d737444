// SPDX-License-Identifier: Apache-2.0
#include "filesscenario.h"

#include "benchusers.h"
#include "latencies.h"
#include "processusage.h"
#include "serverusage.h"
#include "tern/clientmsgid.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QTimer>

using namespace tern;

namespace {

// The file's bytes at [offset, offset + length): made on the fly, so that a 1 GiB run does not
// hold 1 GiB in the generator, different in every chunk, and in every run (it starts with the
// run's tag), so that the server cannot complete an upload from content it already has.
QByteArray contentAt(qint64 offset, qint64 length, const QByteArray &tag)
{
    QByteArray data(length, Qt::Uninitialized);
    char *bytes = data.data();
    for (qint64 i = 0; i < length; ++i) {
        const qint64 at = offset + i;
        bytes[i] = at < tag.size() ? tag[at] : char((at * 131 + (at >> 12)) % 251);
    }
    return data;
}

QByteArray sha256Of(qint64 size, quint32 block, const QByteArray &tag)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (qint64 at = 0; at < size; at += block)
        hash.addData(contentAt(at, std::min<qint64>(block, size - at), tag));
    return hash.result();
}

// Sends a short text every 100 ms from `user` into its pair conversation and records how long
// each took to be acknowledged, into whichever Latencies `target` points at.
class LatencyProbe
{
public:
    LatencyProbe(BenchUser &user, Latencies **target)
    {
        m_timer.setInterval(100);
        QObject::connect(&m_timer, &QTimer::timeout, [&user, target] {
            proto::Frame frame;
            auto *send = frame.mutable_send_message();
            send->set_conversation_id(user.conversationId);
            send->set_client_msg_id(tern::messages::newClientMsgId());
            send->mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
            send->mutable_content()->set_text("still here while a file moves");
            auto clock = std::make_shared<QElapsedTimer>();
            clock->start();
            Latencies *into = *target;
            user.connection->request(frame, [clock, into](const proto::Frame &answer) {
                if (answer.has_message_ack() && into)
                    into->add(clock->nsecsElapsed());
            });
        });
        m_timer.start();
    }

private:
    QTimer m_timer;
};

double mibPerSecond(qint64 bytes, qint64 nanoseconds)
{
    return nanoseconds > 0 ? double(bytes) / (1 << 20) / (double(nanoseconds) / 1e9) : 0;
}

} // namespace

FilesResult runFiles(const FilesOptions &options)
{
    FilesResult result;
    const qint64 size = options.fileMiB << 20;
    std::vector<BenchUser> users = connectUsers(options.url, 2, options.tag, result.error);
    if (users.empty() || !openPairConversations(users, result.error))
        return result;
    BenchUser &sender = users[0];
    BenchUser &receiver = users[1];
    const QByteArray tag = options.tag.toUtf8();
    const QByteArray sha = sha256Of(size, options.chunkBytes, tag);

    qint64 peakKiB = 0;
    const qint64 beforeKiB = serverusage::residentKiB(options.serverPid);
    QTimer sampler;
    sampler.setInterval(20);
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        peakKiB = std::max(peakKiB, serverusage::residentKiB(options.serverPid));
    });
    if (options.serverPid > 0)
        sampler.start();
    Latencies uploadLatency;
    Latencies downloadLatency;
    Latencies *probeInto = &uploadLatency;
    LatencyProbe probe(sender, &probeInto);
    const ProcessUsage usageBefore = ProcessUsage::now();
    QElapsedTimer wall;
    wall.start();

    // Upload: announce, then chunk after chunk at the committed offset.
    std::string uploadId;
    std::string fileId;
    qint64 committed = 0;
    QString failure;
    QElapsedTimer uploadClock;
    uploadClock.start();
    std::function<void()> sendChunk = [&] {
        proto::Frame frame;
        auto *chunk = frame.mutable_upload_chunk();
        const QByteArray data =
            contentAt(committed, std::min<qint64>(options.chunkBytes, size - committed), tag);
        chunk->set_upload_id(uploadId);
        chunk->set_offset(quint64(committed));
        chunk->set_sha256(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toStdString());
        chunk->set_data(data.toStdString());
        sender.connection->request(frame, [&](const proto::Frame &answer) {
            if (!answer.has_upload_state()) {
                failure = QStringLiteral("chunk refused: ")
                    + QString::fromStdString(answer.error().message());
                return;
            }
            committed = qint64(answer.upload_state().committed());
            if (answer.upload_state().has_file())
                fileId = answer.upload_state().file().file_id();
            else
                sendChunk();
        });
    };
    proto::Frame start;
    auto *announce = start.mutable_start_upload();
    announce->set_name("ternbench.bin");
    announce->set_size(quint64(size));
    announce->set_sha256(sha.toStdString());
    sender.connection->request(start, [&](const proto::Frame &answer) {
        if (!answer.has_upload_state()) {
            failure = QStringLiteral("announce refused: ")
                + QString::fromStdString(answer.error().message());
            return;
        }
        if (answer.upload_state().has_file()) {
            failure = QStringLiteral("the server has this content already");
            return;
        }
        uploadId = answer.upload_state().upload_id();
        sendChunk();
    });
    waitUntil([&] { return !fileId.empty() || !failure.isEmpty(); }, 3600 * 1000);
    const qint64 uploadNs = uploadClock.nsecsElapsed();
    if (fileId.empty()) {
        result.error = failure.isEmpty() ? QStringLiteral("the upload timed out") : failure;
        return result;
    }

    // The file goes to the receiver as a message, who then reads it back.
    bool shared = false;
    proto::Frame message;
    auto *send = message.mutable_send_message();
    send->set_conversation_id(sender.conversationId);
    send->set_client_msg_id(tern::messages::newClientMsgId());
    send->mutable_content()->set_kind(proto::MessageContent::KIND_FILE);
    send->mutable_content()->mutable_file()->set_file_id(fileId);
    send->mutable_content()->mutable_file()->set_name("ternbench.bin");
    send->mutable_content()->mutable_file()->set_size(quint64(size));
    sender.connection->request(message, [&](const proto::Frame &answer) {
        shared = answer.has_message_ack();
        if (!shared)
            failure = QStringLiteral("file message refused: ")
                + QString::fromStdString(answer.error().message());
    });
    waitUntil([&] { return shared || !failure.isEmpty(); }, 30000);
    if (!shared) {
        result.error = failure;
        return result;
    }

    probeInto = &downloadLatency;
    QCryptographicHash received(QCryptographicHash::Sha256);
    qint64 read = 0;
    bool downloaded = false;
    QElapsedTimer downloadClock;
    downloadClock.start();
    std::function<void()> readChunk = [&] {
        proto::Frame frame;
        frame.mutable_read_file()->set_file_id(fileId);
        frame.mutable_read_file()->set_offset(quint64(read));
        frame.mutable_read_file()->set_length(options.chunkBytes);
        receiver.connection->request(frame, [&](const proto::Frame &answer) {
            if (!answer.has_file_chunk()) {
                failure = QStringLiteral("read refused: ")
                    + QString::fromStdString(answer.error().message());
                return;
            }
            received.addData(QByteArrayView(answer.file_chunk().data()));
            read += qint64(answer.file_chunk().data().size());
            if (answer.file_chunk().eof())
                downloaded = true;
            else
                readChunk();
        });
    };
    readChunk();
    waitUntil([&] { return downloaded || !failure.isEmpty(); }, 3600 * 1000);
    const qint64 downloadNs = downloadClock.nsecsElapsed();
    probeInto = nullptr;
    sampler.stop();
    const double generatorCpu =
        ProcessUsage::now().cpuSecondsSince(usageBefore) / (double(wall.nsecsElapsed()) / 1e9);
    if (!downloaded) {
        result.error = failure.isEmpty() ? QStringLiteral("the download timed out") : failure;
        return result;
    }
    const bool intact = read == size && received.result() == sha;
    result.ok = intact;
    if (!intact)
        result.error = QStringLiteral("the downloaded content differs from the upload");
    const qint64 hwmKiB = serverusage::peakResidentKiB(options.serverPid);
    result.json = {{QStringLiteral("scenario"), QStringLiteral("files")},
                   {QStringLiteral("file_mib"), options.fileMiB},
                   {QStringLiteral("chunk_bytes"), qint64(options.chunkBytes)},
                   {QStringLiteral("intact"), intact},
                   {QStringLiteral("upload_mib_s"), mibPerSecond(size, uploadNs)},
                   {QStringLiteral("download_mib_s"), mibPerSecond(size, downloadNs)},
                   {QStringLiteral("rss_before_kib"), beforeKiB},
                   {QStringLiteral("rss_peak_kib"), peakKiB},
                   {QStringLiteral("rss_hwm_kib"), hwmKiB},
                   {QStringLiteral("text_ack_during_upload_ms"), uploadLatency.summary()},
                   {QStringLiteral("text_ack_during_download_ms"), downloadLatency.summary()},
                   {QStringLiteral("generator_cpu"), generatorCpu}};
    result.table = QStringLiteral("files: %1 MiB up at %2 MiB/s, down at %3 MiB/s, SHA-256 %4\n"
                                  "  server RSS %5 KiB before, peak %6 KiB while transferring "
                                  "(VmHWM %7 KiB)\n"
                                  "  text message ack during the upload:   %8\n"
                                  "  text message ack during the download: %9\n"
                                  "  generator CPU: %10 of one core")
                       .arg(options.fileMiB)
                       .arg(mibPerSecond(size, uploadNs), 0, 'f', 1)
                       .arg(mibPerSecond(size, downloadNs), 0, 'f', 1)
                       .arg(intact ? QStringLiteral("matches") : QStringLiteral("DIFFERS"))
                       .arg(beforeKiB)
                       .arg(peakKiB)
                       .arg(hwmKiB)
                       .arg(uploadLatency.row(), downloadLatency.row())
                       .arg(generatorCpu, 0, 'f', 2);
    return result;
}
