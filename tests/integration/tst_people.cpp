// SPDX-License-Identifier: Apache-2.0
// Profiles, privacy and user search against a real ternd and PostgreSQL.
#include "support/messagingtest.h"
#include "support/pgfixture.h"
#include "support/terndprocess.h"
#include "support/testclient.h"
#include "support/testusers.h"

#include <QProcess>
#include <QTest>

#include <memory>

using namespace tern;

namespace {
const QString kPassword = QStringLiteral("people password");

proto::Frame updateProfile(TestClient &client,
                           const std::function<void(proto::UpdateProfileRequest *)> &fill)
{
    proto::Frame frame;
    fill(frame.mutable_update_profile());
    return client.request(frame);
}

proto::Frame search(TestClient &client, const QString &query, quint32 limit = 0,
                    const std::string &token = {})
{
    proto::Frame frame;
    frame.mutable_search_users()->set_query(query.toStdString());
    frame.mutable_search_users()->set_limit(limit);
    frame.mutable_search_users()->set_page_token(token);
    return client.request(frame);
}

QStringList usernames(const proto::Frame &result)
{
    QStringList names;
    for (const auto &user : result.user_search_result().users())
        names << QString::fromStdString(user.username());
    return names;
}

proto::Frame profiles(TestClient &client, const QList<quint64> &ids)
{
    proto::Frame frame;
    for (quint64 id : ids)
        frame.mutable_get_profiles()->add_user_ids(id);
    return client.request(frame);
}
} // namespace

class TestPeople : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void ownProfileHasDefaults();
    void updateProfileAndOtherDevicesHearOfIt();
    void updateProfileRejectsBadInput_data();
    void updateProfileRejectsBadInput();
    void searchByUsernameAndDisplayNamePrefix();
    void searchPagesWithoutRepeats();
    void searchRespectsSearchableBy();
    void searchRejectsBadInput();
    void profilesHideStatusByPresencePrivacy();
    void profilesLeaveOutUnknownAndBlockers();
    void bannedUsersAreNeverShown();

private:
    TestUser registerUser(const QString &name, const QString &displayName = {},
                          const QString &device = {})
    {
        return registerTestUser(m_ternd->url(), name, kPassword, displayName, device);
    }

    PgFixture m_pg;
    std::unique_ptr<TerndProcess> m_ternd;
};

void TestPeople::initTestCase()
{
    const QString error = m_pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_ternd = std::make_unique<TerndProcess>();
    const QString started = m_ternd->startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
}

void TestPeople::cleanupTestCase()
{
    QCOMPARE(m_ternd->terminate(), 0);
}

void TestPeople::ownProfileHasDefaults()
{
    TestUser amy = registerUser(QStringLiteral("amy"), QStringLiteral("Amy Pond"));
    QVERIFY(amy.id > 0);
    proto::Frame get;
    get.mutable_get_my_profile();
    const proto::Frame mine = amy.client->request(get);
    QVERIFY2(mine.has_my_profile(), mine.DebugString().c_str());
    QCOMPARE(mine.my_profile().profile().user_id(), amy.id);
    QCOMPARE(mine.my_profile().profile().display_name(), std::string("Amy Pond"));
    QCOMPARE(mine.my_profile().privacy().searchable_by(), proto::AUDIENCE_EVERYONE);
    QCOMPARE(mine.my_profile().privacy().presence_visible_to(), proto::AUDIENCE_FRIENDS);
    QCOMPARE(mine.my_profile().privacy().group_adders(), proto::AUDIENCE_FRIENDS);
}

