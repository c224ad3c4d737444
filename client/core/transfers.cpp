// SPDX-License-Identifier: Apache-2.0
// Transfers: uploads and downloads, GUI thread (hashing on the global thread pool).
#include "transfers.h"

#include "clientlog.h"
#include "mediainfo.h"
#include "outbox.h"
#include "outboxstore.h"
#include "refusals.h"
#include "serverconnection.h"
#include "session.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QThreadPool>
#include <QUuid>

namespace tern::client {

namespace {

using State = TransferRecord::State;
using Direction = TransferRecord::Direction;

// Used when the server did not say (it always does; a safe size for any frame limit).
constexpr quint32 kFallbackChunkBytes = 64 * 1024;

QString partPath(const TransferRecord &r)
{
    return r.localPath + QStringLiteral(".part");
}

// "photo.jpg", then "photo (1).jpg", ... : never overwrites a file the user has.
QString freePathIn(const QString &folder, const QString &name)
{
    const QFileInfo info(name);
    const QString base = info.completeBaseName();
    const QString suffix = info.suffix().isEmpty() ? QString() : QLatin1Char('.') + info.suffix();
    QString candidate = QDir(folder).filePath(name);
    for (int n = 1; QFile::exists(candidate) || QFile::exists(candidate + QLatin1String(".part"));
         ++n)
        candidate = QDir(folder).filePath(QStringLiteral("%1 (%2)%3").arg(base).arg(n).arg(suffix));
    return candidate;
}

// SHA-256 of a whole file, or empty if it cannot be read.
QByteArray hashFile(const QString &path)
{
    QFile file(path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!file.open(QIODevice::ReadOnly) || !hash.addData(&file))
        return {};
    return hash.result();
}

// Runs `work` on the thread pool and `then(result)` back on the GUI thread, unless `owner` is
// gone by then.
template<typename Work, typename Then> void offThread(QObject *owner, Work work, Then then)
{
    QPointer<QObject> guard(owner);
    QThreadPool::globalInstance()->start([guard, work, then] {
        auto result = work();
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, then, result] {
                if (guard)
                    then(result);
            },
            Qt::QueuedConnection);
    });
}

bool isWaiting(const proto::Error &e)
{
    switch (e.code()) {
    case proto::ERROR_CODE_UNAVAILABLE:
    case proto::ERROR_CODE_SHUTTING_DOWN:
    case proto::ERROR_CODE_INTERNAL:
    case proto::ERROR_CODE_NOT_AUTHENTICATED:
        return true;
    default:
        return false;
    }
}

} // namespace

Transfers::Transfers(ServerConnection &connection, Session &session, TransferStore &store,
                     OutboxStore &outboxStore, Outbox &outbox, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_session(session)
    , m_store(store)
    , m_outboxStore(outboxStore)
    , m_outbox(outbox)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Transfers::pump);
    // Cancels first: a transfer announced after one may get that very upload back.
    connect(&m_session, &Session::authenticated, this, &Transfers::sendUploadCancels);
    connect(&m_session, &Session::authenticated, this, &Transfers::pump);
    // Requests in flight are failed with UNAVAILABLE when the connection drops; onError keeps
    // the transfers, and pump() continues them after the next authentication.
}

QString Transfers::sendFile(quint64 conversationId, const QString &path, QString *error)
{
    return send(conversationId, path, 0, error);
}

QString Transfers::sendVoiceNote(quint64 conversationId, const QString &path, quint32 durationMs,
                                 QString *error)
{
    return send(conversationId, path, std::max<quint32>(durationMs, 1), error);
}

