// SPDX-License-Identifier: Apache-2.0
// Message features against a real ternd and PostgreSQL: edits and recalls (with their windows
// and who may do them), reactions, single and merged forwards, search (Chinese and one-character
// queries, filters, paging), typing notices, read receipts and their privacy, group read counts,
// and per-user conversation settings with unread counts and mentions; a request whose
// transaction PostgreSQL aborted to break a deadlock is run again rather than failed.
//
// ternd runs with 2-second edit and recall windows, so "after the window" costs one short wait.
// Proving that a push did NOT happen without sleeping: the server pushes a connection's frames in
// order, so once a later "sentinel" push arrives, the unwanted one would already have come.
#include "store/messagestore.h"
#include "store/pgsession.h"
#include "support/messagingtest.h"
#include "support/pgfixture.h"
#include "support/terndprocess.h"
#include "support/testclient.h"
#include "support/testusers.h"
#include "tern/limits.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSet>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>

using namespace tern;

namespace {

const QString kPassword = QStringLiteral("message features password");
constexpr int kWindowS = 2;
// Long enough past a 2 s window for the server's clock check, short enough to keep tests quick.
constexpr int kPastWindowMs = 2500;
// GetMessages failed: never a real seq, so comparisons against it fail loudly.
constexpr quint64 kFailed = ~quint64(0);

const QString kThumbsUp = QStringLiteral("👍");
const QString kHeart = QStringLiteral("❤️");

std::string utf8(const QString &text)
{
    return text.toStdString();
}

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

bool isNotMemberError(const proto::Frame &frame)
{
    return errorCode(frame) == proto::ERROR_CODE_NOT_FOUND
        || errorCode(frame) == proto::ERROR_CODE_PERMISSION_DENIED;
}

proto::Frame request(TestClient &client, const std::function<void(proto::Frame &)> &fill)
{
    proto::Frame frame;
    fill(frame);
    return client.request(frame);
}

// The newest seq the client may read in the conversation (kFailed when GetMessages failed).
quint64 lastSeq(TestClient &client, quint64 conversationId)
{
    const proto::Frame page = getMessagesBefore(client, conversationId, 0, 1);
    if (!page.has_message_list()) {
        qWarning("GetMessages failed: %s", qPrintable(describeFrame(page)));
        return kFailed;
    }
    return page.message_list().last_seq();
}

// The entry `seq` as GetMessages shows it now.
std::optional<proto::Message> entryAt(TestClient &client, quint64 conversationId, quint64 seq)
{
    // after_seq 0 would mean "the newest page", so seq 1 is read from below seq 2.
    const proto::Frame page = seq > 1 ? getMessagesAfter(client, conversationId, seq - 1, 1)
                                      : getMessagesBefore(client, conversationId, seq + 1, 1);
    if (!page.has_message_list() || page.message_list().messages_size() != 1
        || page.message_list().messages(0).seq() != seq) {
        qWarning("No entry %llu: %s", seq, qPrintable(describeFrame(page)));
        return std::nullopt;
    }
    return page.message_list().messages(0);
}

// Waits for the next unsolicited frame `match` accepts, dropping others (into `skipped` when
// given). Empty when none came in time.
std::optional<proto::Frame> waitPush(TestClient &client,
                                     const std::function<bool(const proto::Frame &)> &match,
                                     QList<proto::Frame> *skipped = nullptr, int timeoutMs = 10000)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        auto frame = client.nextUnsolicited(int(std::max<qint64>(1, timeoutMs - timer.elapsed())));
        if (!frame)
            return std::nullopt;
        if (match(*frame))
            return frame;
        if (skipped)
            skipped->append(*frame);
    }
    return std::nullopt;
}

// The MessagePush of entry `seq` of the conversation.
std::optional<proto::Message> waitMessage(TestClient &client, quint64 conversationId, quint64 seq,
                                          QList<proto::Frame> *skipped = nullptr)
{
    const auto frame = waitPush(
        client,
        [&](const proto::Frame &f) {
            return f.has_message_push()
                && f.message_push().message().conversation_id() == conversationId
                && f.message_push().message().seq() == seq;
        },
        skipped);
    if (!frame)
        return std::nullopt;
    return frame->message_push().message();
}

// The conversation as SyncConversations (from the start) shows it to the client.
std::optional<proto::ConversationState> stateOf(TestClient &client, quint64 conversationId)
{
    for (const proto::ConversationState &state : syncAll(client, 0)) {
        if (state.conversation_id() == conversationId)
            return state;
    }
    qWarning("Conversation %llu not in SyncConversations", conversationId);
    return std::nullopt;
}

// The conversation among the states of a sync, if it is there.
std::optional<proto::ConversationState>
findState(const std::vector<proto::ConversationState> &states, quint64 conversationId)
{
    for (const proto::ConversationState &state : states) {
        if (state.conversation_id() == conversationId)
            return state;
    }
    return std::nullopt;
}

proto::Frame sendContent(TestClient &client, quint64 conversationId,
                         const proto::MessageContent &content, const QString &clientMsgId = {})
{
    return request(client, [&](proto::Frame &f) {
        auto *send = f.mutable_send_message();
        send->set_conversation_id(conversationId);
        send->set_client_msg_id(utf8(clientMsgId.isEmpty() ? newClientMsgId() : clientMsgId));
        *send->mutable_content() = content;
    });
}

proto::Frame edit(TestClient &client, quint64 conversationId, quint64 targetSeq,
                  const QString &text, const QString &clientMsgId = {})
{
    return request(client, [&](proto::Frame &f) {
        auto *edit = f.mutable_edit_message();
        edit->set_conversation_id(conversationId);
        edit->set_target_seq(targetSeq);
        edit->set_client_msg_id(utf8(clientMsgId.isEmpty() ? newClientMsgId() : clientMsgId));
        edit->set_text(utf8(text));
    });
}

proto::Frame recallMessage(TestClient &client, quint64 conversationId, quint64 targetSeq)
{
    return request(client, [&](proto::Frame &f) {
        auto *recall = f.mutable_recall_message();
        recall->set_conversation_id(conversationId);
        recall->set_target_seq(targetSeq);
        recall->set_client_msg_id(utf8(newClientMsgId()));
    });
}

proto::Frame react(TestClient &client, quint64 conversationId, quint64 targetSeq,
                   const QString &emoji)
{
    return request(client, [&](proto::Frame &f) {
        auto *react = f.mutable_react_to_message();
        react->set_conversation_id(conversationId);
        react->set_target_seq(targetSeq);
        react->set_emoji(utf8(emoji));
    });
}

proto::Frame search(TestClient &client, const QString &query,
                    const std::function<void(proto::SearchMessagesRequest &)> &fill = {})
{
    return request(client, [&](proto::Frame &f) {
        auto *search = f.mutable_search_messages();
        search->set_query(utf8(query));
        search->set_limit(100);
        if (fill)
            fill(*search);
    });
}

// The texts of a search answer's hits, in order (newest first).
QStringList hitTexts(const proto::Frame &answer)
{
    QStringList texts;
    for (const auto &hit : answer.message_search_result().hits())
        texts.append(qs(hit.message().content().text()));
    return texts;
}

proto::Frame setTyping(TestClient &client, quint64 conversationId, bool typing)
{
    return request(client, [&](proto::Frame &f) {
        f.mutable_set_typing()->set_conversation_id(conversationId);
        f.mutable_set_typing()->set_typing(typing);
    });
}

proto::Frame readUpTo(TestClient &client, quint64 conversationId, quint64 readSeq)
{
    return request(client, [&](proto::Frame &f) {
        f.mutable_update_cursors()->set_conversation_id(conversationId);
        f.mutable_update_cursors()->set_read_seq(readSeq);
    });
}

proto::Frame setReadReceipts(TestClient &client, bool on)
{
    return request(client, [&](proto::Frame &f) {
        f.mutable_update_messaging_settings()->set_read_receipts(on);
    });
}

proto::Frame readCounts(TestClient &client, quint64 conversationId, const QList<quint64> &seqs)
{
    return request(client, [&](proto::Frame &f) {
        f.mutable_get_read_counts()->set_conversation_id(conversationId);
        for (quint64 seq : seqs)
            f.mutable_get_read_counts()->add_seqs(seq);
    });
}

// seq -> read count of a ReadCounts answer; -1 for a seq it does not list.
int countFor(const proto::Frame &answer, quint64 seq)
{
    for (const auto &count : answer.read_counts().counts()) {
        if (count.seq() == seq)
            return int(count.read());
    }
    return -1;
}

// "emoji:[user ids]" per reaction, in the server's order, for readable comparisons.
QStringList reactionsOf(const proto::Message &message)
{
    QStringList out;
    for (const auto &reaction : message.reactions()) {
        QStringList users;
        for (quint64 id : reaction.user_ids())
            users.append(QString::number(id));
        out.append(qs(reaction.emoji()) + QLatin1Char(':') + users.join(QLatin1Char(',')));
    }
    return out;
}

QString reactionEntry(const QString &emoji, const QList<quint64> &users)
{
    QStringList ids;
    for (quint64 id : users)
        ids.append(QString::number(id));
    return emoji + QLatin1Char(':') + ids.join(QLatin1Char(','));
}

proto::MessageContent textContent(const QString &text)
{
    proto::MessageContent content;
    content.set_kind(proto::MessageContent::KIND_TEXT);
    content.set_text(utf8(text));
    return content;
}

} // namespace

class TestMessageFeatures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void editOwnTextWithinWindow();
    void recall();
    void reactions();
    void forwardSingleAndMerged();
    void searchChineseAndShortQueries();
    void slowSearchIsStopped();
    void typingIsEphemeralAndRateLimited();
    void readReceiptsAndPrivacy();
    void receiptsSettingMovesDirectChats();
    void receiptsSettingSurvivesADeadlock();
    void conversationSettingsAndList();
    void strangersWhenTheServerAllowsThem();