void TestPeople::updateProfileAndOtherDevicesHearOfIt()
{
    TestUser bea = registerUser(QStringLiteral("bea"), {}, QStringLiteral("laptop"));
    TestClient phone;
    QVERIFY(phone.open(m_ternd->url()));
    QVERIFY(phone.hello(QStringLiteral("phone")).has_welcome());
    QVERIFY(phone.login(QStringLiteral("bea"), kPassword).has_session());

    const std::string avatar =
        uploadTestFile(*bea.client, QByteArray(500, 'b'), QStringLiteral("bea.png"), "image/png");
    QVERIFY(!avatar.empty());
    const proto::Frame updated = updateProfile(*bea.client, [&](auto *u) {
        u->set_display_name("Beatrice 贝");
        u->set_status_line("在开会 / in a meeting");
        u->set_avatar_file_id(avatar);
        u->mutable_privacy()->set_presence_visible_to(proto::AUDIENCE_EVERYONE);
    });
    QVERIFY2(updated.has_my_profile(), updated.DebugString().c_str());
    QCOMPARE(QString::fromStdString(updated.my_profile().profile().display_name()),
             QStringLiteral("Beatrice 贝"));
    QCOMPARE(updated.my_profile().profile().avatar_file_id(), avatar);
    QCOMPARE(updated.my_profile().privacy().presence_visible_to(), proto::AUDIENCE_EVERYONE);
    // Unspecified settings stay as they were.
    QCOMPARE(updated.my_profile().privacy().searchable_by(), proto::AUDIENCE_EVERYONE);

    const auto pushed = phone.nextPush(proto::Frame::kMyProfile);
    QVERIFY(pushed);
    QVERIFY2(pushed->has_my_profile(), pushed->DebugString().c_str());
    QCOMPARE(QString::fromStdString(pushed->my_profile().profile().status_line()),
             QStringLiteral("在开会 / in a meeting"));
    // The device that made the change got it as its answer, not again as a push.
    QVERIFY(!bea.client->nextPush(proto::Frame::kMyProfile, 300));

    // Only the status line changes; the rest stays.
    const proto::Frame again = updateProfile(*bea.client, [](auto *u) { u->set_status_line(""); });
    QCOMPARE(again.my_profile().profile().status_line(), std::string());
    QCOMPARE(again.my_profile().profile().avatar_file_id(), avatar);
}

void TestPeople::updateProfileRejectsBadInput_data()
{
    QTest::addColumn<int>("field");
    QTest::addColumn<QString>("value");
    QTest::newRow("empty display name") << 0 << QStringLiteral("   ");
    QTest::newRow("long display name") << 0 << QString(65, QLatin1Char('x'));
    QTest::newRow("control in status") << 1 << QStringLiteral("a\u0001b");
    QTest::newRow("long status") << 1 << QString(141, QChar(0x4E2D));
    QTest::newRow("long avatar id") << 2 << QString(65, QLatin1Char('f'));
}

void TestPeople::updateProfileRejectsBadInput()
{
    QFETCH(int, field);
    QFETCH(QString, value);
    static int n = 0;
    TestUser user = registerUser(QStringLiteral("bad_input_%1").arg(++n), QStringLiteral("Kept"));
    const proto::Frame reply = updateProfile(*user.client, [&](proto::UpdateProfileRequest *u) {
        u->set_status_line("also not applied");
        if (field == 0)
            u->set_display_name(value.toStdString());
        else if (field == 1)
            u->set_status_line(value.toStdString());
        else
            u->set_avatar_file_id(value.toStdString());
    });
    QCOMPARE(errorCode(reply), proto::ERROR_CODE_INVALID_ARGUMENT);
    proto::Frame get;
    get.mutable_get_my_profile();
    const proto::Frame mine = user.client->request(get);
    QCOMPARE(mine.my_profile().profile().display_name(), std::string("Kept"));
    QCOMPARE(mine.my_profile().profile().status_line(), std::string());

    const proto::Frame badAudience = updateProfile(
        *user.client, [](auto *u) { u->mutable_privacy()->set_group_adders(proto::Audience(17)); });
    QCOMPARE(errorCode(badAudience), proto::ERROR_CODE_INVALID_ARGUMENT);
}

