// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "service/authservice.h"
#include "store/groupstore.h"
#include "tern/limits.h"

namespace tern::server {

class ConnectionRegistry;
class FileStore;

struct GroupPolicy
{
    // Most members of a group, the owner included (groups/member_limit).
    int memberLimit = limits::kDefaultGroupMemberLimit;
};

// Groups: creation, settings, membership (invitations, applications, invite codes, leaving,
// removal), roles, nicknames, dissolution, and reading members and events. One per I/O worker;
// callbacks run on that worker. Input limits are checked here; the checks that must be atomic
// with the write (roles, membership, blocks, group_adders, the member limit) run inside the
// SQL functions, whose outcomes map to protocol errors here. Every change is pushed
// (GroupEventPush) to every device of every member and of whoever the change removed.
class GroupService : public QObject
{
    Q_OBJECT
public:
    using ChangeCallback = ResultCallback<proto::GroupChangeResult>;

    // A new avatar must be an image the caller uploaded.
    GroupService(GroupStore &store, FileStore &files, ConnectionRegistry &registry,
                 GroupPolicy policy, QObject *parent = nullptr);

    void create(const Caller &caller, const proto::CreateGroupRequest &request,
                ChangeCallback done);
    void update(const Caller &caller, const proto::UpdateGroupRequest &request,
                ChangeCallback done);
    void invite(const Caller &caller, const proto::InviteToGroupRequest &request,
                ChangeCallback done);
    void answerInvitation(const Caller &caller, const proto::AnswerGroupInvitationRequest &request,
                          ChangeCallback done);
    void listInvitations(const Caller &caller, ResultCallback<proto::GroupInvitationList> done);
    void requestToJoin(const Caller &caller, const proto::RequestToJoinGroupRequest &request,
                       ResultCallback<proto::JoinApplication> done);
    void answerApplication(const Caller &caller, const proto::AnswerJoinApplicationRequest &request,
                           ChangeCallback done);
    void withdrawApplication(const Caller &caller,
                             const proto::WithdrawJoinApplicationRequest &request,
                             ResultCallback<proto::JoinApplication> done);
    void listApplications(const Caller &caller, const proto::ListJoinApplicationsRequest &request,
                          ResultCallback<proto::JoinApplicationList> done);
    void joinByCode(const Caller &caller, const proto::JoinGroupByCodeRequest &request,
                    ChangeCallback done);
    void leave(const Caller &caller, const proto::LeaveGroupRequest &request, ChangeCallback done);
    void removeMember(const Caller &caller, const proto::RemoveGroupMemberRequest &request,
                      ChangeCallback done);
    void setAdmin(const Caller &caller, const proto::SetGroupAdminRequest &request,
                  ChangeCallback done);
    void transferOwnership(const Caller &caller,
                           const proto::TransferGroupOwnershipRequest &request,
                           ChangeCallback done);
    void dissolve(const Caller &caller, const proto::DissolveGroupRequest &request,
                  ChangeCallback done);
    void setNickname(const Caller &caller, const proto::SetGroupNicknameRequest &request,
                     ChangeCallback done);

    void getGroup(const Caller &caller, const proto::GetGroupRequest &request,
                  ResultCallback<proto::GroupMembership> done);
    void listGroups(const Caller &caller, const proto::ListGroupsRequest &request,
                    ResultCallback<proto::GroupList> done);
    void listMembers(const Caller &caller, const proto::ListGroupMembersRequest &request,
                     ResultCallback<proto::GroupMemberList> done);
    void events(const Caller &caller, const proto::GetGroupEventsRequest &request,
                ResultCallback<proto::GroupEventList> done);

private:
    // What else a change's answer and pushes carry.
    enum class Extra { None, Invitations, Application };

    // Turns the store's answer into the caller's result, pushes the event, and (Extra) reads
    // and pushes the invitations or application the change made or answered.
    StoreCallback<GroupChange> finish(const Caller &caller, Extra extra, ChangeCallback done);
    void pushEvent(const GroupChange &change, proto::GroupEvent event);
    void pushApplication(const proto::JoinApplication &application, const QList<qint64> &admins);
    // Tells invitees, inviters and applicants that a change (a dissolution; letting them in
    // another way) cancelled what they waited on.
    void tellCancelled(const proto::GroupEvent &event);
    void pushInvitations(const std::vector<proto::GroupInvitation> &invitations);

    GroupStore &m_store;
    FileStore &m_files;
    ConnectionRegistry &m_registry;
    GroupPolicy m_policy;
};

} // namespace tern::server
