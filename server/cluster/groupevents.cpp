// SPDX-License-Identifier: Apache-2.0
// GroupEvents: main thread. Turns "<group_id> <seq>" notifications into GroupEventPush frames
// for the local connections of the group's members (ConnectionRegistry queues them to the
// I/O workers that own them).
#include "cluster/groupevents.h"

#include "cluster/connectionregistry.h"
#include "core/logging.h"
#include "store/groupstore.h"
#include "store/pgpool.h"

namespace tern::server {

GroupEvents::GroupEvents(PgPool &listener, ConnectionRegistry &registry, QObject *parent)
    : QObject(parent)
    , m_store(std::make_unique<GroupStore>(listener))
    , m_registry(registry)
{
    connect(&listener, &PgPool::notification, this, &GroupEvents::onNotification);
}

GroupEvents::~GroupEvents() = default;

void GroupEvents::onNotification(const QString &channel, const QString &payload)
{
    if (channel != QLatin1String(kGroupEventChannel))
        return;
    const QStringList parts = payload.split(QLatin1Char(' '));
    bool groupOk = false;
    bool seqOk = false;
    const qint64 groupId = parts.value(0).toLongLong(&groupOk);
    const qint64 seq = parts.value(1).toLongLong(&seqOk);
    if (parts.size() != 2 || !groupOk || !seqOk) {
        qCWarning(lcCluster) << "ignoring malformed group event" << payload;
        return;
    }
    // One connection: the reads, and so the pushes, follow the notifications' (commit) order.
    m_store->eventToPush(groupId, seq, [this, groupId, seq](const auto &stored) {
        if (!stored.value) {
            if (stored.error.kind != PgError::Kind::None)
                qCWarning(lcCluster) << "group" << groupId << "seq" << seq
                                     << "could not be read to push:" << stored.error.message;
            return; // members have it at their next sync
        }
        proto::Frame frame;
        auto *push = frame.mutable_group_event_push();
        const QByteArray &event = stored.value->event;
        if (!push->mutable_event()->ParseFromArray(event.constData(), int(event.size()))) {
            qCWarning(lcCluster) << "group" << groupId << "seq" << seq
                                 << "stored an event that does not parse";
            return;
        }
        *push->mutable_group() = stored.value->group;
        m_registry.pushToUsers(stored.value->recipients, frame);
        if (!stored.value->departed.isEmpty()) {
            push->mutable_group()->clear_invite_code();
            m_registry.pushToUsers(stored.value->departed, frame);
        }
    });
}

} // namespace tern::server
