// SPDX-License-Identifier: Apache-2.0
// Friend requests, friendships, remarks and tags, blocks, and contact sync, against a real
// ternd and PostgreSQL, observed on several devices.
#include "support/pgfixture.h"
#include "support/terndprocess.h"
#include "support/testclient.h"
#include "support/testusers.h"

#include <QTest>

#include <memory>

using namespace tern;

namespace {
const QString kPassword = QStringLiteral("contacts password");
using State = proto::FriendRequest;
} // namespace

class TestContacts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void requestAcceptedOnEveryDevice();
    void duplicateRequestIsIdempotent();
    void crossedRequestsBecomeFriendsAtOnce();
    void declineAndCancel();
    void forbiddenAndBadRequests();
    void remarkAndTagsArePrivate();
    void removeFriendUpdatesBothSides();
    void blockIsSilentAndWithdrawsRequests();
    void offlineDeviceCatchesUpFromItsCursor();
    void requestsExpire();
    void listContactsInPages();
    void hiddenUsersCannotBecomeContacts();
    void waitingRequestsAreCapped();

private:
    using User = TestUser;
    User registerUser(const QString &name, TerndProcess *ternd = nullptr)
    {
        return registerTestUser((ternd ? ternd : m_ternd.get())->url(), name, kPassword);
    }
    std::unique_ptr<TestClient> secondDevice(const User &user, const QString &device)
    {
        return loginDevice(m_ternd->url(), user, device);
    }
    proto::Frame sendRequest(User &from, const User &to, const std::string &greeting = {});
    proto::Frame answer(User &user, quint64 requestId, bool accept);
    proto::Frame listRequests(User &user);
    proto::Frame sync(TestClient &client, quint64 since, quint32 limit = 0);
    proto::Frame listContacts(User &user, quint64 after, quint32 limit);
    proto::Frame setRemark(User &user, quint64 peer, const std::string &remark);
    // The next ContactsChanged push, skipping nothing else.
    std::optional<proto::ContactsChanged> nextChange(TestClient &client);

    PgFixture m_pg;
    std::unique_ptr<TerndProcess> m_ternd;
};

proto::Frame TestContacts::sendRequest(User &from, const User &to, const std::string &greeting)
{
    proto::Frame frame;
    frame.mutable_send_friend_request()->set_user_id(to.id);
    frame.mutable_send_friend_request()->set_greeting(greeting);
    return from.client->request(frame);
}

proto::Frame TestContacts::answer(User &user, quint64 requestId, bool accept)
{
    proto::Frame frame;
    frame.mutable_answer_friend_request()->set_request_id(requestId);
    frame.mutable_answer_friend_request()->set_accept(accept);
    return user.client->request(frame);
}

proto::Frame TestContacts::listRequests(User &user)
{
    proto::Frame frame;
    frame.mutable_list_friend_requests();
    return user.client->request(frame);
}

proto::Frame TestContacts::sync(TestClient &client, quint64 since, quint32 limit)
{
    proto::Frame frame;
    frame.mutable_sync_contacts()->set_since_version(since);
    frame.mutable_sync_contacts()->set_limit(limit);
    return client.request(frame);
}

proto::Frame TestContacts::listContacts(User &user, quint64 after, quint32 limit)
{
    proto::Frame frame;
    frame.mutable_list_contacts()->set_after_user_id(after);
    frame.mutable_list_contacts()->set_limit(limit);
    return user.client->request(frame);
}

proto::Frame TestContacts::setRemark(User &user, quint64 peer, const std::string &remark)
{
    proto::Frame frame;
    frame.mutable_update_contact()->set_user_id(peer);
    frame.mutable_update_contact()->set_remark(remark);
    return user.client->request(frame);
}

std::optional<proto::ContactsChanged> TestContacts::nextChange(TestClient &client)
{
    const auto frame = client.nextPush(proto::Frame::kContactsChanged);
    if (!frame)
        return std::nullopt;
    return frame->contacts_changed();
}

void TestContacts::initTestCase()
{
    const QString error = m_pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_ternd = std::make_unique<TerndProcess>();
    const QString started = m_ternd->startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
}

void TestContacts::cleanupTestCase()
{
    QCOMPARE(m_ternd->terminate(), 0);
}

