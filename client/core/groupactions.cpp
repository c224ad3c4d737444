// SPDX-License-Identifier: Apache-2.0
// GroupActions: group changes the user makes, GUI thread.
#include "groupactions.h"

#include "groupstore.h"
#include "refusals.h"
#include "serverconnection.h"
#include "syncengine.h"
#include "userstore.h"

namespace tern::client {

GroupActions::GroupActions(ServerConnection &connection, GroupStore &groups, SyncEngine &sync,
                           const UserStore &users, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_groups(groups)
    , m_sync(sync)
    , m_users(users)
{ }

QString GroupActions::errorOf(const proto::Frame &answer) const
{
    return refusalText(answer.error(), [this](quint64 userId) {
        const std::optional<CachedUser> user = m_users.get(userId);
        return user ? user->shownName() : QString();
    });
}

void GroupActions::createGroup(const QString &name, const std::vector<quint64> &memberIds,
                               std::function<void(quint64, const QString &)> done)
{
    proto::Frame frame;
    auto *req = frame.mutable_create_group();
    req->set_name(name.trimmed().toStdString());
    for (quint64 id : memberIds)
        req->add_member_ids(id);
    m_connection.send(
        frame,
        [this, done](const proto::Frame &answer) {
            if (!answer.has_group_change_result()) {
                done(0, errorOf(answer));
                return;
            }
            const proto::Group &group = answer.group_change_result().group();
            proto::GroupMembership membership;
            *membership.mutable_group() = group;
            membership.set_role(proto::GROUP_ROLE_OWNER);
            m_groups.store({membership});
            m_sync.openGroup(group.group_id(), done);
        },
        this);
}

void GroupActions::change(quint64 groupId, proto::Frame frame, Done done)
{
    m_connection.send(
        frame,
        [this, groupId, done](const proto::Frame &answer) {
            if (!answer.has_group_change_result()) {
                done(errorOf(answer));
                return;
            }
            m_groups.storeGroup(answer.group_change_result().group());
            // Roles and membership may have changed too (leave, transfer): ask for them.
            m_sync.refreshGroup(groupId);
            done({});
        },
        this);
}

void GroupActions::update(quint64 groupId, const Settings &settings, Done done)
{
    proto::Frame frame;
    auto *req = frame.mutable_update_group();
    req->set_group_id(groupId);
    if (settings.name)
        req->set_name(settings.name->trimmed().toStdString());
    if (settings.announcement)
        req->set_announcement(settings.announcement->trimmed().toStdString());
    req->set_join_policy(settings.joinPolicy);
    if (settings.muteAll)
        req->set_mute_all(*settings.muteAll);
    if (settings.avatarFileId)
        req->set_avatar_file_id(settings.avatarFileId->toStdString());
    req->set_reset_invite_code(settings.resetInviteCode);
    change(groupId, frame, std::move(done));
}

void GroupActions::invite(quint64 groupId, const std::vector<quint64> &userIds, Done done)
{
    proto::Frame frame;
    frame.mutable_invite_to_group()->set_group_id(groupId);
    for (quint64 id : userIds)
        frame.mutable_invite_to_group()->add_user_ids(id);
    change(groupId, frame, std::move(done));
}

void GroupActions::removeMember(quint64 groupId, quint64 userId, Done done)
{
    proto::Frame frame;
    frame.mutable_remove_group_member()->set_group_id(groupId);
    frame.mutable_remove_group_member()->set_user_id(userId);
    change(groupId, frame, std::move(done));
}

void GroupActions::setAdmin(quint64 groupId, quint64 userId, bool admin, Done done)
{
    proto::Frame frame;
    frame.mutable_set_group_admin()->set_group_id(groupId);
    frame.mutable_set_group_admin()->set_user_id(userId);
    frame.mutable_set_group_admin()->set_admin(admin);
    change(groupId, frame, std::move(done));
}

void GroupActions::transferOwnership(quint64 groupId, quint64 userId, Done done)
{
    proto::Frame frame;
    frame.mutable_transfer_group_ownership()->set_group_id(groupId);
    frame.mutable_transfer_group_ownership()->set_user_id(userId);
    change(groupId, frame, std::move(done));
}

void GroupActions::setNickname(quint64 groupId, const QString &nickname, Done done)
{
    proto::Frame frame;
    frame.mutable_set_group_nickname()->set_group_id(groupId);
    frame.mutable_set_group_nickname()->set_nickname(nickname.trimmed().toStdString());
    change(groupId, frame, std::move(done));
}

void GroupActions::leave(quint64 groupId, Done done)
{
    proto::Frame frame;
    frame.mutable_leave_group()->set_group_id(groupId);
    change(groupId, frame, std::move(done));
}

void GroupActions::dissolve(quint64 groupId, Done done)
{
    proto::Frame frame;
    frame.mutable_dissolve_group()->set_group_id(groupId);
    change(groupId, frame, std::move(done));
}

void GroupActions::answerApplication(quint64 groupId, quint64 applicationId, bool approve,
                                     Done done)
{
    proto::Frame frame;
    frame.mutable_answer_join_application()->set_application_id(applicationId);
    frame.mutable_answer_join_application()->set_approve(approve);
    change(groupId, frame, std::move(done));
}

void GroupActions::listInvitations(
    std::function<void(std::vector<proto::GroupInvitation>, const QString &)> done)
{
    proto::Frame frame;
    frame.mutable_list_group_invitations();
    m_connection.send(
        frame,
        [this, done](const proto::Frame &answer) {
            if (!answer.has_group_invitation_list()) {
                done({}, errorOf(answer));
                return;
            }
            const auto &list = answer.group_invitation_list().invitations();
            done({list.begin(), list.end()}, {});
        },
        this);
}

void GroupActions::answerInvitation(const proto::GroupInvitation &invitation, bool accept,
                                    Done done)
{
    proto::Frame frame;
    frame.mutable_answer_group_invitation()->set_invitation_id(invitation.invitation_id());
    frame.mutable_answer_group_invitation()->set_accept(accept);
    const quint64 groupId = invitation.group().group_id();
    if (!accept) {
        change(groupId, frame, std::move(done));
        return;
    }
    // Accepted: the group's conversation opens, so the chat list shows it at once.
    change(groupId, frame, [this, groupId, done](const QString &error) {
        if (!error.isEmpty()) {
            done(error);
            return;
        }
        m_sync.openGroup(groupId, [done](quint64, const QString &openError) { done(openError); });
    });
}

void GroupActions::joinByCode(const QString &code,
                              std::function<void(quint64, const QString &)> done)
{
    proto::Frame frame;
    frame.mutable_join_group_by_code()->set_invite_code(code.trimmed().toStdString());
    m_connection.send(
        frame,
        [this, done](const proto::Frame &answer) {
            if (!answer.has_group_change_result()) {
                done(0, errorOf(answer));
                return;
            }
            const quint64 groupId = answer.group_change_result().group().group_id();
            m_groups.storeGroup(answer.group_change_result().group());
            m_sync.refreshGroup(groupId);
            m_sync.openGroup(groupId, done);
        },
        this);
}

void GroupActions::requestToJoin(quint64 groupId, const QString &message, ApplicationDone done)
{
    proto::Frame frame;
    frame.mutable_request_to_join_group()->set_group_id(groupId);
    frame.mutable_request_to_join_group()->set_message(message.trimmed().toStdString());
    sendForApplication(frame, std::move(done));
}

void GroupActions::withdrawApplication(quint64 applicationId, ApplicationDone done)
{
    proto::Frame frame;
    frame.mutable_withdraw_join_application()->set_application_id(applicationId);
    sendForApplication(frame, std::move(done));
}

void GroupActions::sendForApplication(const proto::Frame &frame, ApplicationDone done)
{
    m_connection.send(
        frame,
        [this, done](const proto::Frame &answer) {
            if (answer.has_join_application())
                done(answer.join_application(), {});
            else
                done(std::nullopt, errorOf(answer));
        },
        this);
}

void GroupActions::listMembers(
    quint64 groupId, std::function<void(std::vector<proto::GroupMember>, const QString &)> done)
{
    listMembersPage(groupId, 0, std::make_shared<std::vector<proto::GroupMember>>(),
                    std::move(done));
}

void GroupActions::listMembersPage(
    quint64 groupId, quint64 afterUserId, std::shared_ptr<std::vector<proto::GroupMember>> members,
    std::function<void(std::vector<proto::GroupMember>, const QString &)> done)
{
    proto::Frame frame;
    frame.mutable_list_group_members()->set_group_id(groupId);
    frame.mutable_list_group_members()->set_after_user_id(afterUserId);
    frame.mutable_list_group_members()->set_limit(500);
    m_connection.send(
        frame,
        [this, groupId, members, done](const proto::Frame &answer) {
            if (!answer.has_group_member_list()) {
                // Out of the group without the cache knowing yet (removed while away, or the
                // refresh after leaving still on its way): it learns it now.
                if (answer.error().reason() == "groups/not_member")
                    m_groups.markNotMember(groupId);
                done({}, errorOf(answer));
                return;
            }
            const auto &list = answer.group_member_list();
            members->insert(members->end(), list.members().begin(), list.members().end());
            if (list.has_more() && list.members_size() > 0) {
                listMembersPage(groupId, list.members(list.members_size() - 1).user_id(), members,
                                done);
                return;
            }
            done(std::move(*members), {});
        },
        this);
}

void GroupActions::listApplications(
    quint64 groupId, std::function<void(std::vector<proto::JoinApplication>, const QString &)> done)
{
    proto::Frame frame;
    frame.mutable_list_join_applications()->set_group_id(groupId);
    m_connection.send(
        frame,
        [this, done](const proto::Frame &answer) {
            if (!answer.has_join_application_list()) {
                done({}, errorOf(answer));
                return;
            }
            const auto &apps = answer.join_application_list().applications();
            done({apps.begin(), apps.end()}, {});
        },
        this);
}

} // namespace tern::client
