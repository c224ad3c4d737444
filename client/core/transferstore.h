// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace tern::client {

class LocalCache;

// One file moving between this device and the server, as the cache remembers it so that it
// continues after a restart. An upload's id is the client_msg_id of the message that will
// carry the file; a download's id is "down:" + the file id.
struct TransferRecord
{
    enum class Direction { Upload = 1, Download = 2 };
    enum class State {
        Queued = 1, // waiting its turn, or for the connection
        Running = 2,
        Paused = 3, // by the user
        Failed = 4, // refused for good (error says why); the user may retry
        Done = 5,
    };

    QString id;
    Direction direction = Direction::Upload;
    State state = State::Queued;
    // Upload: the file being sent. Download: where the finished file goes (a ".part" file
    // beside it holds the bytes so far).
    QString localPath;
    QString fileId; // known once uploaded, or the file downloaded
    QString uploadId; // the server's, while uploading
    QString name;
    QString mimeType;
    qint64 size = 0;
    QByteArray sha256; // empty until hashed (uploads) or known (downloads)
    qint64 doneBytes = 0; // confirmed by the server (uploads) or written (downloads)
    quint64 conversationId = 0;
    QString error;
    qint64 createdAtMs = 0;
};

// The transfers table (cache migration 4) and the cancels the server has yet to hear
// (migration 6), GUI thread.
class TransferStore : public QObject
{
    Q_OBJECT
public:
    explicit TransferStore(LocalCache &cache, QObject *parent = nullptr);

    bool put(const TransferRecord &record); // insert or replace
    void remove(const QString &id);
    std::optional<TransferRecord> get(const QString &id) const;
    // Not done, oldest first.
    std::vector<TransferRecord> unfinished() const;
    // The finished download or the sent upload of a file, if this device has it.
    std::optional<TransferRecord> finishedFor(const QString &fileId) const;
    // Pending uploads cancelled here, until the server has answered the cancel (migration 6).
    void addUploadCancel(const QString &uploadId);
    void removeUploadCancel(const QString &uploadId);
    QStringList uploadCancels() const;

Q_SIGNALS:
    void changed(const QString &id);

private:
    LocalCache &m_cache;
};

} // namespace tern::client