void TestContacts::requestAcceptedOnEveryDevice()
{
    User alice = registerUser(QStringLiteral("alice"));
    User bob = registerUser(QStringLiteral("bob"));
    auto bobPhone = secondDevice(bob, QStringLiteral("bob-phone"));
    auto alicePhone = secondDevice(alice, QStringLiteral("alice-phone"));
    QVERIFY(bobPhone && alicePhone);

    const proto::Frame sent = sendRequest(alice, bob, "hi, it's Alice 你好");
    QVERIFY2(sent.has_friend_request_result(), sent.DebugString().c_str());
    const proto::FriendRequest request = sent.friend_request_result().request();
    QCOMPARE(request.state(), State::STATE_PENDING);
    QCOMPARE(request.from_user_id(), alice.id);
    QCOMPARE(request.to_user_id(), bob.id);
    QCOMPARE(request.peer().user_id(), bob.id);
    QVERIFY(request.expires_at_ms() > request.created_at_ms());
    QVERIFY(!sent.friend_request_result().has_contact());

    // Both of Bob's devices hear of it, with Alice as the peer.
    for (TestClient *device : {bob.client.get(), bobPhone.get()}) {
        const auto change = nextChange(*device);
        QVERIFY(change);
        QCOMPARE(change->requests_size(), 1);
        QCOMPARE(change->requests(0).peer().username(), std::string("alice"));
        QCOMPARE(QString::fromStdString(change->requests(0).greeting()),
                 QStringLiteral("hi, it's Alice 你好"));
    }
    QCOMPARE(listRequests(bob).friend_request_list().incoming_size(), 1);
    QCOMPARE(listRequests(alice).friend_request_list().outgoing_size(), 1);
    QVERIFY(nextChange(*alice.client)); // the sender's devices too
    QVERIFY(nextChange(*alicePhone));

    const proto::Frame accepted = answer(bob, request.request_id(), true);
    QVERIFY2(accepted.has_friend_request_result(), accepted.DebugString().c_str());
    QCOMPARE(accepted.friend_request_result().request().state(), State::STATE_ACCEPTED);
    QVERIFY(accepted.friend_request_result().contact().is_friend());
    QVERIFY(accepted.friend_request_result().contact().friends_since_ms() > 0);

    // Every device of both users is told they are friends now.
    for (TestClient *device :
         {alice.client.get(), alicePhone.get(), bob.client.get(), bobPhone.get()}) {
        const auto change = nextChange(*device);
        QVERIFY(change);
        QCOMPARE(change->contacts_size(), 1);
        QVERIFY(change->contacts(0).is_friend());
        QCOMPARE(change->requests(0).state(), State::STATE_ACCEPTED);
    }
    QCOMPARE(listRequests(bob).friend_request_list().incoming_size(), 0);
    proto::Frame list;
    list.mutable_list_contacts();
    const proto::Frame contacts = alice.client->request(list);
    QCOMPARE(contacts.contact_list().contacts_size(), 1);
    QCOMPARE(contacts.contact_list().contacts(0).user_id(), bob.id);
    QVERIFY(contacts.contact_list().version() > 0);
    // Answering again: it is no longer pending.
    QCOMPARE(errorCode(answer(bob, request.request_id(), true)), proto::ERROR_CODE_CONFLICT);
    // Asking a friend again changes nothing and says so.
    QVERIFY(sendRequest(alice, bob).friend_request_result().contact().is_friend());
}

void TestContacts::duplicateRequestIsIdempotent()
{
    User carl = registerUser(QStringLiteral("carl"));
    User dina = registerUser(QStringLiteral("dina"));
    const proto::Frame first = sendRequest(carl, dina, "first");
    const proto::Frame second = sendRequest(carl, dina, "second");
    QCOMPARE(second.friend_request_result().request().request_id(),
             first.friend_request_result().request().request_id());
    QCOMPARE(second.friend_request_result().request().greeting(), std::string("first"));
    QCOMPARE(listRequests(dina).friend_request_list().incoming_size(), 1);
}

void TestContacts::crossedRequestsBecomeFriendsAtOnce()
{
    User erik = registerUser(QStringLiteral("erik"));
    User fay = registerUser(QStringLiteral("fay"));
    const proto::Frame asked = sendRequest(erik, fay);
    QCOMPARE(asked.friend_request_result().request().state(), State::STATE_PENDING);
    const proto::Frame crossed = sendRequest(fay, erik);
    QVERIFY2(crossed.friend_request_result().contact().is_friend(), crossed.DebugString().c_str());
    QCOMPARE(crossed.friend_request_result().request().request_id(),
             asked.friend_request_result().request().request_id());
    QCOMPARE(crossed.friend_request_result().request().state(), State::STATE_ACCEPTED);
    QCOMPARE(listRequests(erik).friend_request_list().outgoing_size(), 0);
}