QString Transfers::send(quint64 conversationId, const QString &path, quint32 voiceDurationMs,
                        QString *error)
{
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable()) {
        *error = tr("%1 cannot be read").arg(info.fileName());
        return {};
    }
    if (info.size() == 0) {
        *error = tr("%1 is empty").arg(info.fileName());
        return {};
    }
    const proto::ServerLimits &limits = m_connection.welcome().limits();
    if (limits.max_file_bytes() > 0 && quint64(info.size()) > limits.max_file_bytes()) {
        *error = tr("%1 is larger than this server accepts (%2 MB)")
                     .arg(info.fileName())
                     .arg(limits.max_file_bytes() / 1000000);
        return {};
    }
    const int maxThumbnail =
        limits.max_thumbnail_bytes() > 0 ? int(limits.max_thumbnail_bytes()) : 16 * 1024;
    const LocalMedia media = describeLocalFile(path, maxThumbnail);
    proto::MessageContent content;
    content.set_kind(media.kind);
    proto::FileRef *file = content.mutable_file();
    file->set_name(info.fileName().left(255).toStdString());
    file->set_size(quint64(info.size()));
    file->set_mime_type(media.mimeType.toStdString());
    file->set_width(media.width);
    file->set_height(media.height);
    file->set_thumbnail(media.thumbnail.toStdString());
    if (voiceDurationMs > 0) {
        content.set_kind(proto::MessageContent::KIND_VOICE);
        file->set_duration_ms(voiceDurationMs);
    }
    // No file_id yet: Outbox holds the message back until finishUpload() fills it in.
    const QString clientMsgId = m_outbox.send(conversationId, content);
    if (clientMsgId.isEmpty()) {
        *error = tr("the message could not be stored");
        return {};
    }
    TransferRecord r;
    r.id = clientMsgId;
    r.direction = Direction::Upload;
    r.localPath = info.absoluteFilePath();
    r.name = info.fileName().left(255);
    r.mimeType = media.mimeType;
    r.size = info.size();
    r.conversationId = conversationId;
    r.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    if (!m_store.put(r)) {
        m_outboxStore.remove(clientMsgId);
        *error = tr("the transfer could not be stored");
        return {};
    }
    pump();
    return clientMsgId;
}

QString Transfers::download(const proto::FileRef &file, const QString &folder, QString *error)
{
    const QString fileId = QString::fromStdString(file.file_id());
    if (fileId.isEmpty()) {
        *error = tr("this file is not on the server yet");
        return {};
    }
    const QString id = downloadId(fileId);
    if (const auto existing = record(id)) {
        if (existing->state != State::Done || QFile::exists(existing->localPath)) {
            if (existing->state == State::Paused || existing->state == State::Failed)
                resume(id);
            return id;
        }
    }
    if (!QDir().mkpath(folder)) {
        *error = tr("the folder %1 cannot be made").arg(folder);
        return {};
    }
    // The server's name has no path separators; anything odd still stays inside `folder`.
    QString name = QFileInfo(QString::fromStdString(file.name())).fileName();
    if (name.isEmpty() || name.startsWith(QLatin1Char('.')))
        name = QStringLiteral("file") + name;
    TransferRecord r;
    r.id = id;
    r.direction = Direction::Download;
    r.fileId = fileId;
    r.localPath = freePathIn(folder, name);
    r.name = name;
    r.mimeType = QString::fromStdString(file.mime_type());
    r.size = qint64(file.size());
    r.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    if (!m_store.put(r)) {
        *error = tr("the transfer could not be stored");
        return {};
    }
    pump();
    return id;
}

void Transfers::pause(const QString &id)
{
    std::optional<TransferRecord> r = record(id);
    if (!r || r->state == State::Done || r->state == State::Paused)
        return;
    r->state = State::Paused;
    m_speeds.remove(id);
    save(*r, true);
    // A request in flight finds the transfer paused when it comes back and stops there.
}

