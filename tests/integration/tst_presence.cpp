// SPDX-License-Identifier: Apache-2.0
// Presence against a real ternd and PostgreSQL: online/away/offline derived from devices, the
// friends list pushed on authentication, pushes on change observed on several devices,
// last seen, invisible devices, privacy, blocks, coalescing of flapping users, and a device
// that vanishes without closing.
//
// Proving that a push did NOT happen without sleeping: the tracker publishes users in the
// order their coalescing windows opened and pushes in that order, so once the observer gets a
// push about a "sentinel" friend who changed later, any push about the subject would already
// have arrived.
#include "support/pgfixture.h"
#include "support/terndprocess.h"
#include "support/testclient.h"

#include "store/pgsession.h"
#include "tern/framing.h"

#include <QDateTime>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace tern;

namespace {

const QString kPassword = QStringLiteral("presence password");
constexpr auto kOnline = proto::PRESENCE_STATE_ONLINE;
constexpr auto kAway = proto::PRESENCE_STATE_AWAY;
constexpr auto kOffline = proto::PRESENCE_STATE_OFFLINE;
// ternd settings for most tests: a short coalescing window, and an idle timeout short enough
// for the silent-device test (QWebSocket answers pings itself, so healthy clients stay).
constexpr int kIdleTimeoutMs = 3000;
// The flapping test's window: long enough that several reconnects fit into it.
constexpr int kFlappyCoalesceMs = 1500;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Opens a transaction on `session` that holds the users row of `userId`, so that storing the
// user's last-seen time waits for it. Empty on success, else what failed.
QString holdUserRow(server::PgSession &session, const QByteArray &dsn, quint64 userId)
{
    if (QString error = session.connect(dsn); !error.isEmpty())
        return error;
    server::PgOutcome o = session.execScript("BEGIN");
    if (o.ok())
        o = session.exec(
            {"SELECT 1 FROM users WHERE id = $1 FOR UPDATE", {QByteArray::number(userId)}});
    return o.ok() ? QString() : o.error.message;
}

// ternd's writes of last-seen times that wait for a row lock: counted, or (`cut`) their
// connections terminated, as a database restart would. -1 if the query failed.
qint64 waitingLastSeenWrites(server::PgSession &session, bool cut = false)
{
#define TERN_WAITING_WRITES                                                                        \
    " FROM pg_stat_activity"                                                                       \
    " WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE users u SET last_seen_at%'"
    const char *sql = cut ? "SELECT count(pg_terminate_backend(pid))" TERN_WAITING_WRITES
                          : "SELECT count(*)" TERN_WAITING_WRITES;
#undef TERN_WAITING_WRITES
    const server::PgOutcome o = session.exec({sql, {}});
    return o.ok() ? o.results.front().int64(0, 0) : -1;
}

struct User
{
    QString name;
    quint64 id = 0;
    std::unique_ptr<TestClient> client; // the device it registered with
};

// A device that authenticates over a raw TCP socket speaking WebSocket by hand, then goes
// silent: it never answers the server's pings, like a phone whose network vanished.
class SilentDevice
{
public:
    // Returns an empty string once logged in, else what went wrong.
    QString logIn(const QUrl &url, const QString &username, const QString &deviceId)
    {
        m_socket.connectToHost(url.host(), quint16(url.port()));
        if (!m_socket.waitForConnected(5000))
            return QStringLiteral("cannot connect");
        m_socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 13\r\n\r\n");
        if (!QTest::qWaitFor(
                [this] { return (m_buffer += m_socket.readAll()).contains("\r\n\r\n"); }, 5000))
            return QStringLiteral("no handshake answer");
        if (!m_buffer.startsWith("HTTP/1.1 101"))
            return QStringLiteral("handshake refused: ") + QString::fromLatin1(m_buffer);
        m_buffer.remove(0, m_buffer.indexOf("\r\n\r\n") + 4);

        proto::Frame hello;
        hello.set_request_id(1);
        hello.mutable_hello()->set_protocol_version(kProtocolVersion);
        hello.mutable_hello()->set_client_name("silent");
        hello.mutable_hello()->set_client_version("1");
        hello.mutable_hello()->set_device_id(deviceId.toStdString());
        proto::Frame login;
        login.set_request_id(2);
        login.mutable_login()->set_username(username.toStdString());
        login.mutable_login()->set_password(kPassword.toStdString());
        // The server handles frames in order, so both can go at once.
        m_loginSentAtMs = nowMs();
        m_socket.write(maskedBinary(encodeFrame(hello)) + maskedBinary(encodeFrame(login)));

        bool loggedIn = false;
        [[maybe_unused]] const bool answered = QTest::qWaitFor(
            [&] {
                m_buffer += m_socket.readAll();
                while (auto payload = takeBinaryFrame()) {
                    proto::Frame frame;
                    if (frame.ParseFromArray(payload->constData(), int(payload->size()))
                        && frame.request_id() == 2 && frame.has_session())
                        loggedIn = true;
                }
                return loggedIn;
            },
            10000);
        return loggedIn ? QString() : QStringLiteral("no Session answer");
    }

