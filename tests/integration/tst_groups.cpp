// SPDX-License-Identifier: Apache-2.0
// Groups against a real ternd and PostgreSQL: creation and invitations (group_adders, blocks),
// roles and every forbidden action's error, settings, nicknames, paged members, invite codes,
// applications, leaving, removal, ownership, dissolution, the member limit, pushes to every
// device of every member, and offline catch-up by seq.
#include "store/pgsession.h"
#include "support/messagingtest.h"
#include "support/pgfixture.h"
#include "support/terndprocess.h"
#include "support/testclient.h"
#include "tern/framing.h"
#include "tern/limits.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTest>

#include <functional>
#include <memory>

using namespace tern;
using Kind = proto::GroupEvent::Kind;

namespace {
const QString kPassword = QStringLiteral("correct horse battery");
constexpr quint64 kNoSuchGroup = 987654321;
constexpr quint64 kNoSuchUser = 987654321;
// A user's own ways into a group (ownWaysInFailForTheBanned).
enum WayIn { ByCode, ByInvitation, ByRequest, ByCreating };

// A registered user with one connected device.
struct User
{
    std::unique_ptr<TestClient> client;
    quint64 id = 0;
    QString username;

    proto::Frame send(const std::function<void(proto::Frame &)> &fill) const
    {
        proto::Frame frame;
        fill(frame);
        return client->request(frame);
    }
};

QString describe(const proto::Frame &frame)
{
    return QString::fromStdString(frame.ShortDebugString());
}

// Waits for the next frame on `client` that `match` accepts, skipping every other push
// (presence, contacts, other groups). Empty when none came in time.
std::optional<proto::Frame> waitPush(TestClient &client,
                                     const std::function<bool(const proto::Frame &)> &match,
                                     int timeoutMs = 10000)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        auto frame = client.nextUnsolicited(int(std::max<qint64>(1, timeoutMs - timer.elapsed())));
        if (!frame)
            return std::nullopt;
        if (match(*frame))
            return frame;
    }
    return std::nullopt;
}

std::optional<proto::GroupEventPush> waitEvent(TestClient &client, quint64 groupId, quint64 seq)
{
    const auto frame = waitPush(client, [&](const proto::Frame &f) {
        return f.has_group_event_push() && f.group_event_push().event().group_id() == groupId
            && f.group_event_push().event().seq() == seq;
    });
    if (!frame)
        return std::nullopt;
    return frame->group_event_push();
}

std::optional<proto::GroupInvitation> waitInvitation(TestClient &client, quint64 invitationId,
                                                     proto::GroupInvitation::State state)
{
    const auto frame = waitPush(client, [&](const proto::Frame &f) {
        return f.has_group_invitation_push()
            && f.group_invitation_push().invitation().invitation_id() == invitationId
            && f.group_invitation_push().invitation().state() == state;
    });
    if (!frame)
        return std::nullopt;
    return frame->group_invitation_push().invitation();
}

std::optional<proto::JoinApplication> waitApplication(TestClient &client, quint64 applicationId,
                                                      proto::JoinApplication::State state)
{
    const auto frame = waitPush(client, [&](const proto::Frame &f) {
        return f.has_join_application_push()
            && f.join_application_push().application().application_id() == applicationId
            && f.join_application_push().application().state() == state;
    });
    if (!frame)
        return std::nullopt;
    return frame->join_application_push().application();
}

QList<quint64> ids(const google::protobuf::RepeatedField<google::protobuf::uint64> &field)
{
    return QList<quint64>(field.begin(), field.end());
}
} // namespace

class TestGroups : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void welcomeAdvertisesTheMemberLimit();
    void createAddsWhomGroupAddersAllowAndInvitesTheRest();
    void invitationAcceptAndDecline();
    void invitationsFollowTheInviter();
    void createRejectsBadInput_data();
    void createRejectsBadInput();
    void limitsAreInclusive();
    void unknownUsersFailTheWholeInvite();
    void blockedInviterCannotAdd();
    void forbiddenActions_data();
    void forbiddenActions();
    void rolesPromoteDemoteRemove();
    void transferOwnership();
    void settingsAndMuteAll();
    void nicknames();
    void memberListIsPaged();
    void groupListCarriesLastSeq();
    void joinByInviteCode();
    void requestToJoinAndApprove();
    void waitingRequestsAreCapped();
    void applicantsWithdrawTheirRequests();
    void creationsAreCapped();
    void applicationsRespectBlocksAndAreSpaced();
    void waitingInvitationsAreCapped();
    void anInvitationWaitsForABanInProgress();
    void ownWaysInFailForTheBanned_data();
    void ownWaysInFailForTheBanned();
    void leaveAndReadUpToTheEnd();
    void removedMemberHearsAndReadsUpToRemoval();
    void dissolve();
    void pushesReachEveryDeviceOfEveryMember();
    void offlineDeviceCatchesUpBySeq();
    void longEventPagesStopWithinABudget();
    void concurrentChangesGetDenseSeqs();
    void memberLimit();
    void invalidMemberLimitIsRefused();

private:
    User user(const QString &name);
    bool age(const char *table, const char *where, qint64 id, int days);
    std::unique_ptr<TestClient> secondDevice(const User &user);
    bool makeFriends(const User &a, const User &b);
    bool setGroupAdders(const User &user, proto::Audience audience);
    bool block(const User &user, const User &blocked);
    proto::Frame create(const User &owner, const QString &name, const QList<const User *> &members,
                        proto::GroupJoinPolicy policy = proto::GROUP_JOIN_POLICY_UNSPECIFIED);
    // Creates a group whose members are all added directly (they let everyone add them).
    quint64 groupOf(const User &owner, const QList<const User *> &members);
    proto::Frame invite(const User &inviter, quint64 groupId, const QList<quint64> &userIds);
    proto::Frame getGroup(const User &user, quint64 groupId);
    proto::Frame events(const User &user, quint64 groupId, quint64 afterSeq, quint32 limit = 0);
    proto::Frame members(const User &user, quint64 groupId, quint64 afterUserId = 0,
                         quint32 limit = 0);
    proto::Frame update(const User &user, quint64 groupId,
                        const std::function<void(proto::UpdateGroupRequest &)> &fill);
    proto::Frame groupList(const User &user);

    PgFixture m_pg;
    std::unique_ptr<TerndProcess> m_ternd;
    int m_userCount = 0;
};

void TestGroups::initTestCase()
{
    const QString error = m_pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_ternd = std::make_unique<TerndProcess>();
    const QString started = m_ternd->startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
}

void TestGroups::cleanup()
{
    // What ternd said, when a test fails: usually the quickest way to why.
    if (QTest::currentTestFailed() && m_ternd)
        qInfo().noquote() << "ternd output (tail):\n" << m_ternd->output().right(6000);
}

void TestGroups::cleanupTestCase()
{
    if (!m_ternd)
        return;
    QCOMPARE(m_ternd->terminate(), 0);
    // Refusals are answers, not server trouble: nothing above made ternd warn about groups.
    const QString output = m_ternd->output();
    QVERIFY2(!output.contains(QLatin1String(" W tern.groups:")), qPrintable(output.right(6000)));
}

User TestGroups::user(const QString &name)
{
    User u;
    u.username = QStringLiteral("%1_%2").arg(name).arg(++m_userCount);
    u.client = std::make_unique<TestClient>();
    const proto::Frame session = u.client->connectAndRegister(
        m_ternd->url(), u.username, kPassword, u.username + QStringLiteral("-laptop"));
    if (session.has_session())
        u.id = session.session().user_id();
    else
        qWarning("cannot register %s: %s", qPrintable(u.username), qPrintable(describe(session)));
    return u;
}

std::unique_ptr<TestClient> TestGroups::secondDevice(const User &user)
{
    auto client = std::make_unique<TestClient>();
    if (!client->open(m_ternd->url())
        || !client->hello(user.username + QStringLiteral("-phone")).has_welcome()
        || !client->login(user.username, kPassword).has_session())
        return nullptr;
    return client;
}

bool TestGroups::makeFriends(const User &a, const User &b)
{
    const proto::Frame sent =
        a.send([&](proto::Frame &f) { f.mutable_send_friend_request()->set_user_id(b.id); });
    if (!sent.has_friend_request_result()) {
        qWarning("friend request failed: %s", qPrintable(describe(sent)));
        return false;
    }
    const proto::Frame answered = b.send([&](proto::Frame &f) {
        auto *answer = f.mutable_answer_friend_request();
        answer->set_request_id(sent.friend_request_result().request().request_id());
        answer->set_accept(true);
    });
    if (!answered.has_friend_request_result()
        || !answered.friend_request_result().contact().is_friend()) {
        qWarning("answering the friend request failed: %s", qPrintable(describe(answered)));
        return false;
    }
    return true;
}

bool TestGroups::setGroupAdders(const User &user, proto::Audience audience)
{
    const proto::Frame reply = user.send([&](proto::Frame &f) {
        f.mutable_update_profile()->mutable_privacy()->set_group_adders(audience);
    });
    if (!reply.has_my_profile() || reply.my_profile().privacy().group_adders() != audience) {
        qWarning("UpdateProfile failed: %s", qPrintable(describe(reply)));
        return false;
    }
    return true;
}

bool TestGroups::block(const User &user, const User &blocked)
{
    const proto::Frame reply =
        user.send([&](proto::Frame &f) { f.mutable_block_user()->set_user_id(blocked.id); });
    if (!reply.has_contact() || !reply.contact().blocked()) {
        qWarning("BlockUser failed: %s", qPrintable(describe(reply)));
        return false;
    }
    return true;
}

proto::Frame TestGroups::create(const User &owner, const QString &name,
                                const QList<const User *> &members, proto::GroupJoinPolicy policy)
{
    return owner.send([&](proto::Frame &f) {
        auto *create = f.mutable_create_group();
        create->set_name(name.toStdString());
        create->set_join_policy(policy);
        for (const User *member : members)
            create->add_member_ids(member->id);
    });
}

quint64 TestGroups::groupOf(const User &owner, const QList<const User *> &members)
{
    for (const User *member : members) {
        if (!setGroupAdders(*member, proto::AUDIENCE_EVERYONE))
            return 0;
    }
    const proto::Frame created = create(owner, QStringLiteral("team"), members);
    if (!created.has_group_change_result()
        || created.group_change_result().group().member_count() != quint32(members.size() + 1)) {
        qWarning("CreateGroup failed: %s", qPrintable(describe(created)));
        return 0;
    }
    return created.group_change_result().group().group_id();
}

proto::Frame TestGroups::invite(const User &inviter, quint64 groupId, const QList<quint64> &userIds)
{
    return inviter.send([&](proto::Frame &f) {
        auto *invite = f.mutable_invite_to_group();
        invite->set_group_id(groupId);
        for (quint64 id : userIds)
            invite->add_user_ids(id);
    });
}

proto::Frame TestGroups::getGroup(const User &user, quint64 groupId)
{
    return user.send([&](proto::Frame &f) { f.mutable_get_group()->set_group_id(groupId); });
}

proto::Frame TestGroups::events(const User &user, quint64 groupId, quint64 afterSeq, quint32 limit)
{
    return user.send([&](proto::Frame &f) {
        auto *request = f.mutable_get_group_events();
        request->set_group_id(groupId);
        request->set_after_seq(afterSeq);
        request->set_limit(limit);
    });
}

proto::Frame TestGroups::members(const User &user, quint64 groupId, quint64 afterUserId,
                                 quint32 limit)
{
    return user.send([&](proto::Frame &f) {
        auto *request = f.mutable_list_group_members();
        request->set_group_id(groupId);
        request->set_after_user_id(afterUserId);
        request->set_limit(limit);
    });
}

proto::Frame TestGroups::update(const User &user, quint64 groupId,
                                const std::function<void(proto::UpdateGroupRequest &)> &fill)
{
    return user.send([&](proto::Frame &f) {
        auto *request = f.mutable_update_group();
        request->set_group_id(groupId);
        fill(*request);
    });
}

proto::Frame TestGroups::groupList(const User &user)
{
    return user.send([](proto::Frame &f) { f.mutable_list_groups(); });
}

void TestGroups::welcomeAdvertisesTheMemberLimit()
{
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    const proto::Frame welcome = client.hello();
    QVERIFY(welcome.has_welcome());
    QCOMPARE(welcome.welcome().limits().max_group_members(), 500u);
}