void Transfers::resume(const QString &id)
{
    std::optional<TransferRecord> r = record(id);
    if (!r || r->state == State::Done || r->state == State::Running)
        return;
    if (r->state == State::Failed) {
        // Start the checks over: the file may have changed, the upload may have expired.
        r->error.clear();
        if (r->direction == Direction::Upload) {
            if (!r->uploadId.isEmpty())
                m_staleUploads.insert(id, {r->uploadId, r->sha256});
            r->sha256.clear();
            r->uploadId.clear();
            r->doneBytes = 0;
            m_outboxStore.setFailed(id, false);
        }
    }
    if (m_running.contains(id)) {
        // Resumed before its request came back: that answer carries it on (pump() leaves it
        // alone), so it is running; queued, it would say "waiting" to the end.
        r->state = State::Running;
        m_speeds[id].clock.start(); // pause() dropped its speed
        m_speeds[id].bytesAtLastSample = r->doneBytes;
    } else {
        r->state = State::Queued;
    }
    save(*r, true);
    pump();
}

void Transfers::cancel(const QString &id)
{
    const std::optional<TransferRecord> r = record(id);
    if (!r)
        return;
    if (r->direction == Direction::Upload) {
        if (r->state != State::Done) {
            if (!r->uploadId.isEmpty())
                cancelOnServer(r->uploadId.toStdString());
            if (const StaleUpload stale = m_staleUploads.take(id); !stale.uploadId.isEmpty())
                cancelOnServer(stale.uploadId.toStdString());
            m_outbox.discard(id);
        }
    } else if (r->state != State::Done) {
        QFile::remove(partPath(*r));
    }
    m_running.remove(id);
    m_speeds.remove(id);
    m_savedAtMs.remove(id);
    m_store.remove(id);
    pump();
}

std::optional<TransferRecord> Transfers::record(const QString &id) const
{
    const auto it = m_running.constFind(id);
    if (it != m_running.constEnd())
        return *it;
    return m_store.get(id);
}

double Transfers::bytesPerSecond(const QString &id) const
{
    const auto it = m_speeds.constFind(id);
    return it == m_speeds.constEnd() ? 0 : it->bytesPerSecond;
}

QString Transfers::localFileFor(const QString &fileId) const
{
    const std::optional<TransferRecord> r = m_store.finishedFor(fileId);
    if (r && QFile::exists(r->localPath))
        return r->localPath;
    return {};
}

void Transfers::pump()
{
    if (!m_session.isAuthenticated() || !m_connection.isConnected())
        return;
    const auto isSmall = [](const TransferRecord &r) { return r.size <= kSmallBytes; };
    int small = 0;
    for (const TransferRecord &r : std::as_const(m_running))
        small += isSmall(r) ? 1 : 0;
    int large = int(m_running.size()) - small;
    // Two lanes, oldest first in each.
    for (const TransferRecord &r : m_store.unfinished()) {
        if (large >= kConcurrent && small >= kSmallLane)
            return;
        if ((r.state != State::Queued && r.state != State::Running) || m_running.contains(r.id))
            continue;
        int &lane = isSmall(r) ? small : large;
        if (lane >= (isSmall(r) ? kSmallLane : kConcurrent))
            continue;
        ++lane;
        begin(r);
    }
}

void Transfers::begin(TransferRecord r)
{
    r.state = State::Running;
    m_running.insert(r.id, r);
    m_speeds[r.id].clock.start();
    m_speeds[r.id].bytesAtLastSample = r.doneBytes;
    save(r, true);
    if (r.direction == Direction::Upload) {
        if (r.sha256.isEmpty())
            hash(r);
        else
            announce(r.id);
    } else if (r.sha256.isEmpty()) {
        describeDownload(r.id);
    } else {
        readChunk(r.id);
    }
}

void Transfers::hash(const TransferRecord &r)
{
    const QString id = r.id;
    const QString path = r.localPath;
    offThread(
        this, [path] { return hashFile(path); },
        [this, id](const QByteArray &sha) {
            if (!stillWanted(id))
                return deactivate(id);
            if (sha.isEmpty())
                return fail(id, tr("the file cannot be read any more"));
            TransferRecord &current = m_running[id];
            if (const StaleUpload stale = m_staleUploads.take(id);
                !stale.uploadId.isEmpty() && stale.sha256 != sha)
                cancelOnServer(stale.uploadId.toStdString());
            if (QFileInfo(current.localPath).size() != current.size)
                return fail(id, tr("the file changed after it was chosen; send it again"));
            current.sha256 = sha;
            save(current, true);
            announce(id);
        });
}