void TestContacts::declineAndCancel()
{
    User gil = registerUser(QStringLiteral("gil"));
    User hana = registerUser(QStringLiteral("hana"));
    const quint64 first = sendRequest(gil, hana).friend_request_result().request().request_id();
    const proto::Frame declined = answer(hana, first, false);
    QCOMPARE(declined.friend_request_result().request().state(), State::STATE_DECLINED);
    QVERIFY(!declined.friend_request_result().has_contact());

    // A declined request does not stop a new one; the sender may withdraw it.
    const quint64 second = sendRequest(gil, hana).friend_request_result().request().request_id();
    QVERIFY(second != first);
    proto::Frame cancel;
    cancel.mutable_cancel_friend_request()->set_request_id(second);
    // Only the sender can cancel it, only the recipient can answer it.
    QCOMPARE(errorCode(hana.client->request(cancel)), proto::ERROR_CODE_NOT_FOUND);
    QCOMPARE(errorCode(answer(gil, second, true)), proto::ERROR_CODE_NOT_FOUND);
    const proto::Frame cancelled = gil.client->request(cancel);
    QCOMPARE(cancelled.friend_request_result().request().state(), State::STATE_CANCELLED);
    QCOMPARE(errorCode(gil.client->request(cancel)), proto::ERROR_CODE_CONFLICT);
    QCOMPARE(listRequests(hana).friend_request_list().incoming_size(), 0);
}

void TestContacts::forbiddenAndBadRequests()
{
    User ivy = registerUser(QStringLiteral("ivy"));
    User jon = registerUser(QStringLiteral("jon"));
    proto::Frame self;
    self.mutable_send_friend_request()->set_user_id(ivy.id);
    QCOMPARE(errorCode(ivy.client->request(self)), proto::ERROR_CODE_INVALID_ARGUMENT);
    proto::Frame unknown;
    unknown.mutable_send_friend_request()->set_user_id(987654321);
    const proto::Frame noUser = ivy.client->request(unknown);
    QCOMPARE(errorCode(noUser), proto::ERROR_CODE_NOT_FOUND);
    QCOMPARE(noUser.error().reason(), std::string("contacts/no_user"));
    unknown.mutable_send_friend_request()->set_user_id(0);
    QCOMPARE(ivy.client->request(unknown).error().reason(), std::string("contacts/no_user"));
    QCOMPARE(errorCode(sendRequest(ivy, jon, std::string(201, 'g'))),
             proto::ERROR_CODE_INVALID_ARGUMENT);
    const proto::Frame noRequest = answer(ivy, 123456789, true);
    QCOMPARE(errorCode(noRequest), proto::ERROR_CODE_NOT_FOUND);
    QCOMPARE(noRequest.error().reason(), std::string("contacts/no_request"));
    proto::Frame remove;
    remove.mutable_remove_friend()->set_user_id(jon.id);
    QCOMPARE(errorCode(ivy.client->request(remove)), proto::ERROR_CODE_NOT_FOUND);
    QCOMPARE(errorCode(sync(*ivy.client, 0, 501)), proto::ERROR_CODE_INVALID_ARGUMENT);
    // Nothing was created by the refusals.
    QCOMPARE(listRequests(jon).friend_request_list().incoming_size(), 0);
}

