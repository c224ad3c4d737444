// SPDX-License-Identifier: Apache-2.0
// Batched sends (SendBatcher: the direct-send statement and tern_msg_send_many) against a real
// ternd and PostgreSQL: a burst
// of pipelined sends to several conversations, mixed with a reply, a retry, a refused send and
// a client id reused in another conversation, commits with the same outcomes as one-by-one
// sends would give: dense seqs in the order asked per conversation, exactly one copy per
// client id, the refusal refused alone, every push in order. And it did go through the
// batched function; simple direct sends need neither function.
#include "support/messagingtest.h"
#include "support/pgfixture.h"
#include "support/terndprocess.h"
#include "support/testclient.h"
#include "support/testusers.h"

#include "store/directsendsql.h"
#include "store/pgconnection.h"
#include "store/pgsession.h"
#include "store/searchindexupkeep.h"

#include <QElapsedTimer>
#include <QMap>
#include <QScopeGuard>
#include <QTest>

#include <vector>

using namespace tern;

namespace {

const QString kPassword = QStringLiteral("batch password");
constexpr int kRounds = 40;

struct Posted
{
    quint64 requestId = 0;
    quint64 conversationId = 0;
    QString clientMsgId;
    QString text;
};

proto::Frame replyFrame(quint64 conversationId, quint64 replyTo, const QString &text,
                        const QString &clientMsgId)
{
    proto::Frame frame = textMessageFrame(conversationId, text, clientMsgId);
    frame.mutable_send_message()->mutable_content()->set_reply_to_seq(replyTo);
    return frame;
}

} // namespace

class TestSendBatches : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void mixedBurstKeepsEveryRule();
    void aNewGroupsSendsKeepTheirOrder();
    void deletesFollowTheDroppedKeys();
    void binaryArraysArriveIntact();
    void searchIndexMergedOffTheSendPath();
    void directSendsTakeOneStatement();
    void directStatementDecidesEachSend();
    void conversationPagesLeaveRoomForUpdates();

private:
    server::PgOutcome sql(const QByteArray &statement);
    qint64 batchedCalls();

    PgFixture m_pg;
    std::unique_ptr<TerndProcess> m_ternd;
};

