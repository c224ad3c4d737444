// SPDX-License-Identifier: Apache-2.0
// ternctl against the database of a running ternd: create-user, reset-password, ban (cuts
// live connections, takes the user out of their groups with pushed events and tells who waited
// on the invitations and requests to join it cancelled), unban, sessions.
#include "support/pgfixture.h"
#include "support/terndprocess.h"
#include "support/testclient.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTest>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

using namespace tern;

namespace {
const QString kMemberPassword = QStringLiteral("group member password");

// A user made with ternctl, with one logged-in device.
struct Member
{
    std::unique_ptr<TestClient> client;
    quint64 id = 0;

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

QList<quint64> ids(const google::protobuf::RepeatedField<google::protobuf::uint64> &field)
{
    return QList<quint64>(field.begin(), field.end());
}

// The push of event `seq` of the group, skipping every other push.
std::optional<proto::GroupEventPush> waitGroupEvent(TestClient &client, quint64 groupId,
                                                    quint64 seq, int timeoutMs = 10000)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        const auto frame =
            client.nextUnsolicited(int(std::max<qint64>(1, timeoutMs - timer.elapsed())));
        if (!frame)
            return std::nullopt;
        if (frame->has_group_event_push() && frame->group_event_push().event().group_id() == groupId
            && frame->group_event_push().event().seq() == seq)
            return frame->group_event_push();
    }
    return std::nullopt;
}
// The GroupInvitationPush frames that cancel each of `invitationIds`, in any order, skipping
// every other push; fewer when some did not come in time.
QList<proto::GroupInvitation>
waitCancelledInvitations(TestClient &client, QList<quint64> invitationIds, int timeoutMs = 10000)
{
    QList<proto::GroupInvitation> cancelled;
    QElapsedTimer timer;
    timer.start();
    while (!invitationIds.isEmpty() && timer.elapsed() < timeoutMs) {
        const auto frame =
            client.nextUnsolicited(int(std::max<qint64>(1, timeoutMs - timer.elapsed())));
        if (!frame)
            break;
        if (!frame->has_group_invitation_push())
            continue;
        const proto::GroupInvitation &invitation = frame->group_invitation_push().invitation();
        if (invitation.state() == proto::GroupInvitation::STATE_CANCELLED
            && invitationIds.removeOne(invitation.invitation_id()))
            cancelled.append(invitation);
    }
    return cancelled;
}

// The JoinApplicationPush that cancels application `applicationId`, skipping every other push.
std::optional<proto::JoinApplication>
waitCancelledApplication(TestClient &client, quint64 applicationId, int timeoutMs = 10000)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        const auto frame =
            client.nextUnsolicited(int(std::max<qint64>(1, timeoutMs - timer.elapsed())));
        if (!frame)
            return std::nullopt;
        if (!frame->has_join_application_push())
            continue;
        const proto::JoinApplication &application = frame->join_application_push().application();
        if (application.application_id() == applicationId
            && application.state() == proto::JoinApplication::STATE_CANCELLED)
            return application;
    }
    return std::nullopt;
}
} // namespace

class TestTernctl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void createUserThenLogin();
    void createUserGeneratesPassword();
    void createUserRefusesBadInput();
    void banCutsLiveConnectionsAndRefusesLogin();
    void resetPasswordEndsSessions();
    void sessionsListsDevices();
    void befriendMakesFriendsBothWays();
    void banPassesOwnershipToAnAdmin();
    void banLeavesAndOldestMemberInherits();
    void banDissolvesAGroupOfOneAndUnbanGivesNothingBack();
    void banTellsThoseWaitingOnWhatItCancelled();
    void unknownUserAndUnreachableDatabase();

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Run ternctl(const QStringList &args, const QByteArray &stdinData = {},
                const QByteArray &dsn = {});
    proto::Frame login(TestClient &client, const QString &user, const QString &password);
    // Made with ternctl and logged in; id 0 when that failed. `addableByAll`: anyone may add
    // them to a group (else only friends, the default, and others invite them).
    Member member(const QString &name, bool addableByAll = true);

    PgFixture m_pg;
    std::unique_ptr<TerndProcess> m_ternd;
};

void TestTernctl::initTestCase()
{
    const QString error = m_pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_ternd = std::make_unique<TerndProcess>();
    const QString started = m_ternd->startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
}