void TestGroups::createAddsWhomGroupAddersAllowAndInvitesTheRest()
{
    User alice = user(QStringLiteral("alice"));
    User friendly = user(QStringLiteral("friendly")); // default FRIENDS, and a friend
    User stranger = user(QStringLiteral("stranger")); // default FRIENDS, not a friend
    User open = user(QStringLiteral("open")); // EVERYONE
    User closed = user(QStringLiteral("closed")); // NOBODY, although a friend
    for (const User *u : {&alice, &friendly, &stranger, &open, &closed})
        QVERIFY(u->id);
    QVERIFY(makeFriends(alice, friendly));
    QVERIFY(makeFriends(alice, closed));
    QVERIFY(setGroupAdders(open, proto::AUDIENCE_EVERYONE));
    QVERIFY(setGroupAdders(closed, proto::AUDIENCE_NOBODY));

    const proto::Frame created = create(alice, QStringLiteral("  Hikers 徒步  "),
                                        {&friendly, &stranger, &open, &closed, &friendly});
    QVERIFY2(created.has_group_change_result(), qPrintable(describe(created)));
    const auto &result = created.group_change_result();
    const proto::Group &group = result.group();
    QVERIFY(group.group_id() > 0);
    QCOMPARE(QString::fromStdString(group.name()), QStringLiteral("Hikers 徒步")); // trimmed
    QCOMPARE(group.owner_id(), alice.id);
    QCOMPARE(group.member_count(), 3u);
    QCOMPARE(group.last_seq(), 1u);
    QCOMPARE(group.join_policy(), proto::GROUP_JOIN_POLICY_INVITE_ONLY);
    QVERIFY(group.invite_code().empty());

    const proto::GroupEvent &event = result.event();
    QCOMPARE(event.group_id(), group.group_id());
    QCOMPARE(event.seq(), 1u);
    QCOMPARE(event.kind(), proto::GroupEvent::KIND_CREATED);
    QCOMPARE(event.actor_id(), alice.id);
    QList<quint64> added {friendly.id, open.id};
    std::sort(added.begin(), added.end());
    QCOMPARE(ids(event.target_ids()), added);
    QCOMPARE(QString::fromStdString(event.details().name()), QStringLiteral("Hikers 徒步"));
    QVERIFY(event.time_ms() > 0);

    // The others were invited, each once.
    QCOMPARE(result.invitations_size(), 2);
    QList<quint64> invited;
    for (const auto &invitation : result.invitations()) {
        invited.append(invitation.invitee_id());
        QCOMPARE(invitation.inviter_id(), alice.id);
        QCOMPARE(invitation.state(), proto::GroupInvitation::STATE_PENDING);
        QCOMPARE(invitation.group().group_id(), group.group_id());
    }
    std::sort(invited.begin(), invited.end());
    QList<quint64> expectedInvited {stranger.id, closed.id};
    std::sort(expectedInvited.begin(), expectedInvited.end());
    QCOMPARE(invited, expectedInvited);

    // The added members' devices hear of it; the invitees get their invitation.
    for (const User *member : {&friendly, &open, &alice}) {
        const auto push = waitEvent(*member->client, group.group_id(), 1);
        QVERIFY2(push, qPrintable(member->username));
        QCOMPARE(push->event().SerializeAsString(), event.SerializeAsString());
        QCOMPARE(push->group().member_count(), 3u);
    }
    for (const auto &invitation : result.invitations()) {
        const User &invitee = invitation.invitee_id() == stranger.id ? stranger : closed;
        QVERIFY(waitInvitation(*invitee.client, invitation.invitation_id(),
                               proto::GroupInvitation::STATE_PENDING));
    }

    // Membership as the members see it, and as the invitees do not.
    const proto::Frame asMember = getGroup(friendly, group.group_id());
    QVERIFY2(asMember.has_group_membership(), qPrintable(describe(asMember)));
    QCOMPARE(asMember.group_membership().role(), proto::GROUP_ROLE_MEMBER);
    QCOMPARE(asMember.group_membership().joined_seq(), 1u);
    QCOMPARE(getGroup(alice, group.group_id()).group_membership().role(), proto::GROUP_ROLE_OWNER);
    QCOMPARE(errorCode(getGroup(stranger, group.group_id())), proto::ERROR_CODE_PERMISSION_DENIED);
}

void TestGroups::invitationAcceptAndDecline()
{
    User alice = user(QStringLiteral("alice"));
    User bob = user(QStringLiteral("bob")); // default: friends only, and not a friend
    User carol = user(QStringLiteral("carol"));
    User dave = user(QStringLiteral("dave")); // a friend with NOBODY
    QVERIFY(alice.id && bob.id && carol.id && dave.id);
    QVERIFY(makeFriends(alice, dave));
    QVERIFY(setGroupAdders(dave, proto::AUDIENCE_NOBODY));
    const proto::Frame created = create(alice, QStringLiteral("book club"), {});
    QVERIFY(created.has_group_change_result());
    const quint64 groupId = created.group_change_result().group().group_id();

    const proto::Frame invited = invite(alice, groupId, {bob.id, carol.id, dave.id});
    QVERIFY2(invited.has_group_change_result(), qPrintable(describe(invited)));
    QVERIFY(!invited.group_change_result().has_event()); // nobody could be added directly
    QCOMPARE(invited.group_change_result().invitations_size(), 3);
    QCOMPARE(invited.group_change_result().group().member_count(), 1u);
    QCOMPARE(invited.group_change_result().group().last_seq(), 1u);

    // Inviting again does not make a second invitation.
    const proto::Frame again = invite(alice, groupId, {bob.id});
    QCOMPARE(again.group_change_result().invitations_size(), 1);

    const proto::Frame pending =
        bob.send([](proto::Frame &f) { f.mutable_list_group_invitations(); });
    QVERIFY2(pending.has_group_invitation_list(), qPrintable(describe(pending)));
    QCOMPARE(pending.group_invitation_list().invitations_size(), 1);
    const proto::GroupInvitation invitation = pending.group_invitation_list().invitations(0);
    QCOMPARE(invitation.group().group_id(), groupId);
    QCOMPARE(QString::fromStdString(invitation.group().name()), QStringLiteral("book club"));
    QCOMPARE(invitation.inviter_id(), alice.id);
    QCOMPARE(again.group_change_result().invitations(0).invitation_id(),
             invitation.invitation_id());

    // Nobody else can answer it.
    const auto answer = [](const User &who, quint64 id, bool accept) {
        return who.send([&](proto::Frame &f) {
            f.mutable_answer_group_invitation()->set_invitation_id(id);
            f.mutable_answer_group_invitation()->set_accept(accept);
        });
    };
    QCOMPARE(errorCode(answer(carol, invitation.invitation_id(), true)),
             proto::ERROR_CODE_NOT_FOUND);
    QCOMPARE(errorCode(answer(alice, invitation.invitation_id(), true)),
             proto::ERROR_CODE_NOT_FOUND);

    const proto::Frame accepted = answer(bob, invitation.invitation_id(), true);
    QVERIFY2(accepted.has_group_change_result(), qPrintable(describe(accepted)));
    const auto &joined = accepted.group_change_result();
    QCOMPARE(joined.event().kind(), proto::GroupEvent::KIND_MEMBER_JOINED);
    QCOMPARE(joined.event().seq(), 2u);
    QCOMPARE(joined.event().actor_id(), bob.id);
    QCOMPARE(joined.event().details().inviter_id(), alice.id);
    QCOMPARE(joined.group().member_count(), 2u);
    QCOMPARE(joined.invitations_size(), 1);
    QCOMPARE(joined.invitations(0).state(), proto::GroupInvitation::STATE_ACCEPTED);
    QVERIFY(waitEvent(*alice.client, groupId, 2));
    QVERIFY(waitEvent(*bob.client, groupId, 2));
    // The inviter hears the answer.
    QVERIFY(waitInvitation(*alice.client, invitation.invitation_id(),
                           proto::GroupInvitation::STATE_ACCEPTED));
    QCOMPARE(errorCode(answer(bob, invitation.invitation_id(), true)), proto::ERROR_CODE_CONFLICT);

    // Declining changes nothing in the group.
    const proto::Frame carolPending =
        carol.send([](proto::Frame &f) { f.mutable_list_group_invitations(); });
    QCOMPARE(carolPending.group_invitation_list().invitations_size(), 1);
    const quint64 carolInvitation =
        carolPending.group_invitation_list().invitations(0).invitation_id();
    const proto::Frame declined = answer(carol, carolInvitation, false);
    QVERIFY2(declined.has_group_change_result(), qPrintable(describe(declined)));
    QVERIFY(!declined.group_change_result().has_event());
    QCOMPARE(declined.group_change_result().invitations(0).state(),
             proto::GroupInvitation::STATE_DECLINED);
    QCOMPARE(getGroup(alice, groupId).group_membership().group().last_seq(), 2u);
    QCOMPARE(getGroup(alice, groupId).group_membership().group().member_count(), 2u);
    QCOMPARE(errorCode(answer(carol, carolInvitation, true)), proto::ERROR_CODE_CONFLICT);
    QCOMPARE(carol.send([](proto::Frame &f) { f.mutable_list_group_invitations(); })
                 .group_invitation_list()
                 .invitations_size(),
             0);

    // A friend with NOBODY also accepts explicitly.
    const proto::Frame davePending =
        dave.send([](proto::Frame &f) { f.mutable_list_group_invitations(); });
    QCOMPARE(davePending.group_invitation_list().invitations_size(), 1);
    const proto::Frame daveJoined =
        answer(dave, davePending.group_invitation_list().invitations(0).invitation_id(), true);
    QCOMPARE(daveJoined.group_change_result().event().seq(), 3u);
    QCOMPARE(errorCode(answer(dave, kNoSuchUser, true)), proto::ERROR_CODE_NOT_FOUND);
}

// An invitation lets its invitee in only while its inviter still could: not after the inviter
// was removed, nor from a plain member once the group asks admins to approve.
void TestGroups::invitationsFollowTheInviter()
{
    User olga = user(QStringLiteral("olga"));
    User pete = user(QStringLiteral("pete"));
    User quinn = user(QStringLiteral("quinn")); // friends only, and nobody's friend
    User rita = user(QStringLiteral("rita"));
    QVERIFY(olga.id && pete.id && quinn.id && rita.id);
    QVERIFY(makeFriends(olga, pete));
    const quint64 groupId = groupOf(olga, {&pete});
    QVERIFY(groupId);
    const proto::Frame invited = invite(pete, groupId, {quinn.id, rita.id});
    QVERIFY2(invited.has_group_change_result(), qPrintable(describe(invited)));
    QCOMPARE(invited.group_change_result().invitations_size(), 2);
    const auto invitationTo = [&invited](quint64 userId) -> quint64 {
        for (const auto &i : invited.group_change_result().invitations())
            if (i.invitee_id() == userId)
                return i.invitation_id();
        return quint64(0);
    };
    const auto accept = [](const User &who, quint64 id) {
        return who.send([&](proto::Frame &f) {
            f.mutable_answer_group_invitation()->set_invitation_id(id);
            f.mutable_answer_group_invitation()->set_accept(true);
        });
    };

    // Admins approve from now on: a plain member's invitation no longer opens the door.
    QVERIFY(update(olga, groupId, [](proto::UpdateGroupRequest &u) {
                u.set_join_policy(proto::GROUP_JOIN_POLICY_APPROVAL);
            }).has_group_change_result());
    const proto::Frame quinnTried = accept(quinn, invitationTo(quinn.id));
    QCOMPARE(errorCode(quinnTried), proto::ERROR_CODE_CONFLICT);
    QCOMPARE(quinnTried.error().reason(), std::string("groups/not_pending"));
    QCOMPARE(quinn.send([](proto::Frame &f) { f.mutable_list_group_invitations(); })
                 .group_invitation_list()
                 .invitations_size(),
             0);

    // Back to invitations, but the inviter was removed meanwhile.
    QVERIFY(update(olga, groupId, [](proto::UpdateGroupRequest &u) {
                u.set_join_policy(proto::GROUP_JOIN_POLICY_INVITE_ONLY);
            }).has_group_change_result());
    QVERIFY(olga.send([&](proto::Frame &f) {
                    f.mutable_remove_group_member()->set_group_id(groupId);
                    f.mutable_remove_group_member()->set_user_id(pete.id);
                })
                .has_group_change_result());
    QCOMPARE(errorCode(accept(rita, invitationTo(rita.id))), proto::ERROR_CODE_CONFLICT);
    const proto::Frame group = getGroup(olga, groupId);
    QCOMPARE(group.group_membership().group().member_count(), 1u);
}

void TestGroups::createRejectsBadInput_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("announcement");
    QTest::addColumn<QString>("avatar");
    QTest::addColumn<int>("policy");
    QTest::addColumn<int>("memberCount"); // that many unknown-free ids: the caller's own
    QTest::addColumn<bool>("unknownMember");
    QTest::addColumn<int>("expected");

    const QString ok = QStringLiteral("ok");
    const int invalid = proto::ERROR_CODE_INVALID_ARGUMENT;
    QTest::newRow("empty name") << QString() << QString() << QString() << 0 << 0 << false
                                << invalid;
    QTest::newRow("blank name") << QStringLiteral("   ") << QString() << QString() << 0 << 0
                                << false << invalid;
    QTest::newRow("name of 65") << QString(65, QChar(0x5F20)) << QString() << QString() << 0 << 0
                                << false << invalid;
    QTest::newRow("control character")
        << QStringLiteral("bad\u0007name") << QString() << QString() << 0 << 0 << false << invalid;
    QTest::newRow("newline in name")
        << QStringLiteral("two\nlines") << QString() << QString() << 0 << 0 << false << invalid;
    QTest::newRow("announcement of 2001")
        << ok << QString(2001, QLatin1Char('a')) << QString() << 0 << 0 << false << invalid;
    QTest::newRow("avatar of 65") << ok << QString() << QString(65, QLatin1Char('f')) << 0 << 0
                                  << false << invalid;
    QTest::newRow("unknown policy") << ok << QString() << QString() << 7 << 0 << false << invalid;
    QTest::newRow("101 member ids") << ok << QString() << QString() << 0 << 101 << false << invalid;
    QTest::newRow("unknown member")
        << ok << QString() << QString() << 0 << 0 << true << int(proto::ERROR_CODE_NOT_FOUND);
}