void TestContacts::remarkAndTagsArePrivate()
{
    User kim = registerUser(QStringLiteral("kim"));
    User lee = registerUser(QStringLiteral("lee"));
    auto kimPhone = secondDevice(kim, QStringLiteral("kim-phone"));
    QVERIFY(kimPhone);
    proto::Frame update;
    auto *u = update.mutable_update_contact();
    u->set_user_id(lee.id);
    u->set_remark("Lee from work 同事");
    u->set_replace_tags(true);
    u->add_tags("work");
    u->add_tags("同事");
    u->add_tags("work");
    const proto::Frame updated = kim.client->request(update);
    QVERIFY2(updated.has_contact(), updated.DebugString().c_str());
    QCOMPARE(QString::fromStdString(updated.contact().remark()),
             QStringLiteral("Lee from work 同事"));
    QCOMPARE(updated.contact().tags_size(), 2); // duplicates dropped
    QVERIFY(!updated.contact().is_friend());

    const auto change = nextChange(*kimPhone);
    QVERIFY(change);
    QCOMPARE(change->contacts(0).tags(1), std::string("同事"));
    // Lee is not told anything about Kim's remark or tags.
    QVERIFY(!lee.client->nextPush(proto::Frame::kContactsChanged, 500));

    proto::Frame remarkOnly;
    remarkOnly.mutable_update_contact()->set_user_id(lee.id);
    remarkOnly.mutable_update_contact()->set_remark("Lee");
    const proto::Frame kept = kim.client->request(remarkOnly);
    QCOMPARE(kept.contact().tags_size(), 2);

    proto::Frame tooMany;
    tooMany.mutable_update_contact()->set_user_id(lee.id);
    tooMany.mutable_update_contact()->set_replace_tags(true);
    for (int i = 0; i < 21; ++i)
        tooMany.mutable_update_contact()->add_tags(QStringLiteral("t%1").arg(i).toStdString());
    QCOMPARE(errorCode(kim.client->request(tooMany)), proto::ERROR_CODE_LIMIT_EXCEEDED);
    proto::Frame unknown;
    unknown.mutable_update_contact()->set_user_id(555555555);
    unknown.mutable_update_contact()->set_remark("nobody");
    QCOMPARE(errorCode(kim.client->request(unknown)), proto::ERROR_CODE_NOT_FOUND);
}

void TestContacts::removeFriendUpdatesBothSides()
{
    User mo = registerUser(QStringLiteral("moe"));
    User nia = registerUser(QStringLiteral("nia"));
    const quint64 id = sendRequest(mo, nia).friend_request_result().request().request_id();
    const proto::Frame accepted = answer(nia, id, true);
    QVERIFY2(accepted.friend_request_result().contact().is_friend(),
             accepted.DebugString().c_str());
    while (mo.client->nextPush(proto::Frame::kContactsChanged, 300)) { }
    while (nia.client->nextPush(proto::Frame::kContactsChanged, 300)) { }

    proto::Frame remove;
    remove.mutable_remove_friend()->set_user_id(nia.id);
    const proto::Frame removed = mo.client->request(remove);
    QVERIFY2(removed.has_contact(), removed.DebugString().c_str());
    QVERIFY(!removed.contact().is_friend());
    const auto change = nextChange(*nia.client);
    QVERIFY(change);
    QCOMPARE(change->contacts(0).user_id(), mo.id);
    QVERIFY(!change->contacts(0).is_friend());
}

void TestContacts::blockIsSilentAndWithdrawsRequests()
{
    User olga = registerUser(QStringLiteral("olga"));
    User pest = registerUser(QStringLiteral("pest"));
    const quint64 pending = sendRequest(pest, olga).friend_request_result().request().request_id();
    proto::Frame block;
    block.mutable_block_user()->set_user_id(pest.id);
    const proto::Frame blocked = olga.client->request(block);
    QVERIFY(blocked.contact().blocked());
    QCOMPARE(listRequests(olga).friend_request_list().incoming_size(), 0);

    // Pest's new requests fail exactly like any other refusal.
    const proto::Frame refused = sendRequest(pest, olga);
    QCOMPARE(errorCode(refused), proto::ERROR_CODE_PERMISSION_DENIED);
    QVERIFY(!QString::fromStdString(refused.error().message()).contains(QLatin1String("block")));
    QCOMPARE(refused.error().reason(), std::string("contacts/refused"));
    QCOMPARE(errorCode(answer(olga, pending, true)), proto::ERROR_CODE_CONFLICT);
    // Olga must unblock before asking Pest herself.
    const proto::Frame ownBlock = sendRequest(olga, pest);
    QCOMPARE(errorCode(ownBlock), proto::ERROR_CODE_CONFLICT);
    QCOMPARE(ownBlock.error().reason(), std::string("contacts/you_block"));

    proto::Frame unblock;
    unblock.mutable_unblock_user()->set_user_id(pest.id);
    QVERIFY(!olga.client->request(unblock).contact().blocked());
    QCOMPARE(sendRequest(pest, olga).friend_request_result().request().state(),
             State::STATE_PENDING);
}

