// SPDX-License-Identifier: Apache-2.0
#include "cluster/grouppushes.h"

#include "cluster/connectionregistry.h"

namespace tern::server {

void pushGroupInvitations(const ConnectionRegistry &registry,
                          const std::vector<proto::GroupInvitation> &invitations)
{
    for (const auto &invitation : invitations) {
        proto::Frame frame;
        *frame.mutable_group_invitation_push()->mutable_invitation() = invitation;
        QList<qint64> users {qint64(invitation.invitee_id())};
        if (invitation.inviter_id() != invitation.invitee_id())
            users.append(qint64(invitation.inviter_id()));
        registry.pushToUsers(users, frame);
    }
}

void pushJoinApplication(const ConnectionRegistry &registry,
                         const proto::JoinApplication &application, const QList<qint64> &admins)
{
    proto::Frame frame;
    *frame.mutable_join_application_push()->mutable_application() = application;
    QList<qint64> users = admins;
    const qint64 applicant = qint64(application.applicant().user_id());
    if (!users.contains(applicant))
        users.append(applicant);
    registry.pushToUsers(users, frame);
}

bool groupEventCancels(proto::GroupEvent::Kind kind)
{
    switch (kind) {
    case proto::GroupEvent::KIND_MEMBERS_ADDED:
    case proto::GroupEvent::KIND_MEMBER_JOINED:
    case proto::GroupEvent::KIND_JOIN_APPROVED:
    case proto::GroupEvent::KIND_DISSOLVED:
        return true;
    default:
        return false;
    }
}

} // namespace tern::server