void TestTernctl::cleanupTestCase()
{
    QCOMPARE(m_ternd->terminate(), 0);
}

TestTernctl::Run TestTernctl::ternctl(const QStringList &args, const QByteArray &stdinData,
                                      const QByteArray &dsn)
{
    QProcess process;
    process.start(QStringLiteral(TERNCTL_PATH),
                  args
                      + QStringList {QStringLiteral("--database"),
                                     QString::fromUtf8(dsn.isEmpty() ? m_pg.dsn() : dsn)});
    process.write(stdinData);
    process.closeWriteChannel();
    Run run;
    if (!process.waitForFinished(60000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

proto::Frame TestTernctl::login(TestClient &client, const QString &user, const QString &password)
{
    if (!client.isOpen() && !client.open(m_ternd->url()))
        return {};
    if (!client.hello().has_welcome())
        return {};
    return client.login(user, password);
}

Member TestTernctl::member(const QString &name, bool addableByAll)
{
    Member m;
    const Run made =
        ternctl({QStringLiteral("create-user"), name, QStringLiteral("--password-stdin")},
                kMemberPassword.toUtf8() + '\n');
    if (made.exitCode != 0) {
        qWarning("cannot create %s: %s", qPrintable(name), qPrintable(made.err));
        return m;
    }
    m.client = std::make_unique<TestClient>();
    const proto::Frame session = login(*m.client, name, kMemberPassword);
    if (!session.has_session()) {
        qWarning("cannot log in as %s: %s", qPrintable(name), qPrintable(describe(session)));
        return m;
    }
    if (addableByAll) {
        const proto::Frame updated = m.send([](proto::Frame &f) {
            f.mutable_update_profile()->mutable_privacy()->set_group_adders(
                proto::AUDIENCE_EVERYONE);
        });
        if (!updated.has_my_profile()) {
            qWarning("UpdateProfile failed: %s", qPrintable(describe(updated)));
            return m;
        }
    }
    m.id = session.session().user_id();
    return m;
}

void TestTernctl::createUserThenLogin()
{
    const Run run = ternctl({QStringLiteral("create-user"), QStringLiteral("zoe"),
                             QStringLiteral("--display-name"), QStringLiteral("Zoë 佐伊"),
                             QStringLiteral("--password-stdin")},
                            "zoe's password\n");
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.out.contains(QLatin1String("created user zoe")));
    TestClient client;
    const proto::Frame session =
        login(client, QStringLiteral("zoe"), QStringLiteral("zoe's password"));
    QVERIFY2(session.has_session(), session.DebugString().c_str());
    QCOMPARE(QString::fromStdString(session.session().display_name()), QStringLiteral("Zoë 佐伊"));

    const Run again = ternctl(
        {QStringLiteral("create-user"), QStringLiteral("ZOE"), QStringLiteral("--password-stdin")},
        "another password\n");
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains(QLatin1String("taken")), qPrintable(again.err));
}

void TestTernctl::createUserGeneratesPassword()
{
    const Run run = ternctl({QStringLiteral("create-user"), QStringLiteral("yuri")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const qsizetype at = run.out.indexOf(QLatin1String("password: "));
    QVERIFY(at >= 0);
    const QString password = run.out.mid(at + 10).trimmed();
    QCOMPARE(password.size(), 24);
    TestClient client;
    QVERIFY(login(client, QStringLiteral("yuri"), password).has_session());
}

void TestTernctl::createUserRefusesBadInput()
{
    Run run = ternctl({QStringLiteral("create-user"), QStringLiteral("9lives"),
                       QStringLiteral("--password-stdin")},
                      "long enough\n");
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QLatin1String("start with a letter")), qPrintable(run.err));
    run = ternctl({QStringLiteral("create-user"), QStringLiteral("shortpw"),
                   QStringLiteral("--password-stdin")},
                  "short\n");
    QCOMPARE(run.exitCode, 2);
    run = ternctl({QStringLiteral("frobnicate"), QStringLiteral("zoe")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.err.contains(QLatin1String("unknown command")));
}

void TestTernctl::banCutsLiveConnectionsAndRefusesLogin()
{
    QCOMPARE(ternctl({QStringLiteral("create-user"), QStringLiteral("xavier"),
                      QStringLiteral("--password-stdin")},
                     "xavier's password\n")
                 .exitCode,
             0);
    TestClient live;
    const proto::Frame session =
        login(live, QStringLiteral("xavier"), QStringLiteral("xavier's password"));
    QVERIFY(session.has_session());

    const Run ban = ternctl({QStringLiteral("ban"), QStringLiteral("xavier"),
                             QStringLiteral("--reason"), QStringLiteral("spam")});
    QVERIFY2(ban.exitCode == 0, qPrintable(ban.err));
    QVERIFY2(ban.out.contains(QLatin1String("1 session(s) ended")), qPrintable(ban.out));

    const auto pushed = live.nextPush(proto::Frame::kSessionEnded);
    QVERIFY(pushed && pushed->has_session_ended());
    QCOMPARE(pushed->session_ended().reason(), proto::SessionEnded::REASON_BANNED);
    QVERIFY(live.waitClosed());

    TestClient retry;
    QCOMPARE(errorCode(login(retry, QStringLiteral("xavier"), QStringLiteral("xavier's password"))),
             proto::ERROR_CODE_ACCOUNT_BANNED);
    QCOMPARE(errorCode(retry.resume(QByteArray::fromStdString(session.session().token()))),
             proto::ERROR_CODE_SESSION_INVALID);

    const Run unban = ternctl({QStringLiteral("unban"), QStringLiteral("xavier")});
    QCOMPARE(unban.exitCode, 0);
    QVERIFY(unban.out.contains(QLatin1String("unbanned")));
    TestClient after;
    QVERIFY(
        login(after, QStringLiteral("xavier"), QStringLiteral("xavier's password")).has_session());
}

void TestTernctl::resetPasswordEndsSessions()
{
    QCOMPARE(ternctl({QStringLiteral("create-user"), QStringLiteral("wendy"),
                      QStringLiteral("--password-stdin")},
                     "old password!\n")
                 .exitCode,
             0);
    TestClient live;
    QVERIFY(login(live, QStringLiteral("wendy"), QStringLiteral("old password!")).has_session());
    const Run reset = ternctl({QStringLiteral("reset-password"), QStringLiteral("wendy"),
                               QStringLiteral("--password-stdin")},
                              "new password!\n");
    QVERIFY2(reset.exitCode == 0, qPrintable(reset.err));
    const auto pushed = live.nextPush(proto::Frame::kSessionEnded);
    QVERIFY(pushed && pushed->has_session_ended());
    QCOMPARE(pushed->session_ended().reason(), proto::SessionEnded::REASON_PASSWORD_CHANGED);
    TestClient retry;
    QCOMPARE(errorCode(login(retry, QStringLiteral("wendy"), QStringLiteral("old password!"))),
             proto::ERROR_CODE_INVALID_CREDENTIALS);
    QVERIFY(retry.login(QStringLiteral("wendy"), QStringLiteral("new password!")).has_session());
}

void TestTernctl::sessionsListsDevices()
{
    QCOMPARE(ternctl({QStringLiteral("create-user"), QStringLiteral("victor"),
                      QStringLiteral("--password-stdin")},
                     "victor password\n")
                 .exitCode,
             0);
    TestClient one;
    QVERIFY(login(one, QStringLiteral("victor"), QStringLiteral("victor password")).has_session());
    const Run run = ternctl({QStringLiteral("sessions"), QStringLiteral("victor")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QLatin1String("1 active session(s)"))
                 && run.out.contains(QLatin1String("test device"))
                 && run.out.contains(QLatin1String("127.0.0.1")),
             qPrintable(run.out));
}

void TestTernctl::befriendMakesFriendsBothWays()
{
    for (const char *name : {"yan", "xiu"}) {
        const Run made = ternctl({QStringLiteral("create-user"), QString::fromLatin1(name),
                                  QStringLiteral("--password-stdin")},
                                 "friendly password\n");
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    }
    const Run run =
        ternctl({QStringLiteral("befriend"), QStringLiteral("yan"), QStringLiteral("XIU")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.out.contains(QLatin1String("yan and XIU are friends")));

    // Both see the other as a friend, and may open a direct conversation.
    TestClient yan;
    QVERIFY(login(yan, QStringLiteral("yan"), QStringLiteral("friendly password")).has_session());
    proto::Frame list;
    list.mutable_list_contacts();
    const proto::Frame contacts = yan.request(list);
    QCOMPARE(contacts.contact_list().contacts_size(), 1);
    QVERIFY(contacts.contact_list().contacts(0).is_friend());
    proto::Frame open;
    open.mutable_open_conversation()->set_peer_user_id(
        contacts.contact_list().contacts(0).user_id());
    QVERIFY2(yan.request(open).has_conversation_state(), "friends may open a chat");
    TestClient xiu;
    QVERIFY(login(xiu, QStringLiteral("xiu"), QStringLiteral("friendly password")).has_session());
    QCOMPARE(xiu.request(list).contact_list().contacts(0).is_friend(), true);

    // Bad input: one name, self, unknown.
    QCOMPARE(ternctl({QStringLiteral("befriend"), QStringLiteral("yan")}).exitCode, 2);
    QCOMPARE(ternctl({QStringLiteral("befriend"), QStringLiteral("yan"), QStringLiteral("yan")})
                 .exitCode,
             2);
    const Run unknown =
        ternctl({QStringLiteral("befriend"), QStringLiteral("yan"), QStringLiteral("nobody")});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY(unknown.err.contains(QLatin1String("no user named 'nobody'")));
}

void TestTernctl::banPassesOwnershipToAnAdmin()
{
    // mona and adam are members since the group's creation, mona with the smaller id: the
    // admin inherits.
    const Member olga = member(QStringLiteral("olga")); // the owner, banned
    const Member mona = member(QStringLiteral("mona"));
    const Member adam = member(QStringLiteral("adam")); // made an admin
    const Member stan = member(QStringLiteral("stan"), false); // invited, not yet in
    QVERIFY(olga.id && adam.id && mona.id && stan.id);
    const proto::Frame created = olga.send([&](proto::Frame &f) {
        auto *create = f.mutable_create_group();
        create->set_name("olga's");
        for (quint64 id : {mona.id, adam.id, stan.id})
            create->add_member_ids(id);
    });
    QVERIFY2(created.has_group_change_result(), qPrintable(describe(created)));
    QCOMPARE(created.group_change_result().group().member_count(), 3u);
    QCOMPARE(created.group_change_result().invitations_size(), 1); // stan's
    const quint64 groupId = created.group_change_result().group().group_id();
    const proto::Frame promoted = olga.send([&](proto::Frame &f) {
        auto *request = f.mutable_set_group_admin();
        request->set_group_id(groupId);
        request->set_user_id(adam.id);
        request->set_admin(true);
    });
    QVERIFY2(promoted.has_group_change_result(), qPrintable(describe(promoted)));
    const quint64 before = promoted.group_change_result().event().seq();

    const Run ban = ternctl({QStringLiteral("ban"), QStringLiteral("olga")});
    QVERIFY2(ban.exitCode == 0, qPrintable(ban.err));
    QVERIFY2(ban.out.contains(QLatin1String("left 1 group(s)")), qPrintable(ban.out));

    // ternctl wrote to the database; ternd pushed what it wrote to the members online.
    for (const Member *m : {&adam, &mona}) {
        const auto handed = waitGroupEvent(*m->client, groupId, before + 1);
        QVERIFY(handed);
        QCOMPARE(handed->event().kind(), proto::GroupEvent::KIND_OWNER_CHANGED);
        QCOMPARE(handed->event().actor_id(), olga.id);
        QCOMPARE(ids(handed->event().target_ids()), QList<quint64> {adam.id});
        const auto left = waitGroupEvent(*m->client, groupId, before + 2);
        QVERIFY(left);
        QCOMPARE(left->event().kind(), proto::GroupEvent::KIND_MEMBER_LEFT);
        QCOMPARE(left->event().actor_id(), olga.id);
        QCOMPARE(left->group().owner_id(), adam.id);
        QCOMPARE(left->group().member_count(), 2u);
    }

    // And stored: olga is no longer listed, adam owns the group, the log says how.
    const proto::Frame listed =
        mona.send([&](proto::Frame &f) { f.mutable_list_group_members()->set_group_id(groupId); });
    QVERIFY2(listed.has_group_member_list(), qPrintable(describe(listed)));
    QCOMPARE(listed.group_member_list().members_size(), 2);
    for (const proto::GroupMember &m : listed.group_member_list().members()) {
        QVERIFY(m.user_id() != olga.id);
        QCOMPARE(m.role(),
                 m.user_id() == adam.id ? proto::GROUP_ROLE_OWNER : proto::GROUP_ROLE_MEMBER);
    }
    const proto::Frame log = mona.send([&](proto::Frame &f) {
        f.mutable_get_group_events()->set_group_id(groupId);
        f.mutable_get_group_events()->set_after_seq(before);
    });
    QVERIFY2(log.has_group_event_list(), qPrintable(describe(log)));
    QCOMPARE(log.group_event_list().events_size(), 2);
    QCOMPARE(log.group_event_list().events(0).kind(), proto::GroupEvent::KIND_OWNER_CHANGED);
    QCOMPARE(log.group_event_list().events(1).kind(), proto::GroupEvent::KIND_MEMBER_LEFT);
    QCOMPARE(log.group_event_list().last_seq(), before + 2);

    // The new owner has the owner's powers again.
    const proto::Frame madeAdmin = adam.send([&](proto::Frame &f) {
        auto *request = f.mutable_set_group_admin();
        request->set_group_id(groupId);
        request->set_user_id(mona.id);
        request->set_admin(true);
    });
    QVERIFY2(madeAdmin.has_group_change_result(), qPrintable(describe(madeAdmin)));

    // olga's invitation to stan no longer waits.
    const proto::Frame invitations =
        stan.send([](proto::Frame &f) { f.mutable_list_group_invitations(); });
    QVERIFY2(invitations.has_group_invitation_list(), qPrintable(describe(invitations)));
    QCOMPARE(invitations.group_invitation_list().invitations_size(), 0);
}

void TestTernctl::banLeavesAndOldestMemberInherits()
{
    // pia has the smaller id but joined later than quinn: the longest-standing one inherits.
    const Member pia = member(QStringLiteral("pia"));
    const Member quinn = member(QStringLiteral("quinn"));
    const Member ruth = member(QStringLiteral("ruth")); // the owner, banned last
    const Member sven = member(QStringLiteral("sven")); // a member, banned first
    QVERIFY(pia.id && quinn.id && ruth.id && sven.id);
    const proto::Frame created = ruth.send([&](proto::Frame &f) {
        f.mutable_create_group()->set_name("ruth's");
        f.mutable_create_group()->add_member_ids(quinn.id);
        f.mutable_create_group()->add_member_ids(sven.id);
    });
    QVERIFY2(created.has_group_change_result(), qPrintable(describe(created)));
    const quint64 groupId = created.group_change_result().group().group_id();
    const proto::Frame added = ruth.send([&](proto::Frame &f) {
        f.mutable_invite_to_group()->set_group_id(groupId);
        f.mutable_invite_to_group()->add_user_ids(pia.id);
    });
    QVERIFY2(added.has_group_change_result(), qPrintable(describe(added)));
    QCOMPARE(added.group_change_result().group().member_count(), 4u);
    const quint64 before = added.group_change_result().event().seq();

    // A plain member: leaves, and frees their place.
    Run ban = ternctl({QStringLiteral("ban"), QStringLiteral("sven")});
    QVERIFY2(ban.exitCode == 0, qPrintable(ban.err));
    QVERIFY2(ban.out.contains(QLatin1String("left 1 group(s)")), qPrintable(ban.out));
    const auto left = waitGroupEvent(*pia.client, groupId, before + 1);
    QVERIFY(left);
    QCOMPARE(left->event().kind(), proto::GroupEvent::KIND_MEMBER_LEFT);
    QCOMPARE(left->event().actor_id(), sven.id);
    QCOMPARE(left->group().member_count(), 3u);
    QCOMPARE(left->group().owner_id(), ruth.id);

    // The owner, with no admin: the member since the group's creation inherits.
    ban = ternctl({QStringLiteral("ban"), QStringLiteral("ruth")});
    QVERIFY2(ban.exitCode == 0, qPrintable(ban.err));
    const auto handed = waitGroupEvent(*pia.client, groupId, before + 2);
    QVERIFY(handed);
    QCOMPARE(handed->event().kind(), proto::GroupEvent::KIND_OWNER_CHANGED);
    QCOMPARE(ids(handed->event().target_ids()), QList<quint64> {quinn.id});
    QVERIFY(waitGroupEvent(*quinn.client, groupId, before + 3));

    const proto::Frame listed =
        pia.send([&](proto::Frame &f) { f.mutable_list_group_members()->set_group_id(groupId); });
    QVERIFY2(listed.has_group_member_list(), qPrintable(describe(listed)));
    QList<quint64> listedIds;
    for (const proto::GroupMember &m : listed.group_member_list().members())
        listedIds.append(m.user_id());
    QCOMPARE(listedIds, (QList<quint64> {pia.id, quinn.id}));
    const proto::Frame group =
        quinn.send([&](proto::Frame &f) { f.mutable_get_group()->set_group_id(groupId); });
    QCOMPARE(group.group_membership().role(), proto::GROUP_ROLE_OWNER);
    QCOMPARE(group.group_membership().group().member_count(), 2u);
}

void TestTernctl::banDissolvesAGroupOfOneAndUnbanGivesNothingBack()
{
    Member tina = member(QStringLiteral("tina"));
    QVERIFY(tina.id);
    const proto::Frame created =
        tina.send([](proto::Frame &f) { f.mutable_create_group()->set_name("tina alone"); });
    QVERIFY2(created.has_group_change_result(), qPrintable(describe(created)));
    const quint64 groupId = created.group_change_result().group().group_id();

    const Run ban = ternctl({QStringLiteral("ban"), QStringLiteral("tina")});
    QVERIFY2(ban.exitCode == 0, qPrintable(ban.err));
    QVERIFY2(ban.out.contains(QLatin1String("left 1 group(s)")), qPrintable(ban.out));
    QCOMPARE(ternctl({QStringLiteral("unban"), QStringLiteral("tina")}).exitCode, 0);

    TestClient again;
    QVERIFY(login(again, QStringLiteral("tina"), kMemberPassword).has_session());
    proto::Frame request;
    request.mutable_list_groups();
    const proto::Frame groups = again.request(request);
    QVERIFY2(groups.has_group_list(), qPrintable(describe(groups)));
    QCOMPARE(groups.group_list().groups_size(), 0);
    request.mutable_get_group()->set_group_id(groupId);
    QCOMPARE(errorCode(again.request(request)), proto::ERROR_CODE_NOT_FOUND);
    // A former member still reads up to the end: the dissolution, by tina.
    request.mutable_get_group_events()->set_group_id(groupId);
    const proto::Frame log = again.request(request);
    QVERIFY2(log.has_group_event_list(), qPrintable(describe(log)));
    const auto &events = log.group_event_list();
    QVERIFY(!events.member());
    QCOMPARE(events.events_size(), 2); // created, dissolved
    QCOMPARE(events.events(events.events_size() - 1).kind(), proto::GroupEvent::KIND_DISSOLVED);
    QCOMPARE(events.events(events.events_size() - 1).actor_id(), tina.id);
}

void TestTernctl::banTellsThoseWaitingOnWhatItCancelled()
{
    // xena, who is banned, was invited to ines's group, asked to join abel's, and invited pete
    // to two groups of hers: one that passes to mia, and one she is alone in (dissolved).
    const Member ines = member(QStringLiteral("ines"));
    const Member abel = member(QStringLiteral("abel"));
    const Member mia = member(QStringLiteral("mia"));
    const Member xena = member(QStringLiteral("xena"), false); // invited, not added
    const Member pete = member(QStringLiteral("pete"), false);
    QVERIFY(ines.id && abel.id && mia.id && xena.id && pete.id);

    const proto::Frame inesGroup = ines.send([&](proto::Frame &f) {
        f.mutable_create_group()->set_name("ines's");
        f.mutable_create_group()->add_member_ids(xena.id);
    });
    QVERIFY2(inesGroup.has_group_change_result(), qPrintable(describe(inesGroup)));
    QCOMPARE(inesGroup.group_change_result().invitations_size(), 1);
    const proto::GroupInvitation toXena = inesGroup.group_change_result().invitations(0);
    QCOMPARE(toXena.invitee_id(), xena.id);

    const proto::Frame abelGroup = abel.send([](proto::Frame &f) {
        f.mutable_create_group()->set_name("abel's");
        f.mutable_create_group()->set_join_policy(proto::GROUP_JOIN_POLICY_APPROVAL);
    });
    QVERIFY2(abelGroup.has_group_change_result(), qPrintable(describe(abelGroup)));
    const quint64 abelGroupId = abelGroup.group_change_result().group().group_id();
    const proto::Frame asked = xena.send([&](proto::Frame &f) {
        f.mutable_request_to_join_group()->set_group_id(abelGroupId);
        f.mutable_request_to_join_group()->set_message("let me in");
    });
    QVERIFY2(asked.has_join_application(), qPrintable(describe(asked)));
    const quint64 applicationId = asked.join_application().application_id();
    QCOMPARE(asked.join_application().state(), proto::JoinApplication::STATE_PENDING);

    const proto::Frame handedOver = xena.send([&](proto::Frame &f) {
        f.mutable_create_group()->set_name("xena's, then mia's");
        f.mutable_create_group()->add_member_ids(mia.id);
        f.mutable_create_group()->add_member_ids(pete.id);
    });
    QVERIFY2(handedOver.has_group_change_result(), qPrintable(describe(handedOver)));
    QCOMPARE(handedOver.group_change_result().group().member_count(), 2u); // xena, mia
    QCOMPARE(handedOver.group_change_result().invitations_size(), 1);
    const proto::GroupInvitation keptGroupInvitation =
        handedOver.group_change_result().invitations(0);
    QCOMPARE(keptGroupInvitation.invitee_id(), pete.id);
    const proto::Frame alone = xena.send([&](proto::Frame &f) {
        f.mutable_create_group()->set_name("xena alone");
        f.mutable_create_group()->add_member_ids(pete.id);
    });
    QVERIFY2(alone.has_group_change_result(), qPrintable(describe(alone)));
    QCOMPARE(alone.group_change_result().invitations_size(), 1);
    const proto::GroupInvitation dissolvedGroupInvitation =
        alone.group_change_result().invitations(0);

    const Run ban = ternctl({QStringLiteral("ban"), QStringLiteral("xena")});
    QVERIFY2(ban.exitCode == 0, qPrintable(ban.err));
    QVERIFY2(ban.out.contains(QLatin1String("left 2 group(s)")), qPrintable(ban.out));

    // The inviter hears that the invitation to the banned user was cancelled ...
    const QList<proto::GroupInvitation> toInes =
        waitCancelledInvitations(*ines.client, {toXena.invitation_id()});
    QCOMPARE(int(toInes.size()), 1);
    QCOMPARE(toInes.front().inviter_id(), ines.id);
    QCOMPARE(toInes.front().invitee_id(), xena.id);
    QCOMPARE(toInes.front().group().group_id(), toXena.group().group_id());

    // ... the group's owner that the request to join was ...
    const auto toAbel = waitCancelledApplication(*abel.client, applicationId);
    QVERIFY(toAbel);
    QCOMPARE(toAbel->applicant().user_id(), xena.id);
    QCOMPARE(toAbel->group_id(), abelGroupId);

    // ... and the invitee that both of the banned user's invitations were: in the group that
    // passed on, and in the one the ban dissolved (told with its dissolution).
    const QList<proto::GroupInvitation> toPete = waitCancelledInvitations(
        *pete.client,
        {keptGroupInvitation.invitation_id(), dissolvedGroupInvitation.invitation_id()});
    QCOMPARE(int(toPete.size()), 2);
    for (const proto::GroupInvitation &invitation : toPete) {
        QCOMPARE(invitation.inviter_id(), xena.id);
        QCOMPARE(invitation.invitee_id(), pete.id);
    }

    // And stored so: nothing of xena's waits any more.
    const proto::Frame applications = abel.send(
        [&](proto::Frame &f) { f.mutable_list_join_applications()->set_group_id(abelGroupId); });
    QVERIFY2(applications.has_join_application_list(), qPrintable(describe(applications)));
    QCOMPARE(applications.join_application_list().applications_size(), 0);
    const proto::Frame invitations =
        pete.send([](proto::Frame &f) { f.mutable_list_group_invitations(); });
    QVERIFY2(invitations.has_group_invitation_list(), qPrintable(describe(invitations)));
    QCOMPARE(invitations.group_invitation_list().invitations_size(), 0);
}

void TestTernctl::unknownUserAndUnreachableDatabase()
{
    Run run = ternctl({QStringLiteral("ban"), QStringLiteral("nobody")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.err.contains(QLatin1String("no user named 'nobody'")));
    run = ternctl({QStringLiteral("sessions"), QStringLiteral("zoe")}, {},
                  QByteArrayLiteral("host=/nonexistent/tern dbname=tern user=tern"));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QLatin1String("cannot connect to the database")),
             qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestTernctl)
#include "tst_ternctl.moc"