void TestContacts::offlineDeviceCatchesUpFromItsCursor()
{
    User quinn = registerUser(QStringLiteral("quinn"));
    User rae = registerUser(QStringLiteral("rae"));
    User sol = registerUser(QStringLiteral("sol"));
    const quint64 cursor = sync(*quinn.client, 0).contact_changes().version();

    // While a device of Quinn's is away: a request arrives, one is accepted, a block happens.
    const quint64 fromRae = sendRequest(rae, quinn).friend_request_result().request().request_id();
    QVERIFY(sendRequest(quinn, sol).has_friend_request_result());
    QVERIFY(
        answer(sol, sendRequest(quinn, sol).friend_request_result().request().request_id(), true)
            .friend_request_result()
            .contact()
            .is_friend());
    Q_UNUSED(fromRae);

    auto laptop = secondDevice(quinn, QStringLiteral("quinn-laptop"));
    QVERIFY(laptop);
    // Small pages: catching up takes several calls and ends where a full sync ends.
    quint64 version = cursor;
    QSet<quint64> contacts;
    QSet<quint64> requests;
    bool more = true;
    int calls = 0;
    while (more) {
        const proto::Frame page = sync(*laptop, version, 1);
        QVERIFY2(page.has_contact_changes(), page.DebugString().c_str());
        QVERIFY(page.contact_changes().contacts_size() + page.contact_changes().requests_size()
                <= 1);
        for (const auto &c : page.contact_changes().contacts())
            contacts.insert(c.user_id());
        for (const auto &r : page.contact_changes().requests())
            requests.insert(r.request_id());
        QVERIFY(page.contact_changes().version() >= version);
        version = page.contact_changes().version();
        more = page.contact_changes().has_more();
        QVERIFY(++calls < 20);
    }
    QVERIFY(calls >= 2);
    QCOMPARE(contacts, QSet<quint64> {sol.id});
    QCOMPARE(requests.size(), 2);
    // Caught up: nothing more after the final version, and it is the current one.
    const proto::Frame after = sync(*laptop, version);
    QCOMPARE(after.contact_changes().contacts_size() + after.contact_changes().requests_size(), 0);
    QCOMPARE(after.contact_changes().version(), version);
    // Before the away period, the device had nothing to fetch from earlier versions.
    QCOMPARE(sync(*laptop, 0).contact_changes().version(), version);
}

void TestContacts::requestsExpire()
{
    TerndProcess shortLived;
    shortLived.environment().insert(QStringLiteral("TERN_FRIEND_REQUEST_LIFETIME_S"),
                                    QStringLiteral("1"));
    const QString started = shortLived.startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
    User tia = registerUser(QStringLiteral("tia"), &shortLived);
    User uma = registerUser(QStringLiteral("uma"), &shortLived);
    const quint64 id = sendRequest(tia, uma).friend_request_result().request().request_id();
    QVERIFY(id > 0);
    // The lifetime is one second: wait until the server reports it expired.
    QTRY_COMPARE_WITH_TIMEOUT(listRequests(uma).friend_request_list().incoming_size(), 0, 10000);
    QCOMPARE(errorCode(answer(uma, id, true)), proto::ERROR_CODE_CONFLICT);
    const proto::Frame history = sync(*uma.client, 0);
    QCOMPARE(history.contact_changes().requests_size(), 1);
    QCOMPARE(history.contact_changes().requests(0).state(), State::STATE_EXPIRED);
    // An expired request does not block a new one.
    const proto::Frame again = sendRequest(tia, uma);
    QCOMPARE(again.friend_request_result().request().state(), State::STATE_PENDING);
    QVERIFY(again.friend_request_result().request().request_id() != id);
    QCOMPARE(shortLived.terminate(), 0);
}

void TestContacts::listContactsInPages()
{
    User vera = registerUser(QStringLiteral("vera"));
    std::vector<User> others;
    for (const char *name : {"wynn", "xena", "yuri"})
        others.push_back(registerUser(QString::fromLatin1(name)));
    for (const User &other : others)
        QVERIFY(setRemark(vera, other.id, "r").has_contact());
    // A pending request is not a contact listed here.
    QCOMPARE(sendRequest(others.front(), vera).friend_request_result().request().state(),
             State::STATE_PENDING);

    const proto::Frame first = listContacts(vera, 0, 2);
    QVERIFY2(first.has_contact_list(), first.DebugString().c_str());
    QCOMPARE(first.contact_list().contacts_size(), 2);
    QVERIFY(first.contact_list().has_more());
    QCOMPARE(first.contact_list().contacts(0).user_id(), others.at(0).id);
    QCOMPARE(first.contact_list().contacts(1).user_id(), others.at(1).id);
    const quint64 version = first.contact_list().version();
    QVERIFY(version > 0);

    const proto::Frame second = listContacts(vera, first.contact_list().contacts(1).user_id(), 2);
    QCOMPARE(second.contact_list().contacts_size(), 1);
    QVERIFY(!second.contact_list().has_more());
    QCOMPARE(second.contact_list().contacts(0).user_id(), others.at(2).id);
    QCOMPARE(second.contact_list().contacts(0).remark(), std::string("r"));
    QCOMPARE(second.contact_list().version(), version);
    // Syncing from the listed version finds nothing the pages did not have.
    QCOMPARE(sync(*vera.client, version).contact_changes().contacts_size(), 0);

    QCOMPARE(listContacts(vera, 0, 0).contact_list().contacts_size(), 3);
    QCOMPARE(errorCode(listContacts(vera, 0, 501)), proto::ERROR_CODE_INVALID_ARGUMENT);
}