void Transfers::announce(const QString &id)
{
    const TransferRecord &r = m_running[id];
    proto::Frame frame;
    auto *req = frame.mutable_start_upload();
    req->set_name(r.name.toStdString());
    req->set_mime_type(r.mimeType.toStdString());
    req->set_size(quint64(r.size));
    req->set_sha256(r.sha256.toStdString());
    request(id, frame, proto::Frame::kUploadState, [this, id](const proto::Frame &answer) {
        const proto::UploadState &state = answer.upload_state();
        if (state.has_file())
            return finishUpload(id, state.file());
        TransferRecord &current = m_running[id];
        current.uploadId = QString::fromStdString(state.upload_id());
        // The same content sent again resumes that upload: it is wanted after all.
        m_store.removeUploadCancel(current.uploadId);
        current.doneBytes = qint64(state.committed());
        save(current, true);
        sendChunk(id);
    });
}

void Transfers::sendChunk(const QString &id)
{
    TransferRecord &r = m_running[id];
    QFile file(r.localPath);
    const qint64 length = std::min<qint64>(chunkBytes(), r.size - r.doneBytes);
    QByteArray data;
    if (file.open(QIODevice::ReadOnly) && file.size() == r.size && file.seek(r.doneBytes))
        data = file.read(length);
    if (data.size() != length || length <= 0)
        return fail(id, tr("the file changed or was removed while it was being sent"));
    proto::Frame frame;
    auto *req = frame.mutable_upload_chunk();
    req->set_upload_id(r.uploadId.toStdString());
    req->set_offset(quint64(r.doneBytes));
    req->set_sha256(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toStdString());
    req->set_data(data.toStdString());
    request(id, frame, proto::Frame::kUploadState, [this, id](const proto::Frame &answer) {
        const proto::UploadState &state = answer.upload_state();
        if (state.has_file())
            return finishUpload(id, state.file());
        noteProgress(id, qint64(state.committed()));
        sendChunk(id);
    });
}

void Transfers::finishUpload(const QString &id, const proto::FileInfo &file)
{
    TransferRecord r = m_running.take(id);
    m_speeds.remove(id);
    r.fileId = QString::fromStdString(file.file_id());
    r.doneBytes = r.size;
    r.state = State::Done;
    r.uploadId.clear();
    save(r, true);
    if (std::optional<OutgoingMessage> m = m_outboxStore.get(id)) {
        m->content.mutable_file()->set_file_id(file.file_id());
        m_outboxStore.setContent(id, m->content);
        m_outbox.retry(id);
    }
    qCInfo(lcSync) << "uploaded" << r.name << r.size << "bytes";
    pump();
}

void Transfers::describeDownload(const QString &id)
{
    proto::Frame frame;
    frame.mutable_get_file()->set_file_id(m_running[id].fileId.toStdString());
    request(id, frame, proto::Frame::kFileInfo, [this, id](const proto::Frame &answer) {
        TransferRecord &current = m_running[id];
        current.sha256 = QByteArray::fromStdString(answer.file_info().sha256());
        current.size = qint64(answer.file_info().size());
        save(current, true);
        readChunk(id);
    });
}

