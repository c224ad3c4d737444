// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cluster/connectionregistry.h"
#include "service/presencerules.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QSet>

#include <memory>

namespace tern::server {

class IoWorker;
class PgPool;
class PresenceStore;

// The process-wide presence state: which authenticated devices each user has, their away and
// invisible flags, and the state each user was last published with. Fed by the
// ConnectionRegistry (devices authenticate and leave) and by SetPresence (flags). Changes are
// coalesced per user for `coalesceMs`, then published: the last-seen time is stored when a
// user becomes OFFLINE, and the user's subscribers (friends allowed to see them) get a
// PresenceChanged push. A device that authenticates gets the presence of its friends.
//
// Lives on one thread (the main thread) with a one-connection database pool of its own, so its
// writes and pushes happen in the order it decided them. Other threads reach it by queued
// calls; only published() may be called from any thread.
class PresenceTracker : public QObject
{
    Q_OBJECT
public:
    struct Published
    {
        proto::PresenceState state = proto::PRESENCE_STATE_OFFLINE;
        // For OFFLINE: when the user went offline, while the database does not have it
        // (storing it failed and is tried again); else 0.
        qint64 lastSeenMs = 0;
    };

    PresenceTracker(const QByteArray &dsn, ConnectionRegistry &registry, int coalesceMs,
                    QObject *parent = nullptr);
    ~PresenceTracker() override;

    // Opens the database pool and starts observing the registry. Call before the I/O
    // workers accept connections.
    void start();

    // Any thread: the published state of these users. Users missing from the answer are
    // OFFLINE and their last-seen time is the one in the database.
    QHash<qint64, Published> published(const QList<qint64> &userIds) const;

    // Tracker thread: sets the flags of one device (connection) of `userId` and returns the
    // state the user will be published with. A connection that is not an authenticated device
    // of `userId` (any more) changes nothing and gets OFFLINE.
    proto::PresenceState setDeviceFlags(quint64 connectionId, qint64 userId, DeviceFlags flags);

    // Any thread: who may see `subject` changed (friendship, block, privacy). Each online
    // viewer gets the subject's presence as they may see it now (hidden = OFFLINE, last seen
    // 0). No `viewers` means every user who counts the subject as a friend.
    void audienceChanged(qint64 subject, const QList<qint64> &viewers = {});

    // Tracker thread, blocking: stores the last-seen time of every user still published as
    // online, because the process is stopping. Call once the I/O workers have stopped.
    void flush();

private:
    struct Device
    {
        IoWorker *worker = nullptr;
        qint64 userId = 0;
        DeviceFlags flags;
    };
    struct User
    {
        QSet<quint64> devices;
        proto::PresenceState live = proto::PRESENCE_STATE_OFFLINE;
        qint64 offlineSinceMs = 0; // when `live` last became OFFLINE
        bool settling = false; // a coalescing window is open
    };

    void onConnection(const ConnectionRegistry::Entry &entry, bool added);
    void recompute(qint64 userId);
    void settle(qint64 userId);
    void publish(qint64 userId, proto::PresenceState state, qint64 offlineSinceMs);
    void storeLastSeen(qint64 userId, qint64 lastSeenMs, int attempt = 0);
    // Publishes OFFLINE after an attempt to store its last-seen time ended (`stored`: it
    // succeeded), unless a later change won.
    void publishOffline(qint64 userId, qint64 lastSeenMs, bool stored);
    void announce(qint64 userId, int attempt = 0);
    void sendFriendsTo(IoWorker *worker, quint64 connectionId, qint64 userId, int attempt = 0);
    // Runs `again` a little later if the database was merely unreachable (e.g. the pool still
    // connecting after a restart, while every client reconnects); false when giving up.
    bool retry(const PgError &error, int attempt, std::function<void()> again);
    void forgetIfIdle(qint64 userId);
    void reviewAudience(qint64 subject, const QList<qint64> &viewers);
    void pushAsSeenBy(qint64 subject, qint64 viewerId, const PresenceFacts &facts);
    Published publishedOf(qint64 userId) const; // tracker thread
    void setPublished(qint64 userId, const Published &published);

    QByteArray m_dsn;
    ConnectionRegistry &m_registry;
    int m_coalesceMs;
    PgPool *m_pool;
    std::unique_ptr<PresenceStore> m_store;
    QHash<quint64, Device> m_devices;
    QHash<qint64, User> m_users;
    // Written only on the tracker thread (under the lock), read from any thread.
    mutable QMutex m_publishedMutex;
    QHash<qint64, Published> m_published;
};

} // namespace tern::server
