// SPDX-License-Identifier: Apache-2.0
// Messaging against a real ternd and PostgreSQL: the limits Welcome advertises, send -> ack ->
// push to every device but the sending connection, one direct conversation per pair, dense
// seqs under twenty concurrent pipelining senders, deduplication by client_msg_id across
// connections, who may send and read, mute-all and @all, refused input that stores nothing,
// and history paging in both directions.
//
// Proving that a push did NOT happen: the server fans a commit out to all connections at once,
// so the test first waits for a push the same commit (or a later one) produced for someone
// else, then gives the connection kSilenceMs more.
#include "store/pgsession.h"
#include "support/messagingtest.h"
#include "support/pgfixture.h"
#include "support/terndprocess.h"
#include "support/testclient.h"
#include "support/testusers.h"
#include "tern/framing.h"

#include <QMap>
#include <QSet>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

using namespace tern;

namespace {

const QString kPassword = QStringLiteral("messaging password");
// Set on ternd in initTestCase; all differ from the defaults (5000, 900, 120), so a server that
// ignores the environment fails welcomeAdvertisesMessagingLimits.
constexpr int kMaxTextLength = 300;
constexpr int kEditWindowS = 600;
constexpr int kRecallWindowS = 90;
// Requests one connection may have unanswered (default 1024).
constexpr int kMaxRequestsInFlight = 64;
constexpr quint64 kNoSuchConversation = 987654321;
// lastSeq() when GetMessages failed: compares unequal to every real seq.
constexpr quint64 kNoAnswer = std::numeric_limits<quint64>::max();
// How long a connection is watched for a push that must not come.
constexpr int kSilenceMs = 700;
// badInput rows: a fresh UUID is made for this client_msg_id.
const QString kFreshId = QStringLiteral("<fresh>");

QString describePush(const std::optional<proto::Frame> &frame)
{
    return frame ? QString::fromStdString(frame->ShortDebugString()) : QStringLiteral("(none)");
}

bool isOneOf(const proto::Frame &answer, proto::ErrorCode first, proto::ErrorCode second)
{
    const proto::ErrorCode code = errorCode(answer);
    return code == first || code == second;
}

// The conversation's newest seq as `client`'s user sees it; kNoAnswer (with a warning) when
// GetMessages fails.
quint64 lastSeq(TestClient &client, quint64 conversationId)
{
    const proto::Frame answer = getMessagesAfter(client, conversationId, 0, 1);
    if (!answer.has_message_list()) {
        qWarning("GetMessages failed: %s", qPrintable(describeFrame(answer)));
        return kNoAnswer;
    }
    return answer.message_list().last_seq();
}

// The whole readable history, paged backwards from the newest entry as a client scrolling up
// does; ascending. Empty (with a
// warning) when a page fails.
std::vector<proto::Message> wholeHistory(TestClient &client, quint64 conversationId,
                                         quint32 pageSize)
{
    std::vector<proto::Message> history;
    quint64 before = 0;
    for (int pages = 0; pages < 1000; ++pages) {
        const proto::Frame page = getMessagesBefore(client, conversationId, before, pageSize);
        if (!page.has_message_list()) {
            qWarning("GetMessages failed: %s", qPrintable(describeFrame(page)));
            return {};
        }
        const auto &messages = page.message_list().messages();
        history.insert(history.begin(), messages.begin(), messages.end());
        if (!page.message_list().has_more() || messages.empty())
            break;
        before = messages.begin()->seq();
    }
    return history;
}

QList<quint64> seqsOf(const proto::Frame &page)
{
    QList<quint64> seqs;
    for (const proto::Message &message : page.message_list().messages())
        seqs.append(message.seq());
    return seqs;
}

QList<quint64> seqRange(quint64 first, quint64 last)
{
    QList<quint64> seqs;
    for (quint64 seq = first; seq <= last; ++seq)
        seqs.append(seq);
    return seqs;
}

// What a text message entry must say.
struct Expected
{
    quint64 conversationId = 0;
    quint64 seq = 0;
    quint64 senderId = 0;
    QString clientMsgId;
    QByteArray text; // UTF-8, compared byte for byte
    qint64 sentAtMs = 0; // 0: not checked
};

// Empty when `message` is the expected text entry, else what differs.
QString mismatch(const proto::Message &message, const Expected &expected)
{
    QStringList wrong;
    if (message.conversation_id() != expected.conversationId)
        wrong << QStringLiteral("conversation_id");
    if (message.seq() != expected.seq)
        wrong << QStringLiteral("seq (expected %1)").arg(expected.seq);
    if (message.sender_id() != expected.senderId)
        wrong << QStringLiteral("sender_id (expected %1)").arg(expected.senderId);
    if (QString::fromStdString(message.client_msg_id()) != expected.clientMsgId)
        wrong << QStringLiteral("client_msg_id (expected %1)").arg(expected.clientMsgId);
    if (!message.has_content() || message.content().kind() != proto::MessageContent::KIND_TEXT)
        wrong << QStringLiteral("not a text message");
    if (QByteArray::fromStdString(message.content().text()) != expected.text)
        wrong << QStringLiteral("text (expected %1)").arg(QString::fromUtf8(expected.text));
    if (expected.sentAtMs != 0 && message.sent_at_ms() != expected.sentAtMs)
        wrong << QStringLiteral("sent_at_ms (expected %1)").arg(expected.sentAtMs);
    if (wrong.isEmpty())
        return {};
    return wrong.join(QStringLiteral(", ")) + QStringLiteral(" in ")
        + QString::fromStdString(message.ShortDebugString());
}

// Sends `frame` on a connection of its own, for frames the server cannot decode (it may close
// a connection that sends those); returns the first frame that comes back.
proto::Frame sendUndecodable(const QUrl &url, const TestUser &user, proto::Frame frame)
{
    constexpr quint64 kRequestId = 1000;
    auto device = loginDevice(url, user, user.name + QStringLiteral("-raw"));
    if (!device)
        return makeErrorFrame(0, proto::ERROR_CODE_INTERNAL, QStringLiteral("login failed"));
    frame.set_request_id(kRequestId);
    device->sendRaw(encodeFrame(frame));
    for (;;) {
        const auto answer = device->nextUnsolicited(10000);
        if (!answer)
            return makeErrorFrame(0, proto::ERROR_CODE_INTERNAL, QStringLiteral("test timeout"));
        if (answer->has_error() || answer->request_id() == kRequestId)
            return *answer;
    }
}

// A group conversation with enough members for the mention limit, for the bad-input rows.
struct BadInputFixture
{
    TestUser owner;
    std::vector<TestUser> members; // 51, their connections closed
    quint64 conversationId = 0;
    quint64 textSeq = 0; // a text message to reply to
};

enum Reply { NoReply, ReplyToExisting, ReplyToMissing };

const char kThumbsUp[] = "\xF0\x9F\x91\x8D";
const char kHeart[] = "\xE2\x9D\xA4";
const char kWow[] = "\xF0\x9F\x98\xAE";

// "emoji:user,user" per reaction of a message, in the server's order (of first use).
QStringList reactionsOf(const proto::Message &message)
{
    QStringList out;
    for (const auto &reaction : message.reactions()) {
        QStringList users;
        for (const quint64 id : reaction.user_ids())
            users.append(QString::number(id));
        out.append(QString::fromStdString(reaction.emoji()) + QLatin1Char(':')
                   + users.join(QLatin1Char(',')));
    }
    return out;
}

QString reactionEntry(const char *emoji, const QList<quint64> &users)
{
    QStringList ids;
    for (const quint64 id : users)
        ids.append(QString::number(id));
    return QString::fromUtf8(emoji) + QLatin1Char(':') + ids.join(QLatin1Char(','));
}

// The entry `seq` of a history, or nullptr.
const proto::Message *findSeq(const std::vector<proto::Message> &history, quint64 seq)
{
    const auto it = std::find_if(history.begin(), history.end(),
                                 [seq](const proto::Message &m) { return m.seq() == seq; });
    return it == history.end() ? nullptr : &*it;
}

} // namespace

class TestMessaging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void welcomeAdvertisesMessagingLimits();
    void directSendAckAndPush();
    void unknownContentFieldsAreDropped();
    void orderingTwentyMembersConcurrently();
    void dedupeSameClientMsgIdThreeTimes();
    void authorization();
    void groupMuteAllOnlyAdminsSend();
    void badInputIsRefusedAndStoresNothing_data();
    void badInputIsRefusedAndStoresNothing();
    void historyPagingBackwards();
    void requestsInFlightAreCapped();
    void forgedBundleIsRefused();
    void clientMsgIdIsCaseInsensitive();
    void largeEntriesMakeShorterPages();
    void eventsAboutMessagesBeforeJoiningStayPrivate();
    void formerMembersSeeTheGroupAsTheyLeftIt_data();
    void formerMembersSeeTheGroupAsTheyLeftIt();
    void blockingStopsReadReceipts();