void TestGroups::createRejectsBadInput()
{
    QFETCH(QString, name);
    QFETCH(QString, announcement);
    QFETCH(QString, avatar);
    QFETCH(int, policy);
    QFETCH(int, memberCount);
    QFETCH(bool, unknownMember);
    QFETCH(int, expected);
    User owner = user(QStringLiteral("input"));
    User other = user(QStringLiteral("other"));
    QVERIFY(owner.id && other.id);
    QVERIFY(setGroupAdders(other, proto::AUDIENCE_EVERYONE));
    const proto::Frame reply = owner.send([&](proto::Frame &f) {
        auto *create = f.mutable_create_group();
        create->set_name(name.toStdString());
        create->set_announcement(announcement.toStdString());
        create->set_avatar_file_id(avatar.toStdString());
        create->set_join_policy(proto::GroupJoinPolicy(policy));
        create->add_member_ids(other.id); // would be added: must not be
        for (int i = 0; i < memberCount; ++i)
            create->add_member_ids(owner.id);
        if (unknownMember)
            create->add_member_ids(kNoSuchUser);
    });
    QCOMPARE(int(errorCode(reply)), expected);
    QVERIFY(!reply.error().message().empty());
    if (unknownMember) {
        QVERIFY(
            QString::fromStdString(reply.error().message()).contains(QString::number(kNoSuchUser)));
        QCOMPARE(reply.error().reason(), std::string("groups/no_user"));
        QCOMPARE(reply.error().user_id(), kNoSuchUser);
    }
    // The refusals a person can run into say which rule (error.proto).
    const QByteArray tag = QTest::currentDataTag();
    if (tag == "name of 65" || tag == "control character" || tag == "newline in name")
        QCOMPARE(reply.error().reason(), std::string("groups/bad_name"));
    if (tag == "101 member ids")
        QCOMPARE(reply.error().reason(), std::string("groups/too_many_users"));
    // Nothing was created, for either of them.
    QCOMPARE(groupList(owner).group_list().groups_size(), 0);
    QCOMPARE(groupList(other).group_list().groups_size(), 0);
}

void TestGroups::limitsAreInclusive()
{
    User owner = user(QStringLiteral("limits"));
    QVERIFY(owner.id);
    const proto::Frame created = owner.send([&](proto::Frame &f) {
        auto *create = f.mutable_create_group();
        create->set_name(QString(64, QChar(0x5F20)).toStdString());
        create->set_announcement(
            QString(QStringLiteral("line one\nline two\t") + QString(1982, QChar(0x516C)))
                .toStdString());
    });
    QVERIFY2(created.has_group_change_result(), qPrintable(describe(created)));
    const quint64 groupId = created.group_change_result().group().group_id();
    QCOMPARE(QString::fromStdString(created.group_change_result().group().announcement()).size(),
             2000);
    const auto nickname = [&](const QString &name) {
        return owner.send([&](proto::Frame &f) {
            f.mutable_set_group_nickname()->set_group_id(groupId);
            f.mutable_set_group_nickname()->set_nickname(name.toStdString());
        });
    };
    QVERIFY(nickname(QString(32, QChar(0x6635))).has_group_change_result());
    QCOMPARE(errorCode(nickname(QString(33, QChar(0x6635)))), proto::ERROR_CODE_INVALID_ARGUMENT);
    QCOMPARE(errorCode(update(owner, groupId, [](auto &u) { u.set_name(std::string(65, 'n')); })),
             proto::ERROR_CODE_INVALID_ARGUMENT);
    QCOMPARE(errorCode(update(owner, groupId,
                              [](auto &u) { u.set_announcement(std::string(2001, 'a')); })),
             proto::ERROR_CODE_INVALID_ARGUMENT);
    // Only the nickname changed anything.
    QCOMPARE(getGroup(owner, groupId).group_membership().group().last_seq(), 2u);
}

void TestGroups::unknownUsersFailTheWholeInvite()
{
    User owner = user(QStringLiteral("owner"));
    User open = user(QStringLiteral("open"));
    QVERIFY(owner.id && open.id);
    QVERIFY(setGroupAdders(open, proto::AUDIENCE_EVERYONE));
    const quint64 groupId = groupOf(owner, {});
    QVERIFY(groupId);

    const proto::Frame reply = invite(owner, groupId, {open.id, kNoSuchUser});
    QCOMPARE(errorCode(reply), proto::ERROR_CODE_NOT_FOUND);
    QVERIFY(QString::fromStdString(reply.error().message()).contains(QString::number(kNoSuchUser)));
    QCOMPARE(errorCode(invite(owner, groupId, {0})), proto::ERROR_CODE_NOT_FOUND);
    QCOMPARE(errorCode(invite(owner, groupId, {})), proto::ERROR_CODE_INVALID_ARGUMENT);
    QList<quint64> tooMany(101, open.id);
    QCOMPARE(errorCode(invite(owner, groupId, tooMany)), proto::ERROR_CODE_INVALID_ARGUMENT);
    // The valid user was not added.
    const proto::Frame group = getGroup(owner, groupId);
    QCOMPARE(group.group_membership().group().member_count(), 1u);
    QCOMPARE(group.group_membership().group().last_seq(), 1u);
    QCOMPARE(errorCode(getGroup(open, groupId)), proto::ERROR_CODE_PERMISSION_DENIED);

    // Inviting members again changes nothing.
    QVERIFY(invite(owner, groupId, {open.id}).group_change_result().has_event());
    const proto::Frame repeated = invite(owner, groupId, {open.id, owner.id});
    QVERIFY2(repeated.has_group_change_result(), qPrintable(describe(repeated)));
    QVERIFY(!repeated.group_change_result().has_event());
    QCOMPARE(repeated.group_change_result().invitations_size(), 0);
    QCOMPARE(repeated.group_change_result().group().member_count(), 2u);
}

