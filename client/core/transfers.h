// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "transferstore.h"

#include "tern/protocol.h"
#include "tern/v1/messaging.pb.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace tern::client {

class Outbox;
class OutboxStore;
class ServerConnection;
class Session;

// Files to and from the server (files.proto), resumable across lost connections and restarts.
//
// Sending a file: the message appears at once in the outbox with its file reference still
// empty; the file is hashed (on a worker thread), announced, and sent chunk by chunk from the
// server's committed offset; once the server has verified it, the reference is filled in and
// the outbox sends the message. Downloading: ranged reads appended to "<name>.part" beside the
// destination, checked against the SHA-256 the server gives, then renamed into place.
//
// One request per transfer is in flight and chunks are at most ServerLimits.max_file_chunk_bytes,
// so chat frames on the same connection pass between chunks: a large transfer never holds up
// messages by more than one chunk. At most kConcurrent transfers run at once; the rest queue.
// Small ones (a voice note, a screenshot: at most kSmallBytes) run in a lane of their own,
// kSmallLane at once, so that they do not wait for two videos to finish.
class Transfers : public QObject
{
    Q_OBJECT
public:
    static constexpr int kConcurrent = 2;
    static constexpr int kSmallLane = 2;
    static constexpr qint64 kSmallBytes = 2 << 20; // a minute of voice note (WAV) fits

    Transfers(ServerConnection &connection, Session &session, TransferStore &store,
              OutboxStore &outboxStore, Outbox &outbox, QObject *parent = nullptr);

    // Sends the local file at `path` into a conversation, as an image (with a preview), a video
    // or a file by its type. Returns the message's client_msg_id, or empty with `error`.
    QString sendFile(quint64 conversationId, const QString &path, QString *error);
    // Sends a recorded voice note (VoiceRecorder) of `durationMs`.
    QString sendVoiceNote(quint64 conversationId, const QString &path, quint32 durationMs,
                          QString *error);
    // Downloads a message's file into `folder` (made if missing). Returns the transfer id; a
    // download of that file already running or done is reused.
    QString download(const proto::FileRef &file, const QString &folder, QString *error);

    void pause(const QString &id);
    void resume(const QString &id); // also retries a failed one
    // Stops and forgets a transfer: an upload's message is dropped, a download's partial bytes
    // are deleted.
    void cancel(const QString &id);

    std::optional<TransferRecord> record(const QString &id) const;
    // Bytes per second lately (0 when not moving).
    double bytesPerSecond(const QString &id) const;
    // A local copy of a file, if this device sent or downloaded it and it is still there.
    QString localFileFor(const QString &fileId) const;
    static QString downloadId(const QString &fileId) { return QLatin1String("down:") + fileId; }

Q_SIGNALS:
    // A transfer moved on, changed state, or was removed (record() empty then).
    void changed(const QString &id);
    // A download finished and is at its local path.
    void downloaded(const QString &id, const QString &path);

private:
    struct Speed
    {
        QElapsedTimer clock;
        qint64 bytesAtLastSample = 0;
        double bytesPerSecond = 0;
    };

    QString send(quint64 conversationId, const QString &path, quint32 voiceDurationMs,
                 QString *error);
    void pump();
    void begin(TransferRecord record);
    void hash(const TransferRecord &record);
    void announce(const QString &id);
    void sendChunk(const QString &id);
    void finishUpload(const QString &id, const proto::FileInfo &file);
    void describeDownload(const QString &id);
    void readChunk(const QString &id);
    void verifyDownload(const QString &id);
    // The answer to a transfer request was an error: wait, start over or fail, by its code.
    void onError(const QString &id, const proto::Error &error);
    void fail(const QString &id, const QString &message);
    // Ends the active part of a transfer (its request came back and nothing follows now).
    void deactivate(const QString &id);
    // Keeps a changed record: in memory always, in the cache at least once a second.
    void save(const TransferRecord &record, bool now);
    void noteProgress(const QString &id, qint64 doneBytes);
    // Sends a request of transfer `id`; `handle` gets an answer of the `expected` kind, unless
    // the transfer was paused or cancelled meanwhile. An error goes to onError().
    void request(const QString &id, proto::Frame frame, proto::Frame::PayloadCase expected,
                 std::function<void(const proto::Frame &)> handle);
    bool stillWanted(const QString &id) const;
    quint32 chunkBytes() const;
    // Tells the server to drop a pending upload of this user (it counts against the quota
    // until the janitor expires it). Kept in the cache until the server has answered, so that
    // a cancel made offline is sent after the next authentication (sendUploadCancels).
    void cancelOnServer(const std::string &uploadId);
    void sendUploadCancel(const QString &uploadId);
    void sendUploadCancels();

    ServerConnection &m_connection;
    Session &m_session;
    TransferStore &m_store;
    OutboxStore &m_outboxStore;
    Outbox &m_outbox;
    // Records of running transfers (the cache's copy may lag by up to a second).
    QHash<QString, TransferRecord> m_running;
    QHash<QString, qint64> m_savedAtMs;
    QHash<QString, Speed> m_speeds;
    QTimer m_retryTimer;
    // Backoff for a server that fails while the connection stays up (its database or disk):
    // 0 until then, doubled per failure up to 30 s, back to 0 on progress.
    int m_serverTroubleMs = 0;
    // Failed uploads retried by resume(): the server's upload they had, and its content hash.
    // Cancelled there once the file hashes differently (the same content resumes it instead).
    struct StaleUpload
    {
        QString uploadId;
        QByteArray sha256;
    };
    QHash<QString, StaleUpload> m_staleUploads;
};

} // namespace tern::client