private:
    TestUser newUser(const QString &prefix);
    // Two friends, `prefix`_a and `prefix`_b, and their direct conversation (0 if any step
    // failed).
    struct Friends
    {
        TestUser a;
        TestUser b;
        quint64 conversation = 0;
    };
    Friends newFriends(const QString &prefix);
    bool setUpBadInputFixture();

    PgFixture m_pg;
    std::unique_ptr<TerndProcess> m_ternd;
    int m_userCount = 0;
    std::unique_ptr<BadInputFixture> m_badInput;
    bool m_badInputTried = false;
};

void TestMessaging::initTestCase()
{
    const QString error = m_pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_ternd = std::make_unique<TerndProcess>();
    QProcessEnvironment &env = m_ternd->environment();
    env.insert(QStringLiteral("TERN_MESSAGE_MAX_TEXT_LENGTH"), QString::number(kMaxTextLength));
    env.insert(QStringLiteral("TERN_MESSAGE_EDIT_WINDOW_S"), QString::number(kEditWindowS));
    env.insert(QStringLiteral("TERN_MESSAGE_RECALL_WINDOW_S"), QString::number(kRecallWindowS));
    env.insert(QStringLiteral("TERN_MAX_REQUESTS_IN_FLIGHT"),
               QString::number(kMaxRequestsInFlight));
    env.insert(QStringLiteral("TERN_MESSAGE_ALLOW_STRANGERS"), QStringLiteral("0"));
    const QString started = m_ternd->startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
}

void TestMessaging::cleanup()
{
    // What ternd said, when a test fails: usually the quickest way to why.
    if (QTest::currentTestFailed() && m_ternd)
        qInfo().noquote() << "ternd output (tail):\n" << m_ternd->output().right(6000);
}

void TestMessaging::cleanupTestCase()
{
    m_badInput.reset();
    if (m_ternd)
        QCOMPARE(m_ternd->terminate(), 0);
}

TestUser TestMessaging::newUser(const QString &prefix)
{
    const QString name = QStringLiteral("%1_%2").arg(prefix).arg(++m_userCount);
    TestUser user = registerTestUser(m_ternd->url(), name, kPassword);
    if (user.id == 0)
        qWarning("cannot register %s", qPrintable(name));
    return user;
}

TestMessaging::Friends TestMessaging::newFriends(const QString &prefix)
{
    Friends friends {newUser(prefix + QStringLiteral("_a")),
                     newUser(prefix + QStringLiteral("_b"))};
    if (friends.a.id != 0 && friends.b.id != 0 && befriend(friends.a, friends.b))
        friends.conversation = openDirect(*friends.a.client, friends.b.id);
    if (friends.conversation == 0)
        qWarning("cannot make %s_a and %s_b friends with a conversation", qPrintable(prefix),
                 qPrintable(prefix));
    return friends;
}

void TestMessaging::welcomeAdvertisesMessagingLimits()
{
    TestClient client;
    QVERIFY(client.open(m_ternd->url()));
    const proto::Frame welcome = client.hello(QStringLiteral("limits-probe"));
    QVERIFY2(welcome.has_welcome(), qPrintable(describeFrame(welcome)));
    const proto::ServerLimits &limits = welcome.welcome().limits();
    QCOMPARE(limits.max_message_text_length(), quint32(kMaxTextLength));
    QCOMPARE(limits.edit_window_s(), quint32(kEditWindowS));
    QCOMPARE(limits.recall_window_s(), quint32(kRecallWindowS));
    QCOMPARE(limits.max_requests_in_flight(), quint32(kMaxRequestsInFlight));
}

// A newer client's content fields this server does not know are not stored or relayed
// unchecked.
void TestMessaging::unknownContentFieldsAreDropped()
{
    auto [a, b, conv] = newFriends(QStringLiteral("unk"));
    QVERIFY(conv != 0);

    proto::Frame frame =
        textMessageFrame(conv, QStringLiteral("from the future"), newClientMsgId());
    proto::MessageContent *content = frame.mutable_send_message()->mutable_content();
    content->GetReflection()->MutableUnknownFields(content)->AddVarint(999, 42);
    const proto::Frame answer = a.client->request(frame);
    QVERIFY2(answer.has_message_ack(), qPrintable(describeFrame(answer)));
    const auto push = b.client->nextPush(proto::Frame::kMessagePush);
    QVERIFY2(push, "no message_push");
    const proto::MessageContent &pushed = push->message_push().message().content();
    QCOMPARE(pushed.text(), std::string("from the future"));
    QVERIFY(pushed.GetReflection()->GetUnknownFields(pushed).empty());
    const proto::Frame page = getMessagesAfter(*b.client, conv, 0);
    QVERIFY2(page.has_message_list(), qPrintable(describeFrame(page)));
    QCOMPARE(page.message_list().messages_size(), 1);
    const proto::MessageContent &stored = page.message_list().messages(0).content();
    QVERIFY(stored.GetReflection()->GetUnknownFields(stored).empty());
}

void TestMessaging::directSendAckAndPush()
{
    TestUser a = newUser(QStringLiteral("dir_a"));
    TestUser b = newUser(QStringLiteral("dir_b"));
    QVERIFY(a.id != 0 && b.id != 0);
    QVERIFY(befriend(a, b));
    auto aPhone = loginDevice(m_ternd->url(), a, a.name + QStringLiteral("-phone"));
    QVERIFY(aPhone);

    proto::Frame open;
    open.mutable_open_conversation()->set_peer_user_id(b.id);
    const proto::Frame opened = a.client->request(open);
    QVERIFY2(opened.has_conversation_state(), qPrintable(describeFrame(opened)));
    const proto::ConversationState &state = opened.conversation_state();
    QCOMPARE(state.kind(), proto::CONVERSATION_KIND_DIRECT);
    QCOMPARE(state.peer_user_id(), b.id);
    QCOMPARE(state.last_seq(), 0u);
    QVERIFY(state.active());
    const quint64 conv = state.conversation_id();
    QVERIFY(conv != 0);
    // One direct conversation per pair, whoever opens it, from any device, however often.
    QCOMPARE(openDirect(*b.client, a.id), conv);
    QCOMPARE(openDirect(*a.client, b.id), conv);
    QCOMPARE(openDirect(*aPhone, b.id), conv);

    // Chinese, an emoji outside the BMP and Cyrillic: stored and pushed byte for byte.
    const QString text = QStringLiteral("你好 👋 Привет");
    const QString cmid = newClientMsgId();
    const proto::Frame answer = sendText(*a.client, conv, text, cmid);
    QVERIFY2(answer.has_message_ack(), qPrintable(describeFrame(answer)));
    const proto::MessageAck ack = answer.message_ack();
    QCOMPARE(ack.conversation_id(), conv);
    QCOMPARE(ack.seq(), 1u);
    QVERIFY(ack.sent_at_ms() > 0);
    QVERIFY(!ack.duplicate());
    QCOMPARE(QString::fromStdString(ack.client_msg_id()), cmid);

    const Expected expected {conv, 1, a.id, cmid, text.toUtf8(), ack.sent_at_ms()};
    // The peer and the sender's other device get the entry as committed.
    for (TestClient *device : {b.client.get(), aPhone.get()}) {
        const auto push = device->nextPush(proto::Frame::kMessagePush);
        QVERIFY2(push, "no message_push");
        const QString wrong = mismatch(push->message_push().message(), expected);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    }
    // The sending connection has the ack instead.
    const auto echo = a.client->nextPush(proto::Frame::kMessagePush, kSilenceMs);
    QVERIFY2(!echo, qPrintable(describePush(echo)));

    for (TestClient *reader : {b.client.get(), a.client.get(), aPhone.get()}) {
        const proto::Frame page = getMessagesAfter(*reader, conv, 0);
        QVERIFY2(page.has_message_list(), qPrintable(describeFrame(page)));
        QCOMPARE(page.message_list().conversation_id(), conv);
        QCOMPARE(page.message_list().last_seq(), 1u);
        QVERIFY(!page.message_list().has_more());
        QCOMPARE(page.message_list().messages_size(), 1);
        const QString wrong = mismatch(page.message_list().messages(0), expected);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    }
}

