// SPDX-License-Identifier: Apache-2.0
// Drafts over a real cache and no server: what the composer typed and did not send, and the
// message it replies to, survive quitting (the cache closed and opened again), go when they
// are sent or emptied, and the chat list shows them.
#include "account.h"
#include "cachemigrations.h"
#include "composerdrafts.h"
#include "conversationlistmodel.h"
#include "localcache.h"
#include "messagemodel.h"
#include "offlineaccount.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace tern;
using namespace tern::client;

namespace {

constexpr quint64 kConversation = 42;
constexpr quint64 kOtherConversation = 43;

proto::ConversationState directChat()
{
    proto::ConversationState s;
    s.set_conversation_id(kConversation);
    s.set_kind(proto::CONVERSATION_KIND_DIRECT);
    s.set_peer_user_id(8);
    s.set_active(true);
    return s;
}

// As the composer passes its picked mentions.
QVariantList bobPicked()
{
    return {QVariantMap {{QStringLiteral("userId"), 9.0},
                         {QStringLiteral("name"), QStringLiteral("bob")}}};
}

QString textOf(const QVariantMap &draft)
{
    return draft.value(QStringLiteral("text")).toString();
}

// As the composer passes its reply bar (ChatView: {seq, summary}).
QVariantMap replyTo(quint64 seq, const QString &summary)
{
    return {{QStringLiteral("seq"), double(seq)}, {QStringLiteral("summary"), summary}};
}

// The reply bar draft() gives back: {seq, summary}, or an empty map for null.
QVariantMap replyOf(const QVariantMap &draft)
{
    return draft.value(QStringLiteral("replyTo")).toMap();
}

proto::Message peerText(quint64 seq, const std::string &text)
{
    proto::Message m;
    m.set_conversation_id(kConversation);
    m.set_seq(seq);
    m.set_sender_id(8);
    m.set_client_msg_id("peer-" + std::to_string(seq));
    m.set_sent_at_ms(1'700'000'000'000 + qint64(seq));
    m.mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
    m.mutable_content()->set_text(text);
    return m;
}

} // namespace

class tst_Drafts : public QObject
{
    Q_OBJECT

    OfflineAccount m_account;

    // Quits and starts again: the account and its cache closed, then opened on the same folder.
    bool restart() { return m_account.reopen(); }

private Q_SLOTS:
    void init() { QVERIFY(m_account.open()); }

    void cleanup() { m_account.close(); }

    // Typed, then the app quits before the save delay is over: the draft is written on the way
    // out (the QML engine destroys the composer's ComposerDrafts) and is there, with its
    // picked mention, when the app starts again.
    void aDraftSurvivesARestart()
    {
        {
            ComposerDrafts drafts;
            drafts.setAccount(m_account.get());
            drafts.update(double(kConversation), QStringLiteral("half a message @bob"),
                          bobPicked());
            QVERIFY(!m_account->drafts().get(kConversation)); // not written on every key
            QCOMPARE(textOf(drafts.draft(double(kConversation))),
                     QStringLiteral("half a message @bob"));
        }
        QVERIFY(restart());
        ComposerDrafts drafts;
        drafts.setAccount(m_account.get());
        const QVariantMap draft = drafts.draft(double(kConversation));
        QCOMPARE(textOf(draft), QStringLiteral("half a message @bob"));
        const QVariantList mentions = draft.value(QStringLiteral("mentions")).toList();
        QCOMPARE(mentions.size(), qsizetype(1));
        const QVariantMap bob = mentions.first().toMap();
        QCOMPARE(bob.value(QStringLiteral("userId")).toDouble(), 9.0);
        QCOMPARE(bob.value(QStringLiteral("name")).toString(), QStringLiteral("bob"));
    }

