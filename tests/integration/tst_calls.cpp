// SPDX-License-Identifier: Apache-2.0
// The calls' signaling against a real ternd: ringing on every device of the callee, answered
// on one (the others told "answered elsewhere"), declined, busy, cancelled, unanswered after
// the (2 s) ring timeout, signals relayed only between the two devices in the call, a device
// that loses its connection and resumes within the (2 s) grace, and one that does not;
// strangers and blocked users refused; every ended call leaves its record in the conversation;
// TURN credentials in coturn's use-auth-secret form.
#include "support/messagingtest.h"
#include "support/pgfixture.h"
#include "support/terndprocess.h"
#include "support/testclient.h"
#include "support/testusers.h"

#include <QMessageAuthenticationCode>
#include <QTest>
#include <QUuid>

using namespace tern;

namespace {

const QString kPassword = QStringLiteral("calls password 1");
const QString kTurnSecret = QStringLiteral("test turn secret");

proto::Frame startCall(TestClient &client, quint64 callee,
                       proto::CallMedia media = proto::CALL_MEDIA_VIDEO)
{
    proto::Frame f;
    f.mutable_start_call()->set_callee_id(callee);
    f.mutable_start_call()->set_media(media);
    f.mutable_start_call()->set_sdp_offer("v=0 offer");
    return client.request(f);
}

proto::Frame callRequest(TestClient &client, const std::string &callId, const char *what)
{
    proto::Frame f;
    if (qstrcmp(what, "answer") == 0) {
        f.mutable_answer_call()->set_call_id(callId);
        f.mutable_answer_call()->set_sdp_answer("v=0 answer");
    } else if (qstrcmp(what, "decline") == 0) {
        f.mutable_decline_call()->set_call_id(callId);
    } else {
        f.mutable_hang_up()->set_call_id(callId);
    }
    return client.request(f);
}

// The next CallUpdate push (skipping other pushes); an empty Call on timeout.
proto::Call nextUpdate(TestClient &client, int timeoutMs = 5000)
{
    const auto push = client.nextPush(proto::Frame::kCallUpdate, timeoutMs);
    return push ? push->call_update().call() : proto::Call {};
}

// The call records of a conversation, oldest first.
std::vector<proto::CallRecord> callRecords(TestClient &client, quint64 conversation)
{
    std::vector<proto::CallRecord> records;
    for (const proto::Message &m : fetchAllAfter(client, conversation, 0)) {
        if (m.content().kind() == proto::MessageContent::KIND_CALL)
            records.push_back(m.content().call());
    }
    return records;
}

} // namespace

class TestCalls : public QObject
{
    Q_OBJECT

    PgFixture m_pg;
    std::unique_ptr<TerndProcess> m_ternd;
    QUrl m_url;
    int m_counter = 0;