private:
    TestUser user(const QString &role);
    // Two fresh friends and their direct conversation (0 on failure).
    quint64 friendsWithConversation(TestUser &a, TestUser &b);

    PgFixture m_pg;
    std::unique_ptr<TerndProcess> m_ternd;
    int m_users = 0;
};

void TestMessageFeatures::initTestCase()
{
    const QString error = m_pg.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_ternd = std::make_unique<TerndProcess>();
    m_ternd->environment().insert(QStringLiteral("TERN_MESSAGE_RECALL_WINDOW_S"),
                                  QString::number(kWindowS));
    m_ternd->environment().insert(QStringLiteral("TERN_MESSAGE_EDIT_WINDOW_S"),
                                  QString::number(kWindowS));
    const QString started = m_ternd->startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));

    // The windows the waits below rely on really are in force.
    TestClient probe;
    QVERIFY(probe.open(m_ternd->url()));
    const proto::Frame welcome = probe.hello();
    QVERIFY2(welcome.has_welcome(), qPrintable(describeFrame(welcome)));
    QCOMPARE(welcome.welcome().limits().edit_window_s(), quint32(kWindowS));
    QCOMPARE(welcome.welcome().limits().recall_window_s(), quint32(kWindowS));
}

void TestMessageFeatures::cleanup()
{
    if (QTest::currentTestFailed() && m_ternd)
        qInfo().noquote() << "ternd output (tail):\n" << m_ternd->output().right(6000);
}

void TestMessageFeatures::cleanupTestCase()
{
    if (m_ternd)
        QCOMPARE(m_ternd->terminate(), 0);
}

TestUser TestMessageFeatures::user(const QString &role)
{
    const QString name = QStringLiteral("mf_%1_%2").arg(role).arg(++m_users);
    TestUser u = registerTestUser(m_ternd->url(), name, kPassword);
    if (u.id == 0)
        qWarning("Registering %s failed", qPrintable(name));
    return u;
}

quint64 TestMessageFeatures::friendsWithConversation(TestUser &a, TestUser &b)
{
    if (a.id == 0 || b.id == 0 || !befriend(a, b))
        return 0;
    return openDirect(*a.client, b.id);
}

// ---- Edit ------------------------------------------------------------------------------------

void TestMessageFeatures::editOwnTextWithinWindow()
{
    TestUser alice = user(QStringLiteral("ed_a"));
    TestUser bob = user(QStringLiteral("ed_b"));
    const quint64 conv = friendsWithConversation(alice, bob);
    QVERIFY(conv != 0);
    QCOMPARE(openDirect(*bob.client, alice.id), conv);

    // Everything that must happen within the window comes first, right after the send.
    const proto::Frame sent = sendText(*alice.client, conv, QStringLiteral("original text"));
    QVERIFY2(sent.has_message_ack(), qPrintable(describeFrame(sent)));
    const quint64 n = sent.message_ack().seq();

    const QString firstEditId = newClientMsgId();
    const proto::Frame edited =
        edit(*alice.client, conv, n, QStringLiteral("edited once"), firstEditId);
    QVERIFY2(edited.has_message_ack(), qPrintable(describeFrame(edited)));
    QCOMPARE(edited.message_ack().seq(), n + 1);
    QVERIFY(!edited.message_ack().duplicate());

    // A retried edit is deduplicated like a send: the original ack, nothing stored.
    const QString secondEditId = newClientMsgId();
    const proto::Frame second =
        edit(*alice.client, conv, n, QStringLiteral("edited twice"), secondEditId);
    QVERIFY2(second.has_message_ack(), qPrintable(describeFrame(second)));
    QCOMPARE(second.message_ack().seq(), n + 2);
    const proto::Frame retried =
        edit(*alice.client, conv, n, QStringLiteral("edited twice"), secondEditId);
    QVERIFY2(retried.has_message_ack(), qPrintable(describeFrame(retried)));
    QVERIFY(retried.message_ack().duplicate());
    QCOMPARE(retried.message_ack().seq(), n + 2);
    QCOMPARE(lastSeq(*alice.client, conv), n + 2);

    // Bob hears of the edit as an entry of its own.
    const auto push = waitMessage(*bob.client, conv, n + 1);
    QVERIFY(push);
    QCOMPARE(push->body_case(), proto::Message::kEdit);
    QCOMPARE(push->sender_id(), alice.id);
    QCOMPARE(push->edit().target_seq(), n);
    QCOMPARE(qs(push->edit().text()), QStringLiteral("edited once"));
    QCOMPARE(qs(push->client_msg_id()), firstEditId);

    // Someone else's message: refused, nothing stored.
    const proto::Frame fromBob = sendText(*bob.client, conv, QStringLiteral("bob's words"));
    QVERIFY2(fromBob.has_message_ack(), qPrintable(describeFrame(fromBob)));
    QCOMPARE(fromBob.message_ack().seq(), n + 3);
    const proto::Frame notMine = edit(*alice.client, conv, n + 3, QStringLiteral("hijacked"));
    QVERIFY2(errorCode(notMine) == proto::ERROR_CODE_PERMISSION_DENIED,
             qPrintable(describeFrame(notMine)));
    QCOMPARE(lastSeq(*alice.client, conv), n + 3);

    // History shows the target as it is now, and each edit as an entry.
    const std::vector<proto::Message> history = fetchAllAfter(*bob.client, conv, n - 1);
    QCOMPARE(history.size(), size_t(4));
    QCOMPARE(history[0].seq(), n);
    QCOMPARE(history[0].body_case(), proto::Message::kContent);
    QCOMPARE(qs(history[0].content().text()), QStringLiteral("edited twice"));
    QVERIFY(history[0].edited_at_ms() > 0);
    QCOMPARE(history[1].seq(), n + 1);
    QCOMPARE(history[1].body_case(), proto::Message::kEdit);
    QCOMPARE(history[1].edit().target_seq(), n);
    QCOMPARE(qs(history[1].edit().text()), QStringLiteral("edited once"));
    QCOMPARE(history[2].seq(), n + 2);
    QCOMPARE(history[2].body_case(), proto::Message::kEdit);
    QCOMPARE(qs(history[2].edit().text()), QStringLiteral("edited twice"));
    QCOMPARE(qs(history[3].content().text()), QStringLiteral("bob's words"));
    QCOMPARE(history[3].edited_at_ms(), qint64(0));

    // Past the window the sender may not edit any more.
    QTest::qWait(kPastWindowMs);
    const proto::Frame late = edit(*alice.client, conv, n, QStringLiteral("too late"));
    QVERIFY2(errorCode(late) == proto::ERROR_CODE_PERMISSION_DENIED,
             qPrintable(describeFrame(late)));
    QCOMPARE(lastSeq(*alice.client, conv), n + 3);
    const auto target = entryAt(*alice.client, conv, n);
    QVERIFY(target);
    QCOMPARE(qs(target->content().text()), QStringLiteral("edited twice"));
}

// ---- Recall ----------------------------------------------------------------------------------