void Transfers::readChunk(const QString &id)
{
    TransferRecord &r = m_running[id];
    // The partial file is the truth about what arrived (the cache may lag by a second).
    r.doneBytes = QFileInfo::exists(partPath(r)) ? QFileInfo(partPath(r)).size() : 0;
    if (r.doneBytes >= r.size)
        return verifyDownload(id);
    proto::Frame frame;
    auto *req = frame.mutable_read_file();
    req->set_file_id(r.fileId.toStdString());
    req->set_offset(quint64(r.doneBytes));
    req->set_length(chunkBytes());
    request(id, frame, proto::Frame::kFileChunk, [this, id](const proto::Frame &answer) {
        const TransferRecord &current = m_running[id];
        const proto::FileChunk &chunk = answer.file_chunk();
        QFile part(partPath(current));
        // flush(): QFile buffers small writes, and a full disk would show only at close().
        if (chunk.offset() != quint64(current.doneBytes) || !part.open(QIODevice::Append)
            || part.size() != current.doneBytes
            || part.write(chunk.data().data(), qint64(chunk.data().size()))
                != qint64(chunk.data().size())
            || !part.flush())
            return fail(id, tr("cannot write %1: %2").arg(partPath(current), part.errorString()));
        part.close();
        noteProgress(id, current.doneBytes + qint64(chunk.data().size()));
        readChunk(id);
    });
}

void Transfers::verifyDownload(const QString &id)
{
    const TransferRecord r = m_running[id];
    const QString part = partPath(r);
    offThread(
        this, [part] { return hashFile(part); },
        [this, id, part](const QByteArray &sha) {
            if (!stillWanted(id))
                return deactivate(id);
            TransferRecord current = m_running.take(id);
            m_speeds.remove(id);
            if (sha != current.sha256) {
                QFile::remove(part);
                m_running.insert(id, current);
                return fail(id, tr("the download was damaged on the way; try again"));
            }
            // The name was free when the download began; take another if it is not now.
            if (QFile::exists(current.localPath))
                current.localPath =
                    freePathIn(QFileInfo(current.localPath).absolutePath(), current.name);
            if (!QFile::rename(part, current.localPath)) {
                m_running.insert(id, current);
                return fail(id, tr("cannot save %1").arg(current.localPath));
            }
            current.doneBytes = current.size;
            current.state = State::Done;
            save(current, true);
            Q_EMIT downloaded(id, current.localPath);
            pump();
        });
}

void Transfers::onError(const QString &id, const proto::Error &error)
{
    const QString message = refusalText(error);
    if (isWaiting(error)) {
        // Disconnected: continue after the next authentication. Still connected (the server's
        // database or disk failed): try again later, backing off.
        deactivate(id);
        if (m_connection.isConnected() && m_session.isAuthenticated()) {
            m_serverTroubleMs = std::min(30000, m_serverTroubleMs ? m_serverTroubleMs * 2 : 1000);
            m_retryTimer.start(std::max(m_serverTroubleMs, int(error.retry_after_ms())));
        }
        return;
    }
    TransferRecord &r = m_running[id];
    switch (error.code()) {
    case proto::ERROR_CODE_CONFLICT:
        // Another device (or a retried chunk) moved the upload on: ask where it stands.
        return announce(id);
    case proto::ERROR_CODE_NOT_FOUND:
        if (r.direction == Direction::Upload) {
            // The server expired the partial upload: announce it again from the start.
            r.uploadId.clear();
            r.doneBytes = 0;
            return announce(id);
        }
        return fail(id, tr("this file is no longer available to you"));
    case proto::ERROR_CODE_RATE_LIMITED:
        deactivate(id);
        m_retryTimer.start(std::max<int>(500, int(error.retry_after_ms())));
        return;
    case proto::ERROR_CODE_LIMIT_EXCEEDED:
        if (error.reason() == "files/busy") {
            // Other devices of this account hold the transfer slots: try again shortly.
            deactivate(id);
            m_retryTimer.start(5000);
            return;
        }
        return fail(id, message);
    case proto::ERROR_CODE_CONTENT_MISMATCH:
        return fail(id, tr("the file changed while it was being sent; send it again"));
    default:
        return fail(id, message.isEmpty() ? tr("the server refused the transfer") : message);
    }
}

void Transfers::fail(const QString &id, const QString &message)
{
    TransferRecord r =
        m_running.contains(id) ? m_running.take(id) : record(id).value_or(TransferRecord {});
    if (r.id.isEmpty())
        return;
    m_speeds.remove(id);
    qCInfo(lcSync) << "transfer failed:" << r.name << message;
    r.state = State::Failed;
    r.error = message;
    save(r, true);
    if (r.direction == Direction::Upload)
        m_outboxStore.setFailed(id, true, message);
    pump();
}