    QAbstractSocket::SocketState state() const { return m_socket.state(); }
    // When it last sent anything: the server's idle timer cannot have started earlier.
    qint64 loginSentAtMs() const { return m_loginSentAtMs; }

private:
    // A client-to-server binary message: FIN, opcode 2, masked as RFC 6455 requires.
    static QByteArray maskedBinary(const QByteArray &payload)
    {
        QByteArray out;
        out += char(0x82);
        if (payload.size() < 126) {
            out += char(0x80 | payload.size());
        } else {
            out += char(0x80 | 126);
            out += char((payload.size() >> 8) & 0xff);
            out += char(payload.size() & 0xff);
        }
        const char mask[4] = {0x13, 0x57, char(0x9b), char(0xdf)};
        out.append(mask, 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            out += char(payload.at(i) ^ mask[i % 4]);
        return out;
    }

    // The payload of the next complete server message if it is binary; control frames
    // (pings) are consumed and skipped, unanswered.
    std::optional<QByteArray> takeBinaryFrame()
    {
        while (m_buffer.size() >= 2) {
            const int opcode = m_buffer.at(0) & 0x0f;
            qint64 length = m_buffer.at(1) & 0x7f;
            qsizetype header = 2;
            if (length == 126) {
                if (m_buffer.size() < 4)
                    return std::nullopt;
                length = (quint8(m_buffer.at(2)) << 8) | quint8(m_buffer.at(3));
                header = 4;
            } else if (length == 127) {
                if (m_buffer.size() < 10)
                    return std::nullopt;
                length = 0;
                for (int i = 2; i < 10; ++i)
                    length = (length << 8) | quint8(m_buffer.at(i));
                header = 10;
            }
            if (m_buffer.size() < header + length)
                return std::nullopt;
            const QByteArray payload = m_buffer.mid(header, length);
            m_buffer.remove(0, header + length);
            if (opcode == 0x2)
                return payload;
        }
        return std::nullopt;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
    qint64 m_loginSentAtMs = 0;
};

} // namespace

class TestPresence : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void friendSeenOnlineAwayOfflineOnEveryDevice();
    void friendsListPushedOnAuthentication();
    void lastSeenStoredWhenGoingOffline();
    void offlinePublishedOnceLastSeenIsStored();
    void offlinePublishedWhenItsWriteFails();
    void invisibleDeviceLooksOffline();
    void ownDevicesCombine_data();
    void ownDevicesCombine();
    void privacyDecidesWhoSees_data();
    void privacyDecidesWhoSees();
    void blockedViewerSeesNothing();
    void audienceChangesArePushedAtOnce();
    void flappingIsCoalesced_data();
    void flappingIsCoalesced();
    void silentDeviceGoesOfflineAfterIdleTimeout();
    void lastSeenStoredAtShutdown();
    void queryLimitsAndUnknownUsers();
    void requestsNeedAuthentication_data();
    void requestsNeedAuthentication();

private:
    User registerUser(const QString &name, TerndProcess *ternd = nullptr);
    std::unique_ptr<TestClient> logIn(const User &user, const QString &device,
                                      TerndProcess *ternd = nullptr);
    void makeFriends(User &a, User &b);
    proto::Frame setFlags(TestClient &client, bool away, bool invisible);
    proto::Frame setPresenceVisibleTo(User &user, proto::Audience audience);
    proto::Frame getPresence(TestClient &client, const QList<quint64> &ids);
    // The presence of `id` as `client` may see it (state OFFLINE and last seen -1 on failure).
    proto::UserPresence presenceOf(TestClient &client, quint64 id);
    // UserProfile.last_seen_at_ms of `id` as `client` may see it (-1 on failure).
    qint64 profileLastSeen(TestClient &client, quint64 id);
    // The next list pushed after authentication.
    std::optional<proto::PresenceChanged> initialList(TestClient &client);
    // The next change pushed about `id`, skipping changes about others.
    std::optional<proto::UserPresence> nextChangeOf(TestClient &client, quint64 id);
    // The next change pushed about `id` to `state`, skipping any other.
    std::optional<proto::UserPresence> waitForState(TestClient &client, quint64 id,
                                                    proto::PresenceState state);
    // Every change about `about` pushed until `sentinel` is pushed as AWAY (`sentinelSeen`).
    QList<proto::UserPresence> changesUntil(TestClient &client, quint64 about, quint64 sentinel,
                                            bool *sentinelSeen, int timeoutMs = 15000);

    // A user visible to everyone, a stranger who asks about them, and the user's departure
    // while the test holds their users row: ternd's write of the last-seen time waits for it.
    struct HeldDeparture
    {
        User subject;
        User watcher;
        server::PgSession holder; // holds the row until its transaction ends
        server::PgSession db; // sees ternd's waiting write
        qint64 leftAtMs = 0;
    };
    // Fills `d` up to the waiting write; the test fails (check currentTestFailed) if not.
    void departWhileRowHeld(HeldDeparture &d, const QString &subject, const QString &watcher);