void TestContacts::hiddenUsersCannotBecomeContacts()
{
    // Zed blocks Abe, whom she never dealt with: to Abe she is as unknown as a made-up id.
    User zed = registerUser(QStringLiteral("zed"));
    User abe = registerUser(QStringLiteral("abe"));
    proto::Frame block;
    block.mutable_block_user()->set_user_id(abe.id);
    QVERIFY(zed.client->request(block).contact().blocked());
    const proto::Frame remark = setRemark(abe, zed.id, "who is this");
    QCOMPARE(errorCode(remark), proto::ERROR_CODE_NOT_FOUND);
    QCOMPARE(remark.error().reason(), std::string("contacts/no_user"));
    QCOMPARE(remark.error().message(), setRemark(abe, 987654321, "nobody").error().message());
    proto::Frame blockBack;
    blockBack.mutable_block_user()->set_user_id(zed.id);
    QCOMPARE(errorCode(abe.client->request(blockBack)), proto::ERROR_CODE_NOT_FOUND);
    QCOMPARE(listContacts(abe, 0, 0).contact_list().contacts_size(), 0);

    // A friend who blocks you later stays your contact, so that the block remains silent.
    User bea = registerUser(QStringLiteral("bea"));
    User cal = registerUser(QStringLiteral("cal"));
    const quint64 id = sendRequest(bea, cal).friend_request_result().request().request_id();
    QVERIFY(answer(cal, id, true).friend_request_result().contact().is_friend());
    proto::Frame calBlocks;
    calBlocks.mutable_block_user()->set_user_id(bea.id);
    QVERIFY(cal.client->request(calBlocks).contact().blocked());
    const proto::Frame kept = setRemark(bea, cal.id, "Cal");
    QVERIFY2(kept.has_contact(), kept.DebugString().c_str());
    QCOMPARE(kept.contact().remark(), std::string("Cal"));
    proto::Frame beaBlocks;
    beaBlocks.mutable_block_user()->set_user_id(cal.id);
    QVERIFY(bea.client->request(beaBlocks).contact().blocked());
}

// At most 200 of a user's friend requests wait at once (migration 0020); asking again where
// one waits, and a request the other side crosses, still work at the cap; an answer makes
// room.
void TestContacts::waitingRequestsAreCapped()
{
    User sender = registerUser(QStringLiteral("keen"));
    QVERIFY(sender.id);
    constexpr int kCap = 200;
    std::vector<User> others;
    for (int i = 0; i <= kCap; ++i) {
        others.push_back(registerUser(QStringLiteral("wanted%1").arg(i)));
        QVERIFY(others.back().id);
        if (i > 2)
            others.back().client.reset(); // only their ids are needed
    }
    for (int i = 0; i < kCap; ++i) {
        const proto::Frame sent = sendRequest(sender, others[size_t(i)]);
        QVERIFY2(sent.has_friend_request_result(), sent.DebugString().c_str());
    }
    const proto::Frame refused = sendRequest(sender, others[kCap]);
    QCOMPARE(errorCode(refused), proto::ERROR_CODE_LIMIT_EXCEEDED);
    QCOMPARE(refused.error().reason(), std::string("contacts/too_many"));
    QCOMPARE(sendRequest(sender, others[0]).friend_request_result().request().state(),
             State::STATE_PENDING);
    const proto::Frame crossed = sendRequest(others[1], sender);
    QVERIFY2(crossed.friend_request_result().contact().is_friend(), crossed.DebugString().c_str());
    // others[1]'s request was the answer: one place is free again.
    const proto::Frame roomAgain = sendRequest(sender, others[kCap]);
    QVERIFY2(roomAgain.has_friend_request_result(), roomAgain.DebugString().c_str());
}

QTEST_GUILESS_MAIN(TestContacts)
#include "tst_contacts.moc"
