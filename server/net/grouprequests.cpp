// SPDX-License-Identifier: Apache-2.0
// Group requests: protocol <-> GroupService, on the connection's I/O worker.
#include "net/grouprequests.h"

#include "net/reply.h"
#include "service/groupservice.h"

namespace tern::server {

void handleGroupRequest(GroupService &groups, Connection &connection, quint64 requestId,
                        const proto::Frame &frame)
{
    const Caller caller = *connection.caller();
    const auto change = [&] {
        return replyInField(connection, requestId, &proto::Frame::mutable_group_change_result);
    };
    switch (frame.payload_case()) {
    case proto::Frame::kCreateGroup:
        return groups.create(caller, frame.create_group(), change());
    case proto::Frame::kUpdateGroup:
        return groups.update(caller, frame.update_group(), change());
    case proto::Frame::kInviteToGroup:
        return groups.invite(caller, frame.invite_to_group(), change());
    case proto::Frame::kAnswerGroupInvitation:
        return groups.answerInvitation(caller, frame.answer_group_invitation(), change());
    case proto::Frame::kListGroupInvitations:
        return groups.listInvitations(
            caller,
            replyInField(connection, requestId, &proto::Frame::mutable_group_invitation_list));
    case proto::Frame::kRequestToJoinGroup:
        return groups.requestToJoin(
            caller, frame.request_to_join_group(),
            replyInField(connection, requestId, &proto::Frame::mutable_join_application));
    case proto::Frame::kAnswerJoinApplication:
        return groups.answerApplication(caller, frame.answer_join_application(), change());
    case proto::Frame::kWithdrawJoinApplication:
        return groups.withdrawApplication(
            caller, frame.withdraw_join_application(),
            replyInField(connection, requestId, &proto::Frame::mutable_join_application));
    case proto::Frame::kListJoinApplications:
        return groups.listApplications(
            caller, frame.list_join_applications(),
            replyInField(connection, requestId, &proto::Frame::mutable_join_application_list));
    case proto::Frame::kJoinGroupByCode:
        return groups.joinByCode(caller, frame.join_group_by_code(), change());
    case proto::Frame::kLeaveGroup:
        return groups.leave(caller, frame.leave_group(), change());
    case proto::Frame::kRemoveGroupMember:
        return groups.removeMember(caller, frame.remove_group_member(), change());
    case proto::Frame::kSetGroupAdmin:
        return groups.setAdmin(caller, frame.set_group_admin(), change());
    case proto::Frame::kTransferGroupOwnership:
        return groups.transferOwnership(caller, frame.transfer_group_ownership(), change());
    case proto::Frame::kDissolveGroup:
        return groups.dissolve(caller, frame.dissolve_group(), change());
    case proto::Frame::kSetGroupNickname:
        return groups.setNickname(caller, frame.set_group_nickname(), change());
    case proto::Frame::kGetGroup:
        return groups.getGroup(
            caller, frame.get_group(),
            replyInField(connection, requestId, &proto::Frame::mutable_group_membership));
    case proto::Frame::kListGroups:
        return groups.listGroups(
            caller, frame.list_groups(),
            replyInField(connection, requestId, &proto::Frame::mutable_group_list));
    case proto::Frame::kListGroupMembers:
        return groups.listMembers(
            caller, frame.list_group_members(),
            replyInField(connection, requestId, &proto::Frame::mutable_group_member_list));
    case proto::Frame::kGetGroupEvents:
        return groups.events(
            caller, frame.get_group_events(),
            replyInField(connection, requestId, &proto::Frame::mutable_group_event_list));
    default:
        return connection.replyError(requestId,
                                     {proto::ERROR_CODE_UNKNOWN_REQUEST,
                                      QStringLiteral("this server does not handle that request")});
    }
}

} // namespace tern::server