    PgFixture m_pg;
    std::unique_ptr<TerndProcess> m_ternd;
    std::unique_ptr<TerndProcess> m_flappy;
};

User TestPresence::registerUser(const QString &name, TerndProcess *ternd)
{
    User user;
    user.name = name;
    user.client = std::make_unique<TestClient>();
    const proto::Frame session = user.client->connectAndRegister(
        (ternd ? ternd : m_ternd.get())->url(), name, kPassword, name + QStringLiteral("-main"));
    user.id = session.session().user_id();
    // Wait until others may see the user online, so that no push about it coming online is
    // still on its way when a test starts watching.
    // (A user that never shows up fails the test at its first assertion on presence.)
    [[maybe_unused]] const bool shown = QTest::qWaitFor(
        [&] { return user.id && presenceOf(*user.client, user.id).state() == kOnline; },
        4 * kFlappyCoalesceMs);
    return user;
}

std::unique_ptr<TestClient> TestPresence::logIn(const User &user, const QString &device,
                                                TerndProcess *ternd)
{
    auto client = std::make_unique<TestClient>();
    if (!client->open((ternd ? ternd : m_ternd.get())->url())
        || !client->hello(device).has_welcome()
        || !client->login(user.name, kPassword).has_session())
        return nullptr;
    return client;
}

void TestPresence::makeFriends(User &a, User &b)
{
    proto::Frame send;
    send.mutable_send_friend_request()->set_user_id(b.id);
    const proto::Frame sent = a.client->request(send);
    QVERIFY2(sent.has_friend_request_result(), sent.DebugString().c_str());
    proto::Frame answer;
    answer.mutable_answer_friend_request()->set_request_id(
        sent.friend_request_result().request().request_id());
    answer.mutable_answer_friend_request()->set_accept(true);
    const proto::Frame accepted = b.client->request(answer);
    QVERIFY2(accepted.friend_request_result().contact().is_friend(),
             accepted.DebugString().c_str());
    // Becoming friends pushes each one's presence to the other at once (see
    // audienceChangesArePushedAtOnce); take those, so that tests start from quiet queues.
    QVERIFY(nextChangeOf(*a.client, b.id));
    QVERIFY(nextChangeOf(*b.client, a.id));
}

proto::Frame TestPresence::setFlags(TestClient &client, bool away, bool invisible)
{
    proto::Frame frame;
    frame.mutable_set_presence()->set_away(away);
    frame.mutable_set_presence()->set_invisible(invisible);
    return client.request(frame);
}

proto::Frame TestPresence::setPresenceVisibleTo(User &user, proto::Audience audience)
{
    proto::Frame frame;
    frame.mutable_update_profile()->mutable_privacy()->set_presence_visible_to(audience);
    return user.client->request(frame);
}

proto::Frame TestPresence::getPresence(TestClient &client, const QList<quint64> &ids)
{
    proto::Frame frame;
    for (quint64 id : ids)
        frame.mutable_get_presence()->add_user_ids(id);
    return client.request(frame);
}

proto::UserPresence TestPresence::presenceOf(TestClient &client, quint64 id)
{
    const proto::Frame answer = getPresence(client, {id});
    if (answer.presence_list().presences_size() != 1) {
        proto::UserPresence failed;
        failed.set_last_seen_at_ms(-1);
        return failed;
    }
    return answer.presence_list().presences(0);
}

std::optional<proto::PresenceChanged> TestPresence::initialList(TestClient &client)
{
    while (auto pushed = client.nextPresence()) {
        if (pushed->initial())
            return pushed;
    }
    return std::nullopt;
}

std::optional<proto::UserPresence> TestPresence::nextChangeOf(TestClient &client, quint64 id)
{
    while (auto pushed = client.nextPresence()) {
        if (pushed->initial())
            continue;
        for (const proto::UserPresence &presence : pushed->presences()) {
            if (presence.user_id() == id)
                return presence;
        }
    }
    return std::nullopt;
}

std::optional<proto::UserPresence> TestPresence::waitForState(TestClient &client, quint64 id,
                                                              proto::PresenceState state)
{
    while (auto change = nextChangeOf(client, id)) {
        if (change->state() == state)
            return change;
    }
    return std::nullopt;
}

QList<proto::UserPresence> TestPresence::changesUntil(TestClient &client, quint64 about,
                                                      quint64 sentinel, bool *sentinelSeen,
                                                      int timeoutMs)
{
    QList<proto::UserPresence> about_;
    *sentinelSeen = false;
    while (!*sentinelSeen) {
        const auto pushed = client.nextPresence(timeoutMs);
        if (!pushed)
            break;
        if (pushed->initial())
            continue;
        for (const proto::UserPresence &presence : pushed->presences()) {
            if (presence.user_id() == about)
                about_.append(presence);
            if (presence.user_id() == sentinel && presence.state() == kAway)
                *sentinelSeen = true;
        }
    }
    return about_;
}

void TestPresence::initTestCase()
{
    const QString error = m_pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_ternd = std::make_unique<TerndProcess>();
    m_ternd->environment().insert(QStringLiteral("TERN_PRESENCE_COALESCE_MS"),
                                  QStringLiteral("150"));
    m_ternd->environment().insert(QStringLiteral("TERN_IDLE_TIMEOUT_MS"),
                                  QString::number(kIdleTimeoutMs));
    m_ternd->environment().insert(QStringLiteral("TERN_PING_INTERVAL_MS"), QStringLiteral("500"));
    QString started = m_ternd->startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));

    // A second ternd on the same database, with a long coalescing window. Presence is per
    // process, so its users only ever meet each other.
    m_flappy = std::make_unique<TerndProcess>();
    m_flappy->environment().insert(QStringLiteral("TERN_PRESENCE_COALESCE_MS"),
                                   QString::number(kFlappyCoalesceMs));
    started = m_flappy->startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
}

void TestPresence::cleanupTestCase()
{
    QCOMPARE(m_ternd->terminate(), 0);
    QCOMPARE(m_flappy->terminate(), 0);
}

void TestPresence::friendSeenOnlineAwayOfflineOnEveryDevice()
{
    User alice = registerUser(QStringLiteral("alice"));
    User bob = registerUser(QStringLiteral("bob"));
    makeFriends(alice, bob);
    // Alice leaves; Bob sees her go.
    alice.client.reset();
    const auto left = waitForState(*bob.client, alice.id, kOffline);
    QVERIFY(left);

    // Bob's second device learns it from the list it gets on logging in.
    auto bobTablet = logIn(bob, QStringLiteral("bob-tablet"));
    QVERIFY(bobTablet);
    const auto list = initialList(*bobTablet);
    QVERIFY(list);
    QCOMPARE(list->presences_size(), 1);
    QCOMPARE(list->presences(0).user_id(), alice.id);
    QCOMPARE(list->presences(0).state(), kOffline);
    QCOMPARE(list->presences(0).last_seen_at_ms(), left->last_seen_at_ms());

    // Online.
    auto alicePhone = logIn(alice, QStringLiteral("alice-phone"));
    QVERIFY(alicePhone);
    for (TestClient *device : {bobTablet.get(), bob.client.get()}) {
        const auto online = nextChangeOf(*device, alice.id);
        QVERIFY(online);
        QCOMPARE(online->state(), kOnline);
        QCOMPARE(online->last_seen_at_ms(), 0);
    }
    QCOMPARE(presenceOf(*bobTablet, alice.id).state(), kOnline);

    // Away.
    const proto::Frame away = setFlags(*alicePhone, true, false);
    QVERIFY2(away.has_set_presence_result(), away.DebugString().c_str());
    QCOMPARE(away.set_presence_result().state(), kAway);
    for (TestClient *device : {bobTablet.get(), bob.client.get()}) {
        const auto idle = nextChangeOf(*device, alice.id);
        QVERIFY(idle);
        QCOMPARE(idle->state(), kAway);
    }
    QCOMPARE(presenceOf(*bobTablet, alice.id).state(), kAway);

    // Offline, with the time she left.
    const qint64 before = nowMs();
    alicePhone.reset();
    for (TestClient *device : {bobTablet.get(), bob.client.get()}) {
        const auto offline = nextChangeOf(*device, alice.id);
        QVERIFY(offline);
        QCOMPARE(offline->state(), kOffline);
        QVERIFY2(offline->last_seen_at_ms() >= before && offline->last_seen_at_ms() <= nowMs(),
                 qPrintable(QString::number(offline->last_seen_at_ms() - before)));
    }
}

