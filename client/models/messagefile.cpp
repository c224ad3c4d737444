// SPDX-License-Identifier: Apache-2.0
#include "messagefile.h"

#include "transfers.h"

#include <QCoreApplication>
#include <QLocale>
#include <QUrl>

namespace tern::client {

namespace {

QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString stateName(TransferRecord::State state)
{
    switch (state) {
    case TransferRecord::State::Queued:
        return QStringLiteral("queued");
    case TransferRecord::State::Running:
        return QStringLiteral("running");
    case TransferRecord::State::Paused:
        return QStringLiteral("paused");
    case TransferRecord::State::Failed:
        return QStringLiteral("failed");
    case TransferRecord::State::Done:
        return QStringLiteral("done");
    }
    return {};
}

// The context these texts are translated in (lupdate files them under it; a free tr()
// helper would be filed under the namespace, and never found at run time).
struct MessageFile
{
    Q_DECLARE_TR_FUNCTIONS(MessageFile)
};

} // namespace

QString transferProgressText(qint64 done, qint64 size, double bytesPerSecond)
{
    QString text = MessageFile::tr("%1 of %2").arg(sizeText(done), sizeText(size));
    if (bytesPerSecond >= 1) {
        const qint64 seconds = qint64((size - done) / bytesPerSecond) + 1;
        const QString left = seconds < 60 ? MessageFile::tr("%1 s left").arg(seconds)
            : seconds < 3600              ? MessageFile::tr("%1 min left").arg((seconds + 59) / 60)
                             : MessageFile::tr("%1 h left").arg((seconds + 3599) / 3600);
        text += QStringLiteral(" · ")
            + MessageFile::tr("%1/s").arg(sizeText(qint64(bytesPerSecond))) + QStringLiteral(" · ")
            + left;
    }
    return text;
}

QVariantMap describeMessageFile(const proto::FileRef &file, const QString &clientMsgId, bool mine,
                                const Transfers &transfers)
{
    const QString fileId = QString::fromStdString(file.file_id());
    QVariantMap map {
        {QStringLiteral("name"), QString::fromStdString(file.name())},
        {QStringLiteral("size"), double(file.size())},
        {QStringLiteral("sizeText"), sizeText(qint64(file.size()))},
        {QStringLiteral("mimeType"), QString::fromStdString(file.mime_type())},
        {QStringLiteral("width"), int(file.width())},
        {QStringLiteral("height"), int(file.height())},
        {QStringLiteral("durationMs"), double(file.duration_ms())},
        {QStringLiteral("fileId"), fileId},
    };
    map.insert(
        QStringLiteral("thumbnail"),
        file.thumbnail().empty() ? QString()
                                 : QStringLiteral("data:image/jpeg;base64,")
                + QString::fromLatin1(QByteArray::fromStdString(file.thumbnail()).toBase64()));
    const QString local = transfers.localFileFor(fileId);
    std::optional<TransferRecord> transfer;
    if (mine && !clientMsgId.isEmpty())
        transfer = transfers.record(clientMsgId);
    if (!transfer && !fileId.isEmpty())
        transfer = transfers.record(Transfers::downloadId(fileId));
    QString localPath = local;
    if (transfer && transfer->direction == TransferRecord::Direction::Upload && localPath.isEmpty())
        localPath = transfer->localPath; // an own file still uploading: shown from the disk
    map.insert(QStringLiteral("localUrl"),
               localPath.isEmpty() ? QString() : QUrl::fromLocalFile(localPath).toString());
    map.insert(QStringLiteral("transferId"), transfer ? transfer->id : QString());
    map.insert(QStringLiteral("transferState"), transfer ? stateName(transfer->state) : QString());
    const double progress =
        transfer && transfer->size > 0 ? double(transfer->doneBytes) / double(transfer->size) : 0;
    map.insert(QStringLiteral("progress"), progress);
    map.insert(QStringLiteral("progressText"),
               transfer ? transferProgressText(transfer->doneBytes, transfer->size,
                                               transfers.bytesPerSecond(transfer->id))
                        : QString());
    map.insert(QStringLiteral("transferError"), transfer ? transfer->error : QString());
    return map;
}

} // namespace tern::client