void TestMessaging::orderingTwentyMembersConcurrently()
{
    constexpr int kMembers = 20;
    constexpr int kPerMember = 10;
    constexpr int kTotal = kMembers * kPerMember;
    constexpr quint64 kFirst = 2; // seq 1 is the group's KIND_CREATED event
    constexpr quint64 kLast = kFirst + kTotal - 1;
    constexpr int kTablet = 7; // the member with a second device

    std::vector<TestUser> users;
    users.reserve(kMembers);
    for (int i = 0; i < kMembers; ++i) {
        users.push_back(newUser(QStringLiteral("ord%1").arg(i)));
        QVERIFY(users.back().id != 0);
    }
    QList<TestUser *> members;
    for (int i = 1; i < kMembers; ++i)
        members.append(&users[i]);
    const quint64 groupId = createGroupWith(users[0], members);
    QVERIFY(groupId != 0);
    const quint64 conv = openGroupConversation(*users[0].client, groupId);
    QVERIFY(conv != 0);
    for (TestUser &user : users)
        QCOMPARE(openGroupConversation(*user.client, groupId), conv);
    auto tablet =
        loginDevice(m_ternd->url(), users[kTablet], users[kTablet].name + QStringLiteral("-tab"));
    QVERIFY(tablet);

    // Every send goes out before any answer is read: 20 connections with 10 sends in flight
    // each, interleaved.
    struct Posted
    {
        quint64 requestId;
        QString clientMsgId;
        QString text;
    };
    std::vector<std::vector<Posted>> posted(kMembers);
    for (int round = 0; round < kPerMember; ++round) {
        for (int i = 0; i < kMembers; ++i) {
            const QString cmid = newClientMsgId();
            const QString text = QStringLiteral("member %1 says %2").arg(i).arg(round);
            posted[i].push_back(
                {users[i].client->post(textMessageFrame(conv, text, cmid)), cmid, text});
        }
    }

    QMap<quint64, Expected> bySeq;
    std::vector<QSet<quint64>> ownSeqs(kMembers);
    for (int i = 0; i < kMembers; ++i) {
        for (const Posted &post : posted[i]) {
            const proto::Frame answer = users[i].client->answerTo(post.requestId);
            QVERIFY2(answer.has_message_ack(), qPrintable(describeFrame(answer)));
            const proto::MessageAck &ack = answer.message_ack();
            QCOMPARE(ack.conversation_id(), conv);
            QCOMPARE(QString::fromStdString(ack.client_msg_id()), post.clientMsgId);
            QVERIFY(!ack.duplicate());
            QVERIFY(ack.sent_at_ms() > 0);
            QVERIFY2(ack.seq() >= kFirst && ack.seq() <= kLast,
                     qPrintable(QStringLiteral("seq %1 outside 2..201").arg(ack.seq())));
            QVERIFY2(!bySeq.contains(ack.seq()),
                     qPrintable(QStringLiteral("seq %1 acked twice").arg(ack.seq())));
            bySeq.insert(ack.seq(),
                         Expected {conv, ack.seq(), users[i].id, post.clientMsgId,
                                   post.text.toUtf8(), ack.sent_at_ms()});
            ownSeqs[i].insert(ack.seq());
        }
    }
    // 200 distinct seqs, all within 2..201: exactly 2..201.
    QCOMPARE(bySeq.size(), kTotal);

    // Every member gets everyone else's 190 messages, in seq order, and none of its own.
    for (int i = 0; i < kMembers; ++i) {
        QSet<quint64> seen = ownSeqs[i];
        quint64 previous = 0;
        for (int n = 0; n < kTotal - kPerMember; ++n) {
            const auto push = users[i].client->nextPush(proto::Frame::kMessagePush);
            QVERIFY2(push,
                     qPrintable(QStringLiteral("member %1 got only %2 pushes").arg(i).arg(n)));
            const proto::Message &message = push->message_push().message();
            QVERIFY2(message.seq() > previous,
                     qPrintable(QStringLiteral("member %1: seq %2 after %3")
                                    .arg(i)
                                    .arg(message.seq())
                                    .arg(previous)));
            previous = message.seq();
            QVERIFY2(!ownSeqs[i].contains(message.seq()),
                     qPrintable(QStringLiteral("member %1 got its own seq %2 pushed")
                                    .arg(i)
                                    .arg(message.seq())));
            QVERIFY2(bySeq.contains(message.seq()), qPrintable(describePush(push)));
            const QString wrong = mismatch(message, bySeq.value(message.seq()));
            QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
            seen.insert(message.seq());
        }
        QCOMPARE(seen.size(), kTotal);
    }
    // The second device is not the sending connection: it gets all 200, in order.
    for (quint64 seq = kFirst; seq <= kLast; ++seq) {
        const auto push = tablet->nextPush(proto::Frame::kMessagePush);
        QVERIFY2(push, qPrintable(QStringLiteral("tablet got no push for seq %1").arg(seq)));
        const QString wrong = mismatch(push->message_push().message(), bySeq.value(seq));
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    }
    QTest::qWait(kSilenceMs);
    for (int i = 0; i < kMembers; ++i) {
        const auto extra = users[i].client->nextPush(proto::Frame::kMessagePush, 0);
        QVERIFY2(!extra, qPrintable(describePush(extra)));
    }
    const auto extra = tablet->nextPush(proto::Frame::kMessagePush, 0);
    QVERIFY2(!extra, qPrintable(describePush(extra)));

    // Two members read the same history: the creation event, then 2..201 as acked.
    for (TestUser *reader : {&users[0], &users[13]}) {
        // 60 does not divide 201: the last page backwards is a short one.
        const std::vector<proto::Message> history = wholeHistory(*reader->client, conv, 60);
        QCOMPARE(history.size(), size_t(kLast));
        QCOMPARE(history.front().seq(), 1u);
        QVERIFY(history.front().has_group_event());
        QCOMPARE(history.front().group_event().kind(), proto::GroupEvent::KIND_CREATED);
        for (quint64 seq = kFirst; seq <= kLast; ++seq) {
            const QString wrong = mismatch(history.at(seq - 1), bySeq.value(seq));
            QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
        }
    }
    // Forwards from the creation event: the same 200 in one page.
    const proto::Frame forwards = getMessagesAfter(*users[5].client, conv, 1, 200);
    QVERIFY2(forwards.has_message_list(), qPrintable(describeFrame(forwards)));
    QCOMPARE(seqsOf(forwards), seqRange(kFirst, kLast));
    QVERIFY(!forwards.message_list().has_more());
    QCOMPARE(forwards.message_list().last_seq(), kLast);
}

void TestMessaging::dedupeSameClientMsgIdThreeTimes()
{
    auto [a, b, conv] = newFriends(QStringLiteral("dup"));
    QVERIFY(conv != 0);

    const QString cmid = newClientMsgId();
    const QString text = QStringLiteral("only once");
    // Twice back to back, as a client that retries before the first ack arrived.
    const quint64 first = a.client->post(textMessageFrame(conv, text, cmid));
    const quint64 second = a.client->post(textMessageFrame(conv, text, cmid));
    const proto::Frame firstAnswer = a.client->answerTo(first);
    const proto::Frame secondAnswer = a.client->answerTo(second);
    QVERIFY2(firstAnswer.has_message_ack(), qPrintable(describeFrame(firstAnswer)));
    QVERIFY2(secondAnswer.has_message_ack(), qPrintable(describeFrame(secondAnswer)));
    const proto::MessageAck original = firstAnswer.message_ack();
    QCOMPARE(original.seq(), 1u);
    QVERIFY(!original.duplicate());
    QCOMPARE(secondAnswer.message_ack().seq(), original.seq());
    QCOMPARE(secondAnswer.message_ack().sent_at_ms(), original.sent_at_ms());
    QCOMPARE(QString::fromStdString(secondAnswer.message_ack().client_msg_id()), cmid);
    QVERIFY(secondAnswer.message_ack().duplicate());

    // Once more from a new connection: deduplication is per sender, not per connection.
    a.client.reset();
    a.client = loginDevice(m_ternd->url(), a, a.name + QStringLiteral("-main"));
    QVERIFY(a.client);
    const proto::Frame third = sendText(*a.client, conv, text, cmid);
    QVERIFY2(third.has_message_ack(), qPrintable(describeFrame(third)));
    QCOMPARE(third.message_ack().conversation_id(), conv);
    QCOMPARE(third.message_ack().seq(), original.seq());
    QCOMPARE(third.message_ack().sent_at_ms(), original.sent_at_ms());
    QVERIFY(third.message_ack().duplicate());

    // The same id with other text is still the retry of the original: nothing replaced.
    const proto::Frame changed = sendText(*a.client, conv, QStringLiteral("other text"), cmid);
    QVERIFY2(changed.has_message_ack(), qPrintable(describeFrame(changed)));
    QCOMPARE(changed.message_ack().seq(), original.seq());
    QCOMPARE(changed.message_ack().sent_at_ms(), original.sent_at_ms());
    QVERIFY(changed.message_ack().duplicate());

    const Expected expected {conv, 1, a.id, cmid, text.toUtf8(), original.sent_at_ms()};
    const proto::Frame page = getMessagesAfter(*b.client, conv, 0);
    QVERIFY2(page.has_message_list(), qPrintable(describeFrame(page)));
    QCOMPARE(page.message_list().last_seq(), 1u);
    QCOMPARE(page.message_list().messages_size(), 1);
    const QString stored = mismatch(page.message_list().messages(0), expected);
    QVERIFY2(stored.isEmpty(), qPrintable(stored));

    // The peer saw it once.
    const auto push = b.client->nextPush(proto::Frame::kMessagePush);
    QVERIFY2(push, "no message_push");
    const QString pushed = mismatch(push->message_push().message(), expected);
    QVERIFY2(pushed.isEmpty(), qPrintable(pushed));
    const auto again = b.client->nextPush(proto::Frame::kMessagePush, kSilenceMs);
    QVERIFY2(!again, qPrintable(describePush(again)));

    // The key is (sender, client_msg_id): the peer using the same id sends a new message.
    const proto::Frame peers = sendText(*b.client, conv, QStringLiteral("mine"), cmid);
    QVERIFY2(peers.has_message_ack(), qPrintable(describeFrame(peers)));
    QCOMPARE(peers.message_ack().seq(), 2u);
    QVERIFY(!peers.message_ack().duplicate());
}