void TestMessageFeatures::recall()
{
    TestUser alice = user(QStringLiteral("rc_a"));
    TestUser bob = user(QStringLiteral("rc_b"));
    const quint64 direct = friendsWithConversation(alice, bob);
    QVERIFY(direct != 0);
    QCOMPARE(openDirect(*bob.client, alice.id), direct);

    TestUser owner = user(QStringLiteral("rc_o"));
    TestUser admin = user(QStringLiteral("rc_adm"));
    TestUser poster = user(QStringLiteral("rc_p"));
    TestUser other = user(QStringLiteral("rc_m"));
    const quint64 groupId = createGroupWith(owner, {&admin, &poster, &other});
    QVERIFY(groupId != 0);
    const proto::Frame promoted = request(*owner.client, [&](proto::Frame &f) {
        f.mutable_set_group_admin()->set_group_id(groupId);
        f.mutable_set_group_admin()->set_user_id(admin.id);
        f.mutable_set_group_admin()->set_admin(true);
    });
    QVERIFY2(promoted.has_group_change_result(), qPrintable(describeFrame(promoted)));
    const quint64 group = openGroupConversation(*owner.client, groupId);
    QVERIFY(group != 0);
    for (TestUser *member : {&admin, &poster, &other})
        QCOMPARE(openGroupConversation(*member->client, groupId), group);

    // Within the window: the sender recalls; the recall is a new entry.
    const QString token = QStringLiteral("zebracorn%1").arg(m_users);
    const proto::Frame sent = sendText(*alice.client, direct, QStringLiteral("secret ") + token);
    QVERIFY2(sent.has_message_ack(), qPrintable(describeFrame(sent)));
    const quint64 n = sent.message_ack().seq();
    const proto::Frame kept = sendText(*alice.client, direct, QStringLiteral("kept"));
    QVERIFY2(kept.has_message_ack(), qPrintable(describeFrame(kept)));
    const quint64 keptSeq = kept.message_ack().seq();
    QCOMPARE(keptSeq, n + 1);
    // Search finds it before the recall (so "not found" below means something).
    QCOMPARE(hitTexts(search(*bob.client, token)), QStringList {QStringLiteral("secret ") + token});

    const proto::Frame recalled = recallMessage(*alice.client, direct, n);
    QVERIFY2(recalled.has_message_ack(), qPrintable(describeFrame(recalled)));
    QCOMPARE(recalled.message_ack().seq(), n + 2);
    QVERIFY(!recalled.message_ack().duplicate());

    const auto push = waitMessage(*bob.client, direct, n + 2);
    QVERIFY(push);
    QCOMPARE(push->body_case(), proto::Message::kRecall);
    QCOMPARE(push->recall().target_seq(), n);
    QCOMPARE(push->sender_id(), alice.id);

    // The content is gone for both sides; the event stays.
    for (TestClient *client : {alice.client.get(), bob.client.get()}) {
        const auto target = entryAt(*client, direct, n);
        QVERIFY(target);
        QVERIFY(target->recalled());
        QCOMPARE(target->recalled_by(), alice.id);
        QCOMPARE(target->body_case(), proto::Message::BODY_NOT_SET);
        QVERIFY(!target->has_content());
        const auto event = entryAt(*client, direct, n + 2);
        QVERIFY(event);
        QCOMPARE(event->body_case(), proto::Message::kRecall);
        QCOMPARE(event->recall().target_seq(), n);
        const proto::Frame found = search(*client, token);
        QVERIFY2(found.has_message_search_result(), qPrintable(describeFrame(found)));
        QCOMPARE(found.message_search_result().hits_size(), 0);
    }

    // Group: a plain member cannot recall someone else's message, even within the window.
    const proto::Frame first = sendText(*poster.client, group, QStringLiteral("group one"));
    QVERIFY2(first.has_message_ack(), qPrintable(describeFrame(first)));
    const quint64 g1 = first.message_ack().seq();
    const proto::Frame secondMsg = sendText(*poster.client, group, QStringLiteral("group two"));
    QVERIFY2(secondMsg.has_message_ack(), qPrintable(describeFrame(secondMsg)));
    const quint64 g2 = secondMsg.message_ack().seq();
    QCOMPARE(g2, g1 + 1);
    const proto::Frame byMember = recallMessage(*other.client, group, g1);
    QVERIFY2(errorCode(byMember) == proto::ERROR_CODE_PERMISSION_DENIED,
             qPrintable(describeFrame(byMember)));
    QCOMPARE(lastSeq(*owner.client, group), g2);

    QTest::qWait(kPastWindowMs);

    // Past the window the sender is refused, directly and in the group; nothing is stored.
    const proto::Frame late = recallMessage(*alice.client, direct, keptSeq);
    QVERIFY2(errorCode(late) == proto::ERROR_CODE_PERMISSION_DENIED,
             qPrintable(describeFrame(late)));
    QCOMPARE(lastSeq(*alice.client, direct), n + 2);
    const auto stillThere = entryAt(*bob.client, direct, keptSeq);
    QVERIFY(stillThere);
    QVERIFY(!stillThere->recalled());
    QCOMPARE(qs(stillThere->content().text()), QStringLiteral("kept"));

    const proto::Frame ownLate = recallMessage(*poster.client, group, g1);
    QVERIFY2(errorCode(ownLate) == proto::ERROR_CODE_PERMISSION_DENIED,
             qPrintable(describeFrame(ownLate)));
    QCOMPARE(lastSeq(*owner.client, group), g2);

    // The owner and an admin may recall any member's message at any time.
    const proto::Frame byOwner = recallMessage(*owner.client, group, g1);
    QVERIFY2(byOwner.has_message_ack(), qPrintable(describeFrame(byOwner)));
    QCOMPARE(byOwner.message_ack().seq(), g2 + 1);
    const proto::Frame byAdmin = recallMessage(*admin.client, group, g2);
    QVERIFY2(byAdmin.has_message_ack(), qPrintable(describeFrame(byAdmin)));
    QCOMPARE(byAdmin.message_ack().seq(), g2 + 2);

    const auto ownerEvent = waitMessage(*other.client, group, g2 + 1);
    QVERIFY(ownerEvent);
    QCOMPARE(ownerEvent->sender_id(), owner.id);
    QCOMPARE(ownerEvent->recall().target_seq(), g1);
    const auto one = entryAt(*other.client, group, g1);
    const auto two = entryAt(*other.client, group, g2);
    QVERIFY(one && two);
    QVERIFY(one->recalled());
    QCOMPARE(one->recalled_by(), owner.id);
    QVERIFY(!one->has_content());
    QVERIFY(two->recalled());
    QCOMPARE(two->recalled_by(), admin.id);
    QVERIFY(!two->has_content());
}

// ---- Reactions -------------------------------------------------------------------------------

void TestMessageFeatures::reactions()
{
    TestUser alice = user(QStringLiteral("re_a"));
    TestUser bob = user(QStringLiteral("re_b"));
    TestUser carol = user(QStringLiteral("re_c"));
    TestUser outsider = user(QStringLiteral("re_x"));
    QVERIFY(outsider.id != 0);
    const quint64 groupId = createGroupWith(alice, {&bob, &carol});
    QVERIFY(groupId != 0);
    const quint64 conv = openGroupConversation(*alice.client, groupId);
    QVERIFY(conv != 0);
    QCOMPARE(openGroupConversation(*bob.client, groupId), conv);
    QCOMPARE(openGroupConversation(*carol.client, groupId), conv);

    const proto::Frame sent = sendText(*alice.client, conv, QStringLiteral("react to me"));
    QVERIFY2(sent.has_message_ack(), qPrintable(describeFrame(sent)));
    const quint64 t = sent.message_ack().seq();

    const proto::Frame bobThumb = react(*bob.client, conv, t, kThumbsUp);
    QVERIFY2(bobThumb.has_message_ack(), qPrintable(describeFrame(bobThumb)));
    QCOMPARE(bobThumb.message_ack().seq(), t + 1);
    QVERIFY(!bobThumb.message_ack().duplicate());
    const auto push = waitMessage(*alice.client, conv, t + 1);
    QVERIFY(push);
    QCOMPARE(push->body_case(), proto::Message::kReaction);
    QCOMPARE(push->sender_id(), bob.id);
    QCOMPARE(push->reaction().target_seq(), t);
    QCOMPARE(qs(push->reaction().emoji()), kThumbsUp);

    const proto::Frame carolThumb = react(*carol.client, conv, t, kThumbsUp);
    QVERIFY2(carolThumb.has_message_ack(), qPrintable(describeFrame(carolThumb)));
    QCOMPARE(carolThumb.message_ack().seq(), t + 2);
    // A new reaction replaces the member's old one.
    const proto::Frame bobHeart = react(*bob.client, conv, t, kHeart);
    QVERIFY2(bobHeart.has_message_ack(), qPrintable(describeFrame(bobHeart)));
    QCOMPARE(bobHeart.message_ack().seq(), t + 3);

    auto target = entryAt(*alice.client, conv, t);
    QVERIFY(target);
    QCOMPARE(reactionsOf(*target),
             (QStringList {reactionEntry(kThumbsUp, {carol.id}), reactionEntry(kHeart, {bob.id})}));

    // The same reaction again: acknowledged as a duplicate, nothing stored.
    const proto::Frame again = react(*carol.client, conv, t, kThumbsUp);
    QVERIFY2(again.has_message_ack(), qPrintable(describeFrame(again)));
    QVERIFY(again.message_ack().duplicate());
    QCOMPARE(again.message_ack().seq(), quint64(0));
    QCOMPARE(lastSeq(*alice.client, conv), t + 3);

    // An empty emoji removes the reaction.
    const proto::Frame removed = react(*bob.client, conv, t, QString());
    QVERIFY2(removed.has_message_ack(), qPrintable(describeFrame(removed)));
    QCOMPARE(removed.message_ack().seq(), t + 4);
    const auto removal = waitMessage(*carol.client, conv, t + 4);
    QVERIFY(removal);
    QCOMPARE(removal->sender_id(), bob.id);
    QCOMPARE(removal->reaction().target_seq(), t);
    QVERIFY(removal->reaction().emoji().empty());
    target = entryAt(*carol.client, conv, t);
    QVERIFY(target);
    QCOMPARE(reactionsOf(*target), QStringList {reactionEntry(kThumbsUp, {carol.id})});

    // Someone outside the group cannot react; nothing stored.
    const proto::Frame byOutsider = react(*outsider.client, conv, t, kThumbsUp);
    QVERIFY2(isNotMemberError(byOutsider), qPrintable(describeFrame(byOutsider)));
    QCOMPARE(lastSeq(*alice.client, conv), t + 4);
    target = entryAt(*alice.client, conv, t);
    QVERIFY(target);
    QCOMPARE(reactionsOf(*target), QStringList {reactionEntry(kThumbsUp, {carol.id})});
}

// ---- Forward ---------------------------------------------------------------------------------

