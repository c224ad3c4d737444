// SPDX-License-Identifier: Apache-2.0
// ConversationStore's merge of the server's states with what the cache already applied, on a
// real SQLite cache: an answer read before a push arrives after it and must not undo it.
#include "conversationstore.h"
#include "freshcache.h"
#include "localcache.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

using namespace tern;
using namespace tern::client;

namespace {

constexpr quint64 kMe = 7;
constexpr quint64 kPeer = 8;
constexpr quint64 kConversation = 42;

proto::Message textMessage(quint64 seq, quint64 sender, const char *text)
{
    proto::Message m;
    m.set_conversation_id(kConversation);
    m.set_seq(seq);
    m.set_sender_id(sender);
    m.set_sent_at_ms(qint64(1'700'000'000'000) + qint64(seq));
    m.mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
    m.mutable_content()->set_text(text);
    return m;
}

// The server's state when its last message is `lastSeq` from the peer, read up to `readSeq`.
proto::ConversationState serverState(quint64 lastSeq, quint64 readSeq, quint32 unread)
{
    proto::ConversationState s;
    s.set_conversation_id(kConversation);
    s.set_kind(proto::CONVERSATION_KIND_DIRECT);
    s.set_peer_user_id(kPeer);
    s.set_active(true);
    s.set_last_seq(lastSeq);
    s.set_read_seq(readSeq);
    s.set_delivered_seq(readSeq);
    s.set_unread_count(unread);
    *s.mutable_last_message() = textMessage(lastSeq, kPeer, "from the server");
    return s;
}

} // namespace

class tst_ConversationStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    LocalCache m_cache;
    std::unique_ptr<ConversationStore> m_store;

