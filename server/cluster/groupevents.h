// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>

#include <memory>

namespace tern::server {

class ConnectionRegistry;
class GroupStore;
class PgPool;

// Pushes group events made outside ternd's own requests: ternctl ban takes the user out of
// their groups in the database directly (migration 0023), where GroupService pushes the events
// of the requests it answers. Such events are announced with PostgreSQL NOTIFY on
// kGroupEventChannel ("<group_id> <seq>"); every ternd reads the event and pushes it
// (GroupEventPush) to the devices of the members it has connected, as GroupService would,
// and tells those waiting on the invitations and requests to join the change cancelled
// (a dissolution's). The invitations and requests a ban cancelled in groups it did not
// dissolve are announced on kGroupCancelledChannel (migration 0030) and pushed the same way
// (GroupInvitationPush to invitee and inviter, JoinApplicationPush to the applicant and the
// group's owner and admins).
// A notification missed while its connection was away is not looked for again: the event took
// the group's seq, so devices have it at their next sync as after any absence, and invitations
// and requests are in their lists.
// Lives on the main thread; `listener` is the cluster's listening connection, shared with
// SessionEvents.
class GroupEvents : public QObject
{
    Q_OBJECT
public:
    GroupEvents(PgPool &listener, ConnectionRegistry &registry, QObject *parent = nullptr);
    ~GroupEvents() override;

private:
    void onNotification(const QString &channel, const QString &payload);
    void pushEvent(const QString &payload);
    void pushCancelled(const QString &payload);

    std::unique_ptr<GroupStore> m_store;
    ConnectionRegistry &m_registry;
};

} // namespace tern::server
