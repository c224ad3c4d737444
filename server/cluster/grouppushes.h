// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QList>

#include <vector>

namespace tern::server {

class ConnectionRegistry;

// The pushes that tell people about group invitations and requests to join, the same whoever
// made the change: GroupService for the requests it answers, GroupEvents for the changes other
// processes (ternctl ban) announce.

// Each invitation to the devices of its invitee and its inviter (GroupInvitationPush).
void pushGroupInvitations(const ConnectionRegistry &registry,
                          const std::vector<proto::GroupInvitation> &invitations);

// The application to the devices of its applicant and of `admins`, its group's owner and
// admins (empty: the applicant alone is told) (JoinApplicationPush).
void pushJoinApplication(const ConnectionRegistry &registry,
                         const proto::JoinApplication &application, const QList<qint64> &admins);

// Whether a change that made an event of this kind may have cancelled invitations or requests
// to join: letting their invitee or applicant in another way, or dissolving the group
// (GroupStore::cancelledWith reads which).
bool groupEventCancels(proto::GroupEvent::Kind kind);

} // namespace tern::server