void TestPresence::friendsListPushedOnAuthentication()
{
    User carl = registerUser(QStringLiteral("carl"));
    User dina = registerUser(QStringLiteral("dina")); // online
    User emil = registerUser(QStringLiteral("emil")); // goes offline
    User fay = registerUser(QStringLiteral("fay")); // online, shows nobody
    User gus = registerUser(QStringLiteral("gus")); // online, blocks carl
    User hal = registerUser(QStringLiteral("hal")); // online, everyone, but not a friend
    for (User *other : {&dina, &emil, &fay, &gus})
        makeFriends(carl, *other);
    QVERIFY(setPresenceVisibleTo(fay, proto::AUDIENCE_NOBODY).has_my_profile());
    QVERIFY(setPresenceVisibleTo(hal, proto::AUDIENCE_EVERYONE).has_my_profile());
    proto::Frame block;
    block.mutable_block_user()->set_user_id(carl.id);
    QVERIFY(gus.client->request(block).contact().blocked());
    emil.client.reset();
    const auto emilLeft = waitForState(*carl.client, emil.id, kOffline);
    QVERIFY(emilLeft);
    QTRY_COMPARE(presenceOf(*carl.client, dina.id).state(), kOnline);

    auto carlLaptop = logIn(carl, QStringLiteral("carl-laptop"));
    QVERIFY(carlLaptop);
    const auto list = initialList(*carlLaptop);
    QVERIFY(list);
    QVERIFY(list->initial());
    QHash<quint64, proto::UserPresence> byId;
    for (const proto::UserPresence &presence : list->presences())
        byId.insert(presence.user_id(), presence);
    QCOMPARE(byId.size(), 4); // friends only: not Hal
    QCOMPARE(list->presences_size(), 4);
    QCOMPARE(byId.value(dina.id).state(), kOnline);
    QCOMPARE(byId.value(dina.id).last_seen_at_ms(), 0);
    QCOMPARE(byId.value(emil.id).state(), kOffline);
    QCOMPARE(byId.value(emil.id).last_seen_at_ms(), emilLeft->last_seen_at_ms());
    QVERIFY(emilLeft->last_seen_at_ms() > 0);
    // Hidden friends look exactly like friends offline with no known last-seen time.
    for (const User *hidden : {&fay, &gus}) {
        QCOMPARE(byId.value(hidden->id).state(), kOffline);
        QCOMPARE(byId.value(hidden->id).last_seen_at_ms(), 0);
    }

    // A user with no friends gets an empty list, so a client always knows where it stands.
    auto halLaptop = logIn(hal, QStringLiteral("hal-laptop"));
    QVERIFY(halLaptop);
    const auto empty = initialList(*halLaptop);
    QVERIFY(empty);
    QCOMPARE(empty->presences_size(), 0);
}

void TestPresence::lastSeenStoredWhenGoingOffline()
{
    User ivy = registerUser(QStringLiteral("ivy"));
    User jack = registerUser(QStringLiteral("jack")); // not a friend: asks
    QVERIFY(setPresenceVisibleTo(ivy, proto::AUDIENCE_EVERYONE).has_my_profile());
    QTRY_COMPARE(presenceOf(*jack.client, ivy.id).state(), kOnline);
    QCOMPARE(presenceOf(*jack.client, ivy.id).last_seen_at_ms(), 0);

    const qint64 before = nowMs();
    ivy.client.reset();
    QTRY_COMPARE(presenceOf(*jack.client, ivy.id).state(), kOffline);
    const qint64 lastSeen = presenceOf(*jack.client, ivy.id).last_seen_at_ms();
    QVERIFY2(lastSeen >= before && lastSeen <= nowMs(), qPrintable(QString::number(lastSeen)));

    // It is users.last_seen_at: the profile reads the same column.
    proto::Frame profiles;
    profiles.mutable_get_profiles()->add_user_ids(ivy.id);
    const proto::Frame found = jack.client->request(profiles);
    QCOMPARE(found.profile_list().profiles_size(), 1);
    QCOMPARE(found.profile_list().profiles(0).last_seen_at_ms(), lastSeen);

    // Back online: no last-seen time while online; the stored one stays until she leaves.
    auto ivyPhone = logIn(ivy, QStringLiteral("ivy-phone"));
    QVERIFY(ivyPhone);
    QTRY_COMPARE(presenceOf(*jack.client, ivy.id).state(), kOnline);
    QCOMPARE(presenceOf(*jack.client, ivy.id).last_seen_at_ms(), 0);
    QCOMPARE(jack.client->request(profiles).profile_list().profiles(0).last_seen_at_ms(), lastSeen);
}

qint64 TestPresence::profileLastSeen(TestClient &client, quint64 id)
{
    proto::Frame request;
    request.mutable_get_profiles()->add_user_ids(id);
    const proto::Frame answer = client.request(request);
    if (answer.profile_list().profiles_size() != 1)
        return -1;
    return qint64(answer.profile_list().profiles(0).last_seen_at_ms());
}