void TestGroups::blockedInviterCannotAdd()
{
    User alice = user(QStringLiteral("alice"));
    User carol = user(QStringLiteral("carol"));
    User open = user(QStringLiteral("open"));
    QVERIFY(alice.id && carol.id && open.id);
    QVERIFY(setGroupAdders(carol, proto::AUDIENCE_EVERYONE));
    QVERIFY(setGroupAdders(open, proto::AUDIENCE_EVERYONE));
    QVERIFY(block(carol, alice));

    // Creating with her fails as a whole, with the neutral refusal.
    const proto::Frame created = create(alice, QStringLiteral("g"), {&open, &carol});
    QCOMPARE(errorCode(created), proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(created.error().reason(), std::string("groups/refused"));
    QCOMPARE(created.error().user_id(), carol.id); // whom, for the client to name
    QCOMPARE(groupList(alice).group_list().groups_size(), 0);
    QCOMPARE(groupList(open).group_list().groups_size(), 0);

    const quint64 groupId = groupOf(alice, {});
    QVERIFY(groupId);
    QCOMPARE(errorCode(invite(alice, groupId, {open.id, carol.id})),
             proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(getGroup(alice, groupId).group_membership().group().member_count(), 1u);
    QCOMPARE(carol.send([](proto::Frame &f) { f.mutable_list_group_invitations(); })
                 .group_invitation_list()
                 .invitations_size(),
             0);

    // Someone she did not block may add her.
    QVERIFY(invite(alice, groupId, {open.id}).has_group_change_result());
    const proto::Frame added = invite(open, groupId, {carol.id});
    QVERIFY2(added.has_group_change_result(), qPrintable(describe(added)));
    QCOMPARE(ids(added.group_change_result().event().target_ids()), QList<quint64> {carol.id});
}

void TestGroups::forbiddenActions_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("expected");
    const int denied = proto::ERROR_CODE_PERMISSION_DENIED;
    const int notFound = proto::ERROR_CODE_NOT_FOUND;
    const int invalid = proto::ERROR_CODE_INVALID_ARGUMENT;
    struct Row
    {
        const char *tag, *who, *action, *target;
        int expected;
    };
    const Row rows[] = {
        {"member renames", "member", "rename", "", denied},
        {"member changes announcement", "member", "announce", "", denied},
        {"member mutes all", "member", "mute", "", denied},
        {"member removes member", "member", "remove", "member2", denied},
        {"member promotes", "member", "promote", "member2", denied},
        {"member dissolves", "member", "dissolve", "", denied},
        {"member lists applications", "member", "applications", "", denied},
        {"admin promotes", "admin", "promote", "member", denied},
        {"admin demotes admin", "admin", "demote", "admin2", denied},
        {"admin transfers", "admin", "transfer", "member", denied},
        {"admin dissolves", "admin", "dissolve", "", denied},
        {"admin removes owner", "admin", "remove", "owner", denied},
        {"admin removes admin", "admin", "remove", "admin2", denied},
        {"owner removes self", "owner", "remove", "owner", invalid},
        {"owner leaves", "owner", "leave", "", denied},
        {"owner promotes self", "owner", "promote", "owner", invalid},
        {"owner transfers to self", "owner", "transfer", "owner", invalid},
        {"owner removes outsider", "owner", "remove", "outsider", notFound},
        {"owner promotes outsider", "owner", "promote", "outsider", notFound},
        {"owner transfers to outsider", "owner", "transfer", "outsider", notFound},
        {"outsider reads group", "outsider", "get", "", denied},
        {"outsider reads members", "outsider", "members", "", denied},
        {"outsider reads events", "outsider", "events", "", denied},
        {"outsider renames", "outsider", "rename", "", denied},
        {"outsider invites", "outsider", "invite", "member", denied},
        {"outsider leaves", "outsider", "leave", "", denied},
        {"outsider sets nickname", "outsider", "nickname", "", denied},
        {"outsider removes member", "outsider", "remove", "member", denied},
        {"outsider lists applications", "outsider", "applications", "", denied},
        {"unknown group: get", "member", "get", "nogroup", notFound},
        {"unknown group: members", "member", "members", "nogroup", notFound},
        {"unknown group: events", "member", "events", "nogroup", notFound},
        {"unknown group: invite", "member", "invite", "nogroup", notFound},
        {"unknown group: leave", "member", "leave", "nogroup", notFound},
        {"unknown group: rename", "owner", "rename", "nogroup", notFound},
        {"unknown group: dissolve", "owner", "dissolve", "nogroup", notFound},
    };
    for (const Row &row : rows) {
        QTest::newRow(row.tag) << QString::fromLatin1(row.who) << QString::fromLatin1(row.action)
                               << QString::fromLatin1(row.target) << row.expected;
    }
}

void TestGroups::forbiddenActions()
{
    QFETCH(QString, who);
    QFETCH(QString, action);
    QFETCH(QString, target);
    QFETCH(int, expected);

    User owner = user(QStringLiteral("owner"));
    User admin = user(QStringLiteral("admin"));
    User admin2 = user(QStringLiteral("admintwo"));
    User member = user(QStringLiteral("member"));
    User member2 = user(QStringLiteral("membertwo"));
    User outsider = user(QStringLiteral("outsider"));
    QVERIFY(outsider.id);
    const quint64 groupId = groupOf(owner, {&admin, &admin2, &member, &member2});
    QVERIFY(groupId);
    for (const User *a : {&admin, &admin2}) {
        const proto::Frame promoted = owner.send([&](proto::Frame &f) {
            f.mutable_set_group_admin()->set_group_id(groupId);
            f.mutable_set_group_admin()->set_user_id(a->id);
            f.mutable_set_group_admin()->set_admin(true);
        });
        QVERIFY2(promoted.has_group_change_result(), qPrintable(describe(promoted)));
    }
    const proto::Frame before = members(owner, groupId);
    QCOMPARE(before.group_member_list().members_size(), 5);
    QCOMPARE(before.group_member_list().last_seq(), 3u);

    const QHash<QString, const User *> users {
        {QStringLiteral("owner"), &owner},     {QStringLiteral("admin"), &admin},
        {QStringLiteral("admin2"), &admin2},   {QStringLiteral("member"), &member},
        {QStringLiteral("member2"), &member2}, {QStringLiteral("outsider"), &outsider}};
    const User &actor = *users.value(who);
    const quint64 group = target == QLatin1String("nogroup") ? kNoSuchGroup : groupId;
    const quint64 targetId = users.contains(target) ? users.value(target)->id : 0;

    proto::Frame reply;
    if (action == QLatin1String("rename"))
        reply = update(actor, group, [](auto &u) { u.set_name("mine now"); });
    else if (action == QLatin1String("announce"))
        reply = update(actor, group, [](auto &u) { u.set_announcement("listen"); });
    else if (action == QLatin1String("mute"))
        reply = update(actor, group, [](auto &u) { u.set_mute_all(true); });
    else if (action == QLatin1String("remove"))
        reply = actor.send([&](proto::Frame &f) {
            f.mutable_remove_group_member()->set_group_id(group);
            f.mutable_remove_group_member()->set_user_id(targetId);
        });
    else if (action == QLatin1String("promote") || action == QLatin1String("demote"))
        reply = actor.send([&](proto::Frame &f) {
            f.mutable_set_group_admin()->set_group_id(group);
            f.mutable_set_group_admin()->set_user_id(targetId);
            f.mutable_set_group_admin()->set_admin(action == QLatin1String("promote"));
        });
    else if (action == QLatin1String("transfer"))
        reply = actor.send([&](proto::Frame &f) {
            f.mutable_transfer_group_ownership()->set_group_id(group);
            f.mutable_transfer_group_ownership()->set_user_id(targetId);
        });
    else if (action == QLatin1String("dissolve"))
        reply =
            actor.send([&](proto::Frame &f) { f.mutable_dissolve_group()->set_group_id(group); });
    else if (action == QLatin1String("leave"))
        reply = actor.send([&](proto::Frame &f) { f.mutable_leave_group()->set_group_id(group); });
    else if (action == QLatin1String("applications"))
        reply = actor.send(
            [&](proto::Frame &f) { f.mutable_list_join_applications()->set_group_id(group); });
    else if (action == QLatin1String("get"))
        reply = getGroup(actor, group);
    else if (action == QLatin1String("members"))
        reply = members(actor, group);
    else if (action == QLatin1String("events"))
        reply = events(actor, group, 0);
    else if (action == QLatin1String("invite"))
        reply = invite(actor, group, {targetId ? targetId : outsider.id});
    else if (action == QLatin1String("nickname"))
        reply = actor.send([&](proto::Frame &f) {
            f.mutable_set_group_nickname()->set_group_id(group);
            f.mutable_set_group_nickname()->set_nickname("me");
        });
    else
        QFAIL("unknown action");

    QCOMPARE(int(errorCode(reply)), expected);
    QVERIFY(!reply.error().message().empty());

    // Nothing changed: same seq, same members and roles.
    const proto::Frame after = members(owner, groupId);
    QCOMPARE(after.group_member_list().SerializeAsString(),
             before.group_member_list().SerializeAsString());
    const proto::Frame group2 = getGroup(owner, groupId);
    QCOMPARE(QString::fromStdString(group2.group_membership().group().name()),
             QStringLiteral("team"));
    QVERIFY(!group2.group_membership().group().mute_all());
}

void TestGroups::rolesPromoteDemoteRemove()
{
    User owner = user(QStringLiteral("owner"));
    User admin = user(QStringLiteral("admin"));
    User member = user(QStringLiteral("member"));
    User member2 = user(QStringLiteral("membertwo"));
    const quint64 groupId = groupOf(owner, {&admin, &member, &member2});
    QVERIFY(groupId);
    const auto setAdmin = [&](const User &target, bool on) {
        return owner.send([&](proto::Frame &f) {
            f.mutable_set_group_admin()->set_group_id(groupId);
            f.mutable_set_group_admin()->set_user_id(target.id);
            f.mutable_set_group_admin()->set_admin(on);
        });
    };
    const auto remove = [&](const User &actor, const User &target) {
        return actor.send([&](proto::Frame &f) {
            f.mutable_remove_group_member()->set_group_id(groupId);
            f.mutable_remove_group_member()->set_user_id(target.id);
        });
    };

    const proto::Frame promoted = setAdmin(admin, true);
    QCOMPARE(promoted.group_change_result().event().kind(), proto::GroupEvent::KIND_ADMINS_ADDED);
    QCOMPARE(ids(promoted.group_change_result().event().target_ids()), QList<quint64> {admin.id});
    QCOMPARE(getGroup(admin, groupId).group_membership().role(), proto::GROUP_ROLE_ADMIN);
    // Again: no change, no event.
    const proto::Frame same = setAdmin(admin, true);
    QVERIFY2(same.has_group_change_result(), qPrintable(describe(same)));
    QVERIFY(!same.group_change_result().has_event());

    // An admin removes a plain member; everyone, the removed one included, hears it.
    const proto::Frame removed = remove(admin, member2);
    QVERIFY2(removed.has_group_change_result(), qPrintable(describe(removed)));
    const proto::GroupEvent &event = removed.group_change_result().event();
    QCOMPARE(event.kind(), proto::GroupEvent::KIND_MEMBERS_REMOVED);
    QCOMPARE(event.actor_id(), admin.id);
    QCOMPARE(ids(event.target_ids()), QList<quint64> {member2.id});
    QCOMPARE(removed.group_change_result().group().member_count(), 3u);
    for (const User *u : {&owner, &admin, &member, &member2})
        QVERIFY2(waitEvent(*u->client, groupId, event.seq()), qPrintable(u->username));
    QCOMPARE(errorCode(remove(admin, member2)), proto::ERROR_CODE_NOT_FOUND);

    // The owner demotes and removes an admin.
    const proto::Frame demoted = setAdmin(admin, false);
    QCOMPARE(demoted.group_change_result().event().kind(), proto::GroupEvent::KIND_ADMINS_REMOVED);
    QCOMPARE(getGroup(admin, groupId).group_membership().role(), proto::GROUP_ROLE_MEMBER);
    QCOMPARE(errorCode(remove(admin, member)), proto::ERROR_CODE_PERMISSION_DENIED);
    QVERIFY(setAdmin(admin, true).has_group_change_result());
    const proto::Frame ownerRemovesAdmin = remove(owner, admin);
    QVERIFY2(ownerRemovesAdmin.has_group_change_result(), qPrintable(describe(ownerRemovesAdmin)));
    QCOMPARE(ownerRemovesAdmin.group_change_result().group().member_count(), 2u);
    QCOMPARE(errorCode(getGroup(admin, groupId)), proto::ERROR_CODE_PERMISSION_DENIED);
    // Events are dense: create, promote, remove, demote, promote, remove.
    QCOMPARE(ownerRemovesAdmin.group_change_result().event().seq(), 6u);
}

void TestGroups::transferOwnership()
{
    User owner = user(QStringLiteral("owner"));
    User heir = user(QStringLiteral("heir"));
    User member = user(QStringLiteral("member"));
    const quint64 groupId = groupOf(owner, {&heir, &member});
    QVERIFY(groupId);
    const proto::Frame transferred = owner.send([&](proto::Frame &f) {
        f.mutable_transfer_group_ownership()->set_group_id(groupId);
        f.mutable_transfer_group_ownership()->set_user_id(heir.id);
    });
    QVERIFY2(transferred.has_group_change_result(), qPrintable(describe(transferred)));
    const auto &result = transferred.group_change_result();
    QCOMPARE(result.event().kind(), proto::GroupEvent::KIND_OWNER_CHANGED);
    QCOMPARE(result.event().actor_id(), owner.id);
    QCOMPARE(ids(result.event().target_ids()), QList<quint64> {heir.id});
    QCOMPARE(result.group().owner_id(), heir.id);
    QVERIFY(waitEvent(*member.client, groupId, result.event().seq()));
    QCOMPARE(getGroup(owner, groupId).group_membership().role(), proto::GROUP_ROLE_ADMIN);
    QCOMPARE(getGroup(heir, groupId).group_membership().role(), proto::GROUP_ROLE_OWNER);

    // The former owner is an admin now: owner-only things are refused, leaving is allowed.
    QCOMPARE(errorCode(owner.send(
                 [&](proto::Frame &f) { f.mutable_dissolve_group()->set_group_id(groupId); })),
             proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(errorCode(owner.send([&](proto::Frame &f) {
                 f.mutable_remove_group_member()->set_group_id(groupId);
                 f.mutable_remove_group_member()->set_user_id(heir.id);
             })),
             proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(errorCode(heir.send(
                 [&](proto::Frame &f) { f.mutable_leave_group()->set_group_id(groupId); })),
             proto::ERROR_CODE_PERMISSION_DENIED);
    const proto::Frame left =
        owner.send([&](proto::Frame &f) { f.mutable_leave_group()->set_group_id(groupId); });
    QCOMPARE(left.group_change_result().event().kind(), proto::GroupEvent::KIND_MEMBER_LEFT);
}

void TestGroups::settingsAndMuteAll()
{
    User owner = user(QStringLiteral("owner"));
    User admin = user(QStringLiteral("admin"));
    User member = user(QStringLiteral("member"));
    const quint64 groupId = groupOf(owner, {&admin, &member});
    QVERIFY(groupId);
    QVERIFY(owner
                .send([&](proto::Frame &f) {
                    f.mutable_set_group_admin()->set_group_id(groupId);
                    f.mutable_set_group_admin()->set_user_id(admin.id);
                    f.mutable_set_group_admin()->set_admin(true);
                })
                .has_group_change_result());

    const std::string avatar = uploadTestFile(*admin.client, QByteArray(300, 'p'),
                                              QStringLiteral("trail.png"), "image/png");
    QVERIFY(!avatar.empty());
    const proto::Frame changed = update(admin, groupId, [&](proto::UpdateGroupRequest &u) {
        u.set_name("Trail team");
        u.set_announcement("Meet at 7.\nBring water.");
        u.set_mute_all(true);
        u.set_avatar_file_id(avatar);
    });
    QVERIFY2(changed.has_group_change_result(), qPrintable(describe(changed)));
    const auto &result = changed.group_change_result();
    QCOMPARE(result.event().kind(), proto::GroupEvent::KIND_SETTINGS_CHANGED);
    QCOMPARE(result.event().actor_id(), admin.id);
    const auto &details = result.event().details();
    QVERIFY(details.has_name() && details.has_announcement() && details.has_mute_all()
            && details.has_avatar_file_id());
    QCOMPARE(details.name(), std::string("Trail team"));
    QCOMPARE(details.announcement(), std::string("Meet at 7.\nBring water."));
    QVERIFY(details.mute_all());
    QCOMPARE(details.join_policy(), proto::GROUP_JOIN_POLICY_UNSPECIFIED);

    const auto push = waitEvent(*member.client, groupId, result.event().seq());
    QVERIFY(push);
    QVERIFY(push->group().mute_all());
    QCOMPARE(push->group().name(), std::string("Trail team"));
    const proto::Frame seen = getGroup(member, groupId);
    QVERIFY(seen.group_membership().group().mute_all());
    QCOMPARE(seen.group_membership().group().avatar_file_id(), avatar);

    // Only what really changes is an event; nothing changing is no event.
    const proto::Frame partly = update(owner, groupId, [](proto::UpdateGroupRequest &u) {
        u.set_name("Trail team");
        u.set_mute_all(false);
        u.set_announcement("");
    });
    const auto &partDetails = partly.group_change_result().event().details();
    QVERIFY(!partDetails.has_name());
    QVERIFY(partDetails.has_mute_all() && !partDetails.mute_all());
    QVERIFY(partDetails.has_announcement() && partDetails.announcement().empty());
    const proto::Frame nothing =
        update(owner, groupId, [](proto::UpdateGroupRequest &u) { u.set_name("Trail team"); });
    QVERIFY2(nothing.has_group_change_result(), qPrintable(describe(nothing)));
    QVERIFY(!nothing.group_change_result().has_event());
    QCOMPARE(nothing.group_change_result().group().last_seq(),
             partly.group_change_result().event().seq());
    QCOMPARE(errorCode(update(owner, groupId, [](auto &u) { u.set_reset_invite_code(true); })),
             proto::ERROR_CODE_INVALID_ARGUMENT);
}

void TestGroups::nicknames()
{
    User owner = user(QStringLiteral("owner"));
    User member = user(QStringLiteral("member"));
    const quint64 groupId = groupOf(owner, {&member});
    QVERIFY(groupId);
    const auto setNickname = [&](const User &who, const std::string &nickname) {
        return who.send([&](proto::Frame &f) {
            f.mutable_set_group_nickname()->set_group_id(groupId);
            f.mutable_set_group_nickname()->set_nickname(nickname);
        });
    };
    const proto::Frame set = setNickname(member, " Bobby 鲍比 ");
    QVERIFY2(set.has_group_change_result(), qPrintable(describe(set)));
    const proto::GroupEvent &event = set.group_change_result().event();
    QCOMPARE(event.kind(), proto::GroupEvent::KIND_NICKNAME_CHANGED);
    QCOMPARE(event.actor_id(), member.id);
    QCOMPARE(QString::fromStdString(event.details().nickname()), QStringLiteral("Bobby 鲍比"));
    QVERIFY(waitEvent(*owner.client, groupId, event.seq()));
    QVERIFY(!setNickname(member, "Bobby 鲍比").group_change_result().has_event());
    QCOMPARE(errorCode(setNickname(member, "tab\tbed")), proto::ERROR_CODE_INVALID_ARGUMENT);

    const proto::Frame list = members(owner, groupId);
    for (const auto &m : list.group_member_list().members()) {
        if (m.user_id() == member.id)
            QCOMPARE(QString::fromStdString(m.nickname()), QStringLiteral("Bobby 鲍比"));
        else
            QVERIFY(m.nickname().empty()); // each member sets only their own
    }
    QCOMPARE(QString::fromStdString(getGroup(member, groupId).group_membership().nickname()),
             QStringLiteral("Bobby 鲍比"));
    const proto::Frame cleared = setNickname(member, "");
    QVERIFY(cleared.group_change_result().event().details().has_nickname());
    QVERIFY(cleared.group_change_result().event().details().nickname().empty());
}

void TestGroups::memberListIsPaged()
{
    User owner = user(QStringLiteral("owner"));
    std::vector<User> others;
    for (int i = 0; i < 4; ++i)
        others.push_back(user(QStringLiteral("m%1").arg(i)));
    QList<const User *> memberPointers;
    for (const User &u : others)
        memberPointers.append(&u);
    const quint64 groupId = groupOf(owner, memberPointers);
    QVERIFY(groupId);
    QVERIFY(makeFriends(owner, others[0]));

    QList<quint64> expected {owner.id};
    for (const User &u : others)
        expected.append(u.id);
    std::sort(expected.begin(), expected.end());

    QList<quint64> seen;
    quint64 after = 0;
    int pages = 0;
    for (;;) {
        const proto::Frame page = members(owner, groupId, after, 2);
        QVERIFY2(page.has_group_member_list(), qPrintable(describe(page)));
        const auto &list = page.group_member_list();
        QVERIFY(list.members_size() <= 2);
        QCOMPARE(list.last_seq(), 1u);
        for (const auto &m : list.members()) {
            seen.append(m.user_id());
            QCOMPARE(m.profile().user_id(), m.user_id());
            QVERIFY(!m.profile().username().empty());
            QCOMPARE(m.role(),
                     m.user_id() == owner.id ? proto::GROUP_ROLE_OWNER : proto::GROUP_ROLE_MEMBER);
            QCOMPARE(m.joined_seq(), 1u);
            QCOMPARE(m.profile().is_friend(), m.user_id() == others[0].id);
        }
        ++pages;
        if (!list.has_more())
            break;
        after = list.members(list.members_size() - 1).user_id();
    }
    QCOMPARE(pages, 3);
    QCOMPARE(seen, expected);
    QCOMPARE(members(owner, groupId).group_member_list().members_size(), 5); // default page
}

void TestGroups::groupListCarriesLastSeq()
{
    User owner = user(QStringLiteral("owner"));
    User member = user(QStringLiteral("member"));
    QList<quint64> created;
    for (int i = 0; i < 3; ++i) {
        const quint64 id = groupOf(owner, {&member});
        QVERIFY(id);
        created.append(id);
    }
    QVERIFY(update(owner, created[1], [](auto &u) {
                u.set_name("renamed");
            }).has_group_change_result());

    const proto::Frame all = groupList(member);
    QVERIFY2(all.has_group_list(), qPrintable(describe(all)));
    QCOMPARE(all.group_list().groups_size(), 3);
    QVERIFY(!all.group_list().has_more());
    for (int i = 0; i < 3; ++i) {
        const auto &entry = all.group_list().groups(i);
        QCOMPARE(entry.group().group_id(), created[i]);
        QCOMPARE(entry.role(), proto::GROUP_ROLE_MEMBER);
        QCOMPARE(entry.group().last_seq(), i == 1 ? 2u : 1u);
        QVERIFY(entry.group().invite_code().empty());
    }
    const proto::Frame page = member.send([&](proto::Frame &f) {
        f.mutable_list_groups()->set_after_group_id(created[0]);
        f.mutable_list_groups()->set_limit(1);
    });
    QCOMPARE(page.group_list().groups_size(), 1);
    QCOMPARE(page.group_list().groups(0).group().group_id(), created[1]);
    QVERIFY(page.group_list().has_more());
}

void TestGroups::joinByInviteCode()
{
    User owner = user(QStringLiteral("owner"));
    User member = user(QStringLiteral("member"));
    User walker = user(QStringLiteral("walker"));
    const quint64 groupId = groupOf(owner, {&member});
    QVERIFY(groupId && walker.id);
    const auto join = [](const User &who, const std::string &code) {
        return who.send(
            [&](proto::Frame &f) { f.mutable_join_group_by_code()->set_invite_code(code); });
    };

    const proto::Frame opened = update(owner, groupId, [](proto::UpdateGroupRequest &u) {
        u.set_join_policy(proto::GROUP_JOIN_POLICY_OPEN);
    });
    QVERIFY2(opened.has_group_change_result(), qPrintable(describe(opened)));
    QCOMPARE(opened.group_change_result().event().details().join_policy(),
             proto::GROUP_JOIN_POLICY_OPEN);
    const std::string code = opened.group_change_result().group().invite_code();
    QCOMPARE(code.size(), size_t(16));
    // Members see the code; it is the same for all of them.
    QCOMPARE(getGroup(member, groupId).group_membership().group().invite_code(), code);

    QCOMPARE(errorCode(join(walker, "not-a-code")), proto::ERROR_CODE_NOT_FOUND);
    QCOMPARE(errorCode(join(walker, "")), proto::ERROR_CODE_NOT_FOUND);
    // Walker lets only friends add them: the owner's invite waits for them.
    const proto::Frame invited = invite(owner, groupId, {walker.id});
    QCOMPARE(invited.group_change_result().invitations_size(), 1);
    const quint64 invitationId = invited.group_change_result().invitations(0).invitation_id();
    const proto::Frame joined = join(walker, code);
    QVERIFY2(joined.has_group_change_result(), qPrintable(describe(joined)));
    const proto::GroupEvent &event = joined.group_change_result().event();
    QCOMPARE(event.kind(), proto::GroupEvent::KIND_MEMBER_JOINED);
    QCOMPARE(event.actor_id(), walker.id);
    QVERIFY(event.details().by_invite_code());
    QCOMPARE(joined.group_change_result().group().member_count(), 3u);
    QVERIFY(waitEvent(*owner.client, groupId, event.seq()));
    QVERIFY(waitEvent(*walker.client, groupId, event.seq()));
    // Joined with the code: the invitation is cancelled, and both its sides hear it.
    QVERIFY(waitInvitation(*walker.client, invitationId, proto::GroupInvitation::STATE_CANCELLED));
    QVERIFY(waitInvitation(*owner.client, invitationId, proto::GroupInvitation::STATE_CANCELLED));
    // Joining again changes nothing.
    const proto::Frame again = join(walker, code);
    QVERIFY(again.has_group_change_result());
    QVERIFY(!again.group_change_result().has_event());

    // A new code replaces the old one.
    const proto::Frame reset =
        update(member, groupId, [](auto &u) { u.set_reset_invite_code(true); });
    QCOMPARE(errorCode(reset), proto::ERROR_CODE_PERMISSION_DENIED); // members may not
    const proto::Frame resetByOwner =
        update(owner, groupId, [](auto &u) { u.set_reset_invite_code(true); });
    QVERIFY(resetByOwner.group_change_result().event().details().invite_code_reset());
    const std::string newCode = resetByOwner.group_change_result().group().invite_code();
    QVERIFY(!newCode.empty() && newCode != code);
    User late = user(QStringLiteral("late"));
    QCOMPARE(errorCode(join(late, code)), proto::ERROR_CODE_NOT_FOUND);
    QVERIFY(join(late, newCode).group_change_result().has_event());

    // Closing the group discards the code.
    const proto::Frame closed = update(owner, groupId, [](proto::UpdateGroupRequest &u) {
        u.set_join_policy(proto::GROUP_JOIN_POLICY_INVITE_ONLY);
    });
    QVERIFY(closed.group_change_result().group().invite_code().empty());
    User later = user(QStringLiteral("later"));
    QCOMPARE(errorCode(join(later, newCode)), proto::ERROR_CODE_NOT_FOUND);
    // Requests to join by id are for the approval policy only.
    QCOMPARE(errorCode(later.send([&](proto::Frame &f) {
                 f.mutable_request_to_join_group()->set_group_id(groupId);
             })),
             proto::ERROR_CODE_PERMISSION_DENIED);
}

void TestGroups::requestToJoinAndApprove()
{
    User owner = user(QStringLiteral("owner"));
    User admin = user(QStringLiteral("admin"));
    User member = user(QStringLiteral("member"));
    User applicant = user(QStringLiteral("applicant"));
    User other = user(QStringLiteral("other"));
    QVERIFY(applicant.id && other.id);
    QVERIFY(setGroupAdders(applicant, proto::AUDIENCE_EVERYONE));
    const quint64 groupId = groupOf(owner, {&admin, &member});
    QVERIFY(groupId);
    QVERIFY(owner
                .send([&](proto::Frame &f) {
                    f.mutable_set_group_admin()->set_group_id(groupId);
                    f.mutable_set_group_admin()->set_user_id(admin.id);
                    f.mutable_set_group_admin()->set_admin(true);
                })
                .has_group_change_result());
    const auto apply = [&](const User &who, quint64 group, const std::string &message) {
        return who.send([&](proto::Frame &f) {
            f.mutable_request_to_join_group()->set_group_id(group);
            f.mutable_request_to_join_group()->set_message(message);
        });
    };
    const auto answer = [](const User &who, quint64 id, bool approve) {
        return who.send([&](proto::Frame &f) {
            f.mutable_answer_join_application()->set_application_id(id);
            f.mutable_answer_join_application()->set_approve(approve);
        });
    };

    // Invite-only groups take no requests.
    QCOMPARE(errorCode(apply(applicant, groupId, "hi")), proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(errorCode(apply(applicant, kNoSuchGroup, "hi")), proto::ERROR_CODE_NOT_FOUND);
    QVERIFY(update(owner, groupId, [](proto::UpdateGroupRequest &u) {
                u.set_join_policy(proto::GROUP_JOIN_POLICY_APPROVAL);
            }).has_group_change_result());
    QCOMPARE(errorCode(apply(member, groupId, "me too")), proto::ERROR_CODE_CONFLICT);
    QCOMPARE(errorCode(apply(applicant, groupId, std::string(201, 'x'))),
             proto::ERROR_CODE_INVALID_ARGUMENT);
    // Under approval, plain members may not invite around it.
    QCOMPARE(errorCode(invite(member, groupId, {applicant.id})),
             proto::ERROR_CODE_PERMISSION_DENIED);

    const proto::Frame applied = apply(applicant, groupId, "I hike every weekend.\nPlease?");
    QVERIFY2(applied.has_join_application(), qPrintable(describe(applied)));
    const proto::JoinApplication &application = applied.join_application();
    QCOMPARE(application.state(), proto::JoinApplication::STATE_PENDING);
    QCOMPARE(application.applicant().user_id(), applicant.id);
    QCOMPARE(application.message(), std::string("I hike every weekend.\nPlease?"));
    QCOMPARE(apply(applicant, groupId, "again").join_application().application_id(),
             application.application_id());
    // The applicant sees which group it is, as an outsider does.
    QCOMPARE(application.group().group_id(), groupId);
    QCOMPARE(application.group().name(), std::string("team"));
    QCOMPARE(application.group().member_count(), 3u);
    QVERIFY(application.group().invite_code().empty());
    // ... and lists their own pending applications (group 0), which nobody else sees.
    const auto mine = [](const User &who) {
        return who.send([](proto::Frame &f) { f.mutable_list_join_applications(); });
    };
    const proto::Frame ownList = mine(applicant);
    QVERIFY2(ownList.has_join_application_list(), qPrintable(describe(ownList)));
    QCOMPARE(ownList.join_application_list().applications_size(), 1);
    QCOMPARE(ownList.join_application_list().applications(0).application_id(),
             application.application_id());
    QCOMPARE(ownList.join_application_list().applications(0).group().name(), std::string("team"));
    QCOMPARE(mine(other).join_application_list().applications_size(), 0);
    QCOMPARE(mine(owner).join_application_list().applications_size(), 0);
    // The owner and admins are told.
    QVERIFY(waitApplication(*owner.client, application.application_id(),
                            proto::JoinApplication::STATE_PENDING));
    QVERIFY(waitApplication(*admin.client, application.application_id(),
                            proto::JoinApplication::STATE_PENDING));

    const proto::Frame listed = admin.send(
        [&](proto::Frame &f) { f.mutable_list_join_applications()->set_group_id(groupId); });
    QVERIFY2(listed.has_join_application_list(), qPrintable(describe(listed)));
    QCOMPARE(listed.join_application_list().applications_size(), 1);
    QCOMPARE(errorCode(answer(member, application.application_id(), true)),
             proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(errorCode(answer(other, application.application_id(), true)),
             proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(errorCode(answer(admin, kNoSuchGroup, true)), proto::ERROR_CODE_NOT_FOUND);

    const proto::Frame approved = answer(admin, application.application_id(), true);
    QVERIFY2(approved.has_group_change_result(), qPrintable(describe(approved)));
    const auto &result = approved.group_change_result();
    QCOMPARE(result.event().kind(), proto::GroupEvent::KIND_JOIN_APPROVED);
    QCOMPARE(result.event().actor_id(), admin.id);
    QCOMPARE(ids(result.event().target_ids()), QList<quint64> {applicant.id});
    QCOMPARE(result.application().state(), proto::JoinApplication::STATE_APPROVED);
    QCOMPARE(result.application().decided_by(), admin.id);
    QVERIFY(waitEvent(*applicant.client, groupId, result.event().seq()));
    QVERIFY(waitApplication(*applicant.client, application.application_id(),
                            proto::JoinApplication::STATE_APPROVED));
    QCOMPARE(getGroup(applicant, groupId).group_membership().joined_seq(), result.event().seq());
    QCOMPARE(errorCode(answer(owner, application.application_id(), false)),
             proto::ERROR_CODE_CONFLICT);

    // A declined application changes nothing.
    const proto::Frame otherApplied = apply(other, groupId, "");
    QVERIFY(otherApplied.has_join_application());
    const proto::Frame declined =
        answer(owner, otherApplied.join_application().application_id(), false);
    QVERIFY2(declined.has_group_change_result(), qPrintable(describe(declined)));
    QVERIFY(!declined.group_change_result().has_event());
    QCOMPARE(declined.group_change_result().application().state(),
             proto::JoinApplication::STATE_DECLINED);
    QCOMPARE(errorCode(getGroup(other, groupId)), proto::ERROR_CODE_PERMISSION_DENIED);
    // The applicant hears the answer, with the group, and it leaves their list.
    const auto heard =
        waitApplication(*other.client, otherApplied.join_application().application_id(),
                        proto::JoinApplication::STATE_DECLINED);
    QVERIFY(heard);
    QCOMPARE(heard->group().name(), std::string("team"));
    QCOMPARE(mine(other).join_application_list().applications_size(), 0);
    QCOMPARE(mine(applicant).join_application_list().applications_size(), 0);
    QCOMPARE(admin
                 .send([&](proto::Frame &f) {
                     f.mutable_list_join_applications()->set_group_id(groupId);
                 })
                 .join_application_list()
                 .applications_size(),
             0);
}

void TestGroups::waitingRequestsAreCapped()
{
    User owner = user(QStringLiteral("popular"));
    User applicant = user(QStringLiteral("eager"));
    QVERIFY(owner.id && applicant.id);
    constexpr int kCap = 200; // tern_group_apply (migration 0019)
    QList<quint64> groups;
    for (int i = 0; i <= kCap; ++i) {
        const proto::Frame created =
            create(owner, QStringLiteral("club %1").arg(i), {}, proto::GROUP_JOIN_POLICY_APPROVAL);
        QVERIFY2(created.has_group_change_result(), qPrintable(describe(created)));
        groups.append(created.group_change_result().group().group_id());
    }
    const auto apply = [&](quint64 group) {
        return applicant.send(
            [&](proto::Frame &f) { f.mutable_request_to_join_group()->set_group_id(group); });
    };
    QList<quint64> applications;
    for (int i = 0; i < kCap; ++i) {
        const proto::Frame applied = apply(groups[i]);
        QVERIFY2(applied.has_join_application(), qPrintable(describe(applied)));
        applications.append(applied.join_application().application_id());
    }
    const proto::Frame refused = apply(groups[kCap]);
    QCOMPARE(errorCode(refused), proto::ERROR_CODE_LIMIT_EXCEEDED);
    QCOMPARE(refused.error().reason(), std::string("groups/too_many_requests"));
    // Asking again where one waits still answers with it.
    QCOMPARE(apply(groups[0]).join_application().application_id(), applications[0]);
    // All of them are listed; once one is answered there is room again.
    const proto::Frame listed =
        applicant.send([](proto::Frame &f) { f.mutable_list_join_applications(); });
    QCOMPARE(listed.join_application_list().applications_size(), kCap);
    QCOMPARE(listed.join_application_list().applications(0).application_id(),
             applications.last()); // newest first
    const proto::Frame declined = owner.send([&](proto::Frame &f) {
        f.mutable_answer_join_application()->set_application_id(applications[0]);
        f.mutable_answer_join_application()->set_approve(false);
    });
    QVERIFY2(declined.has_group_change_result(), qPrintable(describe(declined)));
    QVERIFY2(apply(groups[kCap]).has_join_application(), "room after an answer");
}

// Ages rows of a table in the test's database by `days` (for the bounds that count recent rows).
bool TestGroups::age(const char *table, const char *where, qint64 id, int days)
{
    server::PgSession session;
    if (const QString error = session.connect(m_pg.dsn()); !error.isEmpty()) {
        qWarning("cannot connect: %s", qPrintable(error));
        return false;
    }
    const QByteArray sql = QByteArray("UPDATE ") + table
        + " SET created_at = created_at - make_interval(days => $2::int) WHERE " + where
        + " = $1::bigint";
    const server::PgOutcome aged =
        session.exec({sql.constData(), {QByteArray::number(id), QByteArray::number(days)}});
    if (!aged.ok())
        qWarning("cannot age %s: %s", table, qPrintable(aged.error.message));
    return aged.ok();
}

void TestGroups::creationsAreCapped()
{
    User maker = user(QStringLiteral("maker"));
    User friendly = user(QStringLiteral("friendly"));
    QVERIFY(maker.id && friendly.id);
    QVERIFY(setGroupAdders(friendly, proto::AUDIENCE_EVERYONE));
    constexpr int kCap = 500; // tern_group_create (migration 0021)
    QList<quint64> groups;
    for (int i = 0; i < kCap; ++i) {
        const proto::Frame created = create(maker, QStringLiteral("circle %1").arg(i), {});
        QVERIFY2(created.has_group_change_result(), qPrintable(describe(created)));
        groups.append(created.group_change_result().group().group_id());
    }
    const auto refusedWith = [&](const char *reason) {
        const proto::Frame refused = create(maker, QStringLiteral("one more"), {&friendly});
        return errorCode(refused) == proto::ERROR_CODE_LIMIT_EXCEEDED
            && refused.error().reason() == reason;
    };
    QVERIFY(refusedWith("groups/too_many_groups"));
    // The refusal changed nothing: friendly was added to no group.
    const proto::Frame listed = groupList(friendly);
    QVERIFY2(listed.has_group_list(), qPrintable(describe(listed)));
    QCOMPARE(listed.group_list().groups_size(), 0);
    // Handing a group over does not make room: the bound is on groups made.
    const proto::Frame added = invite(maker, groups[0], {friendly.id});
    QVERIFY2(added.group_change_result().group().member_count() == 2, qPrintable(describe(added)));
    const proto::Frame handed = maker.send([&](proto::Frame &f) {
        f.mutable_transfer_group_ownership()->set_group_id(groups[0]);
        f.mutable_transfer_group_ownership()->set_user_id(friendly.id);
    });
    QVERIFY2(handed.has_group_change_result(), qPrintable(describe(handed)));
    QVERIFY(refusedWith("groups/too_many_groups"));
    // A dissolved group counts for its first day, then no more.
    const proto::Frame dissolved = friendly.send(
        [&](proto::Frame &f) { f.mutable_dissolve_group()->set_group_id(groups[0]); });
    QVERIFY2(dissolved.has_group_change_result(), qPrintable(describe(dissolved)));
    QVERIFY(refusedWith("groups/too_many_groups"));
    QVERIFY(age("groups", "id", qint64(groups[0]), 2));
    const proto::Frame roomAgain = create(maker, QStringLiteral("one more"), {&friendly});
    QVERIFY2(roomAgain.has_group_change_result(), qPrintable(describe(roomAgain)));
    QVERIFY(refusedWith("groups/too_many_groups"));
}

void TestGroups::applicationsRespectBlocksAndAreSpaced()
{
    User owner = user(QStringLiteral("warden"));
    User admin = user(QStringLiteral("deputy"));
    User pest = user(QStringLiteral("pest"));
    User keen = user(QStringLiteral("keen"));
    QVERIFY(owner.id && admin.id && pest.id && keen.id);
    const quint64 groupId = groupOf(owner, {&admin});
    QVERIFY(groupId);
    QVERIFY(update(owner, groupId, [](proto::UpdateGroupRequest &r) {
                r.set_join_policy(proto::GROUP_JOIN_POLICY_APPROVAL);
            }).has_group_change_result());
    const proto::Frame promoted = owner.send([&](proto::Frame &f) {
        f.mutable_set_group_admin()->set_group_id(groupId);
        f.mutable_set_group_admin()->set_user_id(admin.id);
        f.mutable_set_group_admin()->set_admin(true);
    });
    QVERIFY2(promoted.has_group_change_result(), qPrintable(describe(promoted)));
    const auto apply = [&](const User &applicant) {
        return applicant.send(
            [&](proto::Frame &f) { f.mutable_request_to_join_group()->set_group_id(groupId); });
    };
    const auto withdraw = [&](const User &applicant, quint64 application) {
        return applicant
            .send([&](proto::Frame &f) {
                f.mutable_withdraw_join_application()->set_application_id(application);
            })
            .has_join_application();
    };

    // An admin's block keeps the blocked user's requests away from every admin.
    QVERIFY(block(admin, pest));
    const proto::Frame refused = apply(pest);
    QCOMPARE(errorCode(refused), proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(refused.error().reason(), std::string("groups/application_refused"));
    const proto::Frame waiting = owner.send(
        [&](proto::Frame &f) { f.mutable_list_join_applications()->set_group_id(groupId); });
    QVERIFY2(waiting.has_join_application_list(), qPrintable(describe(waiting)));
    QCOMPARE(waiting.join_application_list().applications_size(), 0);

    // Three requests to one group within a day, however they ended; then one a day later.
    for (int i = 0; i < 3; ++i) {
        const proto::Frame applied = apply(keen);
        QVERIFY2(applied.has_join_application(), qPrintable(describe(applied)));
        QVERIFY(withdraw(keen, applied.join_application().application_id()));
    }
    const proto::Frame tooSoon = apply(keen);
    QCOMPARE(errorCode(tooSoon), proto::ERROR_CODE_LIMIT_EXCEEDED);
    QCOMPARE(tooSoon.error().reason(), std::string("groups/asked_recently"));
    QVERIFY(age("group_join_applications", "applicant_id", qint64(keen.id), 2));
    QVERIFY2(apply(keen).has_join_application(), "a day later");
}

void TestGroups::waitingInvitationsAreCapped()
{
    User host = user(QStringLiteral("host"));
    QVERIFY(host.id);
    const proto::Frame created = create(host, QStringLiteral("open house"), {});
    const quint64 groupId = created.group_change_result().group().group_id();
    QVERIFY2(groupId, qPrintable(describe(created)));
    constexpr int kCap = 200; // tern_group_invitations_allowed (migration 0021)
    QList<quint64> strangers; // their group_adders (friends) make every add an invitation
    User answering = user(QStringLiteral("guest"));
    QVERIFY(answering.id);
    strangers.append(answering.id);
    for (int i = 1; i <= kCap; ++i) {
        User guest = user(QStringLiteral("guest"));
        QVERIFY(guest.id);
        strangers.append(guest.id);
    }
    const QList<quint64> first = strangers.mid(0, 100);
    const QList<quint64> second = strangers.mid(100, 100);
    const quint64 extra = strangers.at(kCap);
    QCOMPARE(invite(host, groupId, first).group_change_result().invitations_size(), 100);
    QCOMPARE(invite(host, groupId, second).group_change_result().invitations_size(), 100);
    const proto::Frame refused = invite(host, groupId, {extra});
    QCOMPARE(errorCode(refused), proto::ERROR_CODE_LIMIT_EXCEEDED);
    QCOMPARE(refused.error().reason(), std::string("groups/too_many_invitations"));
    // Asking again for someone whose invitation waits adds nothing, so it passes.
    const proto::Frame again = invite(host, groupId, {first[0]});
    QVERIFY2(again.has_group_change_result(), qPrintable(describe(again)));
    // Creating a group that would invite someone is refused as a whole.
    const proto::Frame groupsBefore = groupList(host);
    QVERIFY2(groupsBefore.has_group_list(), qPrintable(describe(groupsBefore)));
    const proto::Frame createRefused = host.send([&](proto::Frame &f) {
        f.mutable_create_group()->set_name("second house");
        f.mutable_create_group()->add_member_ids(extra);
    });
    QCOMPARE(createRefused.error().reason(), std::string("groups/too_many_invitations"));
    const proto::Frame groupsAfter = groupList(host);
    QCOMPARE(groupsAfter.group_list().groups_size(), groupsBefore.group_list().groups_size());
    // An answer makes room for one.
    const proto::Frame pending =
        answering.send([](proto::Frame &f) { f.mutable_list_group_invitations(); });
    QVERIFY2(pending.group_invitation_list().invitations_size() == 1,
             qPrintable(describe(pending)));
    const proto::Frame declined = answering.send([&](proto::Frame &f) {
        f.mutable_answer_group_invitation()->set_invitation_id(
            pending.group_invitation_list().invitations(0).invitation_id());
        f.mutable_answer_group_invitation()->set_accept(false);
    });
    QVERIFY2(declined.has_group_change_result(), qPrintable(describe(declined)));
    QCOMPARE(invite(host, groupId, {extra}).group_change_result().invitations_size(), 1);
    QCOMPARE(errorCode(invite(host, groupId, {answering.id})), proto::ERROR_CODE_LIMIT_EXCEEDED);
    // Invitations older than 7 days stop counting.
    QVERIFY(age("group_invitations", "inviter_id", qint64(host.id), 8));
    QCOMPARE(invite(host, groupId, {answering.id}).group_change_result().invitations_size(), 1);
}

// A ban being committed holds the user's row (AdminStore); an invitation of that user waits
// for it and then sees the ban, instead of slipping in after the ban read the user's groups.
void TestGroups::anInvitationWaitsForABanInProgress()
{
    User host = user(QStringLiteral("bouncer"));
    User guest = user(QStringLiteral("mallory"));
    QVERIFY(host.id && guest.id);
    const quint64 groupId = groupOf(host, {});
    QVERIFY(groupId);
    server::PgSession ban;
    QCOMPARE(ban.connect(m_pg.dsn()), QString());
    QVERIFY(ban.execScript("BEGIN").ok());
    QVERIFY(ban.exec({"UPDATE users SET banned_at = now() WHERE id = $1",
                      {QByteArray::number(guest.id)}})
                .ok());
    proto::Frame frame;
    frame.mutable_invite_to_group()->set_group_id(groupId);
    frame.mutable_invite_to_group()->add_user_ids(guest.id);
    const quint64 asked = host.client->post(frame);
    QTest::qWait(300); // the invitation reaches its lock
    QVERIFY(ban.execScript("COMMIT").ok());
    const proto::Frame answer = host.client->answerTo(asked);
    QCOMPARE(errorCode(answer), proto::ERROR_CODE_NOT_FOUND);
    QCOMPARE(answer.error().reason(), std::string("groups/no_user"));
}

void TestGroups::ownWaysInFailForTheBanned_data()
{
    QTest::addColumn<int>("way");
    QTest::addColumn<bool>("inProgress");
    QTest::newRow("code, banned before") << int(ByCode) << false;
    QTest::newRow("code, ban in progress") << int(ByCode) << true;
    QTest::newRow("invitation, banned before") << int(ByInvitation) << false;
    QTest::newRow("invitation, ban in progress") << int(ByInvitation) << true;
    QTest::newRow("request, banned before") << int(ByRequest) << false;
    QTest::newRow("request, ban in progress") << int(ByRequest) << true;
    QTest::newRow("new group, banned before") << int(ByCreating) << false;
    QTest::newRow("new group, ban in progress") << int(ByCreating) << true;
}

// A banned user's own join by code, accepted invitation, request to join or new group (with the
// host in it) is refused as their login would be, and leaves nothing behind. One sent while a ban
// is being committed waits for it (the ban holds the user's row, the join takes it FOR SHARE first)
// and then sees it, where it used to go through beside the ban: the ban had already gone through
// the user's groups, so the banned user stayed in the new one. The ban is written here as ternctl's
// transaction begins it (the user's row changed, not yet committed), without ending the user's
// sessions, so that the request can be sent.
void TestGroups::ownWaysInFailForTheBanned()
{
    QFETCH(int, way);
    QFETCH(bool, inProgress);
    User host = user(QStringLiteral("doorman"));
    User guest = user(QStringLiteral("crasher"));
    QVERIFY(host.id && guest.id);
    const proto::GroupJoinPolicy policy = way == ByCode ? proto::GROUP_JOIN_POLICY_OPEN
        : way == ByRequest                              ? proto::GROUP_JOIN_POLICY_APPROVAL
                                                        : proto::GROUP_JOIN_POLICY_INVITE_ONLY;
    const proto::Frame created = create(host, QStringLiteral("venue"), {}, policy);
    QVERIFY2(created.has_group_change_result(), qPrintable(describe(created)));
    const proto::Group &group = created.group_change_result().group();
    const quint64 groupId = group.group_id();
    proto::Frame join;
    if (way == ByCode) {
        QVERIFY(!group.invite_code().empty());
        join.mutable_join_group_by_code()->set_invite_code(group.invite_code());
    } else if (way == ByInvitation) {
        // The guest lets friends add them (the default): an invitation waits for them.
        const proto::Frame invited = invite(host, groupId, {guest.id});
        QVERIFY2(invited.group_change_result().invitations_size() == 1,
                 qPrintable(describe(invited)));
        join.mutable_answer_group_invitation()->set_invitation_id(
            invited.group_change_result().invitations(0).invitation_id());
        join.mutable_answer_group_invitation()->set_accept(true);
    } else if (way == ByRequest) {
        join.mutable_request_to_join_group()->set_group_id(groupId);
    } else {
        QVERIFY(setGroupAdders(host, proto::AUDIENCE_EVERYONE));
        join.mutable_create_group()->set_name("own venue");
        join.mutable_create_group()->add_member_ids(host.id);
    }

    server::PgSession ban;
    QCOMPARE(ban.connect(m_pg.dsn()), QString());
    QVERIFY(ban.execScript("BEGIN").ok());
    QVERIFY(ban.exec({"UPDATE users SET banned_at = now() WHERE id = $1",
                      {QByteArray::number(guest.id)}})
                .ok());
    if (!inProgress)
        QVERIFY(ban.execScript("COMMIT").ok());
    const quint64 asked = guest.client->post(join);
    if (inProgress) {
        QTest::qWait(300); // the request reaches the user's row
        QVERIFY(ban.execScript("COMMIT").ok());
    }
    const proto::Frame answer = guest.client->answerTo(asked);
    QCOMPARE(errorCode(answer), proto::ERROR_CODE_ACCOUNT_BANNED);
    QCOMPARE(answer.error().reason(), std::string("groups/banned"));

    // Nothing stands: the host is alone in the group, and no request waits.
    const proto::Frame list = members(host, groupId);
    QVERIFY2(list.has_group_member_list(), qPrintable(describe(list)));
    QCOMPARE(list.group_member_list().members_size(), 1);
    QCOMPARE(list.group_member_list().members(0).user_id(), host.id);
    const proto::Frame waiting = host.send(
        [&](proto::Frame &f) { f.mutable_list_join_applications()->set_group_id(groupId); });
    QVERIFY2(waiting.has_join_application_list(), qPrintable(describe(waiting)));
    QCOMPARE(waiting.join_application_list().applications_size(), 0);
    const proto::Frame hostGroups = groupList(host);
    QVERIFY2(hostGroups.has_group_list(), qPrintable(describe(hostGroups)));
    QCOMPARE(hostGroups.group_list().groups_size(), 1); // "venue" only
}

void TestGroups::applicantsWithdrawTheirRequests()
{
    User owner = user(QStringLiteral("guide"));
    User applicant = user(QStringLiteral("hesitant"));
    User other = user(QStringLiteral("nosy"));
    QVERIFY(owner.id && applicant.id && other.id);
    const proto::Frame created =
        create(owner, QStringLiteral("hikes"), {}, proto::GROUP_JOIN_POLICY_APPROVAL);
    const quint64 groupId = created.group_change_result().group().group_id();
    QVERIFY2(groupId, qPrintable(describe(created)));
    const auto apply = [&] {
        return applicant.send(
            [&](proto::Frame &f) { f.mutable_request_to_join_group()->set_group_id(groupId); });
    };
    const auto withdraw = [](const User &who, quint64 id) {
        return who.send([&](proto::Frame &f) {
            f.mutable_withdraw_join_application()->set_application_id(id);
        });
    };
    const proto::Frame applied = apply();
    QVERIFY2(applied.has_join_application(), qPrintable(describe(applied)));
    const quint64 id = applied.join_application().application_id();

    // Only the applicant may take it back.
    QCOMPARE(errorCode(withdraw(other, id)), proto::ERROR_CODE_NOT_FOUND);
    QCOMPARE(errorCode(withdraw(owner, id)), proto::ERROR_CODE_NOT_FOUND);
    const proto::Frame withdrawn = withdraw(applicant, id);
    QVERIFY2(withdrawn.has_join_application(), qPrintable(describe(withdrawn)));
    QCOMPARE(withdrawn.join_application().state(), proto::JoinApplication::STATE_CANCELLED);
    QCOMPARE(withdrawn.join_application().group().name(), std::string("hikes"));
    // The owner hears it and has nothing left to answer.
    QVERIFY(waitApplication(*owner.client, id, proto::JoinApplication::STATE_CANCELLED));
    QCOMPARE(owner
                 .send([&](proto::Frame &f) {
                     f.mutable_list_join_applications()->set_group_id(groupId);
                 })
                 .join_application_list()
                 .applications_size(),
             0);
    const proto::Frame again = withdraw(applicant, id);
    QCOMPARE(errorCode(again), proto::ERROR_CODE_CONFLICT);
    QCOMPARE(again.error().reason(), std::string("groups/not_pending"));
    // Asking anew makes a new request.
    const proto::Frame reapplied = apply();
    QVERIFY(reapplied.has_join_application());
    QVERIFY(reapplied.join_application().application_id() != id);

    // Let in another way (added by the owner): the request is cancelled and the applicant told.
    QVERIFY(setGroupAdders(applicant, proto::AUDIENCE_EVERYONE));
    QVERIFY(invite(owner, groupId, {applicant.id}).has_group_change_result());
    QVERIFY(waitApplication(*applicant.client, reapplied.join_application().application_id(),
                            proto::JoinApplication::STATE_CANCELLED));
}

void TestGroups::leaveAndReadUpToTheEnd()
{
    User owner = user(QStringLiteral("owner"));
    User leaver = user(QStringLiteral("leaver"));
    User stayer = user(QStringLiteral("stayer"));
    User never = user(QStringLiteral("never"));
    const quint64 groupId = groupOf(owner, {&leaver, &stayer});
    QVERIFY(groupId && never.id);
    QVERIFY(
        update(owner, groupId, [](auto &u) { u.set_name("before"); }).has_group_change_result());

    const proto::Frame left =
        leaver.send([&](proto::Frame &f) { f.mutable_leave_group()->set_group_id(groupId); });
    QVERIFY2(left.has_group_change_result(), qPrintable(describe(left)));
    const proto::GroupEvent leftEvent = left.group_change_result().event();
    QCOMPARE(leftEvent.kind(), proto::GroupEvent::KIND_MEMBER_LEFT);
    QCOMPARE(leftEvent.seq(), 3u);
    QVERIFY(left.group_change_result().group().invite_code().empty());
    QVERIFY(waitEvent(*stayer.client, groupId, 3));
    QVERIFY(update(owner, groupId, [](auto &u) { u.set_name("after"); }).has_group_change_result());

    // The former member reads up to and including their leaving, and not beyond.
    const proto::Frame history = events(leaver, groupId, 0);
    QVERIFY2(history.has_group_event_list(), qPrintable(describe(history)));
    const auto &list = history.group_event_list();
    QCOMPARE(list.events_size(), 3);
    QCOMPARE(list.events(2).SerializeAsString(), leftEvent.SerializeAsString());
    QCOMPARE(list.last_seq(), 3u);
    QVERIFY(!list.member());
    QVERIFY(!list.has_more());
    QCOMPARE(events(leaver, groupId, 3).group_event_list().events_size(), 0);
    QCOMPARE(events(stayer, groupId, 3).group_event_list().events_size(), 1);
    QVERIFY(events(stayer, groupId, 0).group_event_list().member());

    QCOMPARE(errorCode(getGroup(leaver, groupId)), proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(errorCode(members(leaver, groupId)), proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(errorCode(events(never, groupId, 0)), proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(groupList(leaver).group_list().groups_size(), 0);
    QCOMPARE(members(owner, groupId).group_member_list().members_size(), 2);
    QCOMPARE(errorCode(leaver.send(
                 [&](proto::Frame &f) { f.mutable_leave_group()->set_group_id(groupId); })),
             proto::ERROR_CODE_PERMISSION_DENIED);

    // Back in by invitation: the history starts again at the new membership.
    QVERIFY(invite(owner, groupId, {leaver.id}).group_change_result().has_event());
    const proto::Frame rejoined = getGroup(leaver, groupId);
    QCOMPARE(rejoined.group_membership().joined_seq(), 5u);
    const proto::Frame fresh = events(leaver, groupId, 0);
    QCOMPARE(fresh.group_event_list().events_size(), 1);
    QCOMPARE(fresh.group_event_list().events(0).seq(), 5u);
}

void TestGroups::removedMemberHearsAndReadsUpToRemoval()
{
    User owner = user(QStringLiteral("owner"));
    User removed = user(QStringLiteral("removed"));
    const quint64 groupId = groupOf(owner, {&removed});
    QVERIFY(groupId);
    QVERIFY(update(owner, groupId, [](proto::UpdateGroupRequest &u) {
                u.set_join_policy(proto::GROUP_JOIN_POLICY_OPEN);
            }).has_group_change_result());
    const proto::Frame out = owner.send([&](proto::Frame &f) {
        f.mutable_remove_group_member()->set_group_id(groupId);
        f.mutable_remove_group_member()->set_user_id(removed.id);
    });
    QVERIFY2(out.has_group_change_result(), qPrintable(describe(out)));
    const quint64 seq = out.group_change_result().event().seq();
    const auto push = waitEvent(*removed.client, groupId, seq);
    QVERIFY(push);
    QCOMPARE(push->event().kind(), proto::GroupEvent::KIND_MEMBERS_REMOVED);
    QVERIFY(push->group().invite_code().empty()); // not for them any more
    const auto ownerPush = waitEvent(*owner.client, groupId, seq);
    QVERIFY(ownerPush);
    QVERIFY(!ownerPush->group().invite_code().empty());

    QVERIFY(update(owner, groupId, [](auto &u) { u.set_name("x"); }).has_group_change_result());
    const proto::Frame history = events(removed, groupId, 1);
    QCOMPARE(history.group_event_list().events_size(), 2);
    QCOMPARE(history.group_event_list().events(1).seq(), seq);
    QCOMPARE(history.group_event_list().last_seq(), seq);
}

void TestGroups::dissolve()
{
    User owner = user(QStringLiteral("owner"));
    User member = user(QStringLiteral("member"));
    User invitee = user(QStringLiteral("invitee")); // default FRIENDS: gets an invitation
    QVERIFY(invitee.id);
    const quint64 groupId = groupOf(owner, {&member});
    QVERIFY(groupId);
    QCOMPARE(invite(owner, groupId, {invitee.id}).group_change_result().invitations_size(), 1);
    const proto::Frame pending =
        invitee.send([](proto::Frame &f) { f.mutable_list_group_invitations(); });
    QCOMPARE(pending.group_invitation_list().invitations_size(), 1);
    const quint64 invitationId = pending.group_invitation_list().invitations(0).invitation_id();
    // And a request to join, waiting for an admin.
    User applicant = user(QStringLiteral("applicant"));
    QVERIFY(update(owner, groupId, [](proto::UpdateGroupRequest &u) {
                u.set_join_policy(proto::GROUP_JOIN_POLICY_APPROVAL);
            }).has_group_change_result());
    const proto::Frame applied = applicant.send(
        [&](proto::Frame &f) { f.mutable_request_to_join_group()->set_group_id(groupId); });
    QVERIFY2(applied.has_join_application(), qPrintable(describe(applied)));

    const proto::Frame dissolved =
        owner.send([&](proto::Frame &f) { f.mutable_dissolve_group()->set_group_id(groupId); });
    QVERIFY2(dissolved.has_group_change_result(), qPrintable(describe(dissolved)));
    const auto &result = dissolved.group_change_result();
    QCOMPARE(result.event().kind(), proto::GroupEvent::KIND_DISSOLVED);
    QVERIFY(result.group().dissolved());
    QCOMPARE(result.group().member_count(), 0u);
    for (const User *u : {&owner, &member}) {
        const auto push = waitEvent(*u->client, groupId, result.event().seq());
        QVERIFY2(push, qPrintable(u->username));
        QVERIFY(push->group().dissolved());
    }

    QCOMPARE(errorCode(getGroup(member, groupId)), proto::ERROR_CODE_NOT_FOUND);
    QCOMPARE(errorCode(invite(owner, groupId, {invitee.id})), proto::ERROR_CODE_NOT_FOUND);
    QCOMPARE(errorCode(owner.send(
                 [&](proto::Frame &f) { f.mutable_dissolve_group()->set_group_id(groupId); })),
             proto::ERROR_CODE_NOT_FOUND);
    QCOMPARE(groupList(member).group_list().groups_size(), 0);
    // The history stays readable, up to the end.
    const proto::Frame history = events(member, groupId, 0);
    QCOMPARE(history.group_event_list().events_size(), 3);
    QCOMPARE(history.group_event_list().events(2).kind(), proto::GroupEvent::KIND_DISSOLVED);
    // The pending invitation and request went with it, and those waiting on them are told.
    QVERIFY(waitInvitation(*invitee.client, invitationId, proto::GroupInvitation::STATE_CANCELLED));
    const auto cancelled =
        waitApplication(*applicant.client, applied.join_application().application_id(),
                        proto::JoinApplication::STATE_CANCELLED);
    QVERIFY(cancelled);
    QVERIFY(cancelled->group().dissolved());
    QCOMPARE(applicant.send([](proto::Frame &f) { f.mutable_list_join_applications(); })
                 .join_application_list()
                 .applications_size(),
             0);
    QCOMPARE(invitee.send([](proto::Frame &f) { f.mutable_list_group_invitations(); })
                 .group_invitation_list()
                 .invitations_size(),
             0);
    QCOMPARE(errorCode(invitee.send([&](proto::Frame &f) {
                 f.mutable_answer_group_invitation()->set_invitation_id(invitationId);
                 f.mutable_answer_group_invitation()->set_accept(true);
             })),
             proto::ERROR_CODE_CONFLICT);
}

void TestGroups::pushesReachEveryDeviceOfEveryMember()
{
    User alice = user(QStringLiteral("alice"));
    User bob = user(QStringLiteral("bob"));
    User carol = user(QStringLiteral("carol"));
    QVERIFY(carol.id);
    std::unique_ptr<TestClient> bobPhone = secondDevice(bob);
    QVERIFY(bobPhone);
    std::unique_ptr<TestClient> alicePhone = secondDevice(alice);
    QVERIFY(alicePhone);
    const quint64 groupId = groupOf(alice, {&bob});
    QVERIFY(groupId);
    QVERIFY(setGroupAdders(carol, proto::AUDIENCE_EVERYONE));

    // "Alice invited Carol": every device of every member, the acting one included.
    const proto::Frame added = invite(alice, groupId, {carol.id});
    QVERIFY2(added.has_group_change_result(), qPrintable(describe(added)));
    const proto::GroupEvent event = added.group_change_result().event();
    QCOMPARE(event.kind(), proto::GroupEvent::KIND_MEMBERS_ADDED);
    QCOMPARE(event.actor_id(), alice.id);
    QCOMPARE(ids(event.target_ids()), QList<quint64> {carol.id});
    for (TestClient *device : {bob.client.get(), bobPhone.get(), alice.client.get(),
                               alicePhone.get(), carol.client.get()}) {
        const auto push = waitEvent(*device, groupId, event.seq());
        QVERIFY(push);
        QCOMPARE(push->event().SerializeAsString(), event.SerializeAsString());
        QCOMPARE(push->group().member_count(), 3u);
    }
    // And the next change reaches the new member too, in order on each device.
    const proto::Frame renamed = update(alice, groupId, [](auto &u) { u.set_name("trio"); });
    for (TestClient *device : {bob.client.get(), bobPhone.get(), carol.client.get()}) {
        const auto push = waitEvent(*device, groupId, event.seq() + 1);
        QVERIFY(push);
        QCOMPARE(push->group().name(), std::string("trio"));
    }
    QCOMPARE(renamed.group_change_result().event().seq(), event.seq() + 1);
}

void TestGroups::longEventPagesStopWithinABudget()
{
    // 120 announcements of 2,000 Chinese characters (6 KB each): more than one page may carry
    // (PageBudget, 512 KiB), whatever the limit asked for.
    User owner = user(QStringLiteral("herald"));
    User reader = user(QStringLiteral("reader"));
    const quint64 groupId = groupOf(owner, {&reader});
    QVERIFY(groupId);
    constexpr int kAnnouncements = 120;
    for (int i = 0; i < kAnnouncements; ++i) {
        const std::string text =
            QString(limits::kMaxGroupAnnouncementLength, QChar(0x516C + i % 2)).toStdString();
        QVERIFY(update(owner, groupId, [&](auto &u) {
                    u.set_announcement(text);
                }).has_group_change_result());
    }
    quint64 after = 0;
    int seen = 0;
    int pages = 0;
    for (bool more = true; more; ++pages) {
        const proto::Frame page = events(reader, groupId, after, 500);
        QVERIFY2(page.has_group_event_list(), qPrintable(describeFrame(page)));
        const auto &list = page.group_event_list();
        QVERIFY(list.events_size() > 0);
        QVERIFY(page.ByteSizeLong() < 600 * 1024);
        seen += list.events_size();
        after = list.events(list.events_size() - 1).seq();
        more = list.has_more();
    }
    QCOMPARE(seen, kAnnouncements + 1); // the creation too
    QVERIFY(pages >= 2);
}

void TestGroups::offlineDeviceCatchesUpBySeq()
{
    User alice = user(QStringLiteral("alice"));
    User bob = user(QStringLiteral("bob"));
    const quint64 groupId = groupOf(alice, {&bob});
    QVERIFY(groupId);
    QVERIFY(waitEvent(*bob.client, groupId, 1));
    quint64 seen = 1; // what bob's device has
    bob.client.reset(); // offline

    // Four changes while bob is away.
    std::vector<proto::GroupEvent> made;
    for (const char *name : {"one", "two", "three"}) {
        const proto::Frame changed = update(alice, groupId, [&](auto &u) { u.set_name(name); });
        QVERIFY(changed.has_group_change_result());
        made.push_back(changed.group_change_result().event());
    }
    const proto::Frame nick = alice.send([&](proto::Frame &f) {
        f.mutable_set_group_nickname()->set_group_id(groupId);
        f.mutable_set_group_nickname()->set_nickname("boss");
    });
    made.push_back(nick.group_change_result().event());

    // Back online on another device: the group list says how far each group is.
    std::unique_ptr<TestClient> device = secondDevice(bob);
    QVERIFY(device);
    User bobAgain {std::move(device), bob.id, bob.username};
    const proto::Frame list = groupList(bobAgain);
    QCOMPARE(list.group_list().groups_size(), 1);
    QCOMPARE(list.group_list().groups(0).group().last_seq(), 5u);

    // Pull after the last seen seq, two at a time: exactly what was missed, dense, in order,
    // byte for byte what was pushed to those online.
    std::vector<proto::GroupEvent> pulled;
    for (;;) {
        const proto::Frame page = events(bobAgain, groupId, seen, 2);
        QVERIFY2(page.has_group_event_list(), qPrintable(describe(page)));
        QVERIFY(page.group_event_list().events_size() <= 2);
        QCOMPARE(page.group_event_list().last_seq(), 5u);
        for (const auto &e : page.group_event_list().events()) {
            QCOMPARE(e.seq(), seen + 1);
            seen = e.seq();
            pulled.push_back(e);
        }
        if (!page.group_event_list().has_more())
            break;
    }
    QCOMPARE(pulled.size(), made.size());
    for (size_t i = 0; i < made.size(); ++i)
        QCOMPARE(pulled[i].SerializeAsString(), made[i].SerializeAsString());
    QCOMPARE(pulled.back().kind(), proto::GroupEvent::KIND_NICKNAME_CHANGED);
    QCOMPARE(events(bobAgain, groupId, 5).group_event_list().events_size(), 0);
}

void TestGroups::concurrentChangesGetDenseSeqs()
{
    User owner = user(QStringLiteral("owner"));
    std::vector<User> others;
    for (int i = 0; i < 3; ++i)
        others.push_back(user(QStringLiteral("racer%1").arg(i)));
    QList<const User *> all {&owner};
    for (const User &u : others)
        all.append(&u);
    const quint64 groupId = groupOf(owner, all.mid(1));
    QVERIFY(groupId);

    // Every member fires five changes without waiting; the connections are spread over the
    // workers, so the changes race for the group.
    constexpr int kPerMember = 5;
    quint64 requestId = 1000000;
    QHash<quint64, std::string> nicknameOf; // request id -> nickname
    for (int round = 0; round < kPerMember; ++round) {
        for (const User *u : all) {
            proto::Frame frame;
            frame.set_request_id(++requestId);
            auto *request = frame.mutable_set_group_nickname();
            request->set_group_id(groupId);
            request->set_nickname(QStringLiteral("%1-%2").arg(u->id).arg(round).toStdString());
            nicknameOf.insert(requestId, request->nickname());
            u->client->sendRaw(encodeFrame(frame));
        }
    }
    const int total = kPerMember * int(all.size());
    QSet<quint64> expected;
    for (int i = 0; i < total; ++i)
        expected.insert(quint64(2 + i));

    QSet<quint64> answered;
    for (const User *u : all) {
        int answers = 0;
        QSet<quint64> pushed;
        while (answers < kPerMember || !pushed.contains(expected)) {
            const auto frame = u->client->nextUnsolicited();
            QVERIFY2(frame, qPrintable(u->username));
            if (frame->request_id() > 1000000) {
                QVERIFY2(frame->has_group_change_result(), qPrintable(describe(*frame)));
                const proto::GroupEvent &event = frame->group_change_result().event();
                QCOMPARE(event.kind(), proto::GroupEvent::KIND_NICKNAME_CHANGED);
                QCOMPARE(event.actor_id(), u->id);
                QCOMPARE(event.details().nickname(), nicknameOf.value(frame->request_id()));
                QVERIFY(!answered.contains(event.seq()));
                answered.insert(event.seq());
                ++answers;
            } else if (frame->has_group_event_push()
                       && frame->group_event_push().event().group_id() == groupId) {
                pushed.insert(frame->group_event_push().event().seq()); // every change
            }
        }
    }
    QCOMPARE(answered, expected); // dense: 2 .. 21, each once

    // Pulled, they are in seq order, and each member's nickname is the one of their last event.
    const proto::Frame pulled = events(owner, groupId, 1);
    QCOMPARE(pulled.group_event_list().events_size(), total);
    QHash<quint64, std::string> lastNickname;
    for (int i = 0; i < total; ++i) {
        const proto::GroupEvent &event = pulled.group_event_list().events(i);
        QCOMPARE(event.seq(), quint64(2 + i));
        lastNickname.insert(event.actor_id(), event.details().nickname());
    }
    const proto::Frame list = members(owner, groupId);
    QCOMPARE(list.group_member_list().members_size(), int(all.size()));
    for (const auto &m : list.group_member_list().members())
        QCOMPARE(m.nickname(), lastNickname.value(m.user_id()));
}

void TestGroups::memberLimit()
{
    // A second ternd on the same database with a limit of 3.
    TerndProcess small;
    small.environment().insert(QStringLiteral("TERN_GROUP_MEMBER_LIMIT"), QStringLiteral("3"));
    const QString started = small.startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
    const auto smallUser = [&](const QString &name) {
        User u;
        u.username = QStringLiteral("%1_%2").arg(name).arg(++m_userCount);
        u.client = std::make_unique<TestClient>();
        const proto::Frame session =
            u.client->connectAndRegister(small.url(), u.username, kPassword);
        u.id = session.has_session() ? session.session().user_id() : 0;
        return u;
    };
    User owner = smallUser(QStringLiteral("owner"));
    User a = smallUser(QStringLiteral("a"));
    User b = smallUser(QStringLiteral("b"));
    User c = smallUser(QStringLiteral("c"));
    User pending = smallUser(QStringLiteral("pending")); // default FRIENDS: invited
    QVERIFY(owner.id && a.id && b.id && c.id && pending.id);
    for (const User *u : {&a, &b, &c})
        QVERIFY(setGroupAdders(*u, proto::AUDIENCE_EVERYONE));
    TestClient probe;
    QVERIFY(probe.open(small.url()));
    QCOMPARE(probe.hello().welcome().limits().max_group_members(), 3u);

    const proto::Frame tooBig = create(owner, QStringLiteral("big"), {&a, &b, &c});
    QCOMPARE(errorCode(tooBig), proto::ERROR_CODE_LIMIT_EXCEEDED);
    QVERIFY(QString::fromStdString(tooBig.error().message()).contains(QLatin1String("3")));
    QCOMPARE(groupList(owner).group_list().groups_size(), 0);

    const proto::Frame created = create(owner, QStringLiteral("small"), {&a});
    QVERIFY2(created.has_group_change_result(), qPrintable(describe(created)));
    const quint64 groupId = created.group_change_result().group().group_id();
    // Two members plus two newcomers would be four.
    QCOMPARE(errorCode(invite(owner, groupId, {b.id, c.id})), proto::ERROR_CODE_LIMIT_EXCEEDED);
    QCOMPARE(getGroup(owner, groupId).group_membership().group().member_count(), 2u);
    // A waiting invitation holds no place: b takes the third, and the invitee finds it full.
    const proto::Frame invited = invite(owner, groupId, {pending.id});
    QCOMPARE(invited.group_change_result().invitations_size(), 1);
    QVERIFY(invite(owner, groupId, {b.id}).group_change_result().has_event());
    QCOMPARE(errorCode(invite(owner, groupId, {c.id})), proto::ERROR_CODE_LIMIT_EXCEEDED);
    const proto::Frame full = pending.send([&](proto::Frame &f) {
        f.mutable_answer_group_invitation()->set_invitation_id(
            invited.group_change_result().invitations(0).invitation_id());
        f.mutable_answer_group_invitation()->set_accept(true);
    });
    QCOMPARE(errorCode(full), proto::ERROR_CODE_LIMIT_EXCEEDED);
    QCOMPARE(full.error().reason(), std::string("groups/limit"));
    const proto::Frame outside = getGroup(pending, groupId);
    QCOMPARE(errorCode(outside), proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(outside.error().reason(), std::string("groups/not_member"));
    // Open groups are full too.
    const proto::Frame opened = update(owner, groupId, [](proto::UpdateGroupRequest &u) {
        u.set_join_policy(proto::GROUP_JOIN_POLICY_OPEN);
    });
    QCOMPARE(errorCode(c.send([&](proto::Frame &f) {
                 f.mutable_join_group_by_code()->set_invite_code(
                     opened.group_change_result().group().invite_code());
             })),
             proto::ERROR_CODE_LIMIT_EXCEEDED);
    // Once someone leaves there is room again.
    QVERIFY(b.send([&](proto::Frame &f) {
                 f.mutable_leave_group()->set_group_id(groupId);
             }).has_group_change_result());
    QVERIFY(pending
                .send([&](proto::Frame &f) {
                    f.mutable_answer_group_invitation()->set_invitation_id(
                        invited.group_change_result().invitations(0).invitation_id());
                    f.mutable_answer_group_invitation()->set_accept(true);
                })
                .group_change_result()
                .has_event());
    QCOMPARE(getGroup(owner, groupId).group_membership().group().member_count(), 3u);
    QCOMPARE(small.terminate(), 0);
}

void TestGroups::invalidMemberLimitIsRefused()
{
    for (const char *value : {"1", "100001", "many"}) {
        TerndProcess bad;
        bad.environment().insert(QStringLiteral("TERN_GROUP_MEMBER_LIMIT"),
                                 QString::fromLatin1(value));
        QVERIFY(!bad.startOn(m_pg).isEmpty());
        QCOMPARE(bad.waitForExit(), 2);
        QVERIFY2(bad.output().contains(QLatin1String("groups/member_limit")),
                 qPrintable(bad.output()));
    }
}

QTEST_GUILESS_MAIN(TestGroups)
#include "tst_groups.moc"
