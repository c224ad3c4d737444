// SPDX-License-Identifier: Apache-2.0
// GroupEvents: main thread. Turns "<group_id> <seq>" notifications into GroupEventPush frames
// for the local connections of the group's members (ConnectionRegistry queues them to the
// I/O workers that own them), and the invitations and requests to join a ban cancelled into
// GroupInvitationPush and JoinApplicationPush frames.
#include "cluster/groupevents.h"

#include "cluster/connectionregistry.h"
#include "cluster/grouppushes.h"
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
    if (channel == QLatin1String(kGroupEventChannel))
        pushEvent(payload);
    else if (channel == QLatin1String(kGroupCancelledChannel))
        pushCancelled(payload);
}

void GroupEvents::pushEvent(const QString &payload)
{
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
        if (!groupEventCancels(push->event().kind()))
            return;
        // As GroupService::tellCancelled: a ban that dissolves a group cancels what waited on
        // it, the banned owner's own invitations there included (migration 0030).
        m_store->cancelledWith(groupId, seq, [this, groupId](const auto &cancelled) {
            if (!cancelled.value) {
                qCWarning(lcCluster) << "group" << groupId << "could not read what a change"
                                     << "cancelled:" << cancelled.error.message;
                return;
            }
            pushGroupInvitations(m_registry, cancelled.value->invitations);
            for (const proto::JoinApplication &application : cancelled.value->applications)
                pushJoinApplication(m_registry, application, {});
        });
    });
}

void GroupEvents::pushCancelled(const QString &payload)
{
    const QStringList parts = payload.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const QString what = parts.value(0);
    QList<qint64> ids;
    bool ok = parts.size() > 1
        && (what == QLatin1String("invitations") || what == QLatin1String("applications"));
    for (qsizetype i = 1; ok && i < parts.size(); ++i)
        ids.append(parts.at(i).toLongLong(&ok));
    if (!ok) {
        qCWarning(lcCluster) << "ignoring malformed cancellation notice" << payload;
        return;
    }
    if (what == QLatin1String("invitations")) {
        m_store->invitations(ids, [this](const Stored<std::vector<proto::GroupInvitation>> &read) {
            if (!read.value) {
                qCWarning(lcCluster)
                    << "could not read cancelled invitations to push:" << read.error.message;
                return; // they are out of ListGroupInvitations already
            }
            pushGroupInvitations(m_registry, *read.value);
        });
        return;
    }
    m_store->applicationsToTell(
        ids, [this](const Stored<std::vector<GroupStore::ApplicationToTell>> &read) {
            if (!read.value) {
                qCWarning(lcCluster)
                    << "could not read cancelled requests to join to push:" << read.error.message;
                return; // they are out of ListJoinApplications already
            }
            for (const GroupStore::ApplicationToTell &told : *read.value)
                pushJoinApplication(m_registry, told.application, told.admins);
        });
}

} // namespace tern::server