void TestPresence::departWhileRowHeld(HeldDeparture &d, const QString &subject,
                                      const QString &watcher)
{
    d.subject = registerUser(subject);
    d.watcher = registerUser(watcher); // not a friend: asks
    QVERIFY(setPresenceVisibleTo(d.subject, proto::AUDIENCE_EVERYONE).has_my_profile());
    QTRY_COMPARE(presenceOf(*d.watcher.client, d.subject.id).state(), kOnline);
    QCOMPARE(holdUserRow(d.holder, m_pg.dsn(), d.subject.id), QString());
    d.leftAtMs = nowMs();
    d.subject.client.reset();
    QCOMPARE(d.db.connect(m_pg.dsn()), QString());
    QTRY_COMPARE_WITH_TIMEOUT(waitingLastSeenWrites(d.db), 1, 10000);
}

void TestPresence::offlinePublishedOnceLastSeenIsStored()
{
    HeldDeparture d;
    departWhileRowHeld(d, QStringLiteral("zoe"), QStringLiteral("abe"));
    if (QTest::currentTestFailed())
        return;
    const quint64 zoe = d.subject.id;
    TestClient &abe = *d.watcher.client;

    // While the write waits she is still published online, and the profile has no time yet.
    const proto::UserPresence waiting = presenceOf(abe, zoe);
    QCOMPARE(waiting.state(), kOnline);
    QCOMPARE(waiting.last_seen_at_ms(), 0);
    QCOMPARE(profileLastSeen(abe, zoe), 0);

    QVERIFY(d.holder.execScript("ROLLBACK").ok());
    QTRY_COMPARE(presenceOf(abe, zoe).state(), kOffline);
    const qint64 lastSeen = presenceOf(abe, zoe).last_seen_at_ms();
    QVERIFY(lastSeen > 0);
    QCOMPARE(profileLastSeen(abe, zoe), lastSeen);
}

void TestPresence::offlinePublishedWhenItsWriteFails()
{
    HeldDeparture d;
    departWhileRowHeld(d, QStringLiteral("ned"), QStringLiteral("ola"));
    if (QTest::currentTestFailed())
        return;
    const quint64 ned = d.subject.id;
    TestClient &ola = *d.watcher.client;
    // Cut the waiting write's connection, as a database restart would.
    QCOMPARE(waitingLastSeenWrites(d.db, true), 1);

    // Published anyway, with the time ternd holds; the database does not have it yet.
    QTRY_COMPARE(presenceOf(ola, ned).state(), kOffline);
    const qint64 lastSeen = presenceOf(ola, ned).last_seen_at_ms();
    QVERIFY2(lastSeen >= d.leftAtMs && lastSeen <= nowMs(), qPrintable(QString::number(lastSeen)));
    QCOMPARE(profileLastSeen(ola, ned), 0);

    // The write is tried again and lands once the row is free.
    QVERIFY(d.holder.execScript("ROLLBACK").ok());
    QTRY_COMPARE(profileLastSeen(ola, ned), lastSeen);
    QCOMPARE(presenceOf(ola, ned).state(), kOffline);
    QCOMPARE(presenceOf(ola, ned).last_seen_at_ms(), lastSeen);
}

void TestPresence::invisibleDeviceLooksOffline()
{
    User kim = registerUser(QStringLiteral("kim"));
    User leo = registerUser(QStringLiteral("leo"));
    User max = registerUser(QStringLiteral("max")); // Leo's friend: the sentinel
    makeFriends(kim, leo);
    makeFriends(max, leo);
    QTRY_COMPARE(presenceOf(*leo.client, kim.id).state(), kOnline);

    // Kim's only device turns invisible: to Leo she goes offline, as if she had left.
    const qint64 before = nowMs();
    const proto::Frame invisible = setFlags(*kim.client, false, true);
    QCOMPARE(invisible.set_presence_result().state(), kOffline);
    const auto hidden = waitForState(*leo.client, kim.id, kOffline);
    QVERIFY(hidden);
    QVERIFY(hidden->last_seen_at_ms() >= before);
    const qint64 lastSeen = hidden->last_seen_at_ms();
    QCOMPARE(presenceOf(*leo.client, kim.id).state(), kOffline);
    QCOMPARE(presenceOf(*leo.client, kim.id).last_seen_at_ms(), lastSeen);
    // She still sees herself as she is seen.
    QCOMPARE(presenceOf(*kim.client, kim.id).state(), kOffline);

    // A second, visible device brings her online; leaving with it takes her offline again.
    auto kimPhone = logIn(kim, QStringLiteral("kim-phone"));
    QVERIFY(kimPhone);
    auto shown = nextChangeOf(*leo.client, kim.id);
    QVERIFY(shown);
    QCOMPARE(shown->state(), kOnline);
    kimPhone.reset();
    shown = nextChangeOf(*leo.client, kim.id);
    QVERIFY(shown);
    QCOMPARE(shown->state(), kOffline);
    const qint64 leftVisible = shown->last_seen_at_ms();
    QVERIFY(leftVisible >= lastSeen);

    // Closing the invisible device changes nothing anyone sees: no push, same last seen.
    kim.client.reset();
    QCOMPARE(setFlags(*max.client, true, false).set_presence_result().state(), kAway);
    bool sentinelSeen = false;
    const auto aboutKim = changesUntil(*leo.client, kim.id, max.id, &sentinelSeen);
    QVERIFY(sentinelSeen);
    QCOMPARE(aboutKim.size(), 0);
    QCOMPARE(presenceOf(*leo.client, kim.id).last_seen_at_ms(), leftVisible);
}

void TestPresence::ownDevicesCombine_data()
{
    QTest::addColumn<bool>("firstAway");
    QTest::addColumn<bool>("firstInvisible");
    QTest::addColumn<bool>("secondAway");
    QTest::addColumn<bool>("secondInvisible");
    QTest::addColumn<int>("expected");

    QTest::newRow("both active") << false << false << false << false << int(kOnline);
    QTest::newRow("one away") << true << false << false << false << int(kOnline);
    QTest::newRow("both away") << true << false << true << false << int(kAway);
    QTest::newRow("away + invisible") << true << false << false << true << int(kAway);
    QTest::newRow("active + invisible") << false << false << false << true << int(kOnline);
    QTest::newRow("both invisible") << false << true << true << true << int(kOffline);
}

