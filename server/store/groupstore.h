// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/accountstore.h"
#include "tern/protocol.h"

#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace tern::server {

class PgPool;

// The NOTIFY channel on which group events made outside ternd's requests (ternctl ban, see
// migration 0023) are announced as "<group_id> <seq>", so that every ternd pushes them.
inline constexpr const char *kGroupEventChannel = "tern_group_event";
// The NOTIFY channel on which the invitations and requests to join that a ban cancelled are
// announced, as "invitations <id> <id> ..." or "applications <id> <id> ..." (at most 100 ids
// each; migration 0030), so that every ternd tells the people waiting on them.
inline constexpr const char *kGroupCancelledChannel = "tern_group_cancelled";

// What a group operation did, as its SQL function reported it (see migration 0003).
struct GroupChange
{
    // "ok", or why nothing changed: "no_group", "not_member", "not_admin", "not_owner",
    // "no_user", "refused", "limit", "self", "target_not_member", "target_owner",
    // "target_admin", "owner_cannot_leave", "already_member", "policy", "no_invitation",
    // "no_application", "not_pending", "bad_code", "no_invite_code", "banned" (the user's own
    // join, accepted invitation or request to join; migration 0029).
    QString outcome;
    // The user the outcome is about, or the invitation/application answered or made.
    qint64 subject = 0;
    // When ok: the group after the change (invite code included).
    proto::Group group;
    // The serialized tern.v1.GroupEvent the change made; empty when nothing changed.
    QByteArray event;
    // The members after the change, and the users whose membership the change ended.
    QList<qint64> recipients;
    QList<qint64> departed;
    // The owner and admins after the change.
    QList<qint64> admins;
    // Pending invitations made or found (create, invite).
    QList<qint64> invitationIds;

    bool ok() const { return outcome == QLatin1String("ok"); }
};

// The asking user's standing in a group, read with the data it guards.
struct GroupAccess
{
    bool groupExists = false;
    proto::GroupRole role = proto::GROUP_ROLE_UNSPECIFIED; // unspecified: not a member
    bool formerMember = false; // left, removed or dissolved (events() only)
};

template<typename T> struct GroupRead
{
    GroupAccess access;
    T value;
};

struct NewGroup
{
    QString name;
    QString avatarFileId;
    QString announcement;
    proto::GroupJoinPolicy joinPolicy = proto::GROUP_JOIN_POLICY_INVITE_ONLY;
    bool muteAll = false;
    QString inviteCode; // used when joinPolicy is OPEN
    QList<qint64> memberIds;
};

// Absent fields stay as they are.
struct GroupSettingsUpdate
{
    std::optional<QString> name;
    std::optional<QString> avatarFileId;
    std::optional<QString> announcement;
    std::optional<proto::GroupJoinPolicy> joinPolicy;
    std::optional<bool> muteAll;
    bool resetInviteCode = false;
    QString newInviteCode; // used when the group becomes open or the code is reset
};

// Groups, their members, events, invitations and applications in PostgreSQL. Every method is
// asynchronous, calls back on the pool's thread and is one transaction. The operations that
// change a group run as SQL functions that check and write under the group's row lock and
// append the event with the group's next seq; `memberLimit` is the server's limit.
class GroupStore
{
public:
    explicit GroupStore(PgPool &pool);