    // Typing is saved after a pause; the composer moving on to another chat saves the one it
    // leaves at once; a text emptied removes the draft.
    void typingIsSavedAndEmptyingRemoves()
    {
        ComposerDrafts drafts;
        drafts.setAccount(m_account.get());
        drafts.update(double(kConversation), QStringLiteral("typing"), {});
        QTRY_VERIFY(m_account->drafts().get(kConversation).has_value());
        QCOMPARE(m_account->drafts().get(kConversation)->text, QStringLiteral("typing"));
        drafts.update(double(kConversation), QStringLiteral("typing more"), {});
        drafts.update(double(kOtherConversation), QStringLiteral("elsewhere"), {});
        QCOMPARE(m_account->drafts().get(kConversation)->text, QStringLiteral("typing more"));
        drafts.update(double(kConversation), QString(), {});
        drafts.flush(); // as switching chats does
        QVERIFY(!m_account->drafts().get(kConversation));
        QCOMPARE(textOf(drafts.draft(double(kConversation))), QString());
        QCOMPARE(m_account->drafts().get(kOtherConversation)->text, QStringLiteral("elsewhere"));
    }

    // The chat list shows a draft (on one line) and hears when it changes; sending the text
    // removes it, also for the next start, and the text is in the outbox instead.
    void aSentDraftIsGone()
    {
        m_account->conversations().upsert(directChat());
        ConversationListModel list;
        list.setAccount(m_account.get());
        QCOMPARE(list.rowCount(), 1);
        const auto listDraft = [&list] {
            return list.data(list.index(0), ConversationListModel::DraftRole).toString();
        };
        QCOMPARE(listDraft(), QString());
        QSignalSpy listChanged(&list, &QAbstractItemModel::dataChanged);
        Draft draft;
        draft.text = QStringLiteral("see you at\n  eight");
        m_account->drafts().set(kConversation, draft);
        QCOMPARE(listChanged.size(), 1);
        QCOMPARE(listChanged.first().at(2).value<QList<int>>(),
                 QList<int> {ConversationListModel::DraftRole});
        QCOMPARE(listDraft(), QStringLiteral("see you at eight"));

        MessageModel timeline;
        timeline.setAccount(m_account.get());
        timeline.setConversationId(kConversation);
        QVERIFY(timeline.sendText(QStringLiteral("see you at eight")));
        QVERIFY(!m_account->drafts().get(kConversation));
        QCOMPARE(listDraft(), QString());

        timeline.setAccount(nullptr);
        list.setAccount(nullptr);
        QVERIFY(restart());
        QVERIFY(!m_account->drafts().get(kConversation));
        QCOMPARE(m_account->outboxStore().list(kConversation).size(), size_t(1));
    }

    // A reply chosen and not sent comes back with its text after a restart, and so does one
    // with nothing typed yet (Telegram keeps those too); the chat list's "[Draft]" is for
    // text, so that one is not listed.
    void aReplySurvivesARestart()
    {
        m_account->conversations().upsert(directChat());
        {
            ComposerDrafts drafts;
            drafts.setAccount(m_account.get());
            drafts.update(double(kConversation), QStringLiteral("about that"), {},
                          replyTo(7, QStringLiteral("dinner on friday?")));
            drafts.update(double(kOtherConversation), QString(), {},
                          replyTo(3, QStringLiteral("call me")));
            const QVariantMap waiting = replyOf(drafts.draft(double(kOtherConversation)));
            QCOMPARE(waiting.value(QStringLiteral("seq")).toDouble(), 3.0); // not saved yet
        }
        QVERIFY(restart());
        ComposerDrafts drafts;
        drafts.setAccount(m_account.get());
        const QVariantMap draft = drafts.draft(double(kConversation));
        QCOMPARE(textOf(draft), QStringLiteral("about that"));
        QCOMPARE(replyOf(draft).value(QStringLiteral("seq")).toDouble(), 7.0);
        QCOMPARE(replyOf(draft).value(QStringLiteral("summary")).toString(),
                 QStringLiteral("dinner on friday?"));
        const QVariantMap replyOnly = drafts.draft(double(kOtherConversation));
        QCOMPARE(textOf(replyOnly), QString());
        QCOMPARE(replyOf(replyOnly).value(QStringLiteral("seq")).toDouble(), 3.0);
        QCOMPARE(replyOf(replyOnly).value(QStringLiteral("summary")).toString(),
                 QStringLiteral("call me"));

        // Not a reply: null, as QML's replyTo is when there is none.
        drafts.update(double(kConversation), QStringLiteral("about that"), {});
        const QVariant none = drafts.draft(double(kConversation)).value(QStringLiteral("replyTo"));
        QVERIFY(none.metaType() == QMetaType::fromType<std::nullptr_t>());
        drafts.flush();

        // The chat list names text drafts only: the one typed shows, a reply alone does not.
        m_account->conversations().upsert(directChat());
        ConversationListModel list;
        list.setAccount(m_account.get());
        QCOMPARE(list.rowCount(), 1);
        QCOMPARE(list.data(list.index(0), ConversationListModel::DraftRole).toString(),
                 QStringLiteral("about that"));
        m_account->drafts().set(kConversation, Draft {}); // nothing typed, no reply: removed
        QVERIFY(!m_account->drafts().get(kConversation));
        Draft onlyReply;
        onlyReply.replyToSeq = 5;
        m_account->drafts().set(kConversation, onlyReply);
        QVERIFY(m_account->drafts().get(kConversation).has_value());
        QCOMPARE(list.data(list.index(0), ConversationListModel::DraftRole).toString(), QString());
        list.setAccount(nullptr);
    }

