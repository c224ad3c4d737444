// SPDX-License-Identifier: Apache-2.0
// GroupStore: SQL for groups. Runs on the thread of the PgPool it was given (an I/O worker).
// The changes are the SQL functions of migration 0003; this file passes parameters and reads
// their results and the listings.
#include "store/groupstore.h"

#include "store/pagebudget.h"
#include "store/pgpool.h"

#include <QHash>

namespace tern::server {

namespace {

// The columns of tern.v1.Group, in the order readGroup() expects (also the first twelve
// columns of tern_group_result).
#define TERN_GROUP_COLUMNS                                                                         \
    " g.id, g.name, g.avatar_file_id, g.announcement, g.join_policy, g.mute_all,"                  \
    " g.invite_code, g.owner_id, g.member_count, g.last_seq,"                                      \
    " (extract(epoch FROM g.created_at) * 1000)::bigint, g.dissolved_at IS NOT NULL "
constexpr int kGroupColumnCount = 12;

proto::Group readGroup(const PgResult &r, int row, int first)
{
    proto::Group group;
    group.set_group_id(quint64(r.int64(row, first)));
    group.set_name(r.bytes(row, first + 1).toStdString());
    group.set_avatar_file_id(r.bytes(row, first + 2).toStdString());
    group.set_announcement(r.bytes(row, first + 3).toStdString());
    group.set_join_policy(proto::GroupJoinPolicy(r.int64(row, first + 4)));
    group.set_mute_all(r.boolean(row, first + 5));
    group.set_invite_code(r.bytes(row, first + 6).toStdString());
    group.set_owner_id(quint64(r.int64(row, first + 7)));
    group.set_member_count(quint32(r.int64(row, first + 8)));
    group.set_last_seq(quint64(r.int64(row, first + 9)));
    group.set_created_at_ms(r.int64(row, first + 10));
    group.set_dissolved(r.boolean(row, first + 11));
    return group;
}

template<typename T> PgParam optionalText(const std::optional<T> &value)
{
    return value ? pgText(*value) : std::nullopt;
}

proto::GroupMembership readMembership(const PgResult &r, int row)
{
    proto::GroupMembership membership;
    *membership.mutable_group() = readGroup(r, row, 0);
    membership.set_role(proto::GroupRole(r.int64(row, kGroupColumnCount)));
    membership.set_nickname(r.bytes(row, kGroupColumnCount + 1).toStdString());
    membership.set_joined_seq(quint64(r.int64(row, kGroupColumnCount + 2)));
    return membership;
}

#define TERN_INVITATION_QUERY                                                                      \
    "SELECT i.id, i.inviter_id, i.invitee_id, i.state,"                                            \
    " (extract(epoch FROM i.created_at) * 1000)::bigint,"                                          \
    " (extract(epoch FROM i.updated_at) * 1000)::bigint," TERN_GROUP_COLUMNS                       \
    " FROM group_invitations i JOIN groups g ON g.id = i.group_id "

std::vector<proto::GroupInvitation> readInvitations(const PgResult &r)
{
    std::vector<proto::GroupInvitation> invitations;
    for (int row = 0; row < r.rowCount(); ++row) {
        proto::GroupInvitation invitation;
        invitation.set_invitation_id(quint64(r.int64(row, 0)));
        invitation.set_inviter_id(quint64(r.int64(row, 1)));
        invitation.set_invitee_id(quint64(r.int64(row, 2)));
        invitation.set_state(proto::GroupInvitation::State(r.int64(row, 3)));
        invitation.set_created_at_ms(r.int64(row, 4));
        invitation.set_updated_at_ms(r.int64(row, 5));
        *invitation.mutable_group() = readGroup(r, row, 6);
        invitation.mutable_group()->clear_invite_code(); // the invitee is not a member yet
        invitations.push_back(std::move(invitation));
    }
    return invitations;
}

#define TERN_APPLICATION_QUERY                                                                     \
    "SELECT a.id, a.group_id, a.applicant_id, u.username, u.display_name, u.avatar_file_id,"       \
    " a.message, a.state, coalesce(a.decided_by, 0),"                                              \
    " (extract(epoch FROM a.created_at) * 1000)::bigint,"                                          \
    " (extract(epoch FROM a.updated_at) * 1000)::bigint," TERN_GROUP_COLUMNS                       \
    " FROM group_join_applications a JOIN users u ON u.id = a.applicant_id"                        \
    " JOIN groups g ON g.id = a.group_id "

std::vector<proto::JoinApplication> readApplications(const PgResult &r)
{
    std::vector<proto::JoinApplication> applications;
    for (int row = 0; row < r.rowCount(); ++row) {
        proto::JoinApplication application;
        application.set_application_id(quint64(r.int64(row, 0)));
        application.set_group_id(quint64(r.int64(row, 1)));
        auto *applicant = application.mutable_applicant();
        applicant->set_user_id(quint64(r.int64(row, 2)));
        applicant->set_username(r.bytes(row, 3).toStdString());
        applicant->set_display_name(r.bytes(row, 4).toStdString());
        applicant->set_avatar_file_id(r.bytes(row, 5).toStdString());
        application.set_message(r.bytes(row, 6).toStdString());
        application.set_state(proto::JoinApplication::State(r.int64(row, 7)));
        application.set_decided_by(quint64(r.int64(row, 8)));
        application.set_created_at_ms(r.int64(row, 9));
        application.set_updated_at_ms(r.int64(row, 10));
        // Anyone who knows the number may apply: what the group shows a stranger only.
        const proto::Group group = readGroup(r, row, 11);
        auto *shown = application.mutable_group();
        shown->set_group_id(group.group_id());
        shown->set_name(group.name());
        shown->set_join_policy(group.join_policy());
        shown->set_member_count(group.member_count());
        shown->set_dissolved(group.dissolved());
        applications.push_back(std::move(application));
    }
    return applications;
}

// The first statement of a guarded read: does the group exist, and the user's role in it.
GroupAccess readAccess(const PgResult &r, int roleColumn)
{
    GroupAccess access;
    access.groupExists = r.rowCount() == 1;
    if (access.groupExists && !r.isNull(0, roleColumn))
        access.role = proto::GroupRole(r.int64(0, roleColumn));
    return access;
}

} // namespace

GroupStore::GroupStore(PgPool &pool)
    : m_pool(pool)
{ }

void GroupStore::runChange(PgStatement statement, StoreCallback<GroupChange> done)
{
    m_pool.execute(std::move(statement), [done](const PgOutcome &o) {
        Stored<GroupChange> stored {o.error, {}};
        if (o.ok() && o.results.front().rowCount() == 1) {
            const PgResult &r = o.results.front();
            GroupChange change;
            change.outcome = r.text(0, 12);
            change.subject = r.int64(0, 13);
            if (change.ok()) {
                change.group = readGroup(r, 0, 0);
                change.event = r.bytea(0, 14);
                change.recipients = pgReadIds(r.bytes(0, 15));
                change.departed = pgReadIds(r.bytes(0, 16));
                change.admins = pgReadIds(r.bytes(0, 17));
                change.invitationIds = pgReadIds(r.bytes(0, 18));
            }
            stored.value = std::move(change);
        }
        done(stored);
    });
}

void GroupStore::create(qint64 owner, const NewGroup &group, int memberLimit,
                        StoreCallback<GroupChange> done)
{
    const bool open = group.joinPolicy == proto::GROUP_JOIN_POLICY_OPEN;
    runChange({"SELECT * FROM tern_group_create($1, $2, $3, $4, $5::smallint, $6::boolean, $7,"
               " $8::bigint[], $9::int)",
               {pgInt(owner), pgText(group.name), pgText(group.avatarFileId),
                pgText(group.announcement), pgInt(group.joinPolicy), pgBool(group.muteAll),
                open ? pgText(group.inviteCode) : std::nullopt, pgIds(group.memberIds),
                pgInt(memberLimit)}},
              std::move(done));
}

void GroupStore::update(qint64 actor, qint64 groupId, const GroupSettingsUpdate &update,
                        StoreCallback<GroupChange> done)
{
    runChange({"SELECT * FROM tern_group_update($1, $2, $3, $4, $5, $6::smallint, $7::boolean,"
               " $8::boolean, $9)",
               {pgInt(groupId), pgInt(actor), optionalText(update.name),
                optionalText(update.avatarFileId), optionalText(update.announcement),
                update.joinPolicy ? pgInt(*update.joinPolicy) : std::nullopt,
                update.muteAll ? pgBool(*update.muteAll) : std::nullopt,
                pgBool(update.resetInviteCode), pgText(update.newInviteCode)}},
              std::move(done));
}

void GroupStore::invite(qint64 inviter, qint64 groupId, const QList<qint64> &userIds,
                        int memberLimit, StoreCallback<GroupChange> done)
{
    runChange({"SELECT * FROM tern_group_invite($1, $2, $3::bigint[], $4::int)",
               {pgInt(groupId), pgInt(inviter), pgIds(userIds), pgInt(memberLimit)}},
              std::move(done));
}

void GroupStore::answerInvitation(qint64 user, qint64 invitationId, bool accept, int memberLimit,
                                  StoreCallback<GroupChange> done)
{
    runChange({"SELECT * FROM tern_group_answer_invitation($1, $2, $3::boolean, $4::int)",
               {pgInt(user), pgInt(invitationId), pgBool(accept), pgInt(memberLimit)}},
              std::move(done));
}

void GroupStore::apply(qint64 user, qint64 groupId, const QString &message, int memberLimit,
                       StoreCallback<GroupChange> done)
{
    runChange({"SELECT * FROM tern_group_apply($1, $2, $3, $4::int)",
               {pgInt(groupId), pgInt(user), pgText(message), pgInt(memberLimit)}},
              std::move(done));
}

void GroupStore::answerApplication(qint64 admin, qint64 applicationId, bool approve,
                                   int memberLimit, StoreCallback<GroupChange> done)
{
    runChange({"SELECT * FROM tern_group_answer_application($1, $2, $3::boolean, $4::int)",
               {pgInt(admin), pgInt(applicationId), pgBool(approve), pgInt(memberLimit)}},
              std::move(done));
}

void GroupStore::withdrawApplication(qint64 user, qint64 applicationId,
                                     StoreCallback<Withdrawal> done)
{
    std::vector<PgStatement> statements;
    // The group's lock first, as its changes take it: an admin's answer in flight then either
    // finishes before (and this finds the request answered) or finds it withdrawn.
    statements.push_back({"SELECT 1 FROM groups WHERE id = (SELECT group_id"
                          " FROM group_join_applications WHERE id = $1) FOR UPDATE",
                          {pgInt(applicationId)}});
    statements.push_back({"UPDATE group_join_applications SET state = 4, updated_at = now()"
                          " WHERE id = $1 AND applicant_id = $2 AND state = 1 RETURNING id",
                          {pgInt(applicationId), pgInt(user)}});
    statements.push_back({TERN_APPLICATION_QUERY "WHERE a.id = $1 AND a.applicant_id = $2",
                          {pgInt(applicationId), pgInt(user)}});
    statements.push_back({"SELECT ARRAY(SELECT m.user_id FROM group_members m"
                          "  JOIN group_join_applications a ON a.group_id = m.group_id"
                          " WHERE a.id = $1 AND m.left_seq IS NULL AND m.role >= 2"
                          " ORDER BY m.user_id)",
                          {pgInt(applicationId)}});
    m_pool.execute(std::move(statements), [done](const PgOutcome &o) {
        Stored<Withdrawal> stored {o.error, {}};
        if (o.ok()) {
            Withdrawal w;
            std::vector<proto::JoinApplication> read = readApplications(o.results[2]);
            if (o.results[1].rowCount() == 1 && !read.empty()) {
                w.outcome = Withdrawal::Outcome::Withdrawn;
                w.application = std::move(read.front());
                w.admins = pgReadIds(o.results[3].bytes(0, 0));
            } else if (!read.empty()) {
                w.outcome = Withdrawal::Outcome::NotPending;
            }
            stored.value = std::move(w);
        }
        done(stored);
    });
}

void GroupStore::joinByCode(qint64 user, const QString &code, int memberLimit,
                            StoreCallback<GroupChange> done)
{
    runChange({"SELECT * FROM tern_group_join_by_code($1, $2, $3::int)",
               {pgInt(user), pgText(code), pgInt(memberLimit)}},
              std::move(done));
}

void GroupStore::leave(qint64 user, qint64 groupId, StoreCallback<GroupChange> done)
{
    runChange({"SELECT * FROM tern_group_leave($1, $2)", {pgInt(groupId), pgInt(user)}},
              std::move(done));
}

void GroupStore::removeMember(qint64 actor, qint64 groupId, qint64 target,
                              StoreCallback<GroupChange> done)
{
    runChange({"SELECT * FROM tern_group_remove_member($1, $2, $3)",
               {pgInt(groupId), pgInt(actor), pgInt(target)}},
              std::move(done));
}

void GroupStore::setAdmin(qint64 owner, qint64 groupId, qint64 target, bool admin,
                          StoreCallback<GroupChange> done)
{
    runChange({"SELECT * FROM tern_group_set_admin($1, $2, $3, $4::boolean)",
               {pgInt(groupId), pgInt(owner), pgInt(target), pgBool(admin)}},
              std::move(done));
}

void GroupStore::transferOwnership(qint64 owner, qint64 groupId, qint64 target,
                                   StoreCallback<GroupChange> done)
{
    runChange({"SELECT * FROM tern_group_transfer($1, $2, $3)",
               {pgInt(groupId), pgInt(owner), pgInt(target)}},
              std::move(done));
}

void GroupStore::dissolve(qint64 owner, qint64 groupId, StoreCallback<GroupChange> done)
{
    runChange({"SELECT * FROM tern_group_dissolve($1, $2)", {pgInt(groupId), pgInt(owner)}},
              std::move(done));
}

void GroupStore::setNickname(qint64 user, qint64 groupId, const QString &nickname,
                             StoreCallback<GroupChange> done)
{
    runChange({"SELECT * FROM tern_group_set_nickname($1, $2, $3)",
               {pgInt(groupId), pgInt(user), pgText(nickname)}},
              std::move(done));
}

void GroupStore::membership(qint64 user, qint64 groupId,
                            StoreCallback<GroupRead<proto::GroupMembership>> done)
{
    m_pool.execute({"SELECT" TERN_GROUP_COLUMNS ", m.role, m.nickname, m.joined_seq"
                    " FROM groups g LEFT JOIN group_members m"
                    "   ON m.group_id = g.id AND m.user_id = $2 AND m.left_seq IS NULL"
                    " WHERE g.id = $1 AND g.dissolved_at IS NULL",
                    {pgInt(groupId), pgInt(user)}},
                   [done](const PgOutcome &o) {
                       Stored<GroupRead<proto::GroupMembership>> stored {o.error, {}};
                       if (o.ok()) {
                           const PgResult &r = o.results.front();
                           GroupRead<proto::GroupMembership> read;
                           read.access = readAccess(r, kGroupColumnCount);
                           if (read.access.role != proto::GROUP_ROLE_UNSPECIFIED)
                               read.value = readMembership(r, 0);
                           stored.value = std::move(read);
                       }
                       done(stored);
                   });
}

void GroupStore::memberships(qint64 user, qint64 afterGroupId, int limit,
                             StoreCallback<proto::GroupList> done)
{
    m_pool.execute({"SELECT" TERN_GROUP_COLUMNS ", m.role, m.nickname, m.joined_seq"
                    " FROM group_members m JOIN groups g ON g.id = m.group_id"
                    " WHERE m.user_id = $1 AND m.left_seq IS NULL AND m.group_id > $2"
                    " ORDER BY m.group_id LIMIT $3",
                    {pgInt(user), pgInt(afterGroupId), pgInt(limit + 1)}},
                   [done, limit](const PgOutcome &o) {
                       Stored<proto::GroupList> stored {o.error, {}};
                       if (o.ok()) {
                           const PgResult &r = o.results.front();
                           proto::GroupList list;
                           for (int row = 0; row < std::min(r.rowCount(), limit); ++row)
                               *list.add_groups() = readMembership(r, row);
                           list.set_has_more(r.rowCount() > limit);
                           stored.value = std::move(list);
                       }
                       done(stored);
                   });
}

void GroupStore::members(qint64 user, qint64 groupId, qint64 afterUserId, int limit,
                         StoreCallback<GroupRead<proto::GroupMemberList>> done)
{
    std::vector<PgStatement> statements;
    statements.push_back({"SELECT g.last_seq, m.role FROM groups g LEFT JOIN group_members m"
                          "   ON m.group_id = g.id AND m.user_id = $2 AND m.left_seq IS NULL"
                          " WHERE g.id = $1 AND g.dissolved_at IS NULL",
                          {pgInt(groupId), pgInt(user)}});
    // Guarded again, so that no row leaves for a user who is not (or no longer) a member.
    statements.push_back(
        {"SELECT m.user_id, m.role, m.nickname, (extract(epoch FROM m.joined_at) * 1000)::bigint,"
         "       m.joined_seq, u.username, u.display_name, u.avatar_file_id,"
         "       coalesce(c.is_friend, false), coalesce(c.blocked, false), g.last_seq"
         " FROM groups g"
         " JOIN group_members m ON m.group_id = g.id AND m.left_seq IS NULL"
         " JOIN users u ON u.id = m.user_id"
         " LEFT JOIN contacts c ON c.owner_id = $2 AND c.peer_id = m.user_id"
         " WHERE g.id = $1 AND g.dissolved_at IS NULL AND m.user_id > $3"
         "   AND EXISTS (SELECT 1 FROM group_members me WHERE me.group_id = $1"
         "                  AND me.user_id = $2 AND me.left_seq IS NULL)"
         " ORDER BY m.user_id LIMIT $4",
         {pgInt(groupId), pgInt(user), pgInt(afterUserId), pgInt(limit + 1)}});
    m_pool.execute(std::move(statements), [done, limit](const PgOutcome &o) {
        Stored<GroupRead<proto::GroupMemberList>> stored {o.error, {}};
        if (o.ok()) {
            const PgResult &head = o.results.front();
            const PgResult &r = o.results.back();
            GroupRead<proto::GroupMemberList> read;
            read.access = readAccess(head, 1);
            proto::GroupMemberList &list = read.value;
            list.set_last_seq(quint64(head.rowCount() ? head.int64(0, 0) : 0));
            for (int row = 0; row < std::min(r.rowCount(), limit); ++row) {
                auto *member = list.add_members();
                member->set_user_id(quint64(r.int64(row, 0)));
                member->set_role(proto::GroupRole(r.int64(row, 1)));
                member->set_nickname(r.bytes(row, 2).toStdString());
                member->set_joined_at_ms(r.int64(row, 3));
                member->set_joined_seq(quint64(r.int64(row, 4)));
                auto *profile = member->mutable_profile();
                profile->set_user_id(member->user_id());
                profile->set_username(r.bytes(row, 5).toStdString());
                profile->set_display_name(r.bytes(row, 6).toStdString());
                profile->set_avatar_file_id(r.bytes(row, 7).toStdString());
                profile->set_is_friend(r.boolean(row, 8));
                profile->set_blocked_by_me(r.boolean(row, 9));
                // The page's own snapshot, which the members are consistent with.
                list.set_last_seq(quint64(r.int64(row, 10)));
            }
            list.set_has_more(r.rowCount() > limit);
            stored.value = std::move(read);
        }
        done(stored);
    });
}

void GroupStore::events(qint64 user, qint64 groupId, qint64 afterSeq, int limit,
                        StoreCallback<GroupRead<proto::GroupEventList>> done)
{
    std::vector<PgStatement> statements;
    statements.push_back({"SELECT g.last_seq, m.joined_seq, m.left_seq, m.role"
                          " FROM groups g LEFT JOIN group_members m"
                          "   ON m.group_id = g.id AND m.user_id = $2"
                          " WHERE g.id = $1",
                          {pgInt(groupId), pgInt(user)}});
    // The membership window bounds the range in SQL too, whatever happened in between.
    statements.push_back({"SELECT e.seq, e.event FROM group_events e"
                          " JOIN group_members m ON m.group_id = e.group_id AND m.user_id = $2"
                          " WHERE e.group_id = $1 AND e.seq > $3 AND e.seq >= m.joined_seq"
                          "   AND (m.left_seq IS NULL OR e.seq <= m.left_seq)"
                          " ORDER BY e.seq LIMIT $4",
                          {pgInt(groupId), pgInt(user), pgInt(afterSeq), pgInt(limit + 1)}});
    m_pool.execute(std::move(statements), [done, limit](const PgOutcome &o) {
        Stored<GroupRead<proto::GroupEventList>> stored {o.error, {}};
        if (o.ok()) {
            const PgResult &head = o.results.front();
            const PgResult &r = o.results.back();
            GroupRead<proto::GroupEventList> read;
            read.access.groupExists = head.rowCount() == 1;
            const bool everMember = read.access.groupExists && !head.isNull(0, 1);
            const bool member = everMember && head.isNull(0, 2);
            if (member)
                read.access.role = proto::GroupRole(head.int64(0, 3));
            read.access.formerMember = everMember && !member;
            proto::GroupEventList &list = read.value;
            list.set_member(member);
            qint64 lastSeq = 0;
            if (everMember)
                lastSeq = member ? head.int64(0, 0) : head.int64(0, 2);
            // An announcement may be 2,000 characters: 500 of them would outgrow a frame.
            PageBudget budget;
            bool cut = false;
            for (int row = 0; row < std::min(r.rowCount(), limit); ++row) {
                const QByteArray bytes = r.bytea(row, 1);
                if (!budget.fits(size_t(bytes.size()), size_t(list.events_size()))) {
                    cut = true;
                    break;
                }
                if (!list.add_events()->ParseFromArray(bytes.constData(), int(bytes.size())))
                    list.mutable_events()->RemoveLast(); // cannot happen: we wrote them
                lastSeq = std::max(lastSeq, r.int64(row, 0));
            }
            list.set_last_seq(quint64(lastSeq));
            list.set_has_more(cut || r.rowCount() > limit);
            stored.value = std::move(read);
        }
        done(stored);
    });
}

void GroupStore::invitations(const QList<qint64> &ids,
                             StoreCallback<std::vector<proto::GroupInvitation>> done)
{
    m_pool.execute(
        {TERN_INVITATION_QUERY "WHERE i.id = ANY ($1::bigint[]) ORDER BY i.id", {pgIds(ids)}},
        [done](const PgOutcome &o) {
            Stored<std::vector<proto::GroupInvitation>> stored {o.error, {}};
            if (o.ok())
                stored.value = readInvitations(o.results.front());
            done(stored);
        });
}

void GroupStore::pendingInvitations(qint64 user,
                                    StoreCallback<std::vector<proto::GroupInvitation>> done)
{
    m_pool.execute({TERN_INVITATION_QUERY "WHERE i.invitee_id = $1 AND i.state = 1"
                                          " ORDER BY i.id DESC LIMIT 200",
                    {pgInt(user)}},
                   [done](const PgOutcome &o) {
                       Stored<std::vector<proto::GroupInvitation>> stored {o.error, {}};
                       if (o.ok())
                           stored.value = readInvitations(o.results.front());
                       done(stored);
                   });
}

void GroupStore::applications(const QList<qint64> &ids,
                              StoreCallback<std::vector<proto::JoinApplication>> done)
{
    m_pool.execute(
        {TERN_APPLICATION_QUERY "WHERE a.id = ANY ($1::bigint[]) ORDER BY a.id", {pgIds(ids)}},
        [done](const PgOutcome &o) {
            Stored<std::vector<proto::JoinApplication>> stored {o.error, {}};
            if (o.ok())
                stored.value = readApplications(o.results.front());
            done(stored);
        });
}

void GroupStore::applicationsToTell(const QList<qint64> &ids,
                                    StoreCallback<std::vector<ApplicationToTell>> done)
{
    std::vector<PgStatement> statements;
    statements.push_back(
        {TERN_APPLICATION_QUERY "WHERE a.id = ANY ($1::bigint[]) ORDER BY a.id", {pgIds(ids)}});
    statements.push_back({"SELECT a.id, ARRAY(SELECT m.user_id FROM group_members m"
                          "                    WHERE m.group_id = a.group_id"
                          "                      AND m.left_seq IS NULL AND m.role >= 2"
                          "                    ORDER BY m.user_id)"
                          " FROM group_join_applications a WHERE a.id = ANY ($1::bigint[])",
                          {pgIds(ids)}});
    m_pool.execute(std::move(statements), [done](const PgOutcome &o) {
        Stored<std::vector<ApplicationToTell>> stored {o.error, {}};
        if (o.ok()) {
            const PgResult &admins = o.results.back();
            QHash<qint64, QList<qint64>> adminsOf;
            for (int row = 0; row < admins.rowCount(); ++row)
                adminsOf.insert(admins.int64(row, 0), pgReadIds(admins.bytes(row, 1)));
            std::vector<ApplicationToTell> applications;
            for (proto::JoinApplication &application : readApplications(o.results.front())) {
                QList<qint64> told = adminsOf.value(qint64(application.application_id()));
                applications.push_back({std::move(application), std::move(told)});
            }
            stored.value = std::move(applications);
        }
        done(stored);
    });
}

void GroupStore::pendingApplicationsOf(qint64 user,
                                       StoreCallback<std::vector<proto::JoinApplication>> done)
{
    m_pool.execute({TERN_APPLICATION_QUERY "WHERE a.applicant_id = $1 AND a.state = 1"
                                           " ORDER BY a.id DESC LIMIT 200",
                    {pgInt(user)}},
                   [done](const PgOutcome &o) {
                       Stored<std::vector<proto::JoinApplication>> stored {o.error, {}};
                       if (o.ok())
                           stored.value = readApplications(o.results.front());
                       done(stored);
                   });
}

void GroupStore::cancelledWith(qint64 groupId, qint64 seq, StoreCallback<Cancelled> done)
{
#define TERN_EVENT_TIME                                                                            \
    " (SELECT e.created_at FROM group_events e WHERE e.group_id = $1 AND e.seq = $2)"
    std::vector<PgStatement> statements;
    statements.push_back({TERN_INVITATION_QUERY "WHERE i.group_id = $1 AND i.state = 4"
                                                " AND i.updated_at =" TERN_EVENT_TIME
                                                " ORDER BY i.id",
                          {pgInt(groupId), pgInt(seq)}});
    statements.push_back({TERN_APPLICATION_QUERY "WHERE a.group_id = $1 AND a.state = 4"
                                                 " AND a.updated_at =" TERN_EVENT_TIME
                                                 " ORDER BY a.id",
                          {pgInt(groupId), pgInt(seq)}});
#undef TERN_EVENT_TIME
    m_pool.execute(std::move(statements), [done](const PgOutcome &o) {
        Stored<Cancelled> stored {o.error, {}};
        if (o.ok())
            stored.value =
                Cancelled {readInvitations(o.results.front()), readApplications(o.results.back())};
        done(stored);
    });
}

void GroupStore::eventToPush(qint64 groupId, qint64 seq, StoreCallback<EventToPush> done)
{
    // Members by the event's seq, not now: a change committed since may have let someone in
    // (who must not get what came before) or out. The group is read now, so only those still
    // members are recipients with its invite code; the others (out with this event or since)
    // get it without (departed).
    m_pool.execute({"SELECT e.event," TERN_GROUP_COLUMNS ","
                    " ARRAY(SELECT m.user_id FROM group_members m WHERE m.group_id = g.id"
                    "        AND m.joined_seq <= e.seq AND m.left_seq IS NULL ORDER BY m.user_id),"
                    " ARRAY(SELECT m.user_id FROM group_members m WHERE m.group_id = g.id"
                    "        AND m.joined_seq <= e.seq AND m.left_seq >= e.seq ORDER BY m.user_id)"
                    " FROM group_events e JOIN groups g ON g.id = e.group_id"
                    " WHERE e.group_id = $1 AND e.seq = $2",
                    {pgInt(groupId), pgInt(seq)}},
                   [done](const PgOutcome &o) {
                       Stored<EventToPush> stored {o.error, {}};
                       if (o.ok() && o.results.front().rowCount() == 1) {
                           const PgResult &r = o.results.front();
                           EventToPush push;
                           push.event = r.bytea(0, 0);
                           push.group = readGroup(r, 0, 1);
                           push.recipients = pgReadIds(r.bytes(0, 1 + kGroupColumnCount));
                           push.departed = pgReadIds(r.bytes(0, 2 + kGroupColumnCount));
                           stored.value = std::move(push);
                       }
                       done(stored);
                   });
}

void GroupStore::pendingApplications(
    qint64 user, qint64 groupId, StoreCallback<GroupRead<std::vector<proto::JoinApplication>>> done)
{
    std::vector<PgStatement> statements;
    statements.push_back({"SELECT m.role FROM groups g LEFT JOIN group_members m"
                          "   ON m.group_id = g.id AND m.user_id = $2 AND m.left_seq IS NULL"
                          " WHERE g.id = $1 AND g.dissolved_at IS NULL",
                          {pgInt(groupId), pgInt(user)}});
    statements.push_back({TERN_APPLICATION_QUERY
                          "WHERE a.group_id = $1 AND a.state = 1"
                          "  AND EXISTS (SELECT 1 FROM group_members me WHERE me.group_id = $1"
                          "                 AND me.user_id = $2 AND me.left_seq IS NULL"
                          "                 AND me.role >= 2)"
                          " ORDER BY a.id LIMIT 200",
                          {pgInt(groupId), pgInt(user)}});
    m_pool.execute(std::move(statements), [done](const PgOutcome &o) {
        Stored<GroupRead<std::vector<proto::JoinApplication>>> stored {o.error, {}};
        if (o.ok()) {
            GroupRead<std::vector<proto::JoinApplication>> read;
            read.access = readAccess(o.results.front(), 0);
            read.value = readApplications(o.results.back());
            stored.value = std::move(read);
        }
        done(stored);
    });
}

} // namespace tern::server
