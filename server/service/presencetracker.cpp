// SPDX-License-Identifier: Apache-2.0
// PresenceTracker: main thread, reached by queued calls (registry observer, SetPresence). Owns
// every user's devices and published presence, the coalescing timers, and a one-connection
// PgPool whose jobs run in order, so pushes leave in the order states were published.
#include "service/presencetracker.h"

#include "core/logging.h"
#include "net/ioworker.h"
#include "store/pgpool.h"
#include "store/pgsession.h"
#include "store/presencestore.h"
#include "tern/framing.h"

#include <QDateTime>
#include <QTimer>

namespace tern::server {

namespace {
constexpr int kRetryDelayMs = 500;
constexpr int kMaxAttempts = 20;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

PresenceTracker::PresenceTracker(const QByteArray &dsn, ConnectionRegistry &registry,
                                 int coalesceMs, QObject *parent)
    : QObject(parent)
    , m_dsn(dsn)
    , m_registry(registry)
    , m_coalesceMs(coalesceMs)
    , m_pool(new PgPool(dsn, 1, 1, this))
    , m_store(std::make_unique<PresenceStore>(*m_pool))
{ }

PresenceTracker::~PresenceTracker()
{
    m_registry.clearObservers();
}

void PresenceTracker::start()
{
    m_pool->open();
    m_registry.addObserver([this](const ConnectionRegistry::Entry &entry, bool added) {
        // On an I/O worker: hand it over. Calls from one worker arrive in the order it made
        // them, so a device's authentication is always seen before its flags and its close.
        QMetaObject::invokeMethod(
            this, [this, entry, added] { onConnection(entry, added); }, Qt::QueuedConnection);
    });
}

QHash<qint64, PresenceTracker::Published>
PresenceTracker::published(const QList<qint64> &userIds) const
{
    QHash<qint64, Published> found;
    QMutexLocker lock(&m_publishedMutex);
    for (qint64 userId : userIds) {
        const auto it = m_published.constFind(userId);
        if (it != m_published.constEnd())
            found.insert(userId, *it);
    }
    return found;
}

PresenceTracker::Published PresenceTracker::publishedOf(qint64 userId) const
{
    // Only this thread writes m_published, so it may read without the lock.
    return m_published.value(userId);
}

void PresenceTracker::setPublished(qint64 userId, const Published &published)
{
    QMutexLocker lock(&m_publishedMutex);
    m_published.insert(userId, published);
}

void PresenceTracker::onConnection(const ConnectionRegistry::Entry &entry, bool added)
{
    if (added) {
        m_devices.insert(entry.connectionId, {entry.worker, entry.userId, {}});
        m_users[entry.userId].devices.insert(entry.connectionId);
        recompute(entry.userId);
        sendFriendsTo(entry.worker, entry.connectionId, entry.userId);
        return;
    }
    const auto it = m_devices.constFind(entry.connectionId);
    if (it == m_devices.constEnd() || it->userId != entry.userId)
        return;
    m_devices.erase(it);
    m_users[entry.userId].devices.remove(entry.connectionId);
    recompute(entry.userId);
    forgetIfIdle(entry.userId);
}

proto::PresenceState PresenceTracker::setDeviceFlags(quint64 connectionId, qint64 userId,
                                                     DeviceFlags flags)
{
    const auto it = m_devices.find(connectionId);
    if (it == m_devices.end() || it->userId != userId)
        return proto::PRESENCE_STATE_OFFLINE;
    it->flags = flags;
    recompute(userId);
    return m_users.value(userId).live;
}

void PresenceTracker::recompute(qint64 userId)
{
    User &user = m_users[userId];
    QList<DeviceFlags> flags;
    for (quint64 connectionId : std::as_const(user.devices))
        flags.append(m_devices.value(connectionId).flags);
    const proto::PresenceState live = aggregatePresence(flags);
    if (live == user.live)
        return;
    if (live == proto::PRESENCE_STATE_OFFLINE)
        user.offlineSinceMs = nowMs();
    user.live = live;
    if (user.settling)
        return; // the open window publishes whatever is live when it closes
    // The window opens with the first change, and later changes do not extend it: a user who
    // keeps flapping is still published once per window, with the latest state.
    user.settling = true;
    QTimer::singleShot(m_coalesceMs, this, [this, userId] { settle(userId); });
}

void PresenceTracker::settle(qint64 userId)
{
    const auto it = m_users.find(userId);
    if (it == m_users.end())
        return;
    it->settling = false;
    // Unchanged since the last publication (e.g. a quick reconnect): nobody hears of it.
    if (it->live != publishedOf(userId).state)
        publish(userId, it->live, it->offlineSinceMs);
    forgetIfIdle(userId);
}

void PresenceTracker::publish(qint64 userId, proto::PresenceState state, qint64 offlineSinceMs)
{
    if (state != proto::PRESENCE_STATE_OFFLINE) {
        setPublished(userId, {state, 0});
        return announce(userId);
    }
    // OFFLINE is published once the last-seen time is stored (or storing it failed): until
    // then GetPresence still says what subscribers were last told, and once it says OFFLINE,
    // a profile read on any connection shows the same last-seen time.
    storeLastSeen(userId, offlineSinceMs);
}

bool PresenceTracker::retry(const PgError &error, int attempt, std::function<void()> again)
{
    if (error.kind != PgError::Kind::Unavailable || attempt + 1 >= kMaxAttempts)
        return false;
    QTimer::singleShot(kRetryDelayMs, this, std::move(again));
    return true;
}

void PresenceTracker::storeLastSeen(qint64 userId, qint64 lastSeenMs, int attempt)
{
    const auto done = [this, userId, lastSeenMs, attempt](const Stored<bool> &s) {
        if (s.value)
            return publishOffline(userId, lastSeenMs, true);
        // Subscribers do not wait for the database: OFFLINE is published with the time held
        // in memory (GetPresence answers from it, flush() writes it at shutdown) while the
        // write is tried again.
        publishOffline(userId, lastSeenMs, false);
        const auto again = [this, userId, lastSeenMs, attempt] {
            storeLastSeen(userId, lastSeenMs, attempt + 1);
        };
        if (!retry(s.error, attempt, again))
            qCWarning(lcPresence) << "cannot store last seen of user" << userId << ":"
                                  << s.error.message;
    };
    m_store->setLastSeen({{userId, lastSeenMs}}, done);
}

void PresenceTracker::publishOffline(qint64 userId, qint64 lastSeenMs, bool stored)
{
    // Published already, after an earlier attempt failed: only the memory changes now.
    const Published current = publishedOf(userId);
    const bool told =
        current.state == proto::PRESENCE_STATE_OFFLINE && current.lastSeenMs == lastSeenMs;
    // Only if this is still the latest decision: the user may have come back (and nobody was
    // told they left), or left again with a later time whose own write is on its way. A user
    // forgotten since was told.
    const auto it = m_users.constFind(userId);
    const bool latest = it == m_users.constEnd()
        ? told
        : it->live == proto::PRESENCE_STATE_OFFLINE && it->offlineSinceMs == lastSeenMs;
    if (!latest)
        return;
    {
        QMutexLocker lock(&m_publishedMutex);
        if (stored)
            m_published.remove(userId); // absent = OFFLINE, last seen as in the database
        else
            m_published.insert(userId, {proto::PRESENCE_STATE_OFFLINE, lastSeenMs});
    }
    if (!told)
        announce(userId);
    forgetIfIdle(userId);
}

void PresenceTracker::forgetIfIdle(qint64 userId)
{
    const auto it = m_users.constFind(userId);
    if (it != m_users.constEnd() && it->devices.isEmpty() && !it->settling
        && it->live == publishedOf(userId).state)
        m_users.erase(it);
}

void PresenceTracker::announce(qint64 userId, int attempt)
{
    m_store->subscribersOf(userId, [this, userId, attempt](const auto &stored) {
        if (!stored.value) {
            if (!retry(stored.error, attempt,
                       [this, userId, attempt] { announce(userId, attempt + 1); })) {
                qCWarning(lcPresence) << "cannot look up subscribers of user" << userId << ":"
                                      << stored.error.message;
            }
            return;
        }
        // The state now, not the one that started this look-up: a look-up finishing late
        // must not push a state that was replaced meanwhile.
        const auto it = m_published.constFind(userId);
        QList<qint64> viewers;
        proto::Frame frame;
        auto *changed = frame.mutable_presence_changed();
        for (const PresenceSubscriber &subscriber : *stored.value) {
            if (!presenceVisible(subscriber.subject, subscriber.viewerId))
                continue;
            if (viewers.isEmpty()) {
                const Published current = it != m_published.constEnd() ? *it : Published {};
                const qint64 lastSeenMs =
                    current.lastSeenMs > 0 ? current.lastSeenMs : subscriber.subject.lastSeenMs;
                fillVisiblePresence(changed->add_presences(), userId, true, current.state,
                                    lastSeenMs);
            }
            viewers.append(subscriber.viewerId);
        }
        if (viewers.isEmpty())
            return;
        qCDebug(lcPresence) << "user" << userId << "is now"
                            << proto::PresenceState_Name(changed->presences(0).state()).c_str()
                            << "for" << viewers.size() << "subscribers";
        m_registry.pushToUsers(viewers, frame);
    });
}

void PresenceTracker::audienceChanged(qint64 subject, const QList<qint64> &viewers)
{
    QMetaObject::invokeMethod(
        this, [this, subject, viewers] { reviewAudience(subject, viewers); }, Qt::QueuedConnection);
}

void PresenceTracker::pushAsSeenBy(qint64 subject, qint64 viewerId, const PresenceFacts &facts)
{
    if (!m_registry.isOnline(viewerId))
        return;
    const Published current = publishedOf(subject);
    const qint64 lastSeenMs = current.lastSeenMs > 0 ? current.lastSeenMs : facts.lastSeenMs;
    proto::Frame frame;
    fillVisiblePresence(frame.mutable_presence_changed()->add_presences(), subject,
                        presenceVisible(facts, viewerId), current.state, lastSeenMs);
    m_registry.pushToUsers({viewerId}, frame);
}

void PresenceTracker::reviewAudience(qint64 subject, const QList<qint64> &viewers)
{
    if (viewers.isEmpty()) {
        m_store->subscribersOf(subject, [this, subject](const auto &stored) {
            if (!stored.value)
                return; // the next state change or query shows the right thing anyway
            for (const PresenceSubscriber &subscriber : *stored.value)
                pushAsSeenBy(subject, subscriber.viewerId, subscriber.subject);
        });
        return;
    }
    for (qint64 viewerId : viewers) {
        if (!m_registry.isOnline(viewerId))
            continue;
        m_store->factsFor(viewerId, {subject}, [this, subject, viewerId](const auto &stored) {
            if (!stored.value || stored.value->empty())
                return;
            pushAsSeenBy(subject, viewerId, stored.value->front());
        });
    }
}

void PresenceTracker::sendFriendsTo(IoWorker *worker, quint64 connectionId, qint64 userId,
                                    int attempt)
{
    m_store->friendsOf(userId, [this, worker, connectionId, userId, attempt](const auto &stored) {
        const auto device = m_devices.constFind(connectionId);
        if (device == m_devices.constEnd() || device->userId != userId)
            return; // gone meanwhile
        if (!stored.value) {
            if (!retry(stored.error, attempt, [this, worker, connectionId, userId, attempt] {
                    sendFriendsTo(worker, connectionId, userId, attempt + 1);
                })) {
                qCWarning(lcPresence)
                    << "cannot list the friends of user" << userId << ":" << stored.error.message;
            }
            return;
        }
        const std::vector<PresenceFacts> &friends = *stored.value;
        size_t next = 0;
        do { // at least one push, even with no friends: the client learns it has the list
            proto::Frame frame;
            auto *changed = frame.mutable_presence_changed();
            changed->set_initial(true);
            for (; next < friends.size() && changed->presences_size() < kMaxPresencePerPush;
                 ++next) {
                const PresenceFacts &facts = friends[next];
                const Published current = publishedOf(facts.userId);
                fillVisiblePresence(changed->add_presences(), facts.userId,
                                    presenceVisible(facts, userId), current.state,
                                    current.lastSeenMs > 0 ? current.lastSeenMs : facts.lastSeenMs);
            }
            const QByteArray bytes = encodeFrame(frame);
            // Queued after the Session answer, which the worker sent before telling us.
            QMetaObject::invokeMethod(
                worker, [worker, connectionId, bytes] { worker->deliver({connectionId}, bytes); },
                Qt::QueuedConnection);
        } while (next < friends.size());
    });
}

void PresenceTracker::flush()
{
    QList<std::pair<qint64, qint64>> lastSeen;
    const qint64 now = nowMs();
    for (auto it = m_published.constBegin(); it != m_published.constEnd(); ++it) {
        if (it->state == proto::PRESENCE_STATE_OFFLINE) {
            if (it->lastSeenMs > 0) // its write may not have finished
                lastSeen.append({it.key(), it->lastSeenMs});
            continue;
        }
        const User user = m_users.value(it.key());
        const bool left = user.live == proto::PRESENCE_STATE_OFFLINE && user.offlineSinceMs > 0;
        lastSeen.append({it.key(), left ? user.offlineSinceMs : now});
    }
    if (lastSeen.isEmpty())
        return;
    PgSession session;
    if (const QString error = session.connect(m_dsn, 5); !error.isEmpty()) {
        qCWarning(lcPresence) << "cannot store last-seen times at shutdown:" << error;
        return;
    }
    const PgOutcome outcome = session.exec(PresenceStore::lastSeenStatement(lastSeen));
    if (!outcome.ok())
        qCWarning(lcPresence) << "cannot store last-seen times at shutdown:"
                              << outcome.error.message;
    else
        qCInfo(lcPresence) << "last-seen times stored at shutdown:" << lastSeen.size();
}

} // namespace tern::server