void TestMessageFeatures::forwardSingleAndMerged()
{
    TestUser alice = user(QStringLiteral("fw_a"));
    TestUser bob = user(QStringLiteral("fw_b"));
    TestUser erin = user(QStringLiteral("fw_e"));
    TestUser frank = user(QStringLiteral("fw_f"));
    TestUser carol = user(QStringLiteral("fw_c"));
    TestUser dave = user(QStringLiteral("fw_d"));
    const quint64 source = friendsWithConversation(alice, bob);
    const quint64 toErin = friendsWithConversation(alice, erin);
    const quint64 toFrank = friendsWithConversation(alice, frank);
    const quint64 foreign = friendsWithConversation(carol, dave);
    QVERIFY(source && toErin && toFrank && foreign);
    QCOMPARE(openDirect(*bob.client, alice.id), source);
    QCOMPARE(openDirect(*erin.client, alice.id), toErin);
    QCOMPARE(openDirect(*frank.client, alice.id), toFrank);
    const quint64 groupId = createGroupWith(alice, {&bob});
    QVERIFY(groupId != 0);
    const quint64 group = openGroupConversation(*alice.client, groupId);
    QVERIFY(group != 0);
    QCOMPARE(openGroupConversation(*bob.client, groupId), group);

    // Frank blocks Alice: she may no longer post to their conversation.
    const proto::Frame blocked = request(
        *frank.client, [&](proto::Frame &f) { f.mutable_block_user()->set_user_id(alice.id); });
    QVERIFY2(blocked.has_contact(), qPrintable(describeFrame(blocked)));

    proto::MessageContent image;
    image.set_kind(proto::MessageContent::KIND_IMAGE);
    image.set_text(utf8(QStringLiteral("a cat")));
    auto *file = image.mutable_file();
    file->set_file_id(uploadTestFile(*alice.client, QByteArray(12345, 'c'),
                                     QStringLiteral("cat.png"), "image/png"));
    file->set_name("cat.png");
    file->set_size(12345);
    file->set_mime_type("image/png");
    file->set_width(64);
    file->set_height(48);
    file->set_thumbnail(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
    const proto::Frame imageAck = sendContent(*alice.client, source, image);
    QVERIFY2(imageAck.has_message_ack(), qPrintable(describeFrame(imageAck)));
    const proto::Frame textAck = sendText(*alice.client, source, QStringLiteral("first words"));
    QVERIFY2(textAck.has_message_ack(), qPrintable(describeFrame(textAck)));
    const proto::Frame bobAck = sendText(*bob.client, source, QStringLiteral("bob answers"));
    QVERIFY2(bobAck.has_message_ack(), qPrintable(describeFrame(bobAck)));
    const quint64 s1 = imageAck.message_ack().seq();
    const quint64 s2 = textAck.message_ack().seq();
    const quint64 s3 = bobAck.message_ack().seq();

    const quint64 groupBefore = lastSeq(*bob.client, group);
    const quint64 erinBefore = lastSeq(*erin.client, toErin);
    const quint64 frankBefore = lastSeq(*frank.client, toFrank);
    const quint64 foreignBefore = lastSeq(*carol.client, foreign);
    QVERIFY(groupBefore != kFailed && erinBefore != kFailed && frankBefore != kFailed
            && foreignBefore != kFailed);

    // One message into three targets: the group succeeds, the other two are refused.
    const QString groupMsgId = newClientMsgId();
    const auto forwardOne = [&](const QList<quint64> &targets) {
        return request(*alice.client, [&](proto::Frame &f) {
            auto *forward = f.mutable_forward_messages();
            forward->set_source_conversation_id(source);
            forward->add_seqs(s1);
            for (quint64 target : targets) {
                auto *t = forward->add_targets();
                t->set_conversation_id(target);
                t->set_client_msg_id(utf8(target == group ? groupMsgId : newClientMsgId()));
            }
        });
    };
    const proto::Frame single = forwardOne({group, toFrank, foreign});
    QVERIFY2(single.has_forward_result(), qPrintable(describeFrame(single)));
    QCOMPARE(single.forward_result().outcomes_size(), 3);
    quint64 forwardedSeq = 0;
    for (const auto &outcome : single.forward_result().outcomes()) {
        const QString what = qs(outcome.ShortDebugString());
        if (outcome.conversation_id() == group) {
            QVERIFY2(outcome.has_ack() && !outcome.has_error(), qPrintable(what));
            QCOMPARE(outcome.ack().seq(), groupBefore + 1);
            QVERIFY(!outcome.ack().duplicate());
            forwardedSeq = outcome.ack().seq();
        } else if (outcome.conversation_id() == toFrank) {
            QVERIFY2(!outcome.has_ack() && outcome.has_error(), qPrintable(what));
            QCOMPARE(outcome.error().code(), proto::ERROR_CODE_PERMISSION_DENIED);
        } else {
            QCOMPARE(outcome.conversation_id(), foreign);
            QVERIFY2(!outcome.has_ack() && outcome.has_error(), qPrintable(what));
            QVERIFY2(outcome.error().code() == proto::ERROR_CODE_NOT_FOUND
                         || outcome.error().code() == proto::ERROR_CODE_PERMISSION_DENIED,
                     qPrintable(what));
        }
    }
    QVERIFY(forwardedSeq != 0);
    QCOMPARE(lastSeq(*frank.client, toFrank), frankBefore);
    QCOMPARE(lastSeq(*carol.client, foreign), foreignBefore);

    // The copy refers to the very same file: no re-upload.
    const auto pushed = waitMessage(*bob.client, group, forwardedSeq);
    QVERIFY(pushed);
    QCOMPARE(pushed->sender_id(), alice.id);
    const auto copy = entryAt(*bob.client, group, forwardedSeq);
    QVERIFY(copy);
    QVERIFY(copy->content().forwarded());
    QCOMPARE(copy->content().kind(), proto::MessageContent::KIND_IMAGE);
    QCOMPARE(qs(copy->content().text()), QStringLiteral("a cat"));
    QCOMPARE(qs(copy->content().file().ShortDebugString()), qs(image.file().ShortDebugString()));
    const auto original = entryAt(*bob.client, source, s1);
    QVERIFY(original);
    QVERIFY(!original->content().forwarded());

    // The same target client_msg_id again: the original ack, nothing new.
    const proto::Frame retried = forwardOne({group});
    QVERIFY2(retried.has_forward_result(), qPrintable(describeFrame(retried)));
    QCOMPARE(retried.forward_result().outcomes_size(), 1);
    QVERIFY2(retried.forward_result().outcomes(0).has_ack(),
             qPrintable(qs(retried.forward_result().ShortDebugString())));
    QVERIFY(retried.forward_result().outcomes(0).ack().duplicate());
    QCOMPARE(retried.forward_result().outcomes(0).ack().seq(), forwardedSeq);
    QCOMPARE(lastSeq(*bob.client, group), forwardedSeq);

    // Merge forward: one bundle with the three messages as they were.
    const proto::Frame merged = request(*alice.client, [&](proto::Frame &f) {
        auto *forward = f.mutable_forward_messages();
        forward->set_source_conversation_id(source);
        for (quint64 seq : {s1, s2, s3})
            forward->add_seqs(seq);
        auto *target = forward->add_targets();
        target->set_conversation_id(toErin);
        target->set_client_msg_id(utf8(newClientMsgId()));
        forward->set_merge(true);
        forward->set_title(utf8(QStringLiteral("Chat history")));
    });
    QVERIFY2(merged.has_forward_result(), qPrintable(describeFrame(merged)));
    QCOMPARE(merged.forward_result().outcomes_size(), 1);
    const auto &mergedOutcome = merged.forward_result().outcomes(0);
    QVERIFY2(mergedOutcome.has_ack(), qPrintable(qs(mergedOutcome.ShortDebugString())));
    QCOMPARE(mergedOutcome.ack().seq(), erinBefore + 1);
    QCOMPARE(lastSeq(*erin.client, toErin), erinBefore + 1);
    const auto bundleMsg = entryAt(*erin.client, toErin, erinBefore + 1);
    QVERIFY(bundleMsg);
    QCOMPARE(bundleMsg->sender_id(), alice.id);
    QCOMPARE(bundleMsg->content().kind(), proto::MessageContent::KIND_FORWARD_BUNDLE);
    const proto::ForwardBundle &bundle = bundleMsg->content().bundle();
    QCOMPARE(qs(bundle.title()), QStringLiteral("Chat history"));
    QCOMPARE(bundle.items_size(), 3);
    QCOMPARE(bundle.items(0).sender_id(), alice.id);
    QCOMPARE(bundle.items(1).sender_id(), alice.id);
    QCOMPARE(bundle.items(2).sender_id(), bob.id);
    QCOMPARE(bundle.items(0).sent_at_ms(), imageAck.message_ack().sent_at_ms());
    QCOMPARE(bundle.items(2).sent_at_ms(), bobAck.message_ack().sent_at_ms());
    QCOMPARE(bundle.items(0).content().kind(), proto::MessageContent::KIND_IMAGE);
    QCOMPARE(qs(bundle.items(0).content().file().ShortDebugString()),
             qs(image.file().ShortDebugString()));
    QCOMPARE(bundle.items(1).content().kind(), proto::MessageContent::KIND_TEXT);
    QCOMPARE(qs(bundle.items(1).content().text()), QStringLiteral("first words"));
    QCOMPARE(qs(bundle.items(2).content().text()), QStringLiteral("bob answers"));

    // From a conversation Alice is not in: refused as a whole, nothing stored anywhere.
    const quint64 sourceBefore = lastSeq(*alice.client, source);
    const proto::Frame foreignFrame = sendText(*carol.client, foreign, QStringLiteral("private"));
    QVERIFY2(foreignFrame.has_message_ack(), qPrintable(describeFrame(foreignFrame)));
    const proto::Frame stolen = request(*alice.client, [&](proto::Frame &f) {
        auto *forward = f.mutable_forward_messages();
        forward->set_source_conversation_id(foreign);
        forward->add_seqs(foreignFrame.message_ack().seq());
        for (quint64 target : {source, group, toErin}) {
            auto *t = forward->add_targets();
            t->set_conversation_id(target);
            t->set_client_msg_id(utf8(newClientMsgId()));
        }
    });
    QVERIFY2(isNotMemberError(stolen), qPrintable(describeFrame(stolen)));
    QCOMPARE(lastSeq(*alice.client, source), sourceBefore);
    QCOMPARE(lastSeq(*bob.client, group), forwardedSeq);
    QCOMPARE(lastSeq(*erin.client, toErin), erinBefore + 1);
}

// ---- Search ----------------------------------------------------------------------------------

void TestMessageFeatures::searchChineseAndShortQueries()
{
    TestUser alice = user(QStringLiteral("se_a"));
    TestUser bob = user(QStringLiteral("se_b"));
    TestUser erin = user(QStringLiteral("se_e"));
    TestUser carol = user(QStringLiteral("se_c"));
    TestUser dave = user(QStringLiteral("se_d"));
    const quint64 ab = friendsWithConversation(alice, bob);
    const quint64 ae = friendsWithConversation(alice, erin);
    const quint64 cd = friendsWithConversation(carol, dave);
    QVERIFY(ab && ae && cd);
    QCOMPARE(openDirect(*bob.client, alice.id), ab);
    QCOMPARE(openDirect(*erin.client, alice.id), ae);
    QCOMPARE(openDirect(*dave.client, carol.id), cd);

    const qint64 startMs = QDateTime::currentMSecsSinceEpoch();
    struct Line
    {
        TestUser *sender;
        quint64 conversation;
        QString text;
    };
    // Sent in this order; the hits come newest first.
    const QList<Line> lines {
        {&alice, ab, QStringLiteral("大家好，你好世界")},
        {&bob, ab, QStringLiteral("hello world")},
        {&alice, ab, QStringLiteral("a")},
        {&bob, ab, QStringLiteral("今天天气不错")},
        {&bob, ab, QStringLiteral("ABC")},
        {&erin, ae, QStringLiteral("a second chat")},
        {&bob, ab, QStringLiteral("Q大家")},
        // Not Alice's: must never be found by her.
        {&carol, cd, QStringLiteral("你好 from C")},
        {&dave, cd, QStringLiteral("hello again from D")},
    };
    for (const Line &line : lines) {
        const proto::Frame ack = sendText(*line.sender->client, line.conversation, line.text);
        QVERIFY2(ack.has_message_ack(), qPrintable(describeFrame(ack)));
    }

    const auto texts = [&](const QString &query,
                           const std::function<void(proto::SearchMessagesRequest &)> &fill = {}) {
        const proto::Frame answer = search(*alice.client, query, fill);
        if (!answer.has_message_search_result())
            qWarning("Search %s failed: %s", qPrintable(query), qPrintable(describeFrame(answer)));
        return hitTexts(answer);
    };

    // Two-character Chinese queries (word tokenizers and trigrams both fail these).
    const proto::Frame nihao = search(*alice.client, QStringLiteral("你好"));
    QVERIFY2(nihao.has_message_search_result(), qPrintable(describeFrame(nihao)));
    QCOMPARE(hitTexts(nihao), QStringList {QStringLiteral("大家好，你好世界")});
    QCOMPARE(nihao.message_search_result().hits(0).message().conversation_id(), ab);
    QCOMPARE(nihao.message_search_result().hits(0).message().sender_id(), alice.id);
    QCOMPARE(texts(QStringLiteral("天气")), QStringList {QStringLiteral("今天天气不错")});
    // One character, Chinese and Latin; Latin is case-insensitive.
    QCOMPARE(texts(QStringLiteral("好")), QStringList {QStringLiteral("大家好，你好世界")});
    const QStringList allA {QStringLiteral("a second chat"), QStringLiteral("ABC"),
                            QStringLiteral("a")};
    QCOMPARE(texts(QStringLiteral("a")), allA);
    QCOMPARE(texts(QStringLiteral("A")), allA);
    QCOMPARE(texts(QStringLiteral("HELLO")), QStringList {QStringLiteral("hello world")});
    // Whitespace is in no index term: across it the other pairs find the text, and a letter
    // next to a Chinese character is found alone.
    QCOMPARE(texts(QStringLiteral("lo wo")), QStringList {QStringLiteral("hello world")});
    QCOMPARE(texts(QStringLiteral("o w")), QStringList {QStringLiteral("hello world")});
    QCOMPARE(texts(QStringLiteral("q")), QStringList {QStringLiteral("Q大家")});
    // Carol sees her own conversation's hit, never Alice's.
    const proto::Frame carolHits = search(*carol.client, QStringLiteral("你好"));
    QCOMPARE(hitTexts(carolHits), QStringList {QStringLiteral("你好 from C")});

    // Filters.
    QCOMPARE(texts(QStringLiteral("a"), [&](auto &r) { r.set_sender_id(bob.id); }),
             QStringList {QStringLiteral("ABC")});
    QCOMPARE(texts(QStringLiteral("a"), [&](auto &r) { r.set_sender_id(alice.id); }),
             QStringList {QStringLiteral("a")});
    QCOMPARE(texts(QStringLiteral("a"), [&](auto &r) { r.set_conversation_id(ab); }),
             (QStringList {QStringLiteral("ABC"), QStringLiteral("a")}));
    QCOMPARE(texts(QStringLiteral("a"), [&](auto &r) { r.set_conversation_id(ae); }),
             QStringList {QStringLiteral("a second chat")});
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(texts(QStringLiteral("a"),
                   [&](auto &r) {
                       r.set_from_ms(nowMs + 3600 * 1000);
                       r.set_to_ms(nowMs + 7200 * 1000);
                   }),
             QStringList {});
    QCOMPARE(texts(QStringLiteral("a"),
                   [&](auto &r) {
                       r.set_from_ms(startMs - 60 * 1000);
                       r.set_to_ms(nowMs + 60 * 1000);
                   }),
             allA);

    // Paging one hit at a time walks every hit once, newest first.
    QStringList walked;
    QSet<quint64> ids;
    quint64 before = 0;
    for (int page = 0; page < 10; ++page) {
        const proto::Frame answer = search(*alice.client, QStringLiteral("a"), [&](auto &r) {
            r.set_limit(1);
            r.set_before_message_id(before);
        });
        QVERIFY2(answer.has_message_search_result(), qPrintable(describeFrame(answer)));
        const auto &result = answer.message_search_result();
        QVERIFY(result.hits_size() <= 1);
        if (result.hits_size() == 0)
            break;
        const quint64 id = result.hits(0).message_id();
        QVERIFY2(!ids.contains(id), "a hit came twice");
        ids.insert(id);
        walked.append(qs(result.hits(0).message().content().text()));
        before = id;
        if (walked.size() < allA.size())
            QVERIFY2(result.has_more(), qPrintable(walked.join(QLatin1Char('|'))));
        if (!result.has_more())
            break;
    }
    QCOMPARE(walked, allA);

    // Query length: 1 to 64 characters (not bytes).
    const proto::Frame longest = search(*alice.client, QString(64, QChar(0x597D))); // 好
    QVERIFY2(longest.has_message_search_result(), qPrintable(describeFrame(longest)));
    QCOMPARE(longest.message_search_result().hits_size(), 0);
    const proto::Frame tooLong = search(*alice.client, QString(65, QLatin1Char('x')));
    QVERIFY2(errorCode(tooLong) == proto::ERROR_CODE_INVALID_ARGUMENT,
             qPrintable(describeFrame(tooLong)));
    const proto::Frame empty = search(*alice.client, QString());
    QVERIFY2(errorCode(empty) == proto::ERROR_CODE_INVALID_ARGUMENT,
             qPrintable(describeFrame(empty)));
}

// ---- Typing ----------------------------------------------------------------------------------

void TestMessageFeatures::typingIsEphemeralAndRateLimited()
{
    TestUser alice = user(QStringLiteral("ty_a"));
    TestUser bob = user(QStringLiteral("ty_b"));
    TestUser carol = user(QStringLiteral("ty_c"));
    QVERIFY(carol.id != 0);
    const quint64 conv = friendsWithConversation(alice, bob);
    QVERIFY(conv != 0);
    QCOMPARE(openDirect(*bob.client, alice.id), conv);
    const proto::Frame sent = sendText(*alice.client, conv, QStringLiteral("hi"));
    QVERIFY2(sent.has_message_ack(), qPrintable(describeFrame(sent)));
    const quint64 last = sent.message_ack().seq();

    const proto::Frame first = setTyping(*alice.client, conv, true);
    QVERIFY2(first.has_typing_result(), qPrintable(describeFrame(first)));
    QVERIFY(first.typing_result().forwarded());
    const auto push = bob.client->nextPush(proto::Frame::kTypingPush);
    QVERIFY(push);
    QCOMPARE(push->typing_push().conversation_id(), conv);
    QCOMPARE(push->typing_push().user_id(), alice.id);
    QVERIFY(push->typing_push().typing());
    QVERIFY(push->typing_push().expires_in_ms() > 0);

    // Within 2 s a second "typing" is answered but dropped.
    const proto::Frame second = setTyping(*alice.client, conv, true);
    QVERIFY2(second.has_typing_result(), qPrintable(describeFrame(second)));
    QVERIFY(!second.typing_result().forwarded());

    // Not a member: refused, and Bob hears nothing of it.
    const proto::Frame outsider = setTyping(*carol.client, conv, true);
    QVERIFY2(isNotMemberError(outsider), qPrintable(describeFrame(outsider)));
    const proto::Frame unknown = setTyping(*alice.client, 987654321, true);
    QCOMPARE(errorCode(unknown), proto::ERROR_CODE_NOT_FOUND);

    // The stop after a shown "typing" goes through although a start was just dropped.
    const proto::Frame stop = setTyping(*alice.client, conv, false);
    QVERIFY2(stop.has_typing_result(), qPrintable(describeFrame(stop)));
    QVERIFY(stop.typing_result().forwarded());
    const auto next = bob.client->nextPush(proto::Frame::kTypingPush);
    QVERIFY(next);
    QCOMPARE(next->typing_push().user_id(), alice.id);
    QVERIFY2(!next->typing_push().typing(), qPrintable(qs(next->ShortDebugString())));

    // Stops are limited too: a client repeating them cannot push to every member at will.
    const proto::Frame again = setTyping(*alice.client, conv, false);
    QVERIFY2(again.has_typing_result(), qPrintable(describeFrame(again)));
    QVERIFY(!again.typing_result().forwarded());

    // Once the interval has passed, a start is shown again and frees the next stop at once;
    // Bob hears the start and that stop, and nothing of the dropped one.
    QTest::qWait(tern::limits::kTypingIntervalMs + 100);
    QVERIFY(setTyping(*alice.client, conv, true).typing_result().forwarded());
    QVERIFY(setTyping(*alice.client, conv, false).typing_result().forwarded());
    const auto restart = bob.client->nextPush(proto::Frame::kTypingPush);
    QVERIFY(restart);
    QVERIFY2(restart->typing_push().typing(), qPrintable(qs(restart->ShortDebugString())));
    const auto restop = bob.client->nextPush(proto::Frame::kTypingPush);
    QVERIFY(restop);
    QVERIFY2(!restop->typing_push().typing(), qPrintable(qs(restop->ShortDebugString())));

    // Never stored.
    QCOMPARE(lastSeq(*alice.client, conv), last);
    QCOMPARE(lastSeq(*bob.client, conv), last);
}

// A search the database cannot finish in time is stopped with a clear error, and the
// connection it ran on serves the next search. The search is made slow by a lock on the
// messages table that another session holds.
void TestMessageFeatures::slowSearchIsStopped()
{
    TestUser alice = user(QStringLiteral("slow_a"));
    TestUser bob = user(QStringLiteral("slow_b"));
    const quint64 conv = friendsWithConversation(alice, bob);
    QVERIFY(conv != 0);
    QVERIFY(
        sendText(*alice.client, conv, QStringLiteral("needle in a haystack")).has_message_ack());
    // Searches in flight together spread over every database connection of the worker, so
    // each has the statement prepared: the lock below must stop its execution, not its parse.
    // A user runs two at a time, so six users warm them.
    std::vector<TestUser> warmers;
    for (int i = 0; i < 6; ++i)
        warmers.push_back(user(QStringLiteral("slow_w")));
    std::vector<std::pair<TestClient *, quint64>> warm;
    for (TestUser &w : warmers) {
        for (int i = 0; i < 2; ++i) {
            proto::Frame f;
            f.mutable_search_messages()->set_query("needle");
            warm.emplace_back(w.client.get(), w.client->post(f));
        }
    }
    for (auto [client, id] : warm) {
        const proto::Frame answer = client->answerTo(id);
        QVERIFY2(answer.has_message_search_result(), qPrintable(describeFrame(answer)));
    }

    server::PgSession holder;
    QCOMPARE(holder.connect(m_pg.dsn()), QString());
    QVERIFY(holder.execScript("BEGIN; LOCK TABLE messages IN ACCESS EXCLUSIVE MODE").ok());
    QElapsedTimer timer;
    timer.start();
    // Two searches run at a time; the third is refused at once.
    std::vector<quint64> slow;
    for (int i = 0; i < 2; ++i) {
        proto::Frame f;
        f.mutable_search_messages()->set_query("needle");
        slow.push_back(alice.client->post(f));
    }
    const proto::Frame third = search(*alice.client, QStringLiteral("needle"));
    QCOMPARE(errorCode(third), proto::ERROR_CODE_RATE_LIMITED);
    QVERIFY(timer.elapsed() < server::MessageStore::kSearchTimeoutMs);
    for (quint64 id : slow) {
        const proto::Frame stopped = alice.client->answerTo(id);
        QCOMPARE(errorCode(stopped), proto::ERROR_CODE_LIMIT_EXCEEDED);
        QVERIFY2(
            QString::fromStdString(stopped.error().message()).contains(QLatin1String("too long")),
            stopped.error().message().c_str());
        QCOMPARE(stopped.error().reason(), std::string("messaging/search_slow"));
    }
    const qint64 tookMs = timer.elapsed();
    QVERIFY(holder.execScript("ROLLBACK").ok());
    QVERIFY2(tookMs >= server::MessageStore::kSearchTimeoutMs - 100 && tookMs < 10000,
             qPrintable(QString::number(tookMs)));

    // Two stopped searches spent Alice's database time for the minute; Bob searches as ever.
    const proto::Frame spent = search(*alice.client, QStringLiteral("needle"));
    QCOMPARE(errorCode(spent), proto::ERROR_CODE_RATE_LIMITED);
    QVERIFY2(spent.error().retry_after_ms() > 50000, qPrintable(describeFrame(spent)));
    const proto::Frame after = search(*bob.client, QStringLiteral("needle"));
    QVERIFY2(after.has_message_search_result(), qPrintable(describeFrame(after)));
    QCOMPARE(after.message_search_result().hits_size(), 1);
}

// ---- Read receipts ---------------------------------------------------------------------------

void TestMessageFeatures::readReceiptsAndPrivacy()
{
    TestUser alice = user(QStringLiteral("rr_a"));
    TestUser bob = user(QStringLiteral("rr_b"));
    const quint64 conv = friendsWithConversation(alice, bob);
    QVERIFY(conv != 0);
    QCOMPARE(openDirect(*bob.client, alice.id), conv);
    QList<quint64> seqs;
    for (int i = 1; i <= 4; ++i) {
        const proto::Frame ack = sendText(*alice.client, conv, QStringLiteral("line %1").arg(i));
        QVERIFY2(ack.has_message_ack(), qPrintable(describeFrame(ack)));
        seqs.append(ack.message_ack().seq());
    }

    // Bob reads the first: Alice gets a receipt and sees it in her state.
    const proto::Frame bobRead = readUpTo(*bob.client, conv, seqs[0]);
    QVERIFY2(bobRead.has_conversation_state(), qPrintable(describeFrame(bobRead)));
    QCOMPARE(bobRead.conversation_state().read_seq(), seqs[0]);
    const auto receipt = waitPush(*alice.client, [&](const proto::Frame &f) {
        return f.has_read_state_changed() && f.read_state_changed().user_id() == bob.id
            && f.read_state_changed().read_seq() > 0;
    });
    QVERIFY(receipt);
    QCOMPARE(receipt->read_state_changed().conversation_id(), conv);
    QCOMPARE(receipt->read_state_changed().read_seq(), seqs[0]);
    auto aliceView = stateOf(*alice.client, conv);
    QVERIFY(aliceView);
    QCOMPARE(aliceView->peer_read_seq(), seqs[0]);

    // Alice reads everything: Bob sees it while both share receipts.
    const proto::Frame aliceRead = readUpTo(*alice.client, conv, seqs[3]);
    QVERIFY2(aliceRead.has_conversation_state(), qPrintable(describeFrame(aliceRead)));
    const quint64 aliceReadSeq = aliceRead.conversation_state().read_seq();
    QCOMPARE(aliceReadSeq, seqs[3]);
    auto bobView = stateOf(*bob.client, conv);
    QVERIFY(bobView);
    QCOMPARE(bobView->peer_read_seq(), aliceReadSeq);

    // Bob stops sharing receipts.
    const proto::Frame off = setReadReceipts(*bob.client, false);
    QVERIFY2(off.has_messaging_settings(), qPrintable(describeFrame(off)));
    QVERIFY(!off.messaging_settings().read_receipts());
    const proto::Frame readBack =
        request(*bob.client, [](proto::Frame &f) { f.mutable_update_messaging_settings(); });
    QVERIFY2(readBack.has_messaging_settings(), qPrintable(describeFrame(readBack)));
    QVERIFY(!readBack.messaging_settings().read_receipts());

    quint64 aliceCursor = 0;
    syncAll(*alice.client, 0, &aliceCursor);
    QVERIFY(aliceCursor);
    const proto::Frame bobReadMore = readUpTo(*bob.client, conv, seqs[2]);
    QVERIFY2(bobReadMore.has_conversation_state(), qPrintable(describeFrame(bobReadMore)));
    QCOMPARE(bobReadMore.conversation_state().read_seq(), seqs[2]);
    // Nor does the chat come back in Alice's sync: its coming back would say when Bob read.
    QCOMPARE(int(syncAll(*alice.client, aliceCursor).size()), 0);
    // Bob's message is the sentinel: a receipt for his read would have come before it.
    const proto::Frame bobSays = sendText(*bob.client, conv, QStringLiteral("sentinel"));
    QVERIFY2(bobSays.has_message_ack(), qPrintable(describeFrame(bobSays)));
    QList<proto::Frame> before;
    QVERIFY(waitMessage(*alice.client, conv, bobSays.message_ack().seq(), &before));
    for (const proto::Frame &frame : before) {
        QVERIFY2(!(frame.has_read_state_changed() && frame.read_state_changed().user_id() == bob.id
                   && frame.read_state_changed().read_seq() > seqs[0]),
                 qPrintable(qs(frame.ShortDebugString())));
    }
    aliceView = stateOf(*alice.client, conv);
    QVERIFY(aliceView);
    QVERIFY2(aliceView->peer_read_seq() == 0 || aliceView->peer_read_seq() == seqs[0],
             qPrintable(qs(aliceView->ShortDebugString())));
    // Turning receipts off also hides Alice's from Bob.
    bobView = stateOf(*bob.client, conv);
    QVERIFY(bobView);
    QCOMPARE(bobView->peer_read_seq(), quint64(0));

    // Group read counts.
    TestUser owner = user(QStringLiteral("rr_o"));
    TestUser m1 = user(QStringLiteral("rr_m"));
    TestUser m2 = user(QStringLiteral("rr_n"));
    TestUser private3 = user(QStringLiteral("rr_p"));
    const quint64 groupId = createGroupWith(owner, {&m1, &m2, &private3});
    QVERIFY(groupId != 0);
    const quint64 group = openGroupConversation(*owner.client, groupId);
    QVERIFY(group != 0);
    for (TestUser *member : {&m1, &m2, &private3})
        QCOMPARE(openGroupConversation(*member->client, groupId), group);
    const proto::Frame first = sendText(*owner.client, group, QStringLiteral("read me"));
    const proto::Frame second = sendText(*owner.client, group, QStringLiteral("and me"));
    QVERIFY2(first.has_message_ack(), qPrintable(describeFrame(first)));
    QVERIFY2(second.has_message_ack(), qPrintable(describeFrame(second)));
    const quint64 s = first.message_ack().seq();
    const quint64 s2 = second.message_ack().seq();

    proto::Frame counts = readCounts(*owner.client, group, {s, s2});
    QVERIFY2(counts.has_read_counts(), qPrintable(describeFrame(counts)));
    QCOMPARE(countFor(counts, s), 0);
    QCOMPARE(countFor(counts, s2), 0);

    QVERIFY(readUpTo(*m1.client, group, s).has_conversation_state());
    QVERIFY(readUpTo(*m2.client, group, s2).has_conversation_state());
    counts = readCounts(*owner.client, group, {s, s2});
    QVERIFY2(counts.has_read_counts(), qPrintable(describeFrame(counts)));
    QCOMPARE(countFor(counts, s), 2);
    QCOMPARE(countFor(counts, s2), 1);

    // A member without receipts is not counted, and gets no counts.
    QVERIFY(setReadReceipts(*private3.client, false).has_messaging_settings());
    QVERIFY(readUpTo(*private3.client, group, s2).has_conversation_state());
    counts = readCounts(*owner.client, group, {s, s2});
    QVERIFY2(counts.has_read_counts(), qPrintable(describeFrame(counts)));
    QCOMPARE(countFor(counts, s), 2);
    QCOMPARE(countFor(counts, s2), 1);
    const proto::Frame refused = readCounts(*private3.client, group, {s});
    QVERIFY2(errorCode(refused) == proto::ERROR_CODE_PERMISSION_DENIED,
             qPrintable(describeFrame(refused)));

    // Only groups have counts: in a direct chat they would tell a blocked user what the
    // peer's hidden read cursor does not.
    const proto::Frame direct = readCounts(*bob.client, conv, {seqs[0]});
    QVERIFY2(errorCode(direct) == proto::ERROR_CODE_INVALID_ARGUMENT,
             qPrintable(describeFrame(direct)));
    // Who left a group no longer follows its members' reading.
    proto::Frame leave;
    leave.mutable_leave_group()->set_group_id(groupId);
    const proto::Frame leaving = m2.client->request(leave);
    QVERIFY2(leaving.has_group_change_result(), qPrintable(describeFrame(leaving)));
    const proto::Frame left = readCounts(*m2.client, group, {s});
    QVERIFY2(errorCode(left) == proto::ERROR_CODE_PERMISSION_DENIED,
             qPrintable(describeFrame(left)));
}

void TestMessageFeatures::receiptsSettingMovesDirectChats()
{
    TestUser alice = user(QStringLiteral("rs_a"));
    TestUser bob = user(QStringLiteral("rs_b"));
    const quint64 conv = friendsWithConversation(alice, bob);
    QVERIFY(conv != 0);
    QCOMPARE(openDirect(*bob.client, alice.id), conv);
    const proto::Frame first = sendText(*alice.client, conv, QStringLiteral("read this"));
    const proto::Frame second = sendText(*alice.client, conv, QStringLiteral("and this"));
    QVERIFY2(first.has_message_ack(), qPrintable(describeFrame(first)));
    QVERIFY2(second.has_message_ack(), qPrintable(describeFrame(second)));
    const quint64 s1 = first.message_ack().seq();
    const quint64 s2 = second.message_ack().seq();
    const auto bobsReceipt = [&](const proto::Frame &f) {
        return f.has_read_state_changed() && f.read_state_changed().user_id() == bob.id
            && f.read_state_changed().conversation_id() == conv;
    };

    // Bob reads the first message, Alice both: each sees the other's cursor.
    QVERIFY(readUpTo(*bob.client, conv, s1).has_conversation_state());
    const auto receipt = waitPush(*alice.client, bobsReceipt);
    QVERIFY(receipt);
    QCOMPARE(receipt->read_state_changed().read_seq(), s1);
    QVERIFY(readUpTo(*alice.client, conv, s2).has_conversation_state());
    quint64 aliceSince = 0;
    quint64 bobSince = 0;
    auto aliceView = findState(syncAll(*alice.client, 0, &aliceSince), conv);
    QVERIFY(aliceView);
    QCOMPARE(aliceView->peer_read_seq(), s1);
    auto bobView = findState(syncAll(*bob.client, 0, &bobSince), conv);
    QVERIFY(bobView);
    QCOMPARE(bobView->peer_read_seq(), s2);

    // Bob's other device is told what the setting shows him of Alice's cursors.
    std::unique_ptr<TestClient> bobsPhone =
        loginDevice(m_ternd->url(), bob, QStringLiteral("rs-b-phone"));
    QVERIFY(bobsPhone);
    const auto alicesReceipt = [&](const proto::Frame &f) {
        return f.has_read_state_changed() && f.read_state_changed().user_id() == alice.id
            && f.read_state_changed().conversation_id() == conv;
    };

    // Bob stops sharing receipts. Alice is told at once that his cursors are hidden, and her
    // sync since her last one brings the chat back showing so; Bob's, with hers hidden from him.
    const proto::Frame off = setReadReceipts(*bob.client, false);
    QVERIFY2(off.has_messaging_settings(), qPrintable(describeFrame(off)));
    QVERIFY(!off.messaging_settings().read_receipts());
    const auto hidden = waitPush(*alice.client, bobsReceipt);
    QVERIFY(hidden);
    QCOMPARE(hidden->read_state_changed().read_seq(), quint64(0));
    QCOMPARE(hidden->read_state_changed().delivered_seq(), quint64(0));
    const auto hiddenFromBob = waitPush(*bobsPhone, alicesReceipt);
    QVERIFY2(hiddenFromBob, "the user's own devices are told the peer's cursors are hidden");
    QCOMPARE(hiddenFromBob->read_state_changed().read_seq(), quint64(0));
    QCOMPARE(hiddenFromBob->read_state_changed().delivered_seq(), quint64(0));
    aliceView = findState(syncAll(*alice.client, aliceSince, &aliceSince), conv);
    QVERIFY2(aliceView, "turning receipts off brings the chat back in the peer's sync");
    QCOMPARE(aliceView->peer_read_seq(), quint64(0));
    QCOMPARE(aliceView->peer_delivered_seq(), quint64(0));
    QCOMPARE(aliceView->read_seq(), s2); // her own cursor is as it was
    bobView = findState(syncAll(*bob.client, bobSince, &bobSince), conv);
    QVERIFY(bobView);
    QCOMPARE(bobView->peer_read_seq(), quint64(0));

    // Bob shares them again: Alice is told his cursors and syncs them; Bob sees hers again.
    const proto::Frame on = setReadReceipts(*bob.client, true);
    QVERIFY2(on.has_messaging_settings(), qPrintable(describeFrame(on)));
    QVERIFY(on.messaging_settings().read_receipts());
    const auto shown = waitPush(*alice.client, bobsReceipt);
    QVERIFY(shown);
    QCOMPARE(shown->read_state_changed().read_seq(), s1);
    QVERIFY(shown->read_state_changed().delivered_seq() >= s1);
    const auto shownToBob = waitPush(*bobsPhone, alicesReceipt);
    QVERIFY2(shownToBob, "the user's own devices are told the peer's cursors again");
    QCOMPARE(shownToBob->read_state_changed().read_seq(), s2);
    aliceView = findState(syncAll(*alice.client, aliceSince, &aliceSince), conv);
    QVERIFY2(aliceView, "turning receipts on brings the chat back in the peer's sync");
    QCOMPARE(aliceView->peer_read_seq(), s1);
    bobView = findState(syncAll(*bob.client, bobSince, &bobSince), conv);
    QVERIFY(bobView);
    QCOMPARE(bobView->peer_read_seq(), s2);

    // While Alice does not share receipts, Bob's setting changes nothing she sees, and her
    // sync does not bring the chat back for it (that would tell her he changed it).
    QVERIFY(setReadReceipts(*alice.client, false).has_messaging_settings());
    QVERIFY(findState(syncAll(*alice.client, aliceSince, &aliceSince), conv)); // her own change
    QVERIFY(setReadReceipts(*bob.client, false).has_messaging_settings());
    QCOMPARE(int(syncAll(*alice.client, aliceSince).size()), 0);
}

// A deadlock that aborts ternd's transaction costs the request a second attempt, not an error
// (PgPool::execute). The cycle is made here with Alice's row and her two direct conversations,
// which turning receipts off takes in that order (her row, then the conversations by id):
//  - `holder` locks the lower conversation, `blocker` the higher one;
//  - Alice turns receipts off: ternd locks her row, then waits for the lower conversation;
//  - `blocker` asks for Alice's row: it waits for ternd;
//  - `holder` lets go: ternd takes the lower conversation and waits for the higher one, which
//    `blocker` holds. The cycle is closed, and ternd's backend began its wait last.
// PostgreSQL looks for a cycle once per wait, when the waiting backend has waited for its
// deadlock_timeout: 1 s for ternd's (the default; neither the cluster nor ternd changes it),
// 30 s for `blocker`. So ternd's backend finds the cycle about a second after its last wait
// began and is the one aborted (40P01), whatever the timing here; `blocker` gets the row.
void TestMessageFeatures::receiptsSettingSurvivesADeadlock()
{
    TestUser alice = user(QStringLiteral("dl_a"));
    TestUser bob = user(QStringLiteral("dl_b"));
    TestUser carol = user(QStringLiteral("dl_c"));
    const quint64 withBob = friendsWithConversation(alice, bob);
    const quint64 withCarol = friendsWithConversation(alice, carol);
    QVERIFY(withBob != 0 && withCarol != 0);
    const QByteArray lower = QByteArray::number(std::min(withBob, withCarol));
    const QByteArray higher = QByteArray::number(std::max(withBob, withCarol));
    const QByteArray aliceId = QByteArray::number(alice.id);

    server::PgSession holder;
    QCOMPARE(holder.connect(m_pg.dsn()), QString());
    // What ternd's backends run with (they set nothing of their own): well under blocker's.
    const server::PgOutcome deadlockTimeout = holder.exec(
        {"SELECT setting::int FROM pg_settings WHERE name = 'deadlock_timeout'", {}}); // in ms
    QVERIFY(deadlockTimeout.ok());
    QVERIFY2(deadlockTimeout.results.front().int64(0, 0) < 10000,
             qPrintable(deadlockTimeout.results.front().text(0, 0)));
    server::PgSession blocker;
    QCOMPARE(blocker.connect(m_pg.dsn()), QString());
    // (A superuser's setting: the test cluster's role is one.)
    QVERIFY(blocker.execScript("SET deadlock_timeout = '30s'").ok());
    // Should ternd never close the cycle, the blocked statement below still ends.
    QVERIFY(blocker.execScript("SET lock_timeout = '10s'").ok());
    const server::PgOutcome pid = blocker.exec({"SELECT pg_backend_pid()", {}});
    QVERIFY(pid.ok());
    const QByteArray blockerPid = pid.results.front().bytes(0, 0);
    const char *const lockConversation = "SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE";
    QVERIFY(holder.execScript("BEGIN").ok());
    QVERIFY(holder.exec({lockConversation, {lower}}).ok());
    QVERIFY(blocker.execScript("BEGIN").ok());
    QVERIFY(blocker.exec({lockConversation, {higher}}).ok());

    // How many backends wait for a lock, as `holder` sees it. Inside a transaction,
    // pg_stat_activity is read once and kept: read it anew.
    const auto waiting = [&holder](const server::PgStatement &which) {
        if (!holder.exec({"SELECT pg_stat_clear_snapshot()", {}}).ok())
            return qint64(-1);
        const server::PgOutcome o = holder.exec(which);
        return o.ok() ? o.results.front().int64(0, 0) : -1;
    };
    const server::PgStatement terndWaits {
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        "   AND query LIKE '%tern_user_set_read_receipts%' AND pid <> pg_backend_pid()",
        {}};
    const server::PgStatement blockerWaits {
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid = $1::int",
        {blockerPid}};

    proto::Frame off;
    off.mutable_update_messaging_settings()->set_read_receipts(false);
    const quint64 asked = alice.client->post(off);
    QTRY_VERIFY_WITH_TIMEOUT(waiting(terndWaits) == 1, 10000);
    // The statement that blocks runs on a thread of its own; this one goes on watching (and
    // serving the client's socket).
    std::future<server::PgOutcome> aliceLocked =
        std::async(std::launch::async, [&blocker, aliceId] {
            return blocker.exec({"SELECT 1 FROM users WHERE id = $1 FOR UPDATE", {aliceId}});
        });
    QTRY_VERIFY_WITH_TIMEOUT(waiting(blockerWaits) == 1, 10000);
    QVERIFY(holder.execScript("ROLLBACK").ok());
    // ternd's transaction could not have committed while it waited for the conversation
    // `blocker` holds: Alice's row is granted because the database aborted it.
    QTRY_VERIFY_WITH_TIMEOUT(
        aliceLocked.wait_for(std::chrono::seconds(0)) == std::future_status::ready, 15000);
    const server::PgOutcome locked = aliceLocked.get();
    QVERIFY2(locked.ok(), qPrintable(locked.error.message));
    QVERIFY(blocker.execScript("ROLLBACK").ok());

    // ternd ran the request again once the row was free: it succeeds, and the setting changed.
    const proto::Frame answer = alice.client->answerTo(asked);
    QVERIFY2(answer.has_messaging_settings(), qPrintable(describeFrame(answer)));
    QVERIFY(!answer.messaging_settings().read_receipts());
    const server::PgOutcome stored =
        holder.exec({"SELECT read_receipts FROM users WHERE id = $1", {aliceId}});
    QVERIFY(stored.ok());
    QCOMPARE(stored.results.front().rowCount(), 1);
    QVERIFY(!stored.results.front().boolean(0, 0));
}

// ---- Settings, unread counts, mentions -------------------------------------------------------

void TestMessageFeatures::conversationSettingsAndList()
{
    TestUser alice = user(QStringLiteral("cs_a"));
    TestUser bob = user(QStringLiteral("cs_b"));
    const quint64 conv = friendsWithConversation(alice, bob);
    QVERIFY(conv != 0);
    QCOMPARE(openDirect(*bob.client, alice.id), conv);

    const auto updateSettings =
        [&](const std::function<void(proto::UpdateConversationSettingsRequest &)> &fill) {
            return request(*alice.client, [&](proto::Frame &f) {
                f.mutable_update_conversation_settings()->set_conversation_id(conv);
                fill(*f.mutable_update_conversation_settings());
            });
        };
    proto::Frame updated = updateSettings([](auto &r) {
        r.set_muted(true);
        r.set_pinned(true);
        r.set_archived(true);
    });
    QVERIFY2(updated.has_conversation_state(), qPrintable(describeFrame(updated)));
    QCOMPARE(updated.conversation_state().conversation_id(), conv);
    QVERIFY(updated.conversation_state().settings().muted());
    QVERIFY(updated.conversation_state().settings().pinned());
    QVERIFY(updated.conversation_state().settings().archived());
    // Unset fields stay as they were.
    updated = updateSettings([](auto &r) { r.set_pinned(false); });
    QVERIFY2(updated.has_conversation_state(), qPrintable(describeFrame(updated)));
    QVERIFY(updated.conversation_state().settings().muted());
    QVERIFY(!updated.conversation_state().settings().pinned());
    QVERIFY(updated.conversation_state().settings().archived());

    auto aliceView = stateOf(*alice.client, conv);
    QVERIFY(aliceView);
    QCOMPARE(aliceView->kind(), proto::CONVERSATION_KIND_DIRECT);
    QCOMPARE(aliceView->peer_user_id(), bob.id);
    QVERIFY(aliceView->settings().muted());
    QVERIFY(!aliceView->settings().pinned());
    QVERIFY(aliceView->settings().archived());
    // Settings are Alice's own.
    auto bobView = stateOf(*bob.client, conv);
    QVERIFY(bobView);
    QVERIFY(!bobView->settings().muted());
    QVERIFY(!bobView->settings().archived());

    // Bob, Alice, Bob (mentioning Alice), Bob: Alice's unread are Bob's messages after her
    // read_seq. Her own message never counts (the server may also move her read_seq to it).
    const proto::Frame b1 = sendText(*bob.client, conv, QStringLiteral("one"));
    const proto::Frame a1 = sendText(*alice.client, conv, QStringLiteral("mine"));
    QVERIFY2(b1.has_message_ack(), qPrintable(describeFrame(b1)));
    QVERIFY2(a1.has_message_ack(), qPrintable(describeFrame(a1)));
    aliceView = stateOf(*alice.client, conv);
    QVERIFY(aliceView);
    QVERIFY(!aliceView->mentioned());
    QCOMPARE(aliceView->last_seq(), a1.message_ack().seq());

    proto::MessageContent mention = textContent(QStringLiteral("@alice look"));
    mention.add_mentions(alice.id);
    const proto::Frame b2 = sendContent(*bob.client, conv, mention);
    const proto::Frame b3 = sendText(*bob.client, conv, QStringLiteral("three"));
    QVERIFY2(b2.has_message_ack(), qPrintable(describeFrame(b2)));
    QVERIFY2(b3.has_message_ack(), qPrintable(describeFrame(b3)));

    aliceView = stateOf(*alice.client, conv);
    QVERIFY(aliceView);
    const quint64 readSeq = aliceView->read_seq();
    QVERIFY2(readSeq == 0 || readSeq == a1.message_ack().seq(),
             qPrintable(qs(aliceView->ShortDebugString())));
    quint32 expectedUnread = 0;
    for (const proto::Frame *ack : {&b1, &b2, &b3}) {
        if (ack->message_ack().seq() > readSeq)
            ++expectedUnread;
    }
    QCOMPARE(aliceView->unread_count(), expectedUnread);
    QVERIFY(aliceView->mentioned());
    QCOMPARE(aliceView->last_seq(), b3.message_ack().seq());
    QVERIFY(aliceView->has_last_message());
    QCOMPARE(aliceView->last_message().seq(), b3.message_ack().seq());
    QVERIFY(aliceView->settings().muted());
    // Bob's own three do not count for him; Alice's one does (unless he read it).
    bobView = stateOf(*bob.client, conv);
    QVERIFY(bobView);
    QCOMPARE(bobView->unread_count(),
             bobView->read_seq() >= a1.message_ack().seq() ? quint32(0) : quint32(1));

    // Reading up to the end clears both.
    const proto::Frame read = readUpTo(*alice.client, conv, b3.message_ack().seq());
    QVERIFY2(read.has_conversation_state(), qPrintable(describeFrame(read)));
    QCOMPARE(read.conversation_state().unread_count(), quint32(0));
    QVERIFY(!read.conversation_state().mentioned());
    aliceView = stateOf(*alice.client, conv);
    QVERIFY(aliceView);
    QCOMPARE(aliceView->unread_count(), quint32(0));
    QVERIFY(!aliceView->mentioned());
    QCOMPARE(aliceView->read_seq(), b3.message_ack().seq());
}

// With messaging/allow_strangers on, people who are not friends may talk; a block still
// stops them. (The shared ternd runs with the default: strangers refused.)
void TestMessageFeatures::strangersWhenTheServerAllowsThem()
{
    TerndProcess open;
    open.environment().insert(QStringLiteral("TERN_MESSAGE_ALLOW_STRANGERS"), QStringLiteral("1"));
    const QString started = open.startOn(m_pg);
    QVERIFY2(started.isEmpty(), qPrintable(started));
    TestUser x = registerTestUser(open.url(), QStringLiteral("stranger_x"), kPassword);
    TestUser y = registerTestUser(open.url(), QStringLiteral("stranger_y"), kPassword);
    QVERIFY(x.id != 0 && y.id != 0);
    const quint64 conv = openDirect(*x.client, y.id);
    QVERIFY(conv != 0);
    const proto::Frame sent = sendText(*x.client, conv, QStringLiteral("hello stranger"));
    QVERIFY2(sent.has_message_ack(), qPrintable(describeFrame(sent)));
    const auto push = y.client->nextPush(proto::Frame::kMessagePush);
    QVERIFY(push);
    QCOMPARE(push->message_push().message().seq(), sent.message_ack().seq());

    proto::Frame block;
    block.mutable_block_user()->set_user_id(x.id);
    QVERIFY(y.client->request(block).has_contact());
    QCOMPARE(errorCode(sendText(*x.client, conv, QStringLiteral("still there?"))),
             proto::ERROR_CODE_PERMISSION_DENIED);
    proto::Frame reopen;
    reopen.mutable_open_conversation()->set_peer_user_id(y.id);
    QCOMPARE(errorCode(x.client->request(reopen)), proto::ERROR_CODE_PERMISSION_DENIED);
    x.client.reset();
    y.client.reset();
    QCOMPARE(open.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestMessageFeatures)
#include "tst_messagefeatures.moc"