    // The reply bar's ✕ is saved as typing is: the draft keeps its text and loses the reply,
    // also for the next start; a draft that was only a reply is gone.
    void cancellingTheReplyIsSaved()
    {
        ComposerDrafts drafts;
        drafts.setAccount(m_account.get());
        drafts.update(double(kConversation), QStringLiteral("about that"), {},
                      replyTo(7, QStringLiteral("dinner on friday?")));
        drafts.update(double(kOtherConversation), QString(), {},
                      replyTo(3, QStringLiteral("call me")));
        drafts.flush();
        QCOMPARE(m_account->drafts().get(kConversation)->replyToSeq, quint64(7));
        QCOMPARE(m_account->drafts().get(kOtherConversation)->replyToSeq, quint64(3));

        drafts.update(double(kConversation), QStringLiteral("about that"), {}, {}); // ✕
        QTRY_VERIFY(m_account->drafts().get(kConversation)
                    && m_account->drafts().get(kConversation)->replyToSeq == 0);
        QCOMPARE(m_account->drafts().get(kConversation)->replySummary, QString());
        drafts.update(double(kOtherConversation), QString(), {}, {});
        drafts.flush();
        QVERIFY(!m_account->drafts().get(kOtherConversation));

        drafts.setAccount(nullptr);
        QVERIFY(restart());
        drafts.setAccount(m_account.get());
        const QVariantMap draft = drafts.draft(double(kConversation));
        QCOMPARE(textOf(draft), QStringLiteral("about that"));
        QVERIFY(replyOf(draft).isEmpty());
        QVERIFY(!m_account->drafts().get(kOtherConversation));
    }

    // The calls the composer makes when a reply is sent (the text leaves the editor with the
    // reply bar still up, the reply goes out, the bar closes): no draft is left, after a restart
    // neither, and the message in the outbox is the reply. The QML order itself is
    // tst_chatflow's test_4aab.
    void sendingTheReplyLeavesNoDraft()
    {
        m_account->conversations().upsert(directChat());
        ComposerDrafts drafts;
        drafts.setAccount(m_account.get());
        const QVariantMap bar = replyTo(7, QStringLiteral("dinner on friday?"));
        drafts.update(double(kConversation), QStringLiteral("yes, at eight"), {}, bar);
        drafts.flush();
        QVERIFY(m_account->drafts().get(kConversation).has_value());

        MessageModel timeline;
        timeline.setAccount(m_account.get());
        timeline.setConversationId(kConversation);
        drafts.update(double(kConversation), QString(), {}, bar); // Composer.submit: cleared
        QVERIFY(timeline.sendText(QStringLiteral("yes, at eight"), 7));
        QVERIFY(!m_account->drafts().get(kConversation));
        drafts.update(double(kConversation), QString(), {}, {}); // ChatView: replyTo = null
        QVERIFY(replyOf(drafts.draft(double(kConversation))).isEmpty());
        drafts.flush();
        QVERIFY(!m_account->drafts().get(kConversation));

        timeline.setAccount(nullptr);
        drafts.setAccount(nullptr);
        QVERIFY(restart());
        QVERIFY(!m_account->drafts().get(kConversation));
        const auto outbox = m_account->outboxStore().list(kConversation);
        QCOMPARE(outbox.size(), size_t(1));
        QCOMPARE(quint64(outbox.front().content.reply_to_seq()), quint64(7));
    }

