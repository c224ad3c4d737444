// SPDX-License-Identifier: Apache-2.0
// The user's own status (OwnPresence) against a real ternd and PostgreSQL, as a friend's
// libternclient sees it: Away, Invisible (offline) and back to Online; away by itself while
// idle, only while the choice is Online; the choice kept across an app restart and sent
// again when a dropped connection resumes, so that the friend never sees the user online.
//
// That the friend did NOT see a change is proved without sleeping, as tst_presence does: ternd
// publishes users in the order their coalescing windows opened, so once the friend has heard
// of a sentinel user who changed later, any push about the user would already have arrived.
#include "account.h"
#include "clientfixture.h"

#include "support/testusers.h"

#include <QTest>

#include <algorithm>
#include <memory>
#include <vector>

using namespace tern;
using namespace tern::client;

namespace {

constexpr auto kOnline = proto::PRESENCE_STATE_ONLINE;
constexpr auto kAway = proto::PRESENCE_STATE_AWAY;
constexpr auto kOffline = proto::PRESENCE_STATE_OFFLINE;
// ternd's coalescing window, set here rather than left to its default: a restart or a
// reconnect followed by the flags must fit into one window for the friend to see no change.
constexpr int kCoalesceMs = 2000;
constexpr int kTimeoutMs = 4 * kCoalesceMs + 5000;

int choice(OwnPresence::Choice c)
{
    return int(c);
}

} // namespace

class tst_ClientPresence : public QObject
{
    Q_OBJECT

    ClientFixture m_fx;

    // Alice (the app under test) and Bob (her friend, watching) as libternclient accounts;
    // Carol, Bob's friend over the raw protocol, is the sentinel.
    struct Friends
    {
        QString aliceName;
        std::unique_ptr<Account> alice;
        std::unique_ptr<Account> bob;
        TestUser carol;
        bool carolAway = false;
    };

    std::unique_ptr<Friends> friends()
    {
        auto f = std::make_unique<Friends>();
        f->aliceName = m_fx.nextName("alice");
        f->alice = m_fx.registered(f->aliceName, QStringLiteral("alice-desktop"));
        const QString bobName = m_fx.nextName("bob");
        f->bob = m_fx.registered(bobName, QStringLiteral("bob-desktop"));
        f->carol = registerTestUser(m_fx.url, m_fx.nextName("carol"), ClientFixture::kPassword);
        if (!f->alice || !f->bob || !f->carol.id)
            return nullptr;
        // Friends through devices of their own, closed again: another connected device of
        // Alice's would keep her online whatever the app says.
        TestUser aliceRaw {nullptr, f->alice->userId(), f->aliceName, ClientFixture::kPassword};
        TestUser bobRaw {nullptr, f->bob->userId(), bobName, ClientFixture::kPassword};
        aliceRaw.client = loginDevice(m_fx.url, aliceRaw, QStringLiteral("alice-raw"));
        bobRaw.client = loginDevice(m_fx.url, bobRaw, QStringLiteral("bob-raw"));
        if (!aliceRaw.client || !bobRaw.client || !befriend(aliceRaw, bobRaw)
            || !befriend(f->carol, bobRaw))
            return nullptr;
        aliceRaw.client.reset();
        bobRaw.client.reset();
        // Friends see each other's presence by default (presence_visible_to FRIENDS).
        const quint64 alice = f->alice->userId();
        const quint64 carol = f->carol.id;
        Account &bob = *f->bob;
        if (!QTest::qWaitFor(
                [&] { return seen(bob, alice) == kOnline && seen(bob, carol) == kOnline; },
                kTimeoutMs))
            return nullptr;
        return f;
    }

    static proto::PresenceState seen(Account &viewer, quint64 userId)
    {
        return viewer.presence().presence(userId).state();
    }

    // Carol changes, and Bob hears of it: by then Bob has every push about Alice whose
    // coalescing window opened before.
    static bool throughSentinel(Friends &f)
    {
        f.carolAway = !f.carolAway;
        proto::Frame flags;
        flags.mutable_set_presence()->set_away(f.carolAway);
        if (!f.carol.client->request(flags).has_set_presence_result())
            return false;
        const auto expected = f.carolAway ? kAway : kOnline;
        const quint64 carol = f.carol.id;
        Account &bob = *f.bob;
        return QTest::qWaitFor([&] { return seen(bob, carol) == expected; }, kTimeoutMs);
    }

    // Every state of `userId` that `viewer` learns of from now on, in order.
    static std::shared_ptr<std::vector<proto::PresenceState>>
    record(Account &viewer, quint64 userId, QObject *context)
    {
        auto states = std::make_shared<std::vector<proto::PresenceState>>();
        connect(&viewer.presence(), &PresenceTracker::changed, context,
                [&viewer, userId, states](const std::vector<quint64> &ids) {
                    if (std::find(ids.begin(), ids.end(), userId) != ids.end())
                        states->push_back(seen(viewer, userId));
                });
        return states;
    }