private Q_SLOTS:
    void init()
    {
        const QString error = reopenFresh(m_cache, m_dir);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_store = std::make_unique<ConversationStore>(m_cache);
    }

    void aStaleAnswerKeepsNewerPushes()
    {
        m_store->upsert(serverState(10, 8, 2));
        // Pushed meanwhile: seq 11 from the peer, then the answer of a request sent before it.
        m_store->noteEntry(textMessage(11, kPeer, "newest"), kMe);
        QCOMPARE(m_store->get(kConversation)->state.unread_count(), 3u);
        m_store->upsert(serverState(10, 8, 2));
        const proto::ConversationState s = m_store->get(kConversation)->state;
        QCOMPARE(s.last_seq(), 11u);
        QCOMPARE(s.unread_count(), 3u);
        QCOMPARE(s.last_message().seq(), 11u);
        QCOMPARE(QString::fromStdString(s.last_message().content().text()),
                 QStringLiteral("newest"));
    }

    void aStaleAnswerKeepsNewerCursors()
    {
        m_store->upsert(serverState(10, 8, 2));
        // Read on this device (or pushed from another), then an answer read before that.
        m_store->setOwnCursors(kConversation, 10, 10, 0);
        m_store->upsert(serverState(10, 8, 2));
        const proto::ConversationState s = m_store->get(kConversation)->state;
        QCOMPARE(s.read_seq(), 10u);
        QCOMPARE(s.delivered_seq(), 10u);
        QCOMPARE(s.unread_count(), 0u);
    }

    void aStaleAnswerWithReadingFromAnotherDevice()
    {
        m_store->upsert(serverState(10, 7, 3));
        m_store->noteEntry(textMessage(11, kPeer, "newest"), kMe);
        // Read up to 10 on another device; that state was read before seq 11 arrived here.
        m_store->upsert(serverState(10, 10, 0));
        const proto::ConversationState s = m_store->get(kConversation)->state;
        QCOMPARE(s.read_seq(), 10u);
        QCOMPARE(s.last_seq(), 11u);
        QCOMPARE(s.unread_count(), 1u);
    }

    void aNewerStateIsTaken()
    {
        m_store->upsert(serverState(10, 8, 2));
        m_store->noteEntry(textMessage(11, kPeer, "newest"), kMe);
        // The server has moved on past what was pushed here: its state wins.
        proto::ConversationState newer = serverState(14, 12, 2);
        newer.set_mentioned(true);
        m_store->upsert(newer);
        const proto::ConversationState s = m_store->get(kConversation)->state;
        QCOMPARE(s.last_seq(), 14u);
        QCOMPARE(s.unread_count(), 2u);
        QVERIFY(s.mentioned());
        QCOMPARE(QString::fromStdString(s.last_message().content().text()),
                 QStringLiteral("from the server"));
    }

    void aRecalledPreviewFromTheServerReplacesTheCachedOne()
    {
        m_store->upsert(serverState(10, 8, 2));
        proto::ConversationState recalled = serverState(11, 8, 1);
        recalled.mutable_last_message()->set_seq(10); // 11 is the recall event
        recalled.mutable_last_message()->clear_content();
        recalled.mutable_last_message()->set_recalled(true);
        m_store->upsert(recalled);
        const proto::ConversationState s = m_store->get(kConversation)->state;
        QVERIFY(s.last_message().recalled());
        QVERIFY(!s.last_message().has_content());
        QCOMPARE(s.unread_count(), 1u);
    }

    void aStaleAnswerKeepsARecallPushedSince()
    {
        m_store->upsert(serverState(10, 10, 0));
        // The peer recalls seq 10 (event 11); then an answer read before the recall arrives.
        proto::Message recall;
        recall.set_conversation_id(kConversation);
        recall.set_seq(11);
        recall.set_sender_id(kPeer);
        recall.mutable_recall()->set_target_seq(10);
        m_store->noteEntry(recall, kMe);
        QVERIFY(m_store->get(kConversation)->state.last_message().recalled());
        m_store->upsert(serverState(10, 10, 0));
        const proto::ConversationState s = m_store->get(kConversation)->state;
        QCOMPARE(s.last_seq(), 11u);
        QVERIFY(s.last_message().recalled());
        QVERIFY(!s.last_message().has_content());
    }

    void aPreviewHiddenForMeIsNotBroughtBack()
    {
        m_store->upsert(serverState(10, 10, 0));
        // A reaction to the shown message (seq 11) arrives before the push of hiding it, which
        // takes no seq of its own.
        proto::Message reaction;
        reaction.set_conversation_id(kConversation);
        reaction.set_seq(11);
        reaction.set_sender_id(kPeer);
        reaction.mutable_reaction()->set_target_seq(10);
        reaction.mutable_reaction()->set_emoji("👍");
        m_store->noteEntry(reaction, kMe);
        proto::ConversationState hidden = serverState(10, 10, 0);
        hidden.mutable_last_message()->clear_content();
        hidden.mutable_last_message()->set_hidden_for_me(true);
        hidden.add_hidden_seqs(10);
        m_store->upsert(hidden);
        const proto::ConversationState s = m_store->get(kConversation)->state;
        QVERIFY(s.last_message().hidden_for_me());
        QVERIFY(!s.last_message().has_content());
        QCOMPARE(s.last_seq(), 11u);
        QCOMPARE(s.hidden_seqs_size(), 0); // not kept in the cache
    }

    void aNewerStateWithOlderReadingCountsOnlyWhatFollows()
    {
        m_store->upsert(serverState(12, 12, 0));
        // The server's state has one more message, but was read before this device's reading.
        m_store->upsert(serverState(13, 10, 3));
        const proto::ConversationState s = m_store->get(kConversation)->state;
        QCOMPARE(s.read_seq(), 12u);
        QCOMPARE(s.last_seq(), 13u);
        QCOMPARE(s.unread_count(), 1u);
    }

    // A chat just opened has no message to date it: it is active now, not the oldest chat
    // (sorted last, with no time). Not on the cache's first fill: those chats are old.
    void aNewChatWithoutMessagesIsActiveNow()
    {
        proto::ConversationState opened = serverState(0, 0, 0);
        opened.clear_last_message();
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        m_store->upsert(opened);
        QVERIFY(m_store->get(kConversation)->lastActivityMs >= before);
        // Seen again later: it keeps that time.
        const qint64 opening = m_store->get(kConversation)->lastActivityMs;
        QTest::qWait(5);
        m_store->upsert(opened);
        QCOMPARE(m_store->get(kConversation)->lastActivityMs, opening);

        proto::ConversationState old = opened;
        old.set_conversation_id(kConversation + 1);
        m_store->upsert(old, true);
        QCOMPARE(m_store->get(kConversation + 1)->lastActivityMs, qint64(0));
    }

    // A group event ("X added you") has no preview of its own, but moves the chat up.
    void aGroupEventIsActivity()
    {
        proto::ConversationState group = serverState(10, 10, 0);
        group.set_kind(proto::CONVERSATION_KIND_GROUP);
        group.set_peer_user_id(0);
        group.set_group_id(5);
        m_store->upsert(group);
        proto::Message event;
        event.set_conversation_id(kConversation);
        event.set_seq(11);
        event.set_sender_id(kPeer);
        event.set_sent_at_ms(group.last_message().sent_at_ms() + 60'000);
        event.mutable_group_event()->set_kind(proto::GroupEvent::KIND_MEMBERS_ADDED);
        m_store->noteEntry(event, kMe);
        const auto c = m_store->get(kConversation);
        QCOMPARE(c->lastActivityMs, event.sent_at_ms());
        QCOMPARE(c->state.last_seq(), 11u);
        QCOMPARE(c->state.last_message().seq(), 10u); // the preview stays the last message
    }
};

QTEST_GUILESS_MAIN(tst_ConversationStore)
#include "tst_conversationstore.moc"
