// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace tern::client {

class GroupStore;
class ServerConnection;
class SyncEngine;
class UserStore;

// What the user does with groups: create one (its conversation opens, so the chat list shows
// it at once), change its settings, manage members and roles, answer join requests, leave or
// dissolve. The server decides who may do what (groups.proto has the table); each call answers
// once with its refusal or an empty error, and the cached membership is refreshed on success.
class GroupActions : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const QString &error)>;
    // done(the request to join, {}) or done({}, the refusal in words).
    using ApplicationDone =
        std::function<void(std::optional<proto::JoinApplication>, const QString &error)>;

    // Absent fields stay as they are (UpdateGroupRequest).
    struct Settings
    {
        std::optional<QString> name;
        std::optional<QString> announcement;
        proto::GroupJoinPolicy joinPolicy = proto::GROUP_JOIN_POLICY_UNSPECIFIED;
        std::optional<bool> muteAll;
        std::optional<QString> avatarFileId;
        bool resetInviteCode = false;
    };

    GroupActions(ServerConnection &connection, GroupStore &groups, SyncEngine &sync,
                 const UserStore &users, QObject *parent = nullptr);

    // done(conversationId, {}) or done(0, the server's reason).
    void createGroup(const QString &name, const std::vector<quint64> &memberIds,
                     std::function<void(quint64, const QString &)> done);
    void update(quint64 groupId, const Settings &settings, Done done);
    void invite(quint64 groupId, const std::vector<quint64> &userIds, Done done);
    void removeMember(quint64 groupId, quint64 userId, Done done);
    void setAdmin(quint64 groupId, quint64 userId, bool admin, Done done);
    void transferOwnership(quint64 groupId, quint64 userId, Done done);
    void setNickname(quint64 groupId, const QString &nickname, Done done);
    void leave(quint64 groupId, Done done);
    void dissolve(quint64 groupId, Done done);
    void answerApplication(quint64 groupId, quint64 applicationId, bool approve, Done done);
    // Invitations waiting for this user (their "who may add me" setting held them back).
    void
    listInvitations(std::function<void(std::vector<proto::GroupInvitation>, const QString &)> done);
    void answerInvitation(const proto::GroupInvitation &invitation, bool accept, Done done);
    // Joins an open group with its invite code; done(conversationId, {}) or done(0, reason).
    void joinByCode(const QString &code, std::function<void(quint64, const QString &)> done);
    // Asks the admins of a group that approves requests to let this user in (done: the pending
    // request); approval arrives later as a group event. Withdrawing takes back a pending one
    // (done: the cancelled request).
    void requestToJoin(quint64 groupId, const QString &message, ApplicationDone done);
    void withdrawApplication(quint64 applicationId, ApplicationDone done);

    // Every member (pages of ListGroupMembers); not cached: asked for when a page shows them.
    void listMembers(quint64 groupId,
                     std::function<void(std::vector<proto::GroupMember>, const QString &)> done);
    // Pending join requests to a group (owner and admins); groupId 0: this user's own.
    void listApplications(
        quint64 groupId,
        std::function<void(std::vector<proto::JoinApplication>, const QString &)> done);

private:
    void change(quint64 groupId, proto::Frame frame, Done done);
    // A request answered with a JoinApplication.
    void sendForApplication(const proto::Frame &frame, ApplicationDone done);
    // The refusal in an answer, in the user's words, naming whom it is about.
    QString errorOf(const proto::Frame &answer) const;
    void
    listMembersPage(quint64 groupId, quint64 afterUserId,
                    std::shared_ptr<std::vector<proto::GroupMember>> members,
                    std::function<void(std::vector<proto::GroupMember>, const QString &)> done);

    ServerConnection &m_connection;
    GroupStore &m_groups;
    SyncEngine &m_sync;
    const UserStore &m_users;
};

} // namespace tern::client