    // The replied-to message recalled since the reply was chosen: the bar comes back naming it
    // as the quote of the sent reply will ("Message recalled"), not by the text it had. One
    // no longer in the cache keeps what the bar showed.
    void aReplyToARecalledMessageSaysSo()
    {
        proto::Message recalled = peerText(7, "dinner on friday?");
        recalled.clear_content();
        recalled.set_recalled(true);
        recalled.set_recalled_by(8);
        QCOMPARE(m_account->messages().store(kConversation, {recalled, peerText(8, "still on?")}),
                 2);
        ComposerDrafts drafts;
        drafts.setAccount(m_account.get());
        drafts.update(double(kConversation), QStringLiteral("about that"), {},
                      replyTo(7, QStringLiteral("dinner on friday?")));
        drafts.flush();
        const QVariantMap bar = replyOf(drafts.draft(double(kConversation)));
        QCOMPARE(bar.value(QStringLiteral("summary")).toString(),
                 QStringLiteral("Message recalled"));
        QCOMPARE(bar.value(QStringLiteral("seq")).toDouble(), 7.0);
        const auto summaryNow = [&drafts] {
            return replyOf(drafts.draft(double(kConversation)))
                .value(QStringLiteral("summary"))
                .toString();
        };

        drafts.update(double(kConversation), QStringLiteral("about that"), {},
                      replyTo(8, QStringLiteral("still on?")));
        QCOMPARE(summaryNow(), QStringLiteral("still on?"));
        drafts.update(double(kConversation), QStringLiteral("about that"), {},
                      replyTo(99, QStringLiteral("gone from here")));
        drafts.flush();
        QCOMPARE(summaryNow(), QStringLiteral("gone from here"));
    }

    // A cache whose drafts were written before replies were kept (schema 7) opens with its
    // drafts as they were, none of them a reply.
    void draftsOfSchema7AreNoReplies()
    {
        const QString path = m_account.filePath(QStringLiteral("schema7.sqlite"));
        {
            LocalCache cache;
            QVERIFY2(cache.open(path), qPrintable(cache.error()));
            QSqlQuery q(cache.db());
            QVERIFY(q.exec(QStringLiteral("DROP TABLE drafts")));
            // The table as migration 7 made it.
            QVERIFY(q.exec(QStringLiteral(
                "CREATE TABLE drafts (conversation_id INTEGER PRIMARY KEY, text TEXT NOT NULL,"
                " mentions TEXT NOT NULL DEFAULT '[]')")));
            QVERIFY(q.exec(QStringLiteral(
                "INSERT INTO drafts (conversation_id, text) VALUES (42, 'from before')")));
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 7")));
        }
        LocalCache cache;
        QVERIFY2(cache.open(path), qPrintable(cache.error()));
        QVERIFY(cache.setAsidePath().isEmpty()); // migrated, not made anew
        QCOMPARE(cache.schemaVersion(), int(cacheMigrations().size()));
        DraftStore store(cache);
        const auto draft = store.get(kConversation);
        QVERIFY(draft.has_value());
        QCOMPARE(draft->text, QStringLiteral("from before"));
        QCOMPARE(draft->replyToSeq, quint64(0));
        QCOMPARE(draft->replySummary, QString());
    }
};

QTEST_GUILESS_MAIN(tst_Drafts)
#include "tst_drafts.moc"