    // What the server answered to the account's flags from now on, in order.
    static std::shared_ptr<std::vector<proto::PresenceState>> answers(Account &account,
                                                                      QObject *context)
    {
        auto states = std::make_shared<std::vector<proto::PresenceState>>();
        connect(&account.ownPresence(), &OwnPresence::applied, context,
                [states](proto::PresenceState state) { states->push_back(state); });
        return states;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fx.terndEnvironment.insert(QStringLiteral("TERN_PRESENCE_COALESCE_MS"),
                                     QString::number(kCoalesceMs));
        const QString error = m_fx.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    // The three choices as the friend sees them, each sent at once.
    void friendSeesTheChosenStatus()
    {
        auto f = friends();
        QVERIFY(f);
        Account &alice = *f->alice;
        Account &bob = *f->bob;
        const quint64 aliceId = alice.userId();
        QCOMPARE(alice.presenceChoice(), choice(OwnPresence::Choice::Automatic));

        alice.setPresenceChoice(choice(OwnPresence::Choice::Away));
        QCOMPARE(alice.presenceChoice(), choice(OwnPresence::Choice::Away));
        QTRY_COMPARE_WITH_TIMEOUT(seen(bob, aliceId), kAway, kTimeoutMs);

        alice.setPresenceChoice(choice(OwnPresence::Choice::Invisible));
        QTRY_COMPARE_WITH_TIMEOUT(seen(bob, aliceId), kOffline, kTimeoutMs);

        alice.setPresenceChoice(choice(OwnPresence::Choice::Automatic));
        QTRY_COMPARE_WITH_TIMEOUT(seen(bob, aliceId), kOnline, kTimeoutMs);

        alice.setPresenceChoice(7); // not a choice: ignored
        QCOMPARE(alice.presenceChoice(), choice(OwnPresence::Choice::Automatic));
    }

    // Idle (IdleWatcher, through AccountManager in the app) is away while the choice is
    // Online; while invisible it changes nothing, and counts again once Online is chosen.
    void idleIsAwayOnlyWhileOnline()
    {
        auto f = friends();
        QVERIFY(f);
        Account &alice = *f->alice;
        Account &bob = *f->bob;
        const quint64 aliceId = alice.userId();

        alice.setIdle(true);
        QTRY_COMPARE_WITH_TIMEOUT(seen(bob, aliceId), kAway, kTimeoutMs);
        alice.setIdle(false);
        QTRY_COMPARE_WITH_TIMEOUT(seen(bob, aliceId), kOnline, kTimeoutMs);

        alice.setPresenceChoice(choice(OwnPresence::Choice::Invisible));
        QTRY_COMPARE_WITH_TIMEOUT(seen(bob, aliceId), kOffline, kTimeoutMs);
        alice.setIdle(true);
        QVERIFY(!alice.ownPresence().away());
        QVERIFY(alice.ownPresence().invisible());
        alice.setPresenceChoice(choice(OwnPresence::Choice::Automatic));
        QTRY_COMPARE_WITH_TIMEOUT(seen(bob, aliceId), kAway, kTimeoutMs);

        // Chosen Away, input does not bring her back.
        alice.setPresenceChoice(choice(OwnPresence::Choice::Away));
        alice.setIdle(false);
        QVERIFY(alice.ownPresence().away());
        const auto states = record(bob, aliceId, this);
        QVERIFY(throughSentinel(*f));
        QCOMPARE(seen(bob, aliceId), kAway);
        QVERIFY(states->empty());
    }

    // The server forgets the flags with the connection: a dropped connection that resumes,
    // and an app restart, send the choice again before the friend ever sees Alice online.
    void choiceOutlivesReconnectsAndRestarts()
    {
        auto f = friends();
        QVERIFY(f);
        const quint64 aliceId = f->alice->userId();
        Account &bob = *f->bob;
        f->alice->setPresenceChoice(choice(OwnPresence::Choice::Away));
        QTRY_COMPARE_WITH_TIMEOUT(seen(bob, aliceId), kAway, kTimeoutMs);
        const auto states = record(bob, aliceId, this);

        // A dropped connection.
        {
            const auto taken = answers(*f->alice, this);
            f->alice->connection().abortConnection();
            QTRY_VERIFY_WITH_TIMEOUT(!taken->empty(), kTimeoutMs); // resumed, and said so again
            QCOMPARE(taken->back(), kAway);
            QCOMPARE(f->alice->status(), Account::Status::Online);
        }
        QVERIFY(throughSentinel(*f));
        QCOMPARE(seen(bob, aliceId), kAway);
        QVERIFY2(std::find(states->begin(), states->end(), kOnline) == states->end(),
                 "the friend saw Alice online after her connection dropped");

        // The app quits and starts again: the choice comes from the account's cache.
        f->alice.reset();
        f->alice = m_fx.makeAccount(f->aliceName, QStringLiteral("alice-desktop"));
        const auto taken = answers(*f->alice, this);
        QVERIFY(f->alice->open());
        QCOMPARE(f->alice->presenceChoice(), choice(OwnPresence::Choice::Away));
        QTRY_VERIFY_WITH_TIMEOUT(!taken->empty(), kTimeoutMs);
        QCOMPARE(taken->back(), kAway);
        QVERIFY(throughSentinel(*f));
        QCOMPARE(seen(bob, aliceId), kAway);
        QVERIFY2(std::find(states->begin(), states->end(), kOnline) == states->end(),
                 "the friend saw Alice online after the app restarted");
    }

    void cleanupTestCase()
    {
        if (m_fx.ternd)
            QCOMPARE(m_fx.ternd->terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_ClientPresence)
#include "tst_clientpresence.moc"