void TestSendBatches::initTestCase()
{
    const QString error = m_pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Function call counts, to see that the burst took the batched path.
    server::PgSession session;
    QCOMPARE(session.connect(m_pg.dsn()), QString());
    const server::PgOutcome set = session.execScript(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET track_functions = ''pl''',"
        " current_database()); END $$");
    QVERIFY2(set.ok(), qPrintable(set.error.message));
    m_ternd = std::make_unique<TerndProcess>();
    m_ternd->environment().insert(QStringLiteral("TERN_MESSAGE_ALLOW_STRANGERS"),
                                  QStringLiteral("0"));
    const QString started = m_ternd->startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
}

void TestSendBatches::cleanup()
{
    if (QTest::currentTestFailed() && m_ternd)
        qInfo().noquote() << "ternd output (tail):\n" << m_ternd->output().right(6000);
}

void TestSendBatches::cleanupTestCase()
{
    if (m_ternd)
        QCOMPARE(m_ternd->terminate(), 0);
}

qint64 TestSendBatches::batchedCalls()
{
    server::PgSession session;
    if (!session.connect(m_pg.dsn()).isEmpty())
        return -1;
    const server::PgOutcome o =
        session.exec({"SELECT coalesce(sum(calls), 0) FROM pg_stat_user_functions"
                      " WHERE funcname = 'tern_msg_send_many'",
                      {}});
    return o.ok() ? o.results.front().int64(0, 0) : -1;
}

void TestSendBatches::mixedBurstKeepsEveryRule()
{
    TestUser a = registerTestUser(m_ternd->url(), QStringLiteral("batch_a"), kPassword);
    TestUser b = registerTestUser(m_ternd->url(), QStringLiteral("batch_b"), kPassword);
    TestUser c = registerTestUser(m_ternd->url(), QStringLiteral("batch_c"), kPassword);
    TestUser d = registerTestUser(m_ternd->url(), QStringLiteral("batch_d"), kPassword);
    QVERIFY(a.id && b.id && c.id && d.id);
    QVERIFY(befriend(a, b));
    QVERIFY(befriend(a, c));
    QVERIFY(befriend(a, d));
    const quint64 ab = openDirect(*a.client, b.id);
    const quint64 ac = openDirect(*a.client, c.id);
    const quint64 ad = openDirect(*a.client, d.id);
    QVERIFY(ab && ac && ad);
    const proto::Frame first = sendText(*a.client, ab, QStringLiteral("before the burst"));
    QVERIFY2(first.has_message_ack(), qPrintable(describeFrame(first)));
    QCOMPARE(first.message_ack().seq(), 1u);
    proto::Frame block;
    block.mutable_block_user()->set_user_id(a.id);
    const proto::Frame blocked = d.client->request(block);
    QVERIFY2(blocked.has_contact() && blocked.contact().blocked(),
             qPrintable(describeFrame(blocked)));

    // Everything is posted before any answer is read.
    std::vector<Posted> posted;
    quint64 refusedId = 0;
    quint64 retryId = 0;
    QString retriedClientId;
    for (int i = 0; i < kRounds; ++i) {
        for (const quint64 conv : {ab, ac}) {
            Posted p {0, conv, newClientMsgId(),
                      QStringLiteral("%1 round %2")
                          .arg(conv == ab ? QStringLiteral("ab") : QStringLiteral("ac"))
                          .arg(i)};
            p.requestId = a.client->post(textMessageFrame(conv, p.text, p.clientMsgId));
            posted.push_back(p);
        }
        if (i == 10) { // a reply: not simple, and so are the sends to ab after it
            Posted p {0, ab, newClientMsgId(), QStringLiteral("a reply to the first")};
            p.requestId = a.client->post(replyFrame(ab, 1, p.text, p.clientMsgId));
            posted.push_back(p);
        }
        if (i == 20)
            refusedId =
                a.client->post(textMessageFrame(ad, QStringLiteral("blocked"), newClientMsgId()));
        if (i == 25) {
            retriedClientId = posted.at(6).clientMsgId; // an ab send of round 3
            retryId = a.client->post(textMessageFrame(ab, posted.at(6).text, retriedClientId));
        }
    }

    // Acks: per conversation, dense seqs in the order posted.
    QMap<quint64, quint64> nextSeq {{ab, 2}, {ac, 1}};
    QMap<quint64, QStringList> texts {{ab, {QStringLiteral("before the burst")}}, {ac, {}}};
    QMap<QString, proto::MessageAck> byClientId;
    for (const Posted &p : posted) {
        const proto::Frame answer = a.client->answerTo(p.requestId);
        QVERIFY2(answer.has_message_ack(), qPrintable(describeFrame(answer)));
        const proto::MessageAck &ack = answer.message_ack();
        QVERIFY(!ack.duplicate());
        QCOMPARE(ack.conversation_id(), p.conversationId);
        QCOMPARE(ack.seq(), nextSeq[p.conversationId]++);
        texts[p.conversationId].append(p.text);
        byClientId.insert(p.clientMsgId, ack);
    }
    const proto::Frame refused = a.client->answerTo(refusedId);
    QVERIFY2(refused.has_error() && refused.error().code() == proto::ERROR_CODE_PERMISSION_DENIED,
             qPrintable(describeFrame(refused)));
    // The retry answers with the original (where and when it was stored).
    const proto::Frame retried = a.client->answerTo(retryId);
    QVERIFY2(retried.has_message_ack(), qPrintable(describeFrame(retried)));
    const proto::MessageAck original = byClientId.value(retriedClientId);
    QVERIFY(retried.message_ack().duplicate());
    QCOMPARE(retried.message_ack().conversation_id(), ab);
    QCOMPARE(retried.message_ack().seq(), original.seq());
    QCOMPARE(retried.message_ack().sent_at_ms(), original.sent_at_ms());

    // A second burst to ac reuses an id stored in ab: a duplicate of that one, and the sends
    // around it are stored.
    std::vector<Posted> second;
    for (int i = 0; i < 10; ++i) {
        Posted p {0, ac, i == 4 ? retriedClientId : newClientMsgId(),
                  QStringLiteral("ac again %1").arg(i)};
        p.requestId = a.client->post(textMessageFrame(ac, p.text, p.clientMsgId));
        second.push_back(p);
    }
    for (const Posted &p : second) {
        const proto::Frame answer = a.client->answerTo(p.requestId);
        QVERIFY2(answer.has_message_ack(), qPrintable(describeFrame(answer)));
        const proto::MessageAck &ack = answer.message_ack();
        if (p.clientMsgId == retriedClientId) {
            QVERIFY(ack.duplicate());
            QCOMPARE(ack.conversation_id(), ab);
            QCOMPARE(ack.seq(), original.seq());
            continue;
        }
        QVERIFY(!ack.duplicate());
        QCOMPARE(ack.seq(), nextSeq[ac]++);
        texts[ac].append(p.text);
    }

    // Stored exactly as acked, and pushed to the peers in seq order, once.
    for (const auto &[conv, peer] : {std::pair {ab, &b}, std::pair {ac, &c}}) {
        const std::vector<proto::Message> history = fetchAllAfter(*peer->client, conv, 0);
        QCOMPARE(int(history.size()), int(texts[conv].size()));
        for (size_t i = 0; i < history.size(); ++i) {
            QCOMPARE(history[i].seq(), quint64(i + 1));
            QCOMPARE(QString::fromStdString(history[i].content().text()), texts[conv].at(int(i)));
        }
        for (quint64 seq = 1; seq <= quint64(texts[conv].size()); ++seq) {
            const auto push = peer->client->nextPush(proto::Frame::kMessagePush);
            QVERIFY2(push, qPrintable(QStringLiteral("no push for seq %1").arg(seq)));
            QCOMPARE(push->message_push().message().seq(), seq);
        }
        QVERIFY(!peer->client->nextPush(proto::Frame::kMessagePush, 300));
    }
    const std::vector<proto::Message> none = fetchAllAfter(*d.client, ad, 0);
    QVERIFY(none.empty());

    // Batched messages are searchable (their n-grams were stored).
    proto::Frame search;
    search.mutable_search_messages()->set_query("round 17");
    const proto::Frame found = b.client->request(search);
    QVERIFY2(found.has_message_search_result(), qPrintable(describeFrame(found)));
    QCOMPARE(found.message_search_result().hits_size(), 1);
    QCOMPARE(found.message_search_result().hits(0).message().content().text(),
             std::string("ab round 17"));

    // The burst went through tern_msg_send_many (statistics reach the view within seconds).
    QElapsedTimer waited;
    waited.start();
    qint64 calls = 0;
    while ((calls = batchedCalls()) <= 0 && waited.elapsed() < 20000)
        QTest::qWait(500);
    QVERIFY2(calls > 0, qPrintable(QStringLiteral("tern_msg_send_many calls: %1").arg(calls)));
}

server::PgOutcome TestSendBatches::sql(const QByteArray &statement)
{
    server::PgSession session;
    const QString error = session.connect(m_pg.dsn());
    if (!error.isEmpty()) {
        server::PgOutcome failed;
        failed.error = {server::PgError::Kind::Unavailable, {}, error};
        return failed;
    }
    return session.execScript(statement);
}

// messages has no foreign keys since migration 0013 (they were a tenth of the send path's
// CPU); the triggers that replace them must do what the keys did when rows are deleted.
// The first send to a group's conversation that ternd has not seen yet, then, while it is in
// the database, an @all message and the same again (a retry: the same client id makes the
// batch leave at once). The @all is asked second, so it gets the later seq. Before, the first
// send took the statement for direct chats, came back 'not_direct' and went again after the
// @all had committed. Ten new groups: the window is a database round trip.
void TestSendBatches::aNewGroupsSendsKeepTheirOrder()
{
    TestUser owner = registerTestUser(m_ternd->url(), QStringLiteral("order_owner"), kPassword);
    TestUser member = registerTestUser(m_ternd->url(), QStringLiteral("order_member"), kPassword);
    QVERIFY(owner.id && member.id);
    QVERIFY(befriend(owner, member));
    for (int round = 0; round < 10; ++round) {
        const quint64 group = createGroupWith(owner, {&member});
        QVERIFY(group);
        const quint64 conv = openGroupConversation(*owner.client, group);
        QVERIFY(conv);
        const quint64 first = owner.client->post(
            textMessageFrame(conv, QStringLiteral("first %1").arg(round), newClientMsgId()));
        QTest::qWait(1); // the first one leaves on its own
        proto::Frame reply = textMessageFrame(conv, QStringLiteral("@all"), newClientMsgId());
        reply.mutable_send_message()->mutable_content()->set_mention_all(true);
        const quint64 second = owner.client->post(reply);
        const quint64 again = owner.client->post(reply);
        const proto::Frame firstAck = owner.client->answerTo(first);
        const proto::Frame secondAck = owner.client->answerTo(second);
        QVERIFY2(firstAck.has_message_ack(), qPrintable(describeFrame(firstAck)));
        QVERIFY2(secondAck.has_message_ack(), qPrintable(describeFrame(secondAck)));
        QVERIFY(owner.client->answerTo(again).has_message_ack());
        QVERIFY2(firstAck.message_ack().seq() < secondAck.message_ack().seq(),
                 qPrintable(QStringLiteral("round %1: first %2, reply %3")
                                .arg(round)
                                .arg(firstAck.message_ack().seq())
                                .arg(secondAck.message_ack().seq())));
    }
}

void TestSendBatches::deletesFollowTheDroppedKeys()
{
    TestUser e = registerTestUser(m_ternd->url(), QStringLiteral("keys_e"), kPassword);
    TestUser f = registerTestUser(m_ternd->url(), QStringLiteral("keys_f"), kPassword);
    TestUser g = registerTestUser(m_ternd->url(), QStringLiteral("keys_g"), kPassword);
    QVERIFY(e.id && f.id && g.id);
    QVERIFY(befriend(e, f));
    QVERIFY(allowGroupAddsFromEveryone(g));
    const quint64 ef = openDirect(*e.client, f.id);
    const quint64 group = createGroupWith(e, {&g});
    QVERIFY(ef && group);
    const quint64 groupConv = openGroupConversation(*e.client, group);
    QVERIFY(groupConv);
    QVERIFY(sendText(*f.client, ef, QStringLiteral("from f to e")).has_message_ack());
    QVERIFY(sendText(*e.client, ef, QStringLiteral("from e to f")).has_message_ack());
    QVERIFY(
        sendText(*g.client, groupConv, QStringLiteral("from g to the group")).has_message_ack());
    const auto count = [this](quint64 conv) {
        const server::PgOutcome o =
            sql(QByteArray("SELECT count(*) FROM messages WHERE conversation_id = ")
                + QByteArray::number(conv));
        return o.ok() ? o.results.back().int64(0, 0) : -1;
    };
    QCOMPARE(count(ef), 2);

    // A user with a message in a group cannot be deleted (was: NO ACTION on sender_id).
    const server::PgOutcome refused =
        sql(QByteArray("DELETE FROM users WHERE id = ") + QByteArray::number(g.id));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error.sqlState, QByteArray("23503"));
    QCOMPARE(count(groupConv), 1);

    // A user whose messages are all in direct conversations can: the conversations go with
    // them (ON DELETE CASCADE on user_lo/user_hi), and their messages with the conversations
    // (was: ON DELETE CASCADE on conversation_id), whoever sent them.
    const server::PgOutcome deleted =
        sql(QByteArray("DELETE FROM users WHERE id = ") + QByteArray::number(f.id));
    QVERIFY2(deleted.ok(), qPrintable(deleted.error.message));
    QCOMPARE(count(ef), 0);
    QCOMPARE(count(groupConv), 1);
}

// The batches send their large columns as binary arrays (PgBinaryArray): what PostgreSQL
// reads must be exactly what was put in, whatever the bytes.
void TestSendBatches::binaryArraysArriveIntact()
{
    using server::PgBinaryArray;
    const QByteArray tricky =
        QStringLiteral("quote \" backslash \\ comma , brace } 大家好 👋").toUtf8();
    PgBinaryArray texts(PgBinaryArray::Element::Text);
    texts.add("plain");
    texts.add(tricky);
    texts.add("");
    PgBinaryArray bytes(PgBinaryArray::Element::Bytea);
    bytes.add(QByteArray("\0\1\xff\\", 4));
    const PgBinaryArray none(PgBinaryArray::Element::Text);
    server::PgSession session;
    QCOMPARE(session.connect(m_pg.dsn()), QString());
    const server::PgOutcome o = session.exec(
        {"SELECT t[1], t[2], t[3], cardinality(t), encode(b[1], 'hex'), cardinality($3::text[])"
         "  FROM (SELECT $1::text[] AS t, $2::bytea[] AS b) x",
         {texts.param(), bytes.param(), none.param()},
         0b111});
    QVERIFY2(o.ok(), qPrintable(o.error.message));
    const server::PgResult &r = o.results.front();
    QCOMPARE(r.bytes(0, 0), QByteArray("plain"));
    QCOMPARE(r.bytes(0, 1), tricky);
    QCOMPARE(r.bytes(0, 2), QByteArray());
    QVERIFY(!r.isNull(0, 2));
    QCOMPARE(r.int64(0, 3), 3);
    QCOMPARE(r.bytes(0, 4), QByteArray("0001ff5c"));
    QCOMPARE(r.int64(0, 5), 0);
}

// The n-gram index's pending list is merged by ternd's own connection (SearchIndexUpkeep)
// after sends, not by a send that finds it full. gin_clean_pending_list() answers how many
// pending pages it merged: rows written behind ternd's back stay pending, sent ones do not.
void TestSendBatches::searchIndexMergedOffTheSendPath()
{
    TestUser h = registerTestUser(m_ternd->url(), QStringLiteral("upkeep_h"), kPassword);
    TestUser k = registerTestUser(m_ternd->url(), QStringLiteral("upkeep_k"), kPassword);
    QVERIFY(h.id && k.id);
    QVERIFY(befriend(h, k));
    const quint64 hk = openDirect(*h.client, k.id);
    QVERIFY(hk);
    const auto mergedPages = [this] {
        const server::PgOutcome o =
            sql("SELECT gin_clean_pending_list('messages_search'::regclass)");
        return o.ok() ? o.results.back().int64(0, 0) : -1;
    };
    // Long enough for the upkeep to have merged, on a slow machine too.
    const int settle = std::max(8 * server::SearchIndexUpkeep::kDelayMs, 1000);
    // Whatever the set-up wrote (befriending writes an entry) is merged by now.
    QTest::qWait(settle);
    QVERIFY(mergedPages() >= 0);

    // Behind ternd's back: nothing merges these.
    const server::PgOutcome direct =
        sql(QByteArray("INSERT INTO messages (conversation_id, seq, sender_id, kind, body,"
                       " search_text, search_grams)"
                       " SELECT ")
            + QByteArray::number(hk) + ", 1000 + i, " + QByteArray::number(h.id)
            + ", 1, '\\x00', 'direct ' || i,"
              " ARRAY(SELECT 'g' || i || '-' || j FROM generate_series(1, 40) j)"
              " FROM generate_series(1, 60) i");
    QVERIFY2(direct.ok(), qPrintable(direct.error.message));
    QTest::qWait(settle);
    QVERIFY(mergedPages() > 0);

    for (int i = 0; i < 60; ++i) {
        const proto::Frame ack =
            sendText(*h.client, hk, QStringLiteral("upkeep %1 lorem ipsum dolor sit amet").arg(i));
        QVERIFY2(ack.has_message_ack(), qPrintable(describeFrame(ack)));
    }
    QTest::qWait(settle);
    QCOMPARE(mergedPages(), 0);

    // And what was merged is found.
    proto::Frame search;
    search.mutable_search_messages()->set_query("upkeep 42");
    const proto::Frame found = h.client->request(search);
    QVERIFY2(found.has_message_search_result(), qPrintable(describeFrame(found)));
    QCOMPARE(found.message_search_result().hits_size(), 1);
}

// Simple sends to conversations ternd knows to be direct go as one statement (kDirectSendSql),
// not through the send functions: with both renamed away, a burst of them is still stored,
// acked and pushed in order, a retry answers with the original and a send to someone else's
// conversation is refused. A conversation's first sends go through tern_msg_send_many while
// ternd asks its kind (SendBatcher::learnKinds), hence one send to each first. With the
// functions back, sends to a group in the same bursts are stored too.
void TestSendBatches::directSendsTakeOneStatement()
{
    // Prepared once per session: parsed and planned on every call, it cost more than it saves.
    QVERIFY(server::PgConnection::isPreparable(server::kDirectSendSql));
    QVERIFY(server::PgConnection::isPreparable(" \n\tSELECT 1"));
    QVERIFY(!server::PgConnection::isPreparable("LISTEN tern"));

    TestUser p = registerTestUser(m_ternd->url(), QStringLiteral("direct_p"), kPassword);
    TestUser q = registerTestUser(m_ternd->url(), QStringLiteral("direct_q"), kPassword);
    TestUser r = registerTestUser(m_ternd->url(), QStringLiteral("direct_r"), kPassword);
    QVERIFY(p.id && q.id && r.id);
    QVERIFY(befriend(p, q));
    QVERIFY(befriend(p, r));
    QVERIFY(befriend(q, r));
    QVERIFY(allowGroupAddsFromEveryone(q));
    QVERIFY(allowGroupAddsFromEveryone(r));
    const quint64 pq = openDirect(*p.client, q.id);
    const quint64 pr = openDirect(*p.client, r.id);
    const quint64 qr = openDirect(*q.client, r.id);
    const quint64 group = createGroupWith(p, {&q, &r});
    QVERIFY(pq && pr && qr && group);
    const quint64 groupConv = openGroupConversation(*p.client, group);
    QVERIFY(groupConv);
    for (const quint64 conv : {pq, pr}) {
        const proto::Frame known = sendText(*p.client, conv, QStringLiteral("first"));
        QVERIFY2(known.has_message_ack(), qPrintable(describeFrame(known)));
    }
    QVERIFY(sendText(*p.client, qr, QStringLiteral("not mine")).has_error());
    QVERIFY(q.client->nextPush(proto::Frame::kMessagePush)); // pq's "first"
    QTest::qWait(300); // the kinds asked meanwhile are known

    const QByteArray manySignature =
        "tern_msg_send_many(bigint[], bigint[], uuid[], smallint[], bytea[], bigint[], bigint[],"
        " int[], boolean[], text[], text[], boolean[], boolean)";
    const QByteArray oneSignature = "tern_msg_send(bigint, bigint, uuid, smallint, bytea, bigint,"
                                    " bigint[], boolean, text, text[], boolean)";
    const server::PgOutcome away = sql("ALTER FUNCTION " + manySignature
                                       + " RENAME TO tern_msg_send_many_away;"
                                         " ALTER FUNCTION "
                                       + oneSignature + " RENAME TO tern_msg_send_away;");
    QVERIFY2(away.ok(), qPrintable(away.error.message));
    auto restore = qScopeGuard([this] {
        const server::PgOutcome back =
            sql("ALTER FUNCTION tern_msg_send_many_away RENAME TO tern_msg_send_many;"
                " ALTER FUNCTION tern_msg_send_away RENAME TO tern_msg_send;");
        if (!back.ok())
            qWarning() << "send functions not restored:" << back.error.message;
    });

    // Round i posts to pq and pr; a retry and a stranger's conversation in the middle.
    const auto burst = [&p](const QList<quint64> &conversations, int rounds,
                            std::vector<Posted> &posted) {
        for (int i = 0; i < rounds; ++i) {
            for (const quint64 conv : conversations) {
                Posted sent {0, conv, newClientMsgId(),
                             QStringLiteral("to %1 number %2").arg(conv).arg(i)};
                sent.requestId =
                    p.client->post(textMessageFrame(conv, sent.text, sent.clientMsgId));
                posted.push_back(sent);
            }
        }
    };
    std::vector<Posted> posted;
    burst({pq, pr}, 10, posted);
    const quint64 retryId =
        p.client->post(textMessageFrame(pq, posted.at(4).text, posted.at(4).clientMsgId));
    const quint64 strangerId =
        p.client->post(textMessageFrame(qr, QStringLiteral("not mine"), newClientMsgId()));
    burst({pq, pr}, 10, posted);

    QMap<quint64, quint64> nextSeq {{pq, 2}, {pr, 2}, {groupConv, 0}};
    QMap<quint64, QStringList> texts;
    const auto checkAcks = [&](const std::vector<Posted> &sends) {
        for (const Posted &sent : sends) {
            const proto::Frame answer = p.client->answerTo(sent.requestId);
            QVERIFY2(answer.has_message_ack(), qPrintable(describeFrame(answer)));
            QVERIFY(!answer.message_ack().duplicate());
            QCOMPARE(answer.message_ack().conversation_id(), sent.conversationId);
            if (nextSeq[sent.conversationId] == 0) // the group's first seq follows its events
                nextSeq[sent.conversationId] = answer.message_ack().seq();
            QCOMPARE(answer.message_ack().seq(), nextSeq[sent.conversationId]++);
            texts[sent.conversationId].append(sent.text);
        }
    };
    checkAcks(posted);
    if (QTest::currentTestFailed())
        return;
    const proto::Frame retried = p.client->answerTo(retryId);
    QVERIFY2(retried.has_message_ack() && retried.message_ack().duplicate(),
             qPrintable(describeFrame(retried)));
    QCOMPARE(retried.message_ack().seq(), 4u); // posted[4]: pq's third of the burst
    const proto::Frame stranger = p.client->answerTo(strangerId);
    QVERIFY2(stranger.has_error(), qPrintable(describeFrame(stranger)));

    // The functions back: the group's sends, first among direct ones, then alone.
    restore.dismiss();
    const server::PgOutcome back =
        sql("ALTER FUNCTION tern_msg_send_many_away RENAME TO tern_msg_send_many;"
            " ALTER FUNCTION tern_msg_send_away RENAME TO tern_msg_send;");
    QVERIFY2(back.ok(), qPrintable(back.error.message));
    std::vector<Posted> mixed;
    burst({groupConv, pq, pr}, 15, mixed);
    burst({groupConv}, 10, mixed);
    burst({pq, groupConv}, 5, mixed);
    checkAcks(mixed);
    if (QTest::currentTestFailed())
        return;

    // Stored as acked, and pushed to q in seq order, once per message.
    const quint64 groupFirst = nextSeq[groupConv] - quint64(texts[groupConv].size());
    for (const quint64 conv : {pq, groupConv}) {
        const quint64 first = conv == pq ? 2 : groupFirst;
        std::vector<proto::Message> history = fetchAllAfter(*q.client, conv, first - 1);
        std::erase_if(history, [](const proto::Message &m) { return !m.has_content(); });
        QCOMPARE(int(history.size()), int(texts[conv].size()));
        for (size_t i = 0; i < history.size(); ++i) {
            QCOMPARE(history[i].seq(), first + i);
            QCOMPARE(QString::fromStdString(history[i].content().text()), texts[conv].at(int(i)));
        }
    }
    QMap<quint64, quint64> nextPush {{pq, 2}, {groupConv, groupFirst}};
    for (qsizetype left = texts[pq].size() + texts[groupConv].size(); left > 0;) {
        const auto push = q.client->nextPush(proto::Frame::kMessagePush);
        QVERIFY2(push, qPrintable(QStringLiteral("%1 pushes missing").arg(left)));
        const proto::Message &m = push->message_push().message();
        if (!m.has_content())
            continue; // the group's creation
        QVERIFY(nextPush.contains(m.conversation_id()));
        QCOMPARE(m.seq(), nextPush[m.conversation_id()]++);
        --left;
    }
    QVERIFY(!q.client->nextPush(proto::Frame::kMessagePush, 300));
}

// Sends update their conversation's row in every batch; half of each page of conversations is
// kept free so that the new version stays on its page (migration 0016).
void TestSendBatches::directStatementDecidesEachSend()
{
    // The statement itself, with one batch that needs every outcome, and both members of a
    // conversation sending in it: each send gets its own outcome, the sends that pass get
    // dense seqs in input order per conversation, and the answer comes back in input order.
    TestUser s1 = registerTestUser(m_ternd->url(), QStringLiteral("stmt_1"), kPassword);
    TestUser s2 = registerTestUser(m_ternd->url(), QStringLiteral("stmt_2"), kPassword);
    TestUser s3 = registerTestUser(m_ternd->url(), QStringLiteral("stmt_3"), kPassword);
    TestUser s4 = registerTestUser(m_ternd->url(), QStringLiteral("stmt_4"), kPassword);
    TestUser s5 = registerTestUser(m_ternd->url(), QStringLiteral("stmt_5"), kPassword);
    QVERIFY(s1.id && s2.id && s3.id && s4.id && s5.id);
    QVERIFY(befriend(s1, s2));
    QVERIFY(befriend(s1, s3));
    QVERIFY(befriend(s1, s4));
    QVERIFY(allowGroupAddsFromEveryone(s2));
    const quint64 x = openDirect(*s1.client, s2.id);
    const quint64 y = openDirect(*s1.client, s3.id);
    const quint64 z = openDirect(*s1.client, s4.id);
    const quint64 group = createGroupWith(s1, {&s2});
    QVERIFY(x && y && z && group);
    const quint64 groupConv = openGroupConversation(*s1.client, group);
    QVERIFY(groupConv);
    const QString earlierId = newClientMsgId();
    QVERIFY(sendText(*s1.client, x, QStringLiteral("earlier"), earlierId).has_message_ack());
    // s3 blocks s1; s1 and s4 are no longer friends (the conversation stays).
    server::PgSession setup;
    QCOMPARE(setup.connect(m_pg.dsn()), QString());
    const server::PgOutcome blocked =
        setup.exec({"UPDATE contacts SET blocked = true WHERE owner_id = $1 AND peer_id = $2",
                    {server::pgInt(qint64(s3.id)), server::pgInt(qint64(s1.id))}});
    QVERIFY2(blocked.ok() && blocked.results.front().affectedRows() == 1,
             qPrintable(blocked.error.message));
    const server::PgOutcome unfriended =
        setup.exec({"UPDATE contacts SET is_friend = false, friends_since = NULL"
                    " WHERE (owner_id, peer_id) IN (($1, $2), ($2, $1))",
                    {server::pgInt(qint64(s1.id)), server::pgInt(qint64(s4.id))}});
    QVERIFY2(unfriended.ok() && unfriended.results.front().affectedRows() == 2,
             qPrintable(unfriended.error.message));

    struct Item
    {
        quint64 conv;
        quint64 sender;
        QString clientId;
        QByteArray strict; // outcome without strangers allowed
        QByteArray lenient; // with
    };
    const quint64 nowhere = quint64(1) << 50;
    const QList<Item> items {
        {x, s1.id, newClientMsgId(), "ok", "ok"},
        {x, s2.id, newClientMsgId(), "ok", "ok"},
        {y, s1.id, newClientMsgId(), "blocked", "blocked"}, // by the peer
        {x, s1.id, newClientMsgId(), "ok", "ok"},
        {y, s3.id, newClientMsgId(), "blocked", "blocked"}, // by the sender
        {z, s1.id, newClientMsgId(), "not_friends", "ok"},
        {groupConv, s1.id, newClientMsgId(), "not_direct", "not_direct"},
        {x, s5.id, newClientMsgId(), "no_conversation", "no_conversation"},
        {x, s1.id, earlierId, "duplicate", "duplicate"},
        {nowhere, s1.id, newClientMsgId(), "no_conversation", "no_conversation"},
        {z, s4.id, newClientMsgId(), "not_friends", "ok"},
        {x, s2.id, newClientMsgId(), "ok", "ok"},
    };
    QList<qint64> convs, senders;
    QStringList clientIds;
    QByteArray kinds = "{";
    server::PgBinaryArray bodies(server::PgBinaryArray::Element::Bytea);
    server::PgBinaryArray searches(server::PgBinaryArray::Element::Text);
    server::PgBinaryArray grams(server::PgBinaryArray::Element::Text);
    for (const Item &item : items) {
        convs.append(qint64(item.conv));
        senders.append(qint64(item.sender));
        clientIds.append(item.clientId);
        kinds += kinds.size() > 1 ? ",1" : "1";
        bodies.add("body");
        searches.add("");
        grams.add("");
    }
    kinds += '}';

    for (const bool lenient : {false, true}) {
        server::PgSession session;
        QCOMPARE(session.connect(m_pg.dsn()), QString());
        QVERIFY(session.execScript("BEGIN").ok());
        const server::PgOutcome o =
            session.exec({server::kDirectSendSql,
                          {server::pgIds(convs), server::pgIds(senders),
                           server::pgTextArray(clientIds), server::PgParam(kinds), bodies.param(),
                           searches.param(), grams.param(), server::pgBool(lenient)},
                          (1u << 4) | (1u << 5) | (1u << 6)});
        QVERIFY2(o.ok(), qPrintable(o.error.message));
        const server::PgResult &r = o.results.front();
        QCOMPARE(r.rowCount(), int(items.size()));
        QMap<quint64, quint64> nextSeq {{x, 2}, {z, 1}};
        for (int i = 0; i < items.size(); ++i) {
            const Item &item = items.at(i);
            const QByteArray expected = lenient ? item.lenient : item.strict;
            QCOMPARE(r.int64(i, 0), qint64(i + 1));
            QCOMPARE(r.bytes(i, 1), expected);
            if (expected == "ok") {
                QCOMPARE(quint64(r.int64(i, 2)), item.conv);
                QCOMPARE(quint64(r.int64(i, 3)), nextSeq[item.conv]++);
            } else if (expected == "duplicate") {
                QCOMPARE(quint64(r.int64(i, 2)), x);
                QCOMPARE(r.int64(i, 3), 1);
            }
        }
        QVERIFY(session.execScript("ROLLBACK").ok());
    }
}

void TestSendBatches::conversationPagesLeaveRoomForUpdates()
{
    const server::PgOutcome o = sql(
        "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'conversations'");
    QVERIFY2(o.ok(), qPrintable(o.error.message));
    QCOMPARE(o.results.back().text(0, 0), QStringLiteral("fillfactor=50"));
}

QTEST_GUILESS_MAIN(TestSendBatches)
#include "tst_sendbatches.moc"