void TestPeople::searchByUsernameAndDisplayNamePrefix()
{
    TestUser seeker = registerUser(QStringLiteral("seeker"));
    TestUser zhang = registerUser(QStringLiteral("zhangwei"), QStringLiteral("张伟"));
    TestUser zhang2 = registerUser(QStringLiteral("zw2"), QStringLiteral("张伟伟"));
    TestUser exact = registerUser(QStringLiteral("percent"), QStringLiteral("Someone Else"));
    TestUser literal = registerUser(QStringLiteral("pct"), QStringLiteral("100% real"));

    // Two Chinese characters: a display-name prefix.
    QCOMPARE(usernames(search(*seeker.client, QStringLiteral("张伟"))),
             (QStringList {QStringLiteral("zhangwei"), QStringLiteral("zw2")}));
    // Exact username, case-insensitively.
    QCOMPARE(usernames(search(*seeker.client, QStringLiteral("PERCENT"))),
             QStringList {QStringLiteral("percent")});
    // LIKE wildcards in the query match literally.
    QCOMPARE(usernames(search(*seeker.client, QStringLiteral("100%"))),
             QStringList {QStringLiteral("pct")});
    QCOMPARE(usernames(search(*seeker.client, QStringLiteral("%"))), QStringList());
    // One does not find oneself.
    QCOMPARE(usernames(search(*seeker.client, QStringLiteral("seeker"))), QStringList());
    const auto first = search(*seeker.client, QStringLiteral("zhangwei")).user_search_result();
    QCOMPARE(first.users(0).user_id(), zhang.id);
    QVERIFY(!first.users(0).is_friend());
    Q_UNUSED(zhang2);
    Q_UNUSED(exact);
    Q_UNUSED(literal);
}

void TestPeople::searchPagesWithoutRepeats()
{
    TestUser seeker = registerUser(QStringLiteral("pager"));
    for (int i = 0; i < 5; ++i)
        QVERIFY(registerUser(QStringLiteral("page_%1").arg(i), QStringLiteral("Pageable %1").arg(i))
                    .id);
    QStringList seen;
    std::string token;
    int pages = 0;
    do {
        const proto::Frame page = search(*seeker.client, QStringLiteral("pageable"), 2, token);
        QVERIFY2(page.has_user_search_result(), page.DebugString().c_str());
        QVERIFY(page.user_search_result().users_size() <= 2);
        seen += usernames(page);
        token = page.user_search_result().next_page_token();
        QVERIFY(++pages <= 4);
    } while (!token.empty());
    seen.sort();
    QCOMPARE(
        seen,
        (QStringList {QStringLiteral("page_0"), QStringLiteral("page_1"), QStringLiteral("page_2"),
                      QStringLiteral("page_3"), QStringLiteral("page_4")}));
}

void TestPeople::searchRespectsSearchableBy()
{
    TestUser hidden = registerUser(QStringLiteral("hermit"), QStringLiteral("Hermit Crab"));
    TestUser friendOnly = registerUser(QStringLiteral("shy"), QStringLiteral("Shy Violet"));
    TestUser stranger = registerUser(QStringLiteral("stranger"));
    TestUser pal = registerUser(QStringLiteral("pal"));
    QVERIFY(updateProfile(*hidden.client, [](auto *u) {
                u->mutable_privacy()->set_searchable_by(proto::AUDIENCE_NOBODY);
            }).has_my_profile());
    QVERIFY(updateProfile(*friendOnly.client, [](auto *u) {
                u->mutable_privacy()->set_searchable_by(proto::AUDIENCE_FRIENDS);
            }).has_my_profile());
    QVERIFY(befriend(friendOnly, pal));

    QCOMPARE(usernames(search(*stranger.client, QStringLiteral("hermit"))), QStringList());
    QCOMPARE(usernames(search(*stranger.client, QStringLiteral("Hermit C"))), QStringList());
    QCOMPARE(usernames(search(*stranger.client, QStringLiteral("shy"))), QStringList());
    QCOMPARE(usernames(search(*pal.client, QStringLiteral("shy"))),
             QStringList {QStringLiteral("shy")});
    QVERIFY(search(*pal.client, QStringLiteral("shy")).user_search_result().users(0).is_friend());

    // A user who blocks you is never found, whatever their setting.
    TestUser blocker = registerUser(QStringLiteral("blocker"), QStringLiteral("Public Blocker"));
    proto::Frame block;
    block.mutable_block_user()->set_user_id(stranger.id);
    QVERIFY(blocker.client->request(block).has_contact());
    QCOMPARE(usernames(search(*stranger.client, QStringLiteral("blocker"))), QStringList());
    QCOMPARE(usernames(search(*pal.client, QStringLiteral("blocker"))),
             QStringList {QStringLiteral("blocker")});
}