    TestUser user(const char *prefix)
    {
        return registerTestUser(m_url, QLatin1String(prefix) + QString::number(++m_counter),
                                kPassword);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_pg.start().isEmpty(), "PostgreSQL did not start");
        m_ternd = std::make_unique<TerndProcess>();
        auto &env = m_ternd->environment();
        env.insert(QStringLiteral("TERN_CALL_RING_TIMEOUT_S"), QStringLiteral("2"));
        env.insert(QStringLiteral("TERN_CALL_RECONNECT_GRACE_S"), QStringLiteral("2"));
        env.insert(QStringLiteral("TERN_CALL_STUN_URLS"), QStringLiteral("stun:127.0.0.1:3478"));
        env.insert(QStringLiteral("TERN_CALL_TURN_URLS"),
                   QStringLiteral("turn:127.0.0.1:3478?transport=udp"));
        env.insert(QStringLiteral("TERN_CALL_TURN_SECRET"), kTurnSecret);
        const QString error = m_ternd->startOn(m_pg);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_url = m_ternd->url();
    }

    void cleanupTestCase()
    {
        if (m_ternd)
            QCOMPARE(m_ternd->terminate(), 0);
    }

    // Two devices of the callee ring; one answers; the other is told; signals flow between
    // the caller's device and the answering one only; a hang-up ends it with its duration.
    void answeredOnOneDevice()
    {
        TestUser ann = user("callann");
        TestUser bob = user("callbob");
        QVERIFY(befriend(ann, bob));
        auto bobPhone = loginDevice(m_url, bob, QStringLiteral("bob-phone"));
        QVERIFY(bobPhone);
        auto annLaptop = loginDevice(m_url, ann, QStringLiteral("ann-laptop"));
        QVERIFY(annLaptop);

        const proto::Frame started = startCall(*ann.client, bob.id);
        QVERIFY2(started.has_call_started(), qPrintable(describeFrame(started)));
        const proto::Call call = started.call_started().call();
        QCOMPARE(call.state(), proto::CALL_STATE_RINGING);
        QVERIFY(!started.call_started().ice().servers().empty());
        for (TestClient *device : {bob.client.get(), bobPhone.get()}) {
            const auto ring = device->nextPush(proto::Frame::kIncomingCall, 5000);
            QVERIFY(ring);
            QCOMPARE(ring->incoming_call().call().call_id(), call.call_id());
            QCOMPARE(ring->incoming_call().sdp_offer(), std::string("v=0 offer"));
            QCOMPARE(ring->incoming_call().call().media(), proto::CALL_MEDIA_VIDEO);
        }
        // The caller's candidate before the answer is held for the answering device.
        proto::Frame early;
        early.mutable_call_signal()->set_call_id(call.call_id());
        early.mutable_call_signal()->mutable_candidate()->set_candidate("candidate:1 early");
        QVERIFY(ann.client->request(early).has_call_signal_sent());

        const proto::Frame answered = callRequest(*bobPhone, call.call_id(), "answer");
        QVERIFY2(answered.has_call_update(), qPrintable(describeFrame(answered)));
        QCOMPARE(answered.call_update().call().state(), proto::CALL_STATE_CONNECTED);
        QCOMPARE(nextUpdate(*ann.client).state(), proto::CALL_STATE_CONNECTED);
        const auto answer = ann.client->nextPush(proto::Frame::kCallSignalPush, 5000);
        QVERIFY(answer);
        QCOMPARE(answer->call_signal_push().sdp_answer(), std::string("v=0 answer"));
        const proto::Call elsewhere = nextUpdate(*bob.client);
        QCOMPARE(elsewhere.end_reason(), proto::CALL_END_REASON_ANSWERED_ELSEWHERE);
        const auto held = bobPhone->nextPush(proto::Frame::kCallSignalPush, 5000);
        QVERIFY(held);
        QCOMPARE(held->call_signal_push().candidate().candidate(),
                 std::string("candidate:1 early"));
        // A second answer is too late.
        const proto::Frame late = callRequest(*bob.client, call.call_id(), "answer");
        QCOMPARE(late.error().code(), proto::ERROR_CODE_CONFLICT);
        QCOMPARE(late.error().reason(), std::string("calls/answered_elsewhere"));
        const proto::Frame noDecline = callRequest(*bob.client, call.call_id(), "decline");
        QCOMPARE(noDecline.error().code(), proto::ERROR_CODE_CONFLICT);
        QCOMPARE(noDecline.error().reason(), std::string("calls/answered"));

        // Renegotiation (video on) from the callee reaches the caller's device only.
        proto::Frame renegotiate;
        renegotiate.mutable_call_signal()->set_call_id(call.call_id());
        renegotiate.mutable_call_signal()->set_sdp_offer("v=0 renegotiate");
        QVERIFY(bobPhone->request(renegotiate).has_call_signal_sent());
        const auto relayed = ann.client->nextPush(proto::Frame::kCallSignalPush, 5000);
        QVERIFY(relayed);
        QCOMPARE(relayed->call_signal_push().sdp_offer(), std::string("v=0 renegotiate"));
        QVERIFY(!bob.client->nextPush(proto::Frame::kCallSignalPush, 300));
        // The device that did not answer may not signal, nor hang up the call.
        QCOMPARE(bob.client->request(renegotiate).error().code(),
                 proto::ERROR_CODE_PERMISSION_DENIED);
        const proto::Frame notHere = callRequest(*bob.client, call.call_id(), "hangup");
        QCOMPARE(notHere.error().code(), proto::ERROR_CODE_PERMISSION_DENIED);
        QCOMPARE(notHere.error().reason(), std::string("calls/other_device"));
        // Nor may a device of the caller that did not place the call.
        const proto::Frame notThisOne = callRequest(*annLaptop, call.call_id(), "hangup");
        QCOMPARE(notThisOne.error().code(), proto::ERROR_CODE_PERMISSION_DENIED);
        QCOMPARE(notThisOne.error().reason(), std::string("calls/other_device"));

        QTest::qWait(300);
        const proto::Frame ended = callRequest(*ann.client, call.call_id(), "hangup");
        QCOMPARE(ended.call_update().call().end_reason(), proto::CALL_END_REASON_HANGUP);
        // The answer is the whole call, with its times.
        QVERIFY(ended.call_update().call().ended_at_ms()
                > ended.call_update().call().connected_at_ms());
        QCOMPARE(ended.call_update().call().callee_id(), bob.id);
        QCOMPARE(nextUpdate(*bobPhone).state(), proto::CALL_STATE_ENDED);
        // The record: completed, with how long it was connected.
        QTRY_VERIFY_WITH_TIMEOUT(!callRecords(*ann.client, call.conversation_id()).empty(), 5000);
        const proto::CallRecord record = callRecords(*bob.client, call.conversation_id()).back();
        QCOMPARE(record.outcome(), proto::CallRecord::OUTCOME_COMPLETED);
        QCOMPARE(record.media(), proto::CALL_MEDIA_VIDEO);
        QVERIFY2(record.duration_ms() >= 300, qPrintable(QString::number(record.duration_ms())));
        QCOMPARE(record.call_id(), call.call_id());
    }

    void declinedBusyCancelledUnanswered()
    {
        TestUser cy = user("callcy");
        TestUser dee = user("calldee");
        TestUser eli = user("calleli");
        QVERIFY(befriend(cy, dee));
        QVERIFY(befriend(eli, dee));
        QVERIFY(befriend(cy, eli));

        proto::Call call = startCall(*cy.client, dee.id).call_started().call();
        QVERIFY(dee.client->nextPush(proto::Frame::kIncomingCall, 5000));
        QCOMPARE(
            callRequest(*dee.client, call.call_id(), "decline").call_update().call().end_reason(),
            proto::CALL_END_REASON_DECLINED);
        QCOMPARE(nextUpdate(*cy.client).end_reason(), proto::CALL_END_REASON_DECLINED);

        // Busy: dee is ringing with cy's call; eli's call ends at once and does not ring.
        call = startCall(*cy.client, dee.id, proto::CALL_MEDIA_AUDIO).call_started().call();
        QCOMPARE(call.state(), proto::CALL_STATE_RINGING);
        QVERIFY(dee.client->nextPush(proto::Frame::kIncomingCall, 5000));
        const proto::Frame busy = startCall(*eli.client, dee.id);
        QCOMPARE(busy.call_started().call().state(), proto::CALL_STATE_ENDED);
        QCOMPARE(busy.call_started().call().end_reason(), proto::CALL_END_REASON_BUSY);
        QVERIFY(!dee.client->nextPush(proto::Frame::kIncomingCall, 300));
        // One call at a time for the caller too.
        const proto::Frame second = startCall(*cy.client, eli.id);
        QCOMPARE(second.error().code(), proto::ERROR_CODE_CONFLICT);
        QCOMPARE(second.error().reason(), std::string("calls/in_call"));

        // Cancelled by the caller while ringing.
        QCOMPARE(
            callRequest(*cy.client, call.call_id(), "hangup").call_update().call().end_reason(),
            proto::CALL_END_REASON_CANCELLED);
        QCOMPARE(nextUpdate(*dee.client).end_reason(), proto::CALL_END_REASON_CANCELLED);
        // Every device of both users hears the end, the one that asked included.
        QCOMPARE(nextUpdate(*cy.client).end_reason(), proto::CALL_END_REASON_CANCELLED);
        // Answering it now is too late.
        const proto::Frame over = callRequest(*dee.client, call.call_id(), "answer");
        QCOMPARE(over.error().code(), proto::ERROR_CODE_NOT_FOUND);
        QCOMPARE(over.error().reason(), std::string("calls/over"));

        // Nobody answers: over after the ring timeout (2 s here).
        call = startCall(*cy.client, dee.id).call_started().call();
        const proto::Call timedOut = nextUpdate(*cy.client, 6000);
        QCOMPARE(timedOut.end_reason(), proto::CALL_END_REASON_NO_ANSWER);
        QVERIFY2(timedOut.ended_at_ms() - timedOut.started_at_ms() >= 1900,
                 qPrintable(QString::number(timedOut.ended_at_ms() - timedOut.started_at_ms())));

        // The history, in order: declined, (eli's busy is in eli's chat), missed, missed.
        std::vector<proto::CallRecord> records;
        QTRY_VERIFY_WITH_TIMEOUT(
            (records = callRecords(*dee.client, call.conversation_id())).size() == 3, 5000);
        QCOMPARE(records[0].outcome(), proto::CallRecord::OUTCOME_DECLINED);
        QCOMPARE(records[1].outcome(), proto::CallRecord::OUTCOME_MISSED);
        QCOMPARE(records[1].media(), proto::CALL_MEDIA_AUDIO);
        QCOMPARE(records[2].outcome(), proto::CallRecord::OUTCOME_MISSED);
        const quint64 eliChat = openDirect(*eli.client, dee.id);
        QTRY_VERIFY_WITH_TIMEOUT(callRecords(*eli.client, eliChat).size() == 1, 5000);
        QCOMPARE(callRecords(*eli.client, eliChat)[0].outcome(), proto::CallRecord::OUTCOME_BUSY);
    }

    // The caller knows the call's id, but cannot take the id its record will be written under:
    // a message sent with the id the record had before (a UUID named by the call id in a
    // namespace fixed in the source) leaves the missed call in the history.
    void theRecordsIdCannotBeTakenFirst()
    {
        TestUser lee = user("calllee");
        TestUser mo = user("callmo");
        QVERIFY(befriend(lee, mo));
        const proto::Call call = startCall(*lee.client, mo.id).call_started().call();
        QVERIFY(!call.call_id().empty());
        static const QUuid kOldNamespace(QStringLiteral("{5b0c1c52-6e0e-4a55-9f58-7a1f8a0c6c11}"));
        proto::Frame send;
        auto *m = send.mutable_send_message();
        m->set_conversation_id(call.conversation_id());
        m->set_client_msg_id(
            QUuid::createUuidV5(kOldNamespace, QString::fromStdString(call.call_id()))
                .toString(QUuid::WithoutBraces)
                .toStdString());
        m->mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
        m->mutable_content()->set_text("hi");
        QVERIFY(lee.client->request(send).has_message_ack());
        QCOMPARE(
            callRequest(*lee.client, call.call_id(), "hangup").call_update().call().end_reason(),
            proto::CALL_END_REASON_CANCELLED);
        QTRY_VERIFY_WITH_TIMEOUT(callRecords(*mo.client, call.conversation_id()).size() == 1, 5000);
        QCOMPARE(callRecords(*mo.client, call.conversation_id())[0].outcome(),
                 proto::CallRecord::OUTCOME_MISSED);
    }

    // A device in a connected call drops: back within the grace, the call goes on and it is
    // told its state; gone for longer, the call ends with CONNECTION_LOST.
    void connectionLost()
    {
        TestUser fay = user("callfay");
        TestUser gus = user("callgus");
        QVERIFY(befriend(fay, gus));
        auto gusPhone = std::make_unique<TestClient>();
        QVERIFY(gusPhone->open(m_url));
        QVERIFY(gusPhone->hello(QStringLiteral("gus-phone")).has_welcome());
        const proto::Frame login = gusPhone->login(gus.name, kPassword);
        const QByteArray token = QByteArray::fromStdString(login.session().token());
        QVERIFY(!token.isEmpty());

        proto::Call call = startCall(*fay.client, gus.id).call_started().call();
        QVERIFY(gusPhone->nextPush(proto::Frame::kIncomingCall, 5000));
        QVERIFY(callRequest(*gusPhone, call.call_id(), "answer").has_call_update());
        QCOMPARE(nextUpdate(*fay.client).state(), proto::CALL_STATE_CONNECTED);

        gusPhone.reset(); // the network drops
        QTest::qWait(500);
        gusPhone = std::make_unique<TestClient>();
        QVERIFY(gusPhone->open(m_url));
        QVERIFY(gusPhone->hello(QStringLiteral("gus-phone")).has_welcome());
        QVERIFY(gusPhone->resume(token).has_session());
        const proto::Call state = nextUpdate(*gusPhone);
        QCOMPARE(state.call_id(), call.call_id());
        QCOMPARE(state.state(), proto::CALL_STATE_CONNECTED);
        QTest::qWait(2500); // past the grace: still on
        proto::Frame ping;
        ping.mutable_call_signal()->set_call_id(call.call_id());
        ping.mutable_call_signal()->mutable_candidate()->set_candidate("candidate:2 after resume");
        QVERIFY(gusPhone->request(ping).has_call_signal_sent());

        gusPhone.reset(); // gone for good
        const proto::Call lost = nextUpdate(*fay.client, 6000);
        QCOMPARE(lost.end_reason(), proto::CALL_END_REASON_CONNECTION_LOST);
        QTRY_VERIFY_WITH_TIMEOUT(callRecords(*fay.client, call.conversation_id()).size() == 1,
                                 5000);
        QCOMPARE(callRecords(*fay.client, call.conversation_id())[0].outcome(),
                 proto::CallRecord::OUTCOME_COMPLETED);
    }

    // While the caller's device is away the callee answers and signals: both reach it when it
    // resumes. A ringing callee device that was away when another answered is told so.
    void signalsWaitForADeviceThatIsAway()
    {
        TestUser jo = user("calljo");
        TestUser kim = user("callkim");
        QVERIFY(befriend(jo, kim));
        const auto device = [this](const TestUser &who, const char *name, QByteArray *token) {
            auto client = std::make_unique<TestClient>();
            if (!client->open(m_url) || !client->hello(QLatin1String(name)).has_welcome())
                return std::unique_ptr<TestClient>();
            const proto::Frame login =
                token->isEmpty() ? client->login(who.name, kPassword) : client->resume(*token);
            if (!login.has_session())
                return std::unique_ptr<TestClient>();
            *token = QByteArray::fromStdString(login.session().token());
            return client;
        };
        QByteArray laptopToken, tabletToken;
        auto joLaptop = device(jo, "jo-laptop", &laptopToken);
        auto kimTablet = device(kim, "kim-tablet", &tabletToken);
        QVERIFY(joLaptop && kimTablet);

        const proto::Call call = startCall(*joLaptop, kim.id).call_started().call();
        QVERIFY(kim.client->nextPush(proto::Frame::kIncomingCall, 5000));
        QVERIFY(kimTablet->nextPush(proto::Frame::kIncomingCall, 5000));
        kimTablet.reset(); // both drop while it rings (the ring timeout is 2 s here)
        joLaptop.reset();
        QTest::qWait(300);
        QVERIFY(callRequest(*kim.client, call.call_id(), "answer").has_call_update());
        proto::Frame candidate;
        candidate.mutable_call_signal()->set_call_id(call.call_id());
        candidate.mutable_call_signal()->mutable_candidate()->set_candidate("candidate:9 away");
        QVERIFY(kim.client->request(candidate).has_call_signal_sent());

        joLaptop = device(jo, "jo-laptop", &laptopToken);
        QVERIFY(joLaptop);
        QCOMPARE(nextUpdate(*joLaptop).state(), proto::CALL_STATE_CONNECTED);
        const auto answer = joLaptop->nextPush(proto::Frame::kCallSignalPush, 5000);
        QVERIFY(answer);
        QCOMPARE(answer->call_signal_push().sdp_answer(), std::string("v=0 answer"));
        const auto held = joLaptop->nextPush(proto::Frame::kCallSignalPush, 5000);
        QVERIFY(held);
        QCOMPARE(held->call_signal_push().candidate().candidate(), std::string("candidate:9 away"));

        kimTablet = device(kim, "kim-tablet", &tabletToken);
        QVERIFY(kimTablet);
        const proto::Call elsewhere = nextUpdate(*kimTablet);
        QCOMPARE(elsewhere.call_id(), call.call_id());
        QCOMPARE(elsewhere.end_reason(), proto::CALL_END_REASON_ANSWERED_ELSEWHERE);
        QVERIFY(callRequest(*joLaptop, call.call_id(), "hangup").has_call_update());
    }

    void onlyFriendsMayCall()
    {
        TestUser hal = user("callhal");
        TestUser ivy = user("callivy");
        const proto::Frame strangers = startCall(*hal.client, ivy.id);
        QCOMPARE(strangers.error().code(), proto::ERROR_CODE_PERMISSION_DENIED);
        QCOMPARE(strangers.error().reason(), std::string("calls/not_friends"));
        QVERIFY(befriend(hal, ivy));
        proto::Frame block;
        block.mutable_block_user()->set_user_id(hal.id);
        QVERIFY(ivy.client->request(block).has_contact());
        QCOMPARE(startCall(*hal.client, ivy.id).error().code(),
                 proto::ERROR_CODE_PERMISSION_DENIED);
        QCOMPARE(startCall(*ivy.client, hal.id).error().code(),
                 proto::ERROR_CODE_PERMISSION_DENIED);
        QCOMPARE(startCall(*hal.client, hal.id).error().code(), proto::ERROR_CODE_INVALID_ARGUMENT);
        // Clients cannot forge call records.
        const quint64 chat = openDirect(*hal.client, ivy.id);
        proto::MessageContent forged;
        forged.set_kind(proto::MessageContent::KIND_CALL);
        forged.mutable_call()->set_outcome(proto::CallRecord::OUTCOME_COMPLETED);
        proto::Frame send;
        send.mutable_send_message()->set_conversation_id(chat);
        send.mutable_send_message()->set_client_msg_id(newClientMsgId().toStdString());
        *send.mutable_send_message()->mutable_content() = forged;
        QCOMPARE(hal.client->request(send).error().code(), proto::ERROR_CODE_INVALID_ARGUMENT);
    }

    void iceServersWithTurnCredentials()
    {
        TestUser jo = user("calljo");
        proto::Frame ask;
        ask.mutable_get_ice_config();
        const proto::Frame answer = jo.client->request(ask);
        QVERIFY2(answer.has_ice_config(), qPrintable(describeFrame(answer)));
        const proto::IceConfig &ice = answer.ice_config();
        QCOMPARE(ice.servers_size(), 2);
        QCOMPARE(ice.servers(0).urls(0), std::string("stun:127.0.0.1:3478"));
        const proto::IceServer &turn = ice.servers(1);
        QCOMPARE(turn.urls(0), std::string("turn:127.0.0.1:3478?transport=udp"));
        const QByteArray username = QByteArray::fromStdString(turn.username());
        const QList<QByteArray> parts = username.split(':');
        QCOMPARE(parts.size(), 2);
        QCOMPARE(parts[1].toULongLong(), jo.id);
        const qint64 expiry = parts[0].toLongLong();
        QVERIFY(expiry > QDateTime::currentSecsSinceEpoch() + 3000);
        QCOMPARE(ice.expires_at_ms(), expiry * 1000);
        const QByteArray expected = QMessageAuthenticationCode::hash(username, kTurnSecret.toUtf8(),
                                                                     QCryptographicHash::Sha1)
                                        .toBase64();
        QCOMPARE(QByteArray::fromStdString(turn.credential()), expected);
        QVERIFY(!m_ternd->output().contains(kTurnSecret)); // never logged
    }
};

QTEST_GUILESS_MAIN(TestCalls)
#include "tst_calls.moc"
