// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>

namespace tern::client {

class ServerConnection;
class Session;

// Avatars of people and groups on this device. An avatar is a square JPEG on the server (made
// by upload(): the picture cropped to its centre square, 512 px); each is fetched once and kept
// under the account's folder as two round PNGs: 96 px for lists and 512 px for profiles.
class AvatarCache : public QObject
{
    Q_OBJECT
public:
    static constexpr int kLargeSide = 512;
    static constexpr int kSmallSide = 96;
    // Refused beyond this: avatars are small pictures, not files to stream.
    static constexpr qint64 kMaxAvatarBytes = 4 << 20;

    AvatarCache(ServerConnection &connection, Session &session, QObject *parent = nullptr);

    void setFolder(const QString &folder) { m_folder = folder; }
    // A file: URL of the round picture for `fileId`, or empty while it is fetched (then
    // ready(fileId) follows) or if it cannot be.
    QString url(const QString &fileId, bool large);
    // Crops the picture at `imagePath` to its centre square, makes it 512 px and uploads it;
    // done(fileId, "") or done("", why not).
    void upload(const QString &imagePath,
                std::function<void(const QString &fileId, const QString &error)> done);

Q_SIGNALS:
    void ready(const QString &fileId);

private:
    void fetch(const QString &fileId);
    // Starts queued fetches, kConcurrentFetches at a time: a contact list full of new avatars
    // must not use up the user's transfer slots on the server (files/max_concurrent_transfers).
    void pump();
    void readFrom(const QString &fileId, QByteArray data);
    bool store(const QString &fileId, const QByteArray &data);
    QString pathFor(const QString &fileId, bool large) const;

    ServerConnection &m_connection;
    Session &m_session;
    QString m_folder;
    static constexpr int kConcurrentFetches = 2;
    QStringList m_queue;
    QSet<QString> m_fetching; // queued or being read
    // Fetches that failed (gone, not allowed): not asked again until the next session.
    QSet<QString> m_unavailable;
};

} // namespace tern::client