void Transfers::deactivate(const QString &id)
{
    const auto it = m_running.find(id);
    if (it != m_running.end()) {
        // Keep what it reached; a paused or cancelled one was saved already by pause/cancel.
        if (const auto stored = m_store.get(id)) {
            it->state = stored->state == State::Paused ? State::Paused : it->state;
            save(*it, true);
        }
        m_running.erase(it);
    }
    m_speeds.remove(id);
}

void Transfers::save(const TransferRecord &record, bool now)
{
    if (m_running.contains(record.id))
        m_running[record.id] = record;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (now || nowMs - m_savedAtMs.value(record.id) >= 1000) {
        m_store.put(record);
        m_savedAtMs[record.id] = nowMs;
    } else {
        Q_EMIT changed(record.id);
    }
}

void Transfers::noteProgress(const QString &id, qint64 doneBytes)
{
    m_serverTroubleMs = 0;
    TransferRecord &r = m_running[id];
    r.doneBytes = doneBytes;
    Speed &speed = m_speeds[id];
    const qint64 elapsed = speed.clock.elapsed();
    if (elapsed >= 250) {
        const double sample = double(doneBytes - speed.bytesAtLastSample) * 1000.0 / elapsed;
        speed.bytesPerSecond =
            speed.bytesPerSecond == 0 ? sample : 0.7 * speed.bytesPerSecond + 0.3 * sample;
        speed.bytesAtLastSample = doneBytes;
        speed.clock.restart();
    }
    save(r, false);
}

void Transfers::request(const QString &id, proto::Frame frame, proto::Frame::PayloadCase expected,
                        std::function<void(const proto::Frame &)> handle)
{
    m_connection.send(
        std::move(frame),
        [this, id, expected, handle](const proto::Frame &answer) {
            if (!stillWanted(id)) {
                // Cancelled while the server was starting the upload: it holds one now.
                const proto::UploadState &state = answer.upload_state();
                if (!m_store.get(id) && !state.upload_id().empty() && !state.has_file())
                    cancelOnServer(state.upload_id());
                return deactivate(id);
            }
            if (answer.payload_case() != expected)
                return onError(id, answer.error());
            handle(answer);
        },
        this);
}

void Transfers::cancelOnServer(const std::string &uploadId)
{
    const QString id = QString::fromStdString(uploadId);
    m_store.addUploadCancel(id);
    sendUploadCancel(id);
}

void Transfers::sendUploadCancel(const QString &uploadId)
{
    if (!m_session.isAuthenticated() || !m_connection.isConnected())
        return;
    proto::Frame frame;
    frame.mutable_cancel_upload()->set_upload_id(uploadId.toStdString());
    m_connection.send(
        frame,
        [this, uploadId](const proto::Frame &answer) {
            // Not heard (offline, server trouble): the next authentication sends it again.
            // Otherwise done, NOT_FOUND included (finished, expired or cancelled already).
            if (answer.has_error() && isWaiting(answer.error()))
                return;
            m_store.removeUploadCancel(uploadId);
        },
        this);
}

void Transfers::sendUploadCancels()
{
    for (const QString &uploadId : m_store.uploadCancels())
        sendUploadCancel(uploadId);
}

bool Transfers::stillWanted(const QString &id) const
{
    // Cancelled (no record) or paused since the request left: stop here.
    if (!m_running.contains(id))
        return false;
    const std::optional<TransferRecord> stored = m_store.get(id);
    return stored && stored->state != State::Paused;
}

quint32 Transfers::chunkBytes() const
{
    const quint32 advertised = m_connection.welcome().limits().max_file_chunk_bytes();
    return advertised > 0 ? advertised : kFallbackChunkBytes;
}

} // namespace tern::client