void TestPresence::ownDevicesCombine()
{
    QFETCH(bool, firstAway);
    QFETCH(bool, firstInvisible);
    QFETCH(bool, secondAway);
    QFETCH(bool, secondInvisible);
    QFETCH(int, expected);
    static int row = 0;
    User user = registerUser(QStringLiteral("combo%1").arg(++row));
    User watcher = registerUser(QStringLiteral("watcher%1").arg(row));
    makeFriends(user, watcher);
    auto second = logIn(user, QStringLiteral("second"));
    QVERIFY(second);

    QVERIFY(setFlags(*user.client, firstAway, firstInvisible).has_set_presence_result());
    const proto::Frame result = setFlags(*second, secondAway, secondInvisible);
    QCOMPARE(int(result.set_presence_result().state()), expected);
    QTRY_COMPARE(int(presenceOf(*watcher.client, user.id).state()), expected);
}

void TestPresence::privacyDecidesWhoSees_data()
{
    QTest::addColumn<int>("audience");
    QTest::addColumn<bool>("friends");
    QTest::addColumn<bool>("visible");

    QTest::newRow("everyone, friend") << int(proto::AUDIENCE_EVERYONE) << true << true;
    QTest::newRow("everyone, stranger") << int(proto::AUDIENCE_EVERYONE) << false << true;
    QTest::newRow("friends, friend") << int(proto::AUDIENCE_FRIENDS) << true << true;
    QTest::newRow("friends, stranger") << int(proto::AUDIENCE_FRIENDS) << false << false;
    QTest::newRow("nobody, friend") << int(proto::AUDIENCE_NOBODY) << true << false;
    QTest::newRow("nobody, stranger") << int(proto::AUDIENCE_NOBODY) << false << false;
}

void TestPresence::privacyDecidesWhoSees()
{
    QFETCH(int, audience);
    QFETCH(bool, friends);
    QFETCH(bool, visible);
    static int row = 0;
    ++row;
    User subject = registerUser(QStringLiteral("subject%1").arg(row));
    User viewer = registerUser(QStringLiteral("viewer%1").arg(row));
    User sentinel = registerUser(QStringLiteral("sentinel%1").arg(row));
    makeFriends(sentinel, viewer);
    if (friends)
        makeFriends(subject, viewer);
    QVERIFY(setPresenceVisibleTo(subject, proto::Audience(audience)).has_my_profile());
    // Subject is published online (as it sees itself) before the viewer looks.
    QTRY_COMPARE(presenceOf(*subject.client, subject.id).state(), kOnline);

    // The list on authentication holds friends only, hidden ones as offline, never seen.
    auto viewerPhone = logIn(viewer, QStringLiteral("viewer-phone"));
    QVERIFY(viewerPhone);
    const auto list = initialList(*viewerPhone);
    QVERIFY(list);
    std::optional<proto::UserPresence> listed;
    for (const proto::UserPresence &presence : list->presences()) {
        if (presence.user_id() == subject.id)
            listed = presence;
    }
    QCOMPARE(listed.has_value(), friends);
    if (listed) {
        QCOMPARE(listed->state(), visible ? kOnline : kOffline);
        QCOMPARE(listed->last_seen_at_ms(), 0);
    }

    // Asking: hidden looks like offline with no last-seen time.
    QCOMPARE(presenceOf(*viewerPhone, subject.id).state(), visible ? kOnline : kOffline);

    // A change: pushed to friends who may see it, to nobody else.
    QCOMPARE(setFlags(*subject.client, true, false).set_presence_result().state(), kAway);
    QTRY_COMPARE(presenceOf(*subject.client, subject.id).state(), kAway); // published
    QCOMPARE(setFlags(*sentinel.client, true, false).set_presence_result().state(), kAway);
    // Counted on the device that logged in after everything above had settled.
    bool sentinelSeen = false;
    const auto pushed = changesUntil(*viewerPhone, subject.id, sentinel.id, &sentinelSeen);
    QVERIFY(sentinelSeen);
    QCOMPARE(pushed.size(), visible && friends ? 1 : 0);
    if (!pushed.isEmpty())
        QCOMPARE(pushed.first().state(), kAway);
    const proto::UserPresence asked = presenceOf(*viewerPhone, subject.id);
    QCOMPARE(asked.state(), visible ? kAway : kOffline);
    QCOMPARE(asked.last_seen_at_ms(), 0);
}

void TestPresence::blockedViewerSeesNothing()
{
    User nell = registerUser(QStringLiteral("nell"));
    User owen = registerUser(QStringLiteral("owen")); // blocked by Nell
    User pam = registerUser(QStringLiteral("pam")); // Nell's friend, not blocked
    User rex = registerUser(QStringLiteral("rex")); // Owen's friend: the sentinel
    makeFriends(nell, owen);
    makeFriends(nell, pam);
    makeFriends(rex, owen);
    QVERIFY(setPresenceVisibleTo(nell, proto::AUDIENCE_EVERYONE).has_my_profile());
    QTRY_COMPARE(presenceOf(*owen.client, nell.id).state(), kOnline);
    proto::Frame block;
    block.mutable_block_user()->set_user_id(owen.id);
    QVERIFY(nell.client->request(block).contact().blocked());

    // Whatever her privacy setting says, the blocked friend sees her as offline, never seen.
    const proto::UserPresence asked = presenceOf(*owen.client, nell.id);
    QCOMPARE(asked.state(), kOffline);
    QCOMPARE(asked.last_seen_at_ms(), 0);
    auto owenPhone = logIn(owen, QStringLiteral("owen-phone"));
    QVERIFY(owenPhone);
    const auto list = initialList(*owenPhone);
    QVERIFY(list);
    bool listed = false;
    for (const proto::UserPresence &presence : list->presences()) {
        if (presence.user_id() == nell.id) {
            listed = true;
            QCOMPARE(presence.state(), kOffline);
            QCOMPARE(presence.last_seen_at_ms(), 0);
        }
    }
    QVERIFY(listed);

    // Her changes reach Pam, not Owen.
    QCOMPARE(setFlags(*nell.client, true, false).set_presence_result().state(), kAway);
    // (Her privacy change above was pushed to her friends too: wait for the word on AWAY.)
    QVERIFY(waitForState(*pam.client, nell.id, kAway));
    QVERIFY(setFlags(*rex.client, true, false).has_set_presence_result());
    bool sentinelSeen = false;
    QCOMPARE(changesUntil(*owenPhone, nell.id, rex.id, &sentinelSeen).size(), 0);
    QVERIFY(sentinelSeen);
    QCOMPARE(presenceOf(*owen.client, nell.id).state(), kOffline);
}