void TestMessaging::authorization()
{
    const auto refusedForOutsider = [](const proto::Frame &answer) {
        return isOneOf(answer, proto::ERROR_CODE_NOT_FOUND, proto::ERROR_CODE_PERMISSION_DENIED);
    };

    // A group of owner, member and a member who will be removed; an outsider watches.
    TestUser owner = newUser(QStringLiteral("auth_o"));
    TestUser member = newUser(QStringLiteral("auth_m"));
    TestUser removed = newUser(QStringLiteral("auth_r"));
    TestUser outsider = newUser(QStringLiteral("auth_c"));
    QVERIFY(owner.id != 0 && member.id != 0 && removed.id != 0 && outsider.id != 0);
    const quint64 groupId = createGroupWith(owner, {&member, &removed});
    QVERIFY(groupId != 0);
    const quint64 conv = openGroupConversation(*owner.client, groupId);
    QVERIFY(conv != 0);

    const proto::Frame hello = sendText(*owner.client, conv, QStringLiteral("hello team"));
    QVERIFY2(hello.has_message_ack(), qPrintable(describeFrame(hello)));
    QCOMPARE(hello.message_ack().seq(), 2u);
    for (TestUser *user : {&member, &removed}) {
        const auto push = user->client->nextPush(proto::Frame::kMessagePush);
        QVERIFY2(push && push->message_push().message().seq() == 2, qPrintable(describePush(push)));
    }

    // The outsider can neither open, post to nor read the group's conversation.
    proto::Frame openGroup;
    openGroup.mutable_open_conversation()->set_group_id(groupId);
    const proto::Frame outsiderOpen = outsider.client->request(openGroup);
    QCOMPARE(errorCode(outsiderOpen), proto::ERROR_CODE_NOT_FOUND);
    const proto::Frame outsiderSend = sendText(*outsider.client, conv, QStringLiteral("let me in"));
    QVERIFY2(refusedForOutsider(outsiderSend), qPrintable(describeFrame(outsiderSend)));
    QCOMPARE(lastSeq(*owner.client, conv), 2u);
    const proto::Frame outsiderRead = getMessagesAfter(*outsider.client, conv, 0);
    QVERIFY2(refusedForOutsider(outsiderRead), qPrintable(describeFrame(outsiderRead)));

    // A member posts: the members hear it, the outsider does not.
    const proto::Frame fromMember = sendText(*member.client, conv, QStringLiteral("members only"));
    QVERIFY2(fromMember.has_message_ack(), qPrintable(describeFrame(fromMember)));
    QCOMPARE(fromMember.message_ack().seq(), 3u);
    for (TestUser *user : {&owner, &removed}) {
        const auto push = user->client->nextPush(proto::Frame::kMessagePush);
        QVERIFY2(push && push->message_push().message().seq() == 3, qPrintable(describePush(push)));
    }
    const auto overheard = outsider.client->nextPush(proto::Frame::kMessagePush, kSilenceMs);
    QVERIFY2(!overheard, qPrintable(describePush(overheard)));

    // Removal is seq 4; the removed member reads up to it, hears and sends nothing after.
    proto::Frame remove;
    remove.mutable_remove_group_member()->set_group_id(groupId);
    remove.mutable_remove_group_member()->set_user_id(removed.id);
    const proto::Frame removal = owner.client->request(remove);
    QVERIFY2(removal.has_group_change_result(), qPrintable(describeFrame(removal)));
    const quint64 removalSeq = removal.group_change_result().event().seq();
    QCOMPARE(removalSeq, 4u);
    const proto::Frame later = sendText(*owner.client, conv, QStringLiteral("after removal"));
    QVERIFY2(later.has_message_ack(), qPrintable(describeFrame(later)));
    QCOMPARE(later.message_ack().seq(), 5u);
    const auto memberHeard = member.client->nextPush(proto::Frame::kMessagePush);
    QVERIFY2(memberHeard && memberHeard->message_push().message().seq() == 5,
             qPrintable(describePush(memberHeard)));
    const auto removedHeard = removed.client->nextPush(proto::Frame::kMessagePush, kSilenceMs);
    QVERIFY2(!removedHeard, qPrintable(describePush(removedHeard)));

    const proto::Frame removedRead = getMessagesAfter(*removed.client, conv, 0);
    QVERIFY2(removedRead.has_message_list(), qPrintable(describeFrame(removedRead)));
    QCOMPARE(seqsOf(removedRead), seqRange(1, removalSeq));
    QCOMPARE(removedRead.message_list().last_seq(), removalSeq);
    QVERIFY(removedRead.message_list().messages(int(removalSeq - 1)).has_group_event());
    const proto::Frame removedSend = sendText(*removed.client, conv, QStringLiteral("still here?"));
    QCOMPARE(errorCode(removedSend), proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(removedSend.error().reason(), std::string("messaging/left"));
    QCOMPARE(lastSeq(*owner.client, conv), 5u);

    // Blocked in an existing direct conversation: no sending, no push, nothing stored.
    TestUser a = newUser(QStringLiteral("auth_a"));
    TestUser b = newUser(QStringLiteral("auth_b"));
    QVERIFY(a.id != 0 && b.id != 0);
    QVERIFY(befriend(a, b));
    const quint64 direct = openDirect(*a.client, b.id);
    QVERIFY(direct != 0);
    const proto::Frame beforeBlock = sendText(*a.client, direct, QStringLiteral("hi"));
    QVERIFY2(beforeBlock.has_message_ack(), qPrintable(describeFrame(beforeBlock)));
    const auto first = b.client->nextPush(proto::Frame::kMessagePush);
    QVERIFY2(first && first->message_push().message().seq() == 1, qPrintable(describePush(first)));
    proto::Frame block;
    block.mutable_block_user()->set_user_id(a.id);
    const proto::Frame blocked = b.client->request(block);
    QVERIFY2(blocked.has_contact() && blocked.contact().blocked(),
             qPrintable(describeFrame(blocked)));
    const proto::Frame afterBlock = sendText(*a.client, direct, QStringLiteral("hello?"));
    QCOMPARE(errorCode(afterBlock), proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(afterBlock.error().reason(), std::string("messaging/blocked"));
    const auto unwanted = b.client->nextPush(proto::Frame::kMessagePush, kSilenceMs);
    QVERIFY2(!unwanted, qPrintable(describePush(unwanted)));
    QCOMPARE(lastSeq(*b.client, direct), 1u);
    // A block in either direction refuses opening the conversation, to both.
    proto::Frame openB;
    openB.mutable_open_conversation()->set_peer_user_id(b.id);
    QCOMPARE(errorCode(a.client->request(openB)), proto::ERROR_CODE_PERMISSION_DENIED);
    proto::Frame openA;
    openA.mutable_open_conversation()->set_peer_user_id(a.id);
    QCOMPARE(errorCode(b.client->request(openA)), proto::ERROR_CODE_PERMISSION_DENIED);

    // Strangers (TERN_MESSAGE_ALLOW_STRANGERS=0) cannot open a direct conversation.
    TestUser d = newUser(QStringLiteral("auth_d"));
    TestUser e = newUser(QStringLiteral("auth_e"));
    QVERIFY(d.id != 0 && e.id != 0);
    proto::Frame openE;
    openE.mutable_open_conversation()->set_peer_user_id(e.id);
    const proto::Frame strangers = d.client->request(openE);
    QCOMPARE(errorCode(strangers), proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(strangers.error().reason(), std::string("messaging/not_friends"));
    // A stranger whom e blocked hears the same: nothing tells them of the block.
    TestUser f = newUser(QStringLiteral("auth_f"));
    QVERIFY(f.id != 0);
    proto::Frame blockF;
    blockF.mutable_block_user()->set_user_id(f.id);
    QVERIFY(e.client->request(blockF).has_contact());
    const proto::Frame blockedStranger = f.client->request(openE);
    QCOMPARE(errorCode(blockedStranger), proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(blockedStranger.error().reason(), std::string("messaging/not_friends"));
    // A banned user is no user, as an unknown id is.
    server::PgSession db;
    QCOMPARE(db.connect(m_pg.dsn()), QString());
    QVERIFY(
        db.exec({"UPDATE users SET banned_at = now() WHERE id = $1", {QByteArray::number(e.id)}})
            .ok());
    QCOMPARE(errorCode(d.client->request(openE)), proto::ERROR_CODE_NOT_FOUND);
}

void TestMessaging::groupMuteAllOnlyAdminsSend()
{
    TestUser owner = newUser(QStringLiteral("mute_o"));
    TestUser member = newUser(QStringLiteral("mute_m"));
    TestUser admin = newUser(QStringLiteral("mute_a"));
    QVERIFY(owner.id != 0 && member.id != 0 && admin.id != 0);
    const quint64 groupId = createGroupWith(owner, {&member, &admin});
    QVERIFY(groupId != 0);
    const quint64 conv = openGroupConversation(*owner.client, groupId);
    QVERIFY(conv != 0);

    proto::Frame promote;
    promote.mutable_set_group_admin()->set_group_id(groupId);
    promote.mutable_set_group_admin()->set_user_id(admin.id);
    promote.mutable_set_group_admin()->set_admin(true);
    const proto::Frame promoted = owner.client->request(promote);
    QVERIFY2(promoted.has_group_change_result(), qPrintable(describeFrame(promoted)));
    QCOMPARE(promoted.group_change_result().event().seq(), 2u);

    const auto setMuteAll = [&](bool on) {
        proto::Frame frame;
        frame.mutable_update_group()->set_group_id(groupId);
        frame.mutable_update_group()->set_mute_all(on);
        return owner.client->request(frame);
    };
    const proto::Frame muted = setMuteAll(true);
    QVERIFY2(muted.has_group_change_result() && muted.group_change_result().group().mute_all(),
             qPrintable(describeFrame(muted)));
    QCOMPARE(muted.group_change_result().event().seq(), 3u);

    const proto::Frame silenced = sendText(*member.client, conv, QStringLiteral("can I?"));
    QCOMPARE(errorCode(silenced), proto::ERROR_CODE_PERMISSION_DENIED);
    QCOMPARE(lastSeq(*owner.client, conv), 3u);
    const proto::Frame byOwner = sendText(*owner.client, conv, QStringLiteral("owner speaks"));
    QVERIFY2(byOwner.has_message_ack(), qPrintable(describeFrame(byOwner)));
    QCOMPARE(byOwner.message_ack().seq(), 4u);
    const proto::Frame byAdmin = sendText(*admin.client, conv, QStringLiteral("admin speaks"));
    QVERIFY2(byAdmin.has_message_ack(), qPrintable(describeFrame(byAdmin)));
    QCOMPARE(byAdmin.message_ack().seq(), 5u);

    // Unmuted, the member may post again; @all stays for the owner and admins.
    const proto::Frame unmuted = setMuteAll(false);
    QVERIFY2(unmuted.has_group_change_result() && !unmuted.group_change_result().group().mute_all(),
             qPrintable(describeFrame(unmuted)));
    QCOMPARE(unmuted.group_change_result().event().seq(), 6u);
    const proto::Frame plain = sendText(*member.client, conv, QStringLiteral("back again"));
    QVERIFY2(plain.has_message_ack(), qPrintable(describeFrame(plain)));
    QCOMPARE(plain.message_ack().seq(), 7u);

    const auto mentionAll = [&](TestClient &client) {
        proto::Frame frame = textMessageFrame(conv, QStringLiteral("@all look"), newClientMsgId());
        frame.mutable_send_message()->mutable_content()->set_mention_all(true);
        return client.request(frame);
    };
    const proto::Frame memberAll = mentionAll(*member.client);
    QVERIFY2(
        isOneOf(memberAll, proto::ERROR_CODE_INVALID_ARGUMENT, proto::ERROR_CODE_PERMISSION_DENIED),
        qPrintable(describeFrame(memberAll)));
    QCOMPARE(lastSeq(*owner.client, conv), 7u);
    const proto::Frame ownerAll = mentionAll(*owner.client);
    QVERIFY2(ownerAll.has_message_ack(), qPrintable(describeFrame(ownerAll)));
    QCOMPARE(ownerAll.message_ack().seq(), 8u);
    const proto::Frame adminAll = mentionAll(*admin.client);
    QVERIFY2(adminAll.has_message_ack(), qPrintable(describeFrame(adminAll)));
    QCOMPARE(adminAll.message_ack().seq(), 9u);
    const proto::Frame stored = getMessagesAfter(*member.client, conv, 7);
    QVERIFY2(stored.has_message_list(), qPrintable(describeFrame(stored)));
    QCOMPARE(seqsOf(stored), (QList<quint64> {8, 9}));
    for (const proto::Message &message : stored.message_list().messages())
        QVERIFY2(message.content().mention_all(), message.ShortDebugString().c_str());
}

bool TestMessaging::setUpBadInputFixture()
{
    constexpr int kMembers = 51; // one more than a message may mention
    auto fixture = std::make_unique<BadInputFixture>();
    fixture->owner = newUser(QStringLiteral("bad_o"));
    if (fixture->owner.id == 0)
        return false;
    fixture->members.reserve(kMembers);
    QList<TestUser *> members;
    for (int i = 0; i < kMembers; ++i) {
        fixture->members.push_back(newUser(QStringLiteral("bad%1").arg(i)));
        if (fixture->members.back().id == 0)
            return false;
        members.append(&fixture->members.back());
    }
    const quint64 groupId = createGroupWith(fixture->owner, members);
    if (groupId == 0)
        return false;
    // Only the owner posts and reads; the others need not stay connected.
    for (TestUser &member : fixture->members)
        member.client.reset();
    fixture->conversationId = openGroupConversation(*fixture->owner.client, groupId);
    if (fixture->conversationId == 0)
        return false;
    const proto::Frame sent =
        sendText(*fixture->owner.client, fixture->conversationId, QStringLiteral("quote me"));
    if (!sent.has_message_ack()) {
        qWarning("SendMessage failed: %s", qPrintable(describeFrame(sent)));
        return false;
    }
    fixture->textSeq = sent.message_ack().seq();
    m_badInput = std::move(fixture);
    return true;
}

void TestMessaging::badInputIsRefusedAndStoresNothing_data()
{
    QTest::addColumn<QByteArray>("text"); // raw UTF-8 (or not)
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("clientMsgId");
    QTest::addColumn<bool>("unknownConversation");
    QTest::addColumn<int>("reply");
    QTest::addColumn<int>("mentions");
    QTest::addColumn<int>("expected"); // an ErrorCode; UNSPECIFIED: accepted

    constexpr int text = proto::MessageContent::KIND_TEXT;
    constexpr int ok = proto::ERROR_CODE_UNSPECIFIED;
    constexpr int invalid = proto::ERROR_CODE_INVALID_ARGUMENT;
    constexpr int notFound = proto::ERROR_CODE_NOT_FOUND;
    const QByteArray hello = QByteArrayLiteral("hello");
    // Limits count characters: 300 Chinese characters (900 bytes) are within the limit.
    const QChar ni(0x4F60);

    QTest::newRow("max length ASCII")
        << QByteArray(kMaxTextLength, 'x') << text << kFreshId << false << int(NoReply) << 0 << ok;
    QTest::newRow("max length Chinese") << QString(kMaxTextLength, ni).toUtf8() << text << kFreshId
                                        << false << int(NoReply) << 0 << ok;
    QTest::newRow("max+1 ASCII") << QByteArray(kMaxTextLength + 1, 'x') << text << kFreshId << false
                                 << int(NoReply) << 0 << invalid;
    QTest::newRow("max+1 Chinese") << QString(kMaxTextLength + 1, ni).toUtf8() << text << kFreshId
                                   << false << int(NoReply) << 0 << invalid;
    QTest::newRow("empty text") << QByteArray() << text << kFreshId << false << int(NoReply) << 0
                                << invalid;
    // proto3 strings must be UTF-8: the frame itself does not decode.
    QTest::newRow("invalid UTF-8")
        << QByteArrayLiteral("bad \xC3\x28 byte") << text << kFreshId << false << int(NoReply) << 0
        << int(proto::ERROR_CODE_MALFORMED_FRAME);
    QTest::newRow("unknown conversation")
        << hello << text << kFreshId << true << int(NoReply) << 0 << notFound;
    QTest::newRow("client_msg_id not a UUID")
        << hello << text << QStringLiteral("not-a-uuid") << false << int(NoReply) << 0 << invalid;
    QTest::newRow("client_msg_id 36 non-hex")
        << hello << text << QStringLiteral("zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz") << false
        << int(NoReply) << 0 << invalid;
    QTest::newRow("empty client_msg_id")
        << hello << text << QString() << false << int(NoReply) << 0 << invalid;
    QTest::newRow("reply to a message")
        << hello << text << kFreshId << false << int(ReplyToExisting) << 0 << ok;
    QTest::newRow("reply to no message")
        << hello << text << kFreshId << false << int(ReplyToMissing) << 0 << notFound;
    QTest::newRow("image without file")
        << QByteArrayLiteral("caption") << int(proto::MessageContent::KIND_IMAGE) << kFreshId
        << false << int(NoReply) << 0 << invalid;
    QTest::newRow("50 mentions") << hello << text << kFreshId << false << int(NoReply) << 50 << ok;
    QTest::newRow("51 mentions") << hello << text << kFreshId << false << int(NoReply) << 51
                                 << invalid;
}

void TestMessaging::badInputIsRefusedAndStoresNothing()
{
    QFETCH(QByteArray, text);
    QFETCH(int, kind);
    QFETCH(QString, clientMsgId);
    QFETCH(bool, unknownConversation);
    QFETCH(int, reply);
    QFETCH(int, mentions);
    QFETCH(int, expected);

    // One group for all rows, made on the first (it takes 52 users).
    if (!m_badInputTried) {
        m_badInputTried = true;
        setUpBadInputFixture();
    }
    QVERIFY2(m_badInput, "the bad-input fixture could not be set up");
    TestClient &client = *m_badInput->owner.client;
    const quint64 conv = m_badInput->conversationId;
    const quint64 before = lastSeq(client, conv);
    QVERIFY(before != kNoAnswer && before >= m_badInput->textSeq);

    const QString cmid = clientMsgId == kFreshId ? newClientMsgId() : clientMsgId;
    proto::Frame frame;
    auto *send = frame.mutable_send_message();
    send->set_conversation_id(unknownConversation ? kNoSuchConversation : conv);
    send->set_client_msg_id(cmid.toStdString());
    auto *content = send->mutable_content();
    content->set_kind(proto::MessageContent::Kind(kind));
    content->set_text(text.toStdString());
    if (reply == ReplyToExisting)
        content->set_reply_to_seq(m_badInput->textSeq);
    else if (reply == ReplyToMissing)
        content->set_reply_to_seq(before + 1000);
    for (int i = 0; i < mentions; ++i)
        content->add_mentions(m_badInput->members.at(i).id);

    if (expected == proto::ERROR_CODE_UNSPECIFIED) {
        const proto::Frame answer = client.request(frame);
        QVERIFY2(answer.has_message_ack(), qPrintable(describeFrame(answer)));
        QCOMPARE(answer.message_ack().seq(), before + 1);
        QVERIFY(!answer.message_ack().duplicate());
        // Stored as sent.
        const proto::Frame page = getMessagesAfter(client, conv, before);
        QVERIFY2(page.has_message_list(), qPrintable(describeFrame(page)));
        QCOMPARE(page.message_list().last_seq(), before + 1);
        QCOMPARE(seqsOf(page), QList<quint64> {before + 1});
        const proto::MessageContent &stored = page.message_list().messages(0).content();
        QCOMPARE(QByteArray::fromStdString(stored.text()), text);
        QCOMPARE(int(stored.kind()), kind);
        QCOMPARE(stored.reply_to_seq(), content->reply_to_seq());
        QCOMPARE(stored.mentions_size(), mentions);
        return;
    }

    if (expected == proto::ERROR_CODE_MALFORMED_FRAME) {
        const proto::Frame answer = sendUndecodable(m_ternd->url(), m_badInput->owner, frame);
        // Refused before it is a request (request_id 0), or as one.
        const bool refused =
            (errorCode(answer) == proto::ERROR_CODE_MALFORMED_FRAME && answer.request_id() == 0)
            || errorCode(answer) == proto::ERROR_CODE_INVALID_ARGUMENT;
        QVERIFY2(refused, qPrintable(describeFrame(answer)));
    } else {
        const proto::Frame answer = client.request(frame);
        QVERIFY2(errorCode(answer) == proto::ErrorCode(expected),
                 qPrintable(describeFrame(answer)));
    }
    QCOMPARE(lastSeq(client, conv), before);

    // Not even the client_msg_id was kept: a valid send with it is new, not a duplicate.
    if (cmid.size() == 36 && !QUuid::fromString(cmid).isNull()) {
        const proto::Frame retry = sendText(client, conv, QStringLiteral("valid now"), cmid);
        QVERIFY2(retry.has_message_ack(), qPrintable(describeFrame(retry)));
        QVERIFY(!retry.message_ack().duplicate());
        QCOMPARE(retry.message_ack().seq(), before + 1);
    }
}

void TestMessaging::historyPagingBackwards()
{
    constexpr quint64 kCount = 25;
    auto [a, b, conv] = newFriends(QStringLiteral("page"));
    QVERIFY(conv != 0);
    QMap<quint64, Expected> bySeq;
    for (quint64 i = 1; i <= kCount; ++i) {
        const QString cmid = newClientMsgId();
        const QString text = QStringLiteral("page text %1").arg(i);
        const proto::Frame answer = sendText(*a.client, conv, text, cmid);
        QVERIFY2(answer.has_message_ack(), qPrintable(describeFrame(answer)));
        QCOMPARE(answer.message_ack().seq(), i);
        bySeq.insert(
            i, Expected {conv, i, a.id, cmid, text.toUtf8(), answer.message_ack().sent_at_ms()});
    }

    const auto checkPage = [&](const proto::Frame &page, quint64 first, quint64 last,
                               bool hasMore) -> QString {
        if (!page.has_message_list())
            return describeFrame(page);
        if (seqsOf(page) != seqRange(first, last) || page.message_list().has_more() != hasMore
            || page.message_list().last_seq() != kCount)
            return QStringLiteral("expected %1..%2 has_more %3, got ")
                       .arg(first)
                       .arg(last)
                       .arg(hasMore)
                + QString::fromStdString(page.ShortDebugString());
        for (const proto::Message &message : page.message_list().messages()) {
            const QString wrong = mismatch(message, bySeq.value(message.seq()));
            if (!wrong.isEmpty())
                return wrong;
        }
        return {};
    };

    // Backwards, as a client scrolling up: the newest page first, each page ascending.
    QString wrong = checkPage(getMessagesBefore(*b.client, conv, 0, 10), 16, 25, true);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    wrong = checkPage(getMessagesBefore(*b.client, conv, 16, 10), 6, 15, true);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    wrong = checkPage(getMessagesBefore(*b.client, conv, 6, 10), 1, 5, false);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));

    // Forwards, as a client catching up: the same entries.
    wrong = checkPage(getMessagesAfter(*b.client, conv, 5, 10), 6, 15, true);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    wrong = checkPage(getMessagesAfter(*b.client, conv, 15, 10), 16, 25, false);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    const proto::Frame end = getMessagesAfter(*a.client, conv, 25, 10);
    QVERIFY2(end.has_message_list(), qPrintable(describeFrame(end)));
    QCOMPARE(end.message_list().messages_size(), 0);
    QVERIFY(!end.message_list().has_more());
    QCOMPARE(end.message_list().last_seq(), kCount);
}

// More sends than may be in flight, written at once: every one is answered, the excess with
// RATE_LIMITED and a retry delay, and exactly the accepted ones are stored.
void TestMessaging::requestsInFlightAreCapped()
{
    auto [a, b, conv] = newFriends(QStringLiteral("cap"));
    QVERIFY(conv != 0);

    constexpr int kSends = 4 * kMaxRequestsInFlight;
    QList<quint64> requestIds;
    for (int i = 0; i < kSends; ++i) {
        requestIds.append(a.client->post(
            textMessageFrame(conv, QStringLiteral("burst %1").arg(i), newClientMsgId())));
    }
    int refused = 0;
    QSet<quint64> seqs;
    for (const quint64 id : requestIds) {
        const proto::Frame answer = a.client->answerTo(id);
        if (answer.has_message_ack()) {
            seqs.insert(answer.message_ack().seq());
            continue;
        }
        QVERIFY2(errorCode(answer) == proto::ERROR_CODE_RATE_LIMITED,
                 qPrintable(describeFrame(answer)));
        QVERIFY(answer.error().retry_after_ms() > 0);
        ++refused;
    }
    QVERIFY2(refused > 0, "no request was refused although four times the limit were in flight");
    QVERIFY(seqs.size() >= kMaxRequestsInFlight);
    QCOMPARE(seqs.size() + refused, kSends);
    QCOMPARE(lastSeq(*a.client, conv), quint64(seqs.size()));
}

// A merged forward quotes other people; a client may not compose one itself.
void TestMessaging::forgedBundleIsRefused()
{
    auto [a, b, conv] = newFriends(QStringLiteral("forge"));
    QVERIFY(conv != 0);
    proto::Frame frame;
    auto *send = frame.mutable_send_message();
    send->set_conversation_id(conv);
    send->set_client_msg_id(newClientMsgId().toStdString());
    auto *content = send->mutable_content();
    content->set_kind(proto::MessageContent::KIND_FORWARD_BUNDLE);
    auto *item = content->mutable_bundle()->add_items();
    item->set_sender_id(b.id);
    item->set_sent_at_ms(1);
    item->mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
    item->mutable_content()->set_text("I owe forge_a everything");
    const proto::Frame answer = a.client->request(frame);
    QCOMPARE(errorCode(answer), proto::ERROR_CODE_INVALID_ARGUMENT);
    QCOMPARE(lastSeq(*a.client, conv), quint64(0));
}

// UUIDs compare case-insensitively: an upper-case retry is the same message, and every device
// sees the id in one (lower-case) spelling.
void TestMessaging::clientMsgIdIsCaseInsensitive()
{
    auto [a, b, conv] = newFriends(QStringLiteral("case"));
    QVERIFY(conv != 0);
    const QString id = newClientMsgId();
    const proto::Frame first = sendText(*a.client, conv, QStringLiteral("once"), id.toUpper());
    QVERIFY2(first.has_message_ack(), qPrintable(describeFrame(first)));
    QCOMPARE(QString::fromStdString(first.message_ack().client_msg_id()), id.toLower());
    const proto::Frame again = sendText(*a.client, conv, QStringLiteral("once"), id.toLower());
    QVERIFY2(again.has_message_ack(), qPrintable(describeFrame(again)));
    QVERIFY(again.message_ack().duplicate());
    QCOMPARE(again.message_ack().seq(), first.message_ack().seq());
    const auto push = b.client->nextPush(proto::Frame::kMessagePush);
    QVERIFY(push);
    QCOMPARE(QString::fromStdString(push->message_push().message().client_msg_id()), id.toLower());
    const proto::Frame history = getMessagesAfter(*b.client, conv, 0);
    QCOMPARE(history.message_list().messages_size(), 1);
    QCOMPARE(QString::fromStdString(history.message_list().messages(0).client_msg_id()),
             id.toLower());
}

// A page of big entries (images with full-size thumbnails) stops early with has_more, so no
// answer outgrows a client's frame or the server's send queue; paging on still gets all.
void TestMessaging::largeEntriesMakeShorterPages()
{
    auto [a, b, conv] = newFriends(QStringLiteral("big"));
    QVERIFY(conv != 0);
    constexpr int kImages = 48; // 48 x 16 KiB thumbnails: well over one 512 KiB page
    const std::string photo =
        uploadTestFile(*a.client, QByteArray(1000, 'j'), QStringLiteral("photo.jpg"), "image/jpeg");
    QVERIFY(!photo.empty());
    QList<quint64> requests;
    for (int i = 0; i < kImages; ++i) {
        proto::Frame frame;
        auto *send = frame.mutable_send_message();
        send->set_conversation_id(conv);
        send->set_client_msg_id(newClientMsgId().toStdString());
        auto *content = send->mutable_content();
        content->set_kind(proto::MessageContent::KIND_IMAGE);
        auto *file = content->mutable_file();
        file->set_file_id(photo);
        file->set_name("photo.jpg");
        file->set_size(1000);
        file->set_mime_type("image/jpeg");
        file->set_thumbnail(std::string(16 * 1024, char('a' + i % 26)));
        requests.append(a.client->post(frame));
    }
    for (const quint64 id : requests) {
        const proto::Frame answer = a.client->answerTo(id);
        QVERIFY2(answer.has_message_ack(), qPrintable(describeFrame(answer)));
    }
    const proto::Frame first = getMessagesAfter(*b.client, conv, 0, 200);
    QVERIFY2(first.has_message_list(), qPrintable(describeFrame(first)));
    const int firstCount = first.message_list().messages_size();
    QVERIFY2(firstCount > 0 && firstCount < kImages, qPrintable(QString::number(firstCount)));
    QVERIFY(first.message_list().has_more());
    QVERIFY(first.ByteSizeLong() < 600 * 1024);
    const std::vector<proto::Message> all = fetchAllAfter(*b.client, conv, 0, 200);
    QCOMPARE(int(all.size()), kImages);
    for (int i = 0; i < kImages; ++i) {
        QCOMPARE(all[size_t(i)].seq(), quint64(i + 1));
        QCOMPARE(all[size_t(i)].content().file().thumbnail().size(), size_t(16 * 1024));
    }
}

// A member who joined later never saw the earlier messages: edits of them and reactions to
// them are neither pushed to that member nor readable in their history (the entries keep their
// place, empty).
void TestMessaging::eventsAboutMessagesBeforeJoiningStayPrivate()
{
    TestUser owner = newUser(QStringLiteral("late_owner"));
    TestUser early = newUser(QStringLiteral("late_early"));
    TestUser late = newUser(QStringLiteral("late_late"));
    QVERIFY(owner.id != 0 && early.id != 0 && late.id != 0);
    const quint64 group = createGroupWith(owner, {&early});
    QVERIFY(group != 0);
    const quint64 conv = openGroupConversation(*owner.client, group);
    QVERIFY(conv != 0);
    const proto::Frame secret = sendText(*owner.client, conv, QStringLiteral("before you came"));
    QVERIFY2(secret.has_message_ack(), qPrintable(describeFrame(secret)));
    const quint64 secretSeq = secret.message_ack().seq();

    QVERIFY(allowGroupAddsFromEveryone(late));
    proto::Frame invite;
    invite.mutable_invite_to_group()->set_group_id(group);
    invite.mutable_invite_to_group()->add_user_ids(late.id);
    const proto::Frame invited = owner.client->request(invite);
    QVERIFY2(invited.has_group_change_result(), qPrintable(describeFrame(invited)));

    proto::Frame editFrame;
    auto *edit = editFrame.mutable_edit_message();
    edit->set_conversation_id(conv);
    edit->set_target_seq(secretSeq);
    edit->set_client_msg_id(newClientMsgId().toStdString());
    edit->set_text("still before you came");
    const proto::Frame edited = owner.client->request(editFrame);
    QVERIFY2(edited.has_message_ack(), qPrintable(describeFrame(edited)));
    const quint64 editSeq = edited.message_ack().seq();

    proto::Frame reactFrame;
    reactFrame.mutable_react_to_message()->set_conversation_id(conv);
    reactFrame.mutable_react_to_message()->set_target_seq(secretSeq);
    reactFrame.mutable_react_to_message()->set_emoji("\xF0\x9F\x91\x8D");
    const proto::Frame reacted = early.client->request(reactFrame);
    QVERIFY2(reacted.has_message_ack(), qPrintable(describeFrame(reacted)));

    const proto::Frame after = sendText(*owner.client, conv, QStringLiteral("welcome"));
    QVERIFY2(after.has_message_ack(), qPrintable(describeFrame(after)));
    // The first message push the late member gets is the welcome: not the edit, not the
    // reaction.
    const auto push = late.client->nextPush(proto::Frame::kMessagePush);
    QVERIFY(push);
    QCOMPARE(push->message_push().message().seq(), after.message_ack().seq());

    const proto::Frame theirs = getMessagesAfter(*late.client, conv, 0);
    QVERIFY2(theirs.has_message_list(), qPrintable(describeFrame(theirs)));
    bool sawEdit = false;
    for (const proto::Message &m : theirs.message_list().messages()) {
        QVERIFY(m.seq() > secretSeq);
        if (m.seq() == editSeq) {
            sawEdit = true;
            QVERIFY(m.has_edit());
            QCOMPARE(m.edit().text(), std::string());
        }
        if (m.has_reaction())
            QCOMPARE(m.reaction().emoji(), std::string());
    }
    QVERIFY(sawEdit);
    // The early member still reads the edit.
    const proto::Frame earlys = getMessagesAfter(*early.client, conv, editSeq - 1, 1);
    QCOMPARE(earlys.message_list().messages(0).edit().text(), std::string("still before you came"));
}

void TestMessaging::formerMembersSeeTheGroupAsTheyLeftIt_data()
{
    QTest::addColumn<bool>("removed");
    QTest::newRow("left") << false;
    QTest::newRow("removed by the owner") << true;
}

// A former member reads the group up to the end of their membership as it was then. What came
// after — new messages and members, edits of earlier messages, reactions set, changed or taken
// back — reaches them through no read (history, the conversation's preview in a sync, search,
// forwarding) and no push; what was there before (an earlier edit, earlier reactions) stays.
void TestMessaging::formerMembersSeeTheGroupAsTheyLeftIt()
{
    QFETCH(bool, removed);
    TestUser owner = newUser(QStringLiteral("gone_owner"));
    TestUser leaver = newUser(QStringLiteral("gone_leaver"));
    TestUser stayer = newUser(QStringLiteral("gone_stayer"));
    TestUser newcomer = newUser(QStringLiteral("gone_new"));
    QVERIFY(owner.id != 0 && leaver.id != 0 && stayer.id != 0 && newcomer.id != 0);
    QVERIFY(befriend(leaver, stayer)); // somewhere for the leaver to forward to
    const quint64 direct = openDirect(*leaver.client, stayer.id);
    QVERIFY(direct != 0);
    const quint64 group = createGroupWith(owner, {&leaver, &stayer});
    QVERIFY(group != 0);
    const quint64 conv = openGroupConversation(*owner.client, group);
    QVERIFY(conv != 0);
    // Words no other test (or row) sends, for search.
    const QString tag = QStringLiteral("gone%1").arg(m_userCount);
    const auto edit = [&](TestUser &who, quint64 target, const QString &text) {
        proto::Frame frame;
        auto *e = frame.mutable_edit_message();
        e->set_conversation_id(conv);
        e->set_target_seq(target);
        e->set_client_msg_id(newClientMsgId().toStdString());
        e->set_text(text.toStdString());
        return who.client->request(frame);
    };
    const auto react = [&](TestUser &who, quint64 target, const char *emoji) {
        proto::Frame frame;
        frame.mutable_react_to_message()->set_conversation_id(conv);
        frame.mutable_react_to_message()->set_target_seq(target);
        frame.mutable_react_to_message()->set_emoji(emoji);
        return who.client->request(frame);
    };
    const auto search = [&](TestUser &who, const QString &query) {
        proto::Frame frame;
        frame.mutable_search_messages()->set_query(query.toStdString());
        frame.mutable_search_messages()->set_conversation_id(conv);
        return who.client->request(frame);
    };

    // Before: two messages, reactions to both, and an edit.
    const proto::Frame older =
        sendText(*stayer.client, conv, QStringLiteral("older ") + tag + QStringLiteral("kept"));
    QVERIFY2(older.has_message_ack(), qPrintable(describeFrame(older)));
    const quint64 olderSeq = older.message_ack().seq();
    const proto::Frame draft =
        sendText(*owner.client, conv, QStringLiteral("first ") + tag + QStringLiteral("draft"));
    QVERIFY2(draft.has_message_ack(), qPrintable(describeFrame(draft)));
    const quint64 draftSeq = draft.message_ack().seq();
    for (const proto::Frame &reacted :
         {react(leaver, draftSeq, kThumbsUp), react(stayer, draftSeq, kHeart),
          react(stayer, olderSeq, kHeart)})
        QVERIFY2(reacted.has_message_ack(), qPrintable(describeFrame(reacted)));
    const QString seenText = QStringLiteral("second ") + tag + QStringLiteral("draft");
    const proto::Frame seenEdit = edit(owner, draftSeq, seenText);
    QVERIFY2(seenEdit.has_message_ack(), qPrintable(describeFrame(seenEdit)));
    const qint64 seenEditAt = seenEdit.message_ack().sent_at_ms();

    proto::Frame out;
    if (removed) {
        out.mutable_remove_group_member()->set_group_id(group);
        out.mutable_remove_group_member()->set_user_id(leaver.id);
    } else {
        out.mutable_leave_group()->set_group_id(group);
    }
    const proto::Frame gone = (removed ? owner : leaver).client->request(out);
    QVERIFY2(gone.has_group_change_result(), qPrintable(describeFrame(gone)));
    const quint64 endSeq = gone.group_change_result().event().seq();
    QCOMPARE(endSeq, seenEdit.message_ack().seq() + 1);

    // After: the same message edited again, reactions changed, added and taken back, a new
    // message and a new member.
    const QString laterText = QStringLiteral("third ") + tag + QStringLiteral("secret");
    const proto::Frame laterEdit = edit(owner, draftSeq, laterText);
    QVERIFY2(laterEdit.has_message_ack(), qPrintable(describeFrame(laterEdit)));
    for (const proto::Frame &reacted :
         {react(stayer, draftSeq, kWow), react(owner, draftSeq, kThumbsUp),
          react(stayer, olderSeq, "")})
        QVERIFY2(reacted.has_message_ack(), qPrintable(describeFrame(reacted)));
    QVERIFY(allowGroupAddsFromEveryone(newcomer));
    proto::Frame add;
    add.mutable_invite_to_group()->set_group_id(group);
    add.mutable_invite_to_group()->add_user_ids(newcomer.id);
    const proto::Frame added = owner.client->request(add);
    QVERIFY2(added.group_change_result().has_event(), qPrintable(describeFrame(added)));
    const proto::Frame last = sendText(*owner.client, conv, QStringLiteral("after you"));
    QVERIFY2(last.has_message_ack(), qPrintable(describeFrame(last)));
    const quint64 lastSeq = last.message_ack().seq();
    // Pushed to the members at once: once the stayer has it, a push to the former member
    // would have been sent too.
    bool lastPushed = false;
    while (const auto push = stayer.client->nextPush(proto::Frame::kMessagePush)) {
        const proto::Message &m = push->message_push().message();
        if (m.conversation_id() == conv && m.seq() == lastSeq) {
            lastPushed = true;
            break;
        }
    }
    QVERIFY(lastPushed);

    // A member sees all of it (so that what the former member does not see did happen).
    const std::vector<proto::Message> now = fetchAllAfter(*stayer.client, conv, 0);
    const proto::Message *draftNow = findSeq(now, draftSeq);
    const proto::Message *olderNow = findSeq(now, olderSeq);
    QVERIFY(draftNow && olderNow);
    QCOMPARE(QString::fromStdString(draftNow->content().text()), laterText);
    QCOMPARE(reactionsOf(*draftNow),
             (QStringList {reactionEntry(kThumbsUp, {leaver.id, owner.id}),
                           reactionEntry(kWow, {stayer.id})}));
    QVERIFY(olderNow->reactions().empty());
    QCOMPARE(now.back().seq(), lastSeq);

    // The former member's history ends where they went, as it was then.
    const std::vector<proto::Message> theirs = fetchAllAfter(*leaver.client, conv, 0);
    QVERIFY(!theirs.empty());
    QCOMPARE(theirs.back().seq(), endSeq);
    const proto::Message *draftThen = findSeq(theirs, draftSeq);
    const proto::Message *olderThen = findSeq(theirs, olderSeq);
    QVERIFY(draftThen && olderThen);
    QCOMPARE(QString::fromStdString(draftThen->content().text()), seenText);
    QCOMPARE(draftThen->edited_at_ms(), seenEditAt);
    const QStringList reactionsThen {reactionEntry(kThumbsUp, {leaver.id}),
                                     reactionEntry(kHeart, {stayer.id})};
    QCOMPARE(reactionsOf(*draftThen), reactionsThen);
    QCOMPARE(reactionsOf(*olderThen), QStringList {reactionEntry(kHeart, {stayer.id})});
    QCOMPARE(getMessagesAfter(*leaver.client, conv, endSeq).message_list().messages_size(), 0);

    // The conversation list's preview: the newest message they may read, as it was.
    const std::vector<proto::ConversationState> states = syncAll(*leaver.client, 0);
    const auto state = std::find_if(states.begin(), states.end(),
                                    [&](const auto &s) { return s.conversation_id() == conv; });
    QVERIFY(state != states.end());
    QVERIFY(!state->active());
    QCOMPARE(state->last_seq(), endSeq);
    QCOMPARE(state->last_message().seq(), draftSeq);
    QCOMPARE(QString::fromStdString(state->last_message().content().text()), seenText);
    QCOMPARE(state->last_message().edited_at_ms(), seenEditAt);
    QCOMPARE(reactionsOf(state->last_message()), reactionsThen);

    // Search: not by the words given after they left; an untouched message as it was.
    const proto::Frame secret = search(leaver, tag + QStringLiteral("secret"));
    QVERIFY2(secret.has_message_search_result(), qPrintable(describeFrame(secret)));
    QCOMPARE(secret.message_search_result().hits_size(), 0);
    QCOMPARE(search(stayer, tag + QStringLiteral("secret")).message_search_result().hits_size(), 1);
    const proto::Frame kept = search(leaver, tag + QStringLiteral("kept"));
    QCOMPARE(kept.message_search_result().hits_size(), 1);
    QCOMPARE(reactionsOf(kept.message_search_result().hits(0).message()),
             QStringList {reactionEntry(kHeart, {stayer.id})});

    // A forward copies what they saw.
    proto::Frame forward;
    forward.mutable_forward_messages()->set_source_conversation_id(conv);
    forward.mutable_forward_messages()->add_seqs(draftSeq);
    auto *target = forward.mutable_forward_messages()->add_targets();
    target->set_conversation_id(direct);
    target->set_client_msg_id(newClientMsgId().toStdString());
    const proto::Frame forwarded = leaver.client->request(forward);
    QVERIFY2(forwarded.forward_result().outcomes_size() == 1
                 && forwarded.forward_result().outcomes(0).has_ack(),
             qPrintable(describeFrame(forwarded)));
    const proto::Frame copy = getMessagesBefore(*leaver.client, direct, 0, 1);
    QCOMPARE(copy.message_list().messages_size(), 1);
    QCOMPARE(QString::fromStdString(copy.message_list().messages(0).content().text()), seenText);

    // And nothing after their end was pushed to them.
    while (const auto frame = leaver.client->nextUnsolicited(kSilenceMs)) {
        if (frame->has_message_push()) {
            const proto::Message &m = frame->message_push().message();
            QVERIFY2(m.conversation_id() != conv || m.seq() < endSeq,
                     qPrintable(describePush(frame)));
        }
        if (frame->has_group_event_push()) {
            const proto::GroupEvent &e = frame->group_event_push().event();
            QVERIFY2(e.group_id() != group || e.seq() <= endSeq, qPrintable(describePush(frame)));
        }
    }
}

// After a block, neither side learns when the other reads: no receipt push, no peer cursor.
void TestMessaging::blockingStopsReadReceipts()
{
    auto [a, b, conv] = newFriends(QStringLiteral("rcpt"));
    QVERIFY(conv != 0);
    const proto::Frame sent = sendText(*a.client, conv, QStringLiteral("read me"));
    QVERIFY2(sent.has_message_ack(), qPrintable(describeFrame(sent)));

    proto::Frame block;
    block.mutable_block_user()->set_user_id(a.id);
    const proto::Frame blocked = b.client->request(block);
    QVERIFY2(blocked.has_contact(), qPrintable(describeFrame(blocked)));

    proto::Frame read;
    read.mutable_update_cursors()->set_conversation_id(conv);
    read.mutable_update_cursors()->set_read_seq(sent.message_ack().seq());
    const proto::Frame state = b.client->request(read);
    QVERIFY2(state.has_conversation_state(), qPrintable(describeFrame(state)));
    QCOMPARE(state.conversation_state().read_seq(), sent.message_ack().seq());
    QCOMPARE(state.conversation_state().peer_read_seq(), quint64(0));
    QVERIFY(!a.client->nextPush(proto::Frame::kReadStateChanged, kSilenceMs));

    const std::vector<proto::ConversationState> states = syncAll(*a.client, 0);
    const auto mine = std::find_if(states.begin(), states.end(),
                                   [&](const auto &s) { return s.conversation_id() == conv; });
    QVERIFY(mine != states.end());
    QCOMPARE(mine->peer_read_seq(), quint64(0));
}

QTEST_GUILESS_MAIN(TestMessaging)
#include "tst_messaging.moc"