    void create(qint64 owner, const NewGroup &group, int memberLimit,
                StoreCallback<GroupChange> done);
    void update(qint64 actor, qint64 groupId, const GroupSettingsUpdate &update,
                StoreCallback<GroupChange> done);
    void invite(qint64 inviter, qint64 groupId, const QList<qint64> &userIds, int memberLimit,
                StoreCallback<GroupChange> done);
    void answerInvitation(qint64 user, qint64 invitationId, bool accept, int memberLimit,
                          StoreCallback<GroupChange> done);
    void apply(qint64 user, qint64 groupId, const QString &message, int memberLimit,
               StoreCallback<GroupChange> done);
    void answerApplication(qint64 admin, qint64 applicationId, bool approve, int memberLimit,
                           StoreCallback<GroupChange> done);
    // The applicant takes back a pending request to join.
    struct Withdrawal
    {
        enum class Outcome { Withdrawn, NotPending, NoApplication };
        Outcome outcome = Outcome::NoApplication;
        proto::JoinApplication application; // when withdrawn
        QList<qint64> admins; // of its group, to be told
    };
    void withdrawApplication(qint64 user, qint64 applicationId, StoreCallback<Withdrawal> done);
    void joinByCode(qint64 user, const QString &code, int memberLimit,
                    StoreCallback<GroupChange> done);
    void leave(qint64 user, qint64 groupId, StoreCallback<GroupChange> done);
    void removeMember(qint64 actor, qint64 groupId, qint64 target, StoreCallback<GroupChange> done);
    void setAdmin(qint64 owner, qint64 groupId, qint64 target, bool admin,
                  StoreCallback<GroupChange> done);
    void transferOwnership(qint64 owner, qint64 groupId, qint64 target,
                           StoreCallback<GroupChange> done);
    void dissolve(qint64 owner, qint64 groupId, StoreCallback<GroupChange> done);
    void setNickname(qint64 user, qint64 groupId, const QString &nickname,
                     StoreCallback<GroupChange> done);

    // The user's membership of a group that is not dissolved (value meaningful for members).
    void membership(qint64 user, qint64 groupId,
                    StoreCallback<GroupRead<proto::GroupMembership>> done);
    // The user's groups with an id above `afterGroupId`, by id, at most `limit`.
    void memberships(qint64 user, qint64 afterGroupId, int limit,
                     StoreCallback<proto::GroupList> done);
    // Members with a user id above `afterUserId`, by id, at most `limit` (members only).
    void members(qint64 user, qint64 groupId, qint64 afterUserId, int limit,
                 StoreCallback<GroupRead<proto::GroupMemberList>> done);
    // Events after `afterSeq` within the user's membership window (also a former member's),
    // at most `limit`. Dissolved groups count.
    void events(qint64 user, qint64 groupId, qint64 afterSeq, int limit,
                StoreCallback<GroupRead<proto::GroupEventList>> done);

    // Invitations by id, and the pending ones to a user (newest first, at most 200).
    void invitations(const QList<qint64> &ids,
                     StoreCallback<std::vector<proto::GroupInvitation>> done);
    void pendingInvitations(qint64 user, StoreCallback<std::vector<proto::GroupInvitation>> done);
    // Applications by id; the pending ones of an applicant (newest first, at most 200); the
    // pending ones to a group (oldest first, at most 200; the value is filled in only for its
    // owner and admins).
    void applications(const QList<qint64> &ids,
                      StoreCallback<std::vector<proto::JoinApplication>> done);
    void pendingApplicationsOf(qint64 user,
                               StoreCallback<std::vector<proto::JoinApplication>> done);
    void pendingApplications(qint64 user, qint64 groupId,
                             StoreCallback<GroupRead<std::vector<proto::JoinApplication>>> done);
    // Applications by id, in id order, each with its group's owner and admins now (told of it
    // as of a withdrawal).
    struct ApplicationToTell
    {
        proto::JoinApplication application;
        QList<qint64> admins;
    };
    void applicationsToTell(const QList<qint64> &ids,
                            StoreCallback<std::vector<ApplicationToTell>> done);
    // The invitations and applications the change that made event `seq` cancelled (dissolving
    // the group, or letting their invitee or applicant in another way), to tell the people
    // waiting on them: their update time is the event's, one transaction's now().
    struct Cancelled
    {
        std::vector<proto::GroupInvitation> invitations;
        std::vector<proto::JoinApplication> applications;
    };
    void cancelledWith(qint64 groupId, qint64 seq, StoreCallback<Cancelled> done);

    // A stored event as GroupEventPush carries it, for a change this process did not make
    // (kGroupEventChannel): the serialized event, the group now (invite code included), the
    // members at the event who still are (recipients) and those whose membership ended with it
    // or since (departed: told without the invite code). No value when there is no such event.
    struct EventToPush
    {
        QByteArray event;
        proto::Group group;
        QList<qint64> recipients;
        QList<qint64> departed;
    };
    void eventToPush(qint64 groupId, qint64 seq, StoreCallback<EventToPush> done);

private:
    void runChange(PgStatement statement, StoreCallback<GroupChange> done);

    PgPool &m_pool;
};

} // namespace tern::server