void TestPresence::audienceChangesArePushedAtOnce()
{
    User vera = registerUser(QStringLiteral("vera"));
    User walt = registerUser(QStringLiteral("walt"));
    // Becoming friends: each sees the other at once (default privacy: friends).
    proto::Frame send;
    send.mutable_send_friend_request()->set_user_id(walt.id);
    const quint64 requestId =
        vera.client->request(send).friend_request_result().request().request_id();
    proto::Frame accept;
    accept.mutable_answer_friend_request()->set_request_id(requestId);
    accept.mutable_answer_friend_request()->set_accept(true);
    QVERIFY(walt.client->request(accept).friend_request_result().contact().is_friend());
    auto seen = nextChangeOf(*walt.client, vera.id);
    QVERIFY(seen);
    QCOMPARE(seen->state(), kOnline);
    seen = nextChangeOf(*vera.client, walt.id);
    QVERIFY(seen);
    QCOMPARE(seen->state(), kOnline);

    // A block hides her from him at once; lifting it shows her again.
    proto::Frame block;
    block.mutable_block_user()->set_user_id(walt.id);
    QVERIFY(vera.client->request(block).contact().blocked());
    seen = nextChangeOf(*walt.client, vera.id);
    QVERIFY(seen);
    QCOMPARE(seen->state(), kOffline);
    QCOMPARE(seen->last_seen_at_ms(), 0);
    proto::Frame unblock;
    unblock.mutable_unblock_user()->set_user_id(walt.id);
    QVERIFY(!vera.client->request(unblock).contact().blocked());
    seen = nextChangeOf(*walt.client, vera.id);
    QVERIFY(seen);
    QCOMPARE(seen->state(), kOnline);

    // So does her privacy setting.
    QVERIFY(setPresenceVisibleTo(vera, proto::AUDIENCE_NOBODY).has_my_profile());
    seen = nextChangeOf(*walt.client, vera.id);
    QVERIFY(seen);
    QCOMPARE(seen->state(), kOffline);
    QVERIFY(setPresenceVisibleTo(vera, proto::AUDIENCE_FRIENDS).has_my_profile());
    seen = nextChangeOf(*walt.client, vera.id);
    QVERIFY(seen);
    QCOMPARE(seen->state(), kOnline);

    // Ending the friendship hides each from the other.
    proto::Frame remove;
    remove.mutable_remove_friend()->set_user_id(vera.id);
    QVERIFY(walt.client->request(remove).has_contact());
    seen = nextChangeOf(*walt.client, vera.id);
    QVERIFY(seen);
    QCOMPARE(seen->state(), kOffline);
    QCOMPARE(seen->last_seen_at_ms(), 0);
    // (Vera also heard of Walt at each of her block changes: wait for the last word.)
    QVERIFY(waitForState(*vera.client, walt.id, kOffline));
    QCOMPARE(presenceOf(*vera.client, walt.id).last_seen_at_ms(), 0);
}

void TestPresence::flappingIsCoalesced_data()
{
    QTest::addColumn<bool>("endOnline");
    QTest::newRow("ends online") << true;
    QTest::newRow("ends offline") << false;
}

void TestPresence::flappingIsCoalesced()
{
    QFETCH(bool, endOnline);
    const QString suffix = endOnline ? QStringLiteral("on") : QStringLiteral("off");
    User nora = registerUser(QStringLiteral("nora") + suffix, m_flappy.get());
    User otto = registerUser(QStringLiteral("otto") + suffix, m_flappy.get());
    User tess = registerUser(QStringLiteral("tess") + suffix, m_flappy.get()); // sentinel
    makeFriends(nora, otto);
    makeFriends(tess, otto);
    nora.client.reset();
    const auto left = waitForState(*otto.client, nora.id, kOffline);
    QVERIFY(left);

    // Four quick reconnects, well within one coalescing window; the last stays if endOnline.
    std::unique_ptr<TestClient> device;
    for (int i = 0; i < 4; ++i) {
        device = logIn(nora, QStringLiteral("nora-phone"), m_flappy.get());
        QVERIFY(device);
        if (i < 3 || !endOnline)
            device.reset();
    }
    const auto expected = endOnline ? kOnline : kOffline;
    QTRY_COMPARE_WITH_TIMEOUT(presenceOf(*otto.client, nora.id).state(), expected,
                              4 * kFlappyCoalesceMs);
    // Any push about Nora has arrived once one about Tess, who changed after, arrives.
    QCOMPARE(setFlags(*tess.client, true, false).set_presence_result().state(), kAway);
    bool sentinelSeen = false;
    const auto pushed =
        changesUntil(*otto.client, nora.id, tess.id, &sentinelSeen, 6 * kFlappyCoalesceMs);
    QVERIFY(sentinelSeen);
    QVERIFY2(pushed.size() <= 2, qPrintable(QString::number(pushed.size())));
    if (endOnline)
        QVERIFY(!pushed.isEmpty()); // she did come online
    if (!pushed.isEmpty())
        QCOMPARE(pushed.last().state(), expected);
    const proto::UserPresence final = presenceOf(*otto.client, nora.id);
    QCOMPARE(final.state(), expected);
    // Never seen online in between: her last-seen time is still the one from before.
    if (!endOnline)
        QCOMPARE(final.last_seen_at_ms(), left->last_seen_at_ms());
}

