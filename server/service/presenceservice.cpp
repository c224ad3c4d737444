// SPDX-License-Identifier: Apache-2.0
// PresenceService: one per I/O worker, on that worker's thread. Decides what a caller may see
// of other users' presence (service/presencerules.h) from the store's facts and the tracker's
// published states; hands device flags to the tracker (main thread) and back.
#include "service/presenceservice.h"

#include "core/logging.h"
#include "service/presencetracker.h"
#include "store/presencestore.h"

#include <QSet>

#include <limits>

namespace tern::server {

namespace {
ServiceError failure(const PgError &error)
{
    if (error.kind == PgError::Kind::Unavailable)
        return unavailableError();
    qCWarning(lcPresence) << "presence query failed:" << error.message;
    return {proto::ERROR_CODE_INTERNAL, QStringLiteral("presence query failed")};
}
} // namespace

PresenceService::PresenceService(PresenceStore &store, PresenceTracker &tracker, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_tracker(tracker)
{ }

void PresenceService::setPresence(const Caller &caller, quint64 connectionId,
                                  const proto::SetPresenceRequest &request,
                                  ResultCallback<proto::SetPresenceResult> done)
{
    // A device may only set its own flags: the connection is the caller's, and the tracker
    // checks that it is an authenticated device of the caller's user.
    const qint64 userId = caller.userId;
    const DeviceFlags flags {request.away(), request.invisible()};
    PresenceTracker *tracker = &m_tracker;
    // The tracker runs on the main thread; the answer comes back to this worker. The worker
    // (and this service) outlive any call the tracker still runs: the main thread deletes the
    // tracker before it processes events again once the workers stopped.
    QMetaObject::invokeMethod(
        tracker,
        [this, tracker, connectionId, userId, flags, done] {
            const proto::PresenceState state = tracker->setDeviceFlags(connectionId, userId, flags);
            QMetaObject::invokeMethod(
                this,
                [done, state] {
                    proto::SetPresenceResult result;
                    result.set_state(state);
                    done(result);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void PresenceService::getPresence(const Caller &caller, const proto::GetPresenceRequest &request,
                                  ResultCallback<proto::PresenceList> done)
{
    if (request.user_ids_size() > kMaxPresenceQueryIds) {
        return done(ServiceError {
            proto::ERROR_CODE_INVALID_ARGUMENT,
            QStringLiteral("user_ids: at most %1 ids per request").arg(kMaxPresenceQueryIds)});
    }
    // Distinct ids in the order asked; ids no user can have are answered without a look-up.
    QList<quint64> order;
    QList<qint64> lookUp;
    QSet<quint64> seen;
    for (quint64 id : request.user_ids()) {
        if (seen.contains(id))
            continue;
        seen.insert(id);
        order.append(id);
        if (id > 0 && id <= quint64(std::numeric_limits<qint64>::max()))
            lookUp.append(qint64(id));
    }
    const qint64 viewerId = caller.userId;
    auto answer = [this, viewerId, order, lookUp, done](const std::vector<PresenceFacts> &found) {
        QHash<qint64, const PresenceFacts *> facts;
        for (const PresenceFacts &f : found)
            facts.insert(f.userId, &f);
        const auto published = m_tracker.published(lookUp);
        proto::PresenceList list;
        for (quint64 id : order) {
            const PresenceFacts *f = facts.value(qint64(id));
            const bool visible = f && presenceVisible(*f, viewerId);
            const PresenceTracker::Published current = published.value(qint64(id));
            const qint64 lastSeenMs =
                current.lastSeenMs > 0 ? current.lastSeenMs : (f ? f->lastSeenMs : 0);
            fillVisiblePresence(list.add_presences(), qint64(id), visible, current.state,
                                lastSeenMs);
        }
        done(list);
    };
    if (lookUp.isEmpty())
        return answer({});
    m_store.factsFor(viewerId, lookUp, [answer, done](const Stored<std::vector<PresenceFacts>> &s) {
        if (!s.value)
            return done(failure(s.error));
        answer(*s.value);
    });
}

} // namespace tern::server
