// SPDX-License-Identifier: Apache-2.0
// MessageStore on a real SQLite cache: an edit or recall that arrived before the entry it
// changes (a page the server read before the event, answered after its push) is applied when
// the entry comes, so a recalled text never shows nor stays searchable.
#include "freshcache.h"
#include "localcache.h"
#include "messagestore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tern;
using namespace tern::client;

namespace {

constexpr quint64 kConversation = 42;
constexpr quint64 kPeer = 8;

proto::Message entry(quint64 seq, qint64 sentAtMs)
{
    proto::Message m;
    m.set_conversation_id(kConversation);
    m.set_seq(seq);
    m.set_sender_id(kPeer);
    m.set_sent_at_ms(sentAtMs);
    return m;
}

proto::Message text(quint64 seq, const char *body)
{
    proto::Message m = entry(seq, 1000 + qint64(seq));
    m.mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
    m.mutable_content()->set_text(body);
    return m;
}

} // namespace

class tst_MessageStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    LocalCache m_cache;
    std::unique_ptr<MessageStore> m_store;

private Q_SLOTS:
    void init()
    {
        const QString error = reopenFresh(m_cache, m_dir);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_store = std::make_unique<MessageStore>(m_cache);
    }

    void aRecallBeforeItsTarget()
    {
        proto::Message recall = entry(9, 5000);
        recall.mutable_recall()->set_target_seq(5);
        QCOMPARE(m_store->store(kConversation, {recall}), 1);
        // The page comes later, read before the recall: the text is still in it.
        QCOMPARE(m_store->store(kConversation, {text(4, "before"), text(5, "secret words")}), 2);
        const auto m = m_store->get(kConversation, 5);
        QVERIFY(m);
        QVERIFY(m->recalled());
        QVERIFY(!m->has_content());
        QVERIFY(m_store->search(QStringLiteral("secret"), 10).empty());
        QCOMPARE(m_store->search(QStringLiteral("before"), 10).size(), size_t(1));
    }

    void anEditBeforeItsTarget()
    {
        proto::Message edit = entry(8, 4000);
        edit.mutable_edit()->set_target_seq(5);
        edit.mutable_edit()->set_text("corrected");
        m_store->store(kConversation, {edit});
        m_store->store(kConversation, {text(5, "tpyo")});
        QCOMPARE(QString::fromStdString(m_store->get(kConversation, 5)->content().text()),
                 QStringLiteral("corrected"));
        QCOMPARE(m_store->search(QStringLiteral("corrected"), 10).size(), size_t(1));
        QVERIFY(m_store->search(QStringLiteral("tpyo"), 10).empty());
    }

    void anOlderEditDoesNotUndoANewerOne()
    {
        proto::Message edit = entry(8, 4000);
        edit.mutable_edit()->set_target_seq(5);
        edit.mutable_edit()->set_text("first edit");
        m_store->store(kConversation, {edit});
        // The page was read after a second edit, whose event this cache has not seen yet.
        proto::Message page = text(5, "second edit");
        page.set_edited_at_ms(6000);
        m_store->store(kConversation, {page});
        QCOMPARE(QString::fromStdString(m_store->get(kConversation, 5)->content().text()),
                 QStringLiteral("second edit"));
    }

    void aReactionBeforeItsTarget()
    {
        proto::Message reaction = entry(7, 3000);
        reaction.mutable_reaction()->set_target_seq(5);
        reaction.mutable_reaction()->set_emoji("👍");
        m_store->store(kConversation, {reaction});
        m_store->store(kConversation, {text(5, "nice")});
        const auto m = m_store->get(kConversation, 5);
        QCOMPARE(m->reactions_size(), 1);
        QCOMPARE(m->reactions(0).user_ids_size(), 1);
        QCOMPARE(m->reactions(0).user_ids(0), kPeer);
    }
};

QTEST_GUILESS_MAIN(tst_MessageStore)
#include "tst_messagestore.moc"