void TestPresence::silentDeviceGoesOfflineAfterIdleTimeout()
{
    User pia = registerUser(QStringLiteral("pia"));
    User quinn = registerUser(QStringLiteral("quinn"));
    makeFriends(pia, quinn);
    pia.client.reset();
    auto change = waitForState(*quinn.client, pia.id, kOffline);
    QVERIFY(change);

    SilentDevice silent;
    const QString error = silent.logIn(m_ternd->url(), pia.name, QStringLiteral("pia-silent"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    change = nextChangeOf(*quinn.client, pia.id);
    QVERIFY(change);
    QCOMPARE(change->state(), kOnline);

    // It never answers a ping: the idle timeout drops it and Pia goes offline, with a
    // last-seen time from when the server gave up on the device, not before.
    change = nextChangeOf(*quinn.client, pia.id);
    QVERIFY(change);
    QCOMPARE(change->state(), kOffline);
    // (Qt's coarse timers may fire up to 5% early, hence 90%.)
    QVERIFY2(change->last_seen_at_ms() >= silent.loginSentAtMs() + kIdleTimeoutMs * 9 / 10,
             qPrintable(QString::number(change->last_seen_at_ms() - silent.loginSentAtMs())));
    QCOMPARE(presenceOf(*quinn.client, pia.id).last_seen_at_ms(), change->last_seen_at_ms());
    QTRY_COMPARE_WITH_TIMEOUT(silent.state(), QAbstractSocket::UnconnectedState, 15000);
    QVERIFY(quinn.client->isOpen()); // a healthy, quiet client is not dropped
}

void TestPresence::lastSeenStoredAtShutdown()
{
    // Users still online when ternd stops get the time it stopped as their last-seen time.
    TerndProcess stopping;
    const QString started = stopping.startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
    User wes = registerUser(QStringLiteral("wes"), &stopping);
    QVERIFY(setPresenceVisibleTo(wes, proto::AUDIENCE_EVERYONE).has_my_profile());
    QCOMPARE(presenceOf(*wes.client, wes.id).state(), kOnline);
    User yan = registerUser(QStringLiteral("yan")); // on the other ternd
    QCOMPARE(presenceOf(*yan.client, wes.id).last_seen_at_ms(), 0);

    const qint64 before = nowMs();
    QCOMPARE(stopping.terminate(), 0);
    const qint64 after = nowMs();
    const proto::UserPresence seen = presenceOf(*yan.client, wes.id);
    QCOMPARE(seen.state(), kOffline);
    QVERIFY2(seen.last_seen_at_ms() >= before && seen.last_seen_at_ms() <= after,
             qPrintable(QString::number(seen.last_seen_at_ms() - before)));
    QVERIFY2(stopping.output().contains(QLatin1String("last-seen times stored at shutdown: 1")),
             qPrintable(stopping.output()));
}

void TestPresence::queryLimitsAndUnknownUsers()
{
    User uma = registerUser(QStringLiteral("uma"));
    User vic = registerUser(QStringLiteral("vic"));
    makeFriends(uma, vic);
    QTRY_COMPARE(presenceOf(*uma.client, vic.id).state(), kOnline);

    // Distinct ids in the order asked; unknown ids look like hidden ones; oneself is visible.
    const quint64 unknown = vic.id + 1000000;
    const proto::Frame answer =
        getPresence(*uma.client, {vic.id, unknown, vic.id, 0, uma.id, ~quint64(0)});
    QVERIFY2(answer.has_presence_list(), answer.DebugString().c_str());
    const auto &presences = answer.presence_list().presences();
    QCOMPARE(presences.size(), 5);
    const QList<quint64> order {vic.id, unknown, 0, uma.id, ~quint64(0)};
    const QList<proto::PresenceState> states {kOnline, kOffline, kOffline, kOnline, kOffline};
    for (int i = 0; i < presences.size(); ++i) {
        QCOMPARE(presences.Get(i).user_id(), order.at(i));
        QCOMPARE(presences.Get(i).state(), states.at(i));
        QCOMPARE(presences.Get(i).last_seen_at_ms(), 0);
    }
    QCOMPARE(getPresence(*uma.client, {}).presence_list().presences_size(), 0);

    QList<quint64> ids;
    for (quint64 i = 1; i <= 500; ++i)
        ids.append(unknown + i);
    QCOMPARE(getPresence(*uma.client, ids).presence_list().presences_size(), 500);
    ids.append(vic.id);
    const proto::Frame tooMany = getPresence(*uma.client, ids);
    QCOMPARE(errorCode(tooMany), proto::ERROR_CODE_INVALID_ARGUMENT);
    QVERIFY(QString::fromStdString(tooMany.error().message()).contains(QLatin1String("500")));
}

void TestPresence::requestsNeedAuthentication_data()
{
    QTest::addColumn<bool>("set");
    QTest::newRow("SetPresence") << true;
    QTest::newRow("GetPresence") << false;
}

void TestPresence::requestsNeedAuthentication()
{
    QFETCH(bool, set);
    TestClient anonymous;
    QVERIFY(anonymous.open(m_ternd->url()));
    QVERIFY(anonymous.hello().has_welcome());
    const proto::Frame answer =
        set ? setFlags(anonymous, true, false) : getPresence(anonymous, {1});
    QCOMPARE(errorCode(answer), proto::ERROR_CODE_NOT_AUTHENTICATED);
}

QTEST_GUILESS_MAIN(TestPresence)
#include "tst_presence.moc"