void TestPeople::searchRejectsBadInput()
{
    TestUser user = registerUser(QStringLiteral("badsearch"));
    QCOMPARE(errorCode(search(*user.client, QStringLiteral("  "))),
             proto::ERROR_CODE_INVALID_ARGUMENT);
    QCOMPARE(errorCode(search(*user.client, QString(65, QLatin1Char('q')))),
             proto::ERROR_CODE_INVALID_ARGUMENT);
    QCOMPARE(errorCode(search(*user.client, QStringLiteral("abc"), 51)),
             proto::ERROR_CODE_INVALID_ARGUMENT);
    QCOMPARE(errorCode(search(*user.client, QStringLiteral("abc"), 5, "not-a-token")),
             proto::ERROR_CODE_INVALID_ARGUMENT);
}

void TestPeople::profilesHideStatusByPresencePrivacy()
{
    TestUser owner = registerUser(QStringLiteral("statusy"));
    TestUser pal = registerUser(QStringLiteral("statusy_pal"));
    TestUser stranger = registerUser(QStringLiteral("statusy_stranger"));
    QVERIFY(updateProfile(*owner.client, [](auto *u) {
                u->set_status_line("gone fishing");
            }).has_my_profile());
    QVERIFY(befriend(owner, pal));

    // Default presence_visible_to = friends.
    auto seenBy = [&](TestUser &viewer) {
        const proto::Frame list = profiles(*viewer.client, {owner.id});
        return list.profile_list().profiles_size() == 1
            ? QString::fromStdString(list.profile_list().profiles(0).status_line())
            : QStringLiteral("<missing>");
    };
    QCOMPARE(seenBy(pal), QStringLiteral("gone fishing"));
    QCOMPARE(seenBy(stranger), QString());

    QVERIFY(updateProfile(*owner.client, [](auto *u) {
                u->mutable_privacy()->set_presence_visible_to(proto::AUDIENCE_NOBODY);
            }).has_my_profile());
    QCOMPARE(seenBy(pal), QString());
    QVERIFY(updateProfile(*owner.client, [](auto *u) {
                u->mutable_privacy()->set_presence_visible_to(proto::AUDIENCE_EVERYONE);
            }).has_my_profile());
    QCOMPARE(seenBy(stranger), QStringLiteral("gone fishing"));
}

void TestPeople::profilesLeaveOutUnknownAndBlockers()
{
    TestUser viewer = registerUser(QStringLiteral("viewer"));
    TestUser visible = registerUser(QStringLiteral("visible"));
    TestUser blocker = registerUser(QStringLiteral("blocks_viewer"));
    proto::Frame block;
    block.mutable_block_user()->set_user_id(viewer.id);
    QVERIFY(blocker.client->request(block).has_contact());

    const proto::Frame list =
        profiles(*viewer.client, {visible.id, blocker.id, 999999999, quint64(-1)});
    QVERIFY2(list.has_profile_list(), list.DebugString().c_str());
    QCOMPARE(list.profile_list().profiles_size(), 1);
    QCOMPARE(list.profile_list().profiles(0).user_id(), visible.id);

    QList<quint64> tooMany;
    for (quint64 i = 1; i <= 101; ++i)
        tooMany << i;
    QCOMPARE(errorCode(profiles(*viewer.client, tooMany)), proto::ERROR_CODE_LIMIT_EXCEEDED);
}

void TestPeople::bannedUsersAreNeverShown()
{
    TestUser viewer = registerUser(QStringLiteral("lawful"));
    TestUser outlaw = registerUser(QStringLiteral("outlaw"), QStringLiteral("Outlaw Josey"));
    QCOMPARE(usernames(search(*viewer.client, QStringLiteral("outlaw"))),
             QStringList {QStringLiteral("outlaw")});

    QProcess ternctl;
    ternctl.start(QStringLiteral(TERNCTL_PATH),
                  {QStringLiteral("ban"), QStringLiteral("outlaw"), QStringLiteral("--database"),
                   QString::fromUtf8(m_pg.dsn())});
    QVERIFY(ternctl.waitForFinished(60000));
    QCOMPARE(ternctl.exitCode(), 0);

    QCOMPARE(usernames(search(*viewer.client, QStringLiteral("outlaw"))), QStringList());
    QCOMPARE(usernames(search(*viewer.client, QStringLiteral("Outlaw J"))), QStringList());
    QCOMPARE(profiles(*viewer.client, {outlaw.id}).profile_list().profiles_size(), 0);
}

QTEST_GUILESS_MAIN(TestPeople)
#include "tst_people.moc"
