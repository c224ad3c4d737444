// SPDX-License-Identifier: Apache-2.0
// GroupService: the rules for groups; runs on its I/O worker. Input is checked here; who may
// do what to whom is decided inside the SQL functions under the group's row lock (so that a
// check and its write see the same members and roles), and their outcomes become errors here.
#include "service/groupservice.h"

#include "cluster/connectionregistry.h"
#include "cluster/grouppushes.h"
#include "core/logging.h"
#include "service/filereferences.h"
#include "tern/validation.h"

#include <sodium.h>

#include <limits>

namespace tern::server {

namespace {
constexpr int kDefaultPageSize = 200;
constexpr int kMaxPageSize = 500;
constexpr int kInviteCodeBytes = 12; // 16 characters of base64url
constexpr int kMaxInviteCodeLength = 64;

ServiceError error(ErrorCode code, const QString &message)
{
    return {code, message};
}

ServiceError invalidArgument(const QString &message)
{
    return error(proto::ERROR_CODE_INVALID_ARGUMENT, message);
}

ServiceError internalError()
{
    return error(proto::ERROR_CODE_INTERNAL, QStringLiteral("internal error"));
}

ServiceError storeError(const PgError &pgError)
{
    if (pgError.kind == PgError::Kind::Unavailable)
        return unavailableError();
    qCWarning(lcGroups).noquote() << "database error" << pgError.sqlState << pgError.message;
    return internalError();
}

// Ids arrive as uint64; anything beyond bigint cannot exist (0 never does).
qint64 toId(quint64 id)
{
    return id > quint64(std::numeric_limits<qint64>::max()) ? 0 : qint64(id);
}

// Paging cursors ("after this id/seq"): past the largest bigint nothing follows.
qint64 cursor(quint64 after)
{
    return qint64(std::min<quint64>(after, quint64(std::numeric_limits<qint64>::max())));
}

int pageSize(quint32 requested)
{
    return requested == 0 ? kDefaultPageSize : int(std::min<quint32>(requested, kMaxPageSize));
}

QString newInviteCode()
{
    QByteArray bytes(kInviteCodeBytes, Qt::Uninitialized);
    randombytes_buf(bytes.data(), size_t(bytes.size()));
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// A refusal people can run into, with its Error.reason ("groups/<rule>").
ServiceError withReason(ServiceError refusal, const char *rule)
{
    refusal.reason = QStringLiteral("groups/") + QLatin1String(rule);
    return refusal;
}

// A one-line name (group name, nickname): valid, no control characters, at most `maxLength`,
// trimmed; `required` ones may not end up empty.
std::optional<ServiceError> checkName(const std::string &value, const char *field, int maxLength,
                                      bool required, QString &out)
{
    if (auto problem = validation::checkLabel(value, field, maxLength))
        return withReason(invalidArgument(*problem), "bad_name"); // a pasted tab, say
    out = QString::fromStdString(value).trimmed();
    if (required && out.isEmpty())
        return invalidArgument(QStringLiteral("%1 may not be empty").arg(QLatin1String(field)));
    return std::nullopt;
}

// Free text that may span lines (announcement, application message).
std::optional<ServiceError> checkText(const std::string &value, const char *field, int maxLength)
{
    std::string flattened = value;
    for (char &c : flattened) {
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
    }
    if (auto problem = validation::checkLabel(flattened, field, maxLength))
        return invalidArgument(*problem);
    return std::nullopt;
}

std::optional<ServiceError> checkAvatar(const std::string &value)
{
    if (auto problem =
            validation::checkLabel(value, "avatar_file_id", limits::kMaxAvatarFileIdLength))
        return invalidArgument(*problem);
    return std::nullopt;
}

std::optional<ServiceError> checkPolicy(int policy)
{
    if (!proto::GroupJoinPolicy_IsValid(policy))
        return invalidArgument(QStringLiteral("join_policy %1 is not a known policy").arg(policy));
    return std::nullopt;
}

// User ids of a request: at most kMaxUsersPerGroupRequest; an id that cannot exist is an
// unknown user, like any other.
std::optional<ServiceError>
readUserIds(const google::protobuf::RepeatedField<google::protobuf::uint64> &ids, bool required,
            QList<qint64> &out)
{
    if (ids.size() > limits::kMaxUsersPerGroupRequest) {
        return withReason(invalidArgument(QStringLiteral("at most %1 users per request")
                                              .arg(limits::kMaxUsersPerGroupRequest)),
                          "too_many_users");
    }
    if (required && ids.empty())
        return invalidArgument(QStringLiteral("name at least one user"));
    for (const auto id : ids) {
        if (toId(id) == 0)
            return error(proto::ERROR_CODE_NOT_FOUND, QStringLiteral("no such user: %1").arg(id));
        out.append(toId(id));
    }
    return std::nullopt;
}

ServiceError describeOutcome(const GroupChange &change, int memberLimit)
{
    const QString &o = change.outcome;
    const qint64 subject = change.subject;
    const auto is = [&o](const char *word) { return o == QLatin1String(word); };
    if (is("no_group"))
        return error(proto::ERROR_CODE_NOT_FOUND, QStringLiteral("no such group"));
    if (is("not_member"))
        return error(proto::ERROR_CODE_PERMISSION_DENIED,
                     QStringLiteral("you are not a member of this group"));
    if (is("not_admin"))
        return error(proto::ERROR_CODE_PERMISSION_DENIED,
                     QStringLiteral("only the group's owner and admins may do this"));
    if (is("not_owner"))
        return error(proto::ERROR_CODE_PERMISSION_DENIED,
                     QStringLiteral("only the group's owner may do this"));
    if (is("no_user"))
        return error(proto::ERROR_CODE_NOT_FOUND, QStringLiteral("no such user: %1").arg(subject));
    if (is("refused"))
        return error(proto::ERROR_CODE_PERMISSION_DENIED,
                     QStringLiteral("you cannot add user %1 to a group").arg(subject));
    if (is("limit"))
        return error(proto::ERROR_CODE_LIMIT_EXCEEDED,
                     QStringLiteral("groups may have at most %1 members (max_group_members)")
                         .arg(memberLimit));
    if (is("self"))
        return invalidArgument(QStringLiteral("you cannot do this to yourself"));
    if (is("target_not_member"))
        return error(proto::ERROR_CODE_NOT_FOUND,
                     QStringLiteral("user %1 is not a member of this group").arg(subject));
    if (is("target_owner"))
        return error(proto::ERROR_CODE_PERMISSION_DENIED,
                     QStringLiteral("nobody can remove the group's owner"));
    if (is("target_admin"))
        return error(proto::ERROR_CODE_PERMISSION_DENIED,
                     QStringLiteral("only the group's owner may remove an admin"));
    if (is("owner_cannot_leave"))
        return error(proto::ERROR_CODE_PERMISSION_DENIED,
                     QStringLiteral("the owner cannot leave: transfer ownership or dissolve the "
                                    "group first"));
    if (is("already_member"))
        return error(proto::ERROR_CODE_CONFLICT,
                     QStringLiteral("you are a member of this group already"));
    if (is("policy"))
        return error(proto::ERROR_CODE_PERMISSION_DENIED,
                     QStringLiteral("this group does not take requests to join"));
    if (is("too_many_requests"))
        return error(proto::ERROR_CODE_LIMIT_EXCEEDED,
                     QStringLiteral("at most 200 requests to join groups may wait at once"));
    if (is("application_refused"))
        return error(proto::ERROR_CODE_PERMISSION_DENIED,
                     QStringLiteral("you cannot ask to join this group"));
    if (is("asked_recently"))
        return error(proto::ERROR_CODE_LIMIT_EXCEEDED,
                     QStringLiteral("you asked to join this group 3 times within a day: try again "
                                    "later"));
    if (is("too_many_groups"))
        return error(proto::ERROR_CODE_LIMIT_EXCEEDED,
                     QStringLiteral("you have made 500 groups that still exist or are less than "
                                    "a day old"));
    if (is("too_many_invitations"))
        return error(proto::ERROR_CODE_LIMIT_EXCEEDED,
                     QStringLiteral("at most 200 of your invitations to groups may wait at once"));
    if (is("no_invitation"))
        return error(proto::ERROR_CODE_NOT_FOUND, QStringLiteral("no such invitation"));
    if (is("no_application"))
        return error(proto::ERROR_CODE_NOT_FOUND, QStringLiteral("no such application"));
    if (is("not_pending"))
        return error(proto::ERROR_CODE_CONFLICT,
                     QStringLiteral("this was answered or cancelled already"));
    if (is("bad_code"))
        return error(proto::ERROR_CODE_NOT_FOUND,
                     QStringLiteral("no open group has this invite code"));
    if (is("no_invite_code"))
        return invalidArgument(
            QStringLiteral("the group has no invite code: its join policy is not open"));
    if (is("banned")) // the caller's own way in, refused as logging in would be
        return error(proto::ERROR_CODE_ACCOUNT_BANNED, QStringLiteral("this account is banned"));
    qCWarning(lcGroups) << "unexpected outcome" << o;
    return internalError();
}

ServiceError outcomeError(const GroupChange &change, int memberLimit)
{
    ServiceError refusal = describeOutcome(change, memberLimit);
    if (refusal.code != proto::ERROR_CODE_INTERNAL)
        refusal.reason = QStringLiteral("groups/") + change.outcome;
    if (change.outcome == QLatin1String("no_user") || change.outcome == QLatin1String("refused")
        || change.outcome == QLatin1String("target_not_member"))
        refusal.userId = change.subject;
    return refusal;
}

// The common refusals of reads.
std::optional<ServiceError> readRefusal(const PgError &pgError, const GroupAccess &access)
{
    if (pgError.kind != PgError::Kind::None)
        return storeError(pgError);
    if (!access.groupExists)
        return ServiceError {proto::ERROR_CODE_NOT_FOUND, QStringLiteral("no such group"), 0,
                             QStringLiteral("groups/no_group")};
    if (access.role == proto::GROUP_ROLE_UNSPECIFIED)
        return ServiceError {proto::ERROR_CODE_PERMISSION_DENIED,
                             QStringLiteral("you are not a member of this group"), 0,
                             QStringLiteral("groups/not_member")};
    return std::nullopt;
}
} // namespace

GroupService::GroupService(GroupStore &store, FileStore &files, ConnectionRegistry &registry,
                           GroupPolicy policy, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_files(files)
    , m_registry(registry)
    , m_policy(policy)
{ }

void GroupService::pushEvent(const GroupChange &change, proto::GroupEvent event)
{
    proto::Frame frame;
    auto *push = frame.mutable_group_event_push();
    *push->mutable_event() = std::move(event);
    *push->mutable_group() = change.group;
    m_registry.pushToUsers(change.recipients, frame);
    if (!change.departed.isEmpty()) {
        push->mutable_group()->clear_invite_code();
        m_registry.pushToUsers(change.departed, frame);
    }
}

void GroupService::pushInvitations(const std::vector<proto::GroupInvitation> &invitations)
{
    pushGroupInvitations(m_registry, invitations);
}

void GroupService::pushApplication(const proto::JoinApplication &application,
                                   const QList<qint64> &admins)
{
    pushJoinApplication(m_registry, application, admins);
}

StoreCallback<GroupChange> GroupService::finish(const Caller &caller, Extra extra,
                                                ChangeCallback done)
{
    return [this, caller, extra, done](const Stored<GroupChange> &stored) {
        if (stored.error.kind != PgError::Kind::None)
            return done(storeError(stored.error));
        if (!stored.value)
            return done(internalError());
        const GroupChange &change = *stored.value;
        if (!change.ok())
            return done(outcomeError(change, m_policy.memberLimit));

        proto::GroupChangeResult result;
        *result.mutable_group() = change.group;
        if (!change.recipients.contains(caller.userId))
            result.mutable_group()->clear_invite_code();
        if (!change.event.isEmpty()) {
            if (!result.mutable_event()->ParseFromArray(change.event.constData(),
                                                        int(change.event.size()))) {
                qCWarning(lcGroups)
                    << "group" << change.group.group_id() << "stored an event that does not parse";
                return done(internalError());
            }
            qCDebug(lcGroups) << "group" << change.group.group_id() << "seq" << result.event().seq()
                              << "kind" << result.event().kind() << "by" << caller.userId;
            pushEvent(change, result.event());
            tellCancelled(result.event());
        }

        // The change has committed: from here on a failure to read the extras must not turn
        // into an error, or the client would retry something that happened.
        if (extra == Extra::Invitations) {
            QList<qint64> ids = change.invitationIds;
            if (change.subject)
                ids.append(change.subject);
            if (ids.isEmpty())
                return done(result);
            return m_store.invitations(
                ids,
                [this, result,
                 done](const Stored<std::vector<proto::GroupInvitation>> &invitations) mutable {
                    if (invitations.value) {
                        for (const auto &invitation : *invitations.value)
                            *result.add_invitations() = invitation;
                        pushInvitations(*invitations.value);
                    } else {
                        qCWarning(lcGroups) << "could not read invitations after a change:"
                                            << invitations.error.message;
                    }
                    done(result);
                });
        }
        if (extra == Extra::Application && change.subject) {
            const QList<qint64> admins = change.admins;
            return m_store.applications(
                {change.subject},
                [this, result, admins,
                 done](const Stored<std::vector<proto::JoinApplication>> &applications) mutable {
                    if (applications.value && !applications.value->empty()) {
                        *result.mutable_application() = applications.value->front();
                        pushApplication(result.application(), admins);
                    } else {
                        qCWarning(lcGroups) << "could not read an application after a change:"
                                            << applications.error.message;
                    }
                    done(result);
                });
        }
        done(result);
    };
}

void GroupService::create(const Caller &caller, const proto::CreateGroupRequest &request,
                          ChangeCallback done)
{
    NewGroup group;
    if (auto e = checkName(request.name(), "name", limits::kMaxGroupNameLength, true, group.name))
        return done(*e);
    if (auto e = checkAvatar(request.avatar_file_id()))
        return done(*e);
    if (auto e =
            checkText(request.announcement(), "announcement", limits::kMaxGroupAnnouncementLength))
        return done(*e);
    if (auto e = checkPolicy(request.join_policy()))
        return done(*e);
    if (auto e = readUserIds(request.member_ids(), false, group.memberIds))
        return done(*e);
    group.avatarFileId = QString::fromStdString(request.avatar_file_id());
    group.announcement = QString::fromStdString(request.announcement());
    group.joinPolicy = request.join_policy() == proto::GROUP_JOIN_POLICY_UNSPECIFIED
        ? proto::GROUP_JOIN_POLICY_INVITE_ONLY
        : request.join_policy();
    group.muteAll = request.mute_all();
    group.inviteCode = newInviteCode();
    checkAvatarFile(m_files, caller.userId, group.avatarFileId,
                    [this, caller, group, done](const std::optional<ServiceError> &problem) {
                        if (problem)
                            return done(*problem);
                        m_store.create(caller.userId, group, m_policy.memberLimit,
                                       finish(caller, Extra::Invitations, done));
                    });
}

void GroupService::update(const Caller &caller, const proto::UpdateGroupRequest &request,
                          ChangeCallback done)
{
    GroupSettingsUpdate update;
    if (request.has_name()) {
        QString name;
        if (auto e = checkName(request.name(), "name", limits::kMaxGroupNameLength, true, name))
            return done(*e);
        update.name = name;
    }
    if (request.has_avatar_file_id()) {
        if (auto e = checkAvatar(request.avatar_file_id()))
            return done(*e);
        update.avatarFileId = QString::fromStdString(request.avatar_file_id());
    }
    if (request.has_announcement()) {
        if (auto e = checkText(request.announcement(), "announcement",
                               limits::kMaxGroupAnnouncementLength))
            return done(*e);
        update.announcement = QString::fromStdString(request.announcement());
    }
    if (auto e = checkPolicy(request.join_policy()))
        return done(*e);
    if (request.join_policy() != proto::GROUP_JOIN_POLICY_UNSPECIFIED)
        update.joinPolicy = request.join_policy();
    if (request.has_mute_all())
        update.muteAll = request.mute_all();
    update.resetInviteCode = request.reset_invite_code();
    update.newInviteCode = newInviteCode();
    const qint64 groupId = toId(request.group_id());
    checkAvatarFile(
        m_files, caller.userId, update.avatarFileId.value_or(QString()),
        [this, caller, groupId, update, done](const std::optional<ServiceError> &problem) {
            if (problem)
                return done(*problem);
            m_store.update(caller.userId, groupId, update, finish(caller, Extra::None, done));
        });
}

void GroupService::invite(const Caller &caller, const proto::InviteToGroupRequest &request,
                          ChangeCallback done)
{
    QList<qint64> users;
    if (auto e = readUserIds(request.user_ids(), true, users))
        return done(*e);
    m_store.invite(caller.userId, toId(request.group_id()), users, m_policy.memberLimit,
                   finish(caller, Extra::Invitations, std::move(done)));
}

void GroupService::answerInvitation(const Caller &caller,
                                    const proto::AnswerGroupInvitationRequest &request,
                                    ChangeCallback done)
{
    m_store.answerInvitation(caller.userId, toId(request.invitation_id()), request.accept(),
                             m_policy.memberLimit,
                             finish(caller, Extra::Invitations, std::move(done)));
}

void GroupService::listInvitations(const Caller &caller,
                                   ResultCallback<proto::GroupInvitationList> done)
{
    m_store.pendingInvitations(caller.userId,
                               [done](const Stored<std::vector<proto::GroupInvitation>> &stored) {
                                   if (stored.error.kind != PgError::Kind::None)
                                       return done(storeError(stored.error));
                                   proto::GroupInvitationList list;
                                   for (const auto &invitation : *stored.value)
                                       *list.add_invitations() = invitation;
                                   done(list);
                               });
}

void GroupService::requestToJoin(const Caller &caller,
                                 const proto::RequestToJoinGroupRequest &request,
                                 ResultCallback<proto::JoinApplication> done)
{
    if (auto e = checkText(request.message(), "message", limits::kMaxJoinApplicationMessageLength))
        return done(*e);
    m_store.apply(
        caller.userId, toId(request.group_id()), QString::fromStdString(request.message()),
        m_policy.memberLimit, [this, done](const Stored<GroupChange> &stored) {
            if (stored.error.kind != PgError::Kind::None)
                return done(storeError(stored.error));
            if (!stored.value->ok())
                return done(outcomeError(*stored.value, m_policy.memberLimit));
            const QList<qint64> admins = stored.value->admins;
            m_store.applications(
                {stored.value->subject},
                [this, admins, done](const Stored<std::vector<proto::JoinApplication>> &read) {
                    if (!read.value || read.value->empty())
                        return done(read.error.kind != PgError::Kind::None ? storeError(read.error)
                                                                           : internalError());
                    pushApplication(read.value->front(), admins);
                    done(read.value->front());
                });
        });
}

void GroupService::answerApplication(const Caller &caller,
                                     const proto::AnswerJoinApplicationRequest &request,
                                     ChangeCallback done)
{
    m_store.answerApplication(caller.userId, toId(request.application_id()), request.approve(),
                              m_policy.memberLimit,
                              finish(caller, Extra::Application, std::move(done)));
}

void GroupService::withdrawApplication(const Caller &caller,
                                       const proto::WithdrawJoinApplicationRequest &request,
                                       ResultCallback<proto::JoinApplication> done)
{
    using Outcome = GroupStore::Withdrawal::Outcome;
    m_store.withdrawApplication(
        caller.userId, toId(request.application_id()),
        [this, done](const Stored<GroupStore::Withdrawal> &stored) {
            if (stored.error.kind != PgError::Kind::None)
                return done(storeError(stored.error));
            switch (stored.value->outcome) {
            case Outcome::NoApplication:
                return done(withReason(error(proto::ERROR_CODE_NOT_FOUND,
                                             QStringLiteral("no such request to join of yours")),
                                       "no_application"));
            case Outcome::NotPending:
                return done(withReason(error(proto::ERROR_CODE_CONFLICT,
                                             QStringLiteral("the request was answered or "
                                                            "cancelled already")),
                                       "not_pending"));
            case Outcome::Withdrawn:
                pushApplication(stored.value->application, stored.value->admins);
                return done(stored.value->application);
            }
        });
}

void GroupService::listApplications(const Caller &caller,
                                    const proto::ListJoinApplicationsRequest &request,
                                    ResultCallback<proto::JoinApplicationList> done)
{
    if (request.group_id() == 0) {
        return m_store.pendingApplicationsOf(
            caller.userId, [done](const Stored<std::vector<proto::JoinApplication>> &stored) {
                if (stored.error.kind != PgError::Kind::None)
                    return done(storeError(stored.error));
                proto::JoinApplicationList list;
                for (const auto &application : *stored.value)
                    *list.add_applications() = application;
                done(list);
            });
    }
    m_store.pendingApplications(
        caller.userId, toId(request.group_id()),
        [done](const Stored<GroupRead<std::vector<proto::JoinApplication>>> &stored) {
            if (auto refusal =
                    readRefusal(stored.error, stored.value ? stored.value->access : GroupAccess {}))
                return done(*refusal);
            if (stored.value->access.role == proto::GROUP_ROLE_MEMBER) {
                return done(withReason(
                    error(proto::ERROR_CODE_PERMISSION_DENIED,
                          QStringLiteral("only the group's owner and admins may do this")),
                    "not_admin"));
            }
            proto::JoinApplicationList list;
            for (const auto &application : stored.value->value)
                *list.add_applications() = application;
            done(list);
        });
}

void GroupService::joinByCode(const Caller &caller, const proto::JoinGroupByCodeRequest &request,
                              ChangeCallback done)
{
    const std::string &code = request.invite_code();
    if (code.empty() || code.size() > size_t(kMaxInviteCodeLength)) {
        return done(withReason(error(proto::ERROR_CODE_NOT_FOUND,
                                     QStringLiteral("no open group has this invite code")),
                               "bad_code"));
    }
    m_store.joinByCode(caller.userId, QString::fromStdString(code), m_policy.memberLimit,
                       finish(caller, Extra::None, std::move(done)));
}

void GroupService::leave(const Caller &caller, const proto::LeaveGroupRequest &request,
                         ChangeCallback done)
{
    m_store.leave(caller.userId, toId(request.group_id()),
                  finish(caller, Extra::None, std::move(done)));
}

void GroupService::removeMember(const Caller &caller,
                                const proto::RemoveGroupMemberRequest &request, ChangeCallback done)
{
    m_store.removeMember(caller.userId, toId(request.group_id()), toId(request.user_id()),
                         finish(caller, Extra::None, std::move(done)));
}

void GroupService::setAdmin(const Caller &caller, const proto::SetGroupAdminRequest &request,
                            ChangeCallback done)
{
    m_store.setAdmin(caller.userId, toId(request.group_id()), toId(request.user_id()),
                     request.admin(), finish(caller, Extra::None, std::move(done)));
}

void GroupService::transferOwnership(const Caller &caller,
                                     const proto::TransferGroupOwnershipRequest &request,
                                     ChangeCallback done)
{
    m_store.transferOwnership(caller.userId, toId(request.group_id()), toId(request.user_id()),
                              finish(caller, Extra::None, std::move(done)));
}

void GroupService::dissolve(const Caller &caller, const proto::DissolveGroupRequest &request,
                            ChangeCallback done)
{
    m_store.dissolve(caller.userId, toId(request.group_id()),
                     finish(caller, Extra::None, std::move(done)));
}

void GroupService::tellCancelled(const proto::GroupEvent &event)
{
    if (!groupEventCancels(event.kind()))
        return;
    const qint64 groupId = qint64(event.group_id());
    m_store.cancelledWith(
        groupId, qint64(event.seq()), [this, groupId](const Stored<GroupStore::Cancelled> &read) {
            if (!read.value) {
                qCWarning(lcGroups)
                    << "group" << groupId
                    << "could not read what a change cancelled:" << read.error.message;
                return;
            }
            pushInvitations(read.value->invitations);
            for (const auto &application : read.value->applications)
                pushApplication(application, {});
        });
}

void GroupService::setNickname(const Caller &caller, const proto::SetGroupNicknameRequest &request,
                               ChangeCallback done)
{
    QString nickname;
    if (auto e = checkName(request.nickname(), "nickname", limits::kMaxGroupNicknameLength, false,
                           nickname))
        return done(*e);
    m_store.setNickname(caller.userId, toId(request.group_id()), nickname,
                        finish(caller, Extra::None, std::move(done)));
}

void GroupService::getGroup(const Caller &caller, const proto::GetGroupRequest &request,
                            ResultCallback<proto::GroupMembership> done)
{
    m_store.membership(
        caller.userId, toId(request.group_id()),
        [done](const Stored<GroupRead<proto::GroupMembership>> &stored) {
            if (auto refusal =
                    readRefusal(stored.error, stored.value ? stored.value->access : GroupAccess {}))
                return done(*refusal);
            done(stored.value->value);
        });
}

void GroupService::listGroups(const Caller &caller, const proto::ListGroupsRequest &request,
                              ResultCallback<proto::GroupList> done)
{
    m_store.memberships(caller.userId, cursor(request.after_group_id()), pageSize(request.limit()),
                        [done](const Stored<proto::GroupList> &stored) {
                            if (stored.error.kind != PgError::Kind::None)
                                return done(storeError(stored.error));
                            done(*stored.value);
                        });
}

void GroupService::listMembers(const Caller &caller, const proto::ListGroupMembersRequest &request,
                               ResultCallback<proto::GroupMemberList> done)
{
    m_store.members(
        caller.userId, toId(request.group_id()), cursor(request.after_user_id()),
        pageSize(request.limit()), [done](const Stored<GroupRead<proto::GroupMemberList>> &stored) {
            if (auto refusal =
                    readRefusal(stored.error, stored.value ? stored.value->access : GroupAccess {}))
                return done(*refusal);
            done(stored.value->value);
        });
}

void GroupService::events(const Caller &caller, const proto::GetGroupEventsRequest &request,
                          ResultCallback<proto::GroupEventList> done)
{
    m_store.events(caller.userId, toId(request.group_id()), cursor(request.after_seq()),
                   pageSize(request.limit()),
                   [done](const Stored<GroupRead<proto::GroupEventList>> &stored) {
                       GroupAccess access = stored.value ? stored.value->access : GroupAccess {};
                       // Former members read up to the end of their membership.
                       if (access.formerMember)
                           access.role = proto::GROUP_ROLE_MEMBER;
                       if (auto refusal = readRefusal(stored.error, access))
                           return done(*refusal);
                       done(stored.value->value);
                   });
}

} // namespace tern::server
