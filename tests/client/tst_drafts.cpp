// SPDX-License-Identifier: Apache-2.0
// Drafts over a real cache and no server: what the composer typed and did not send survives
// quitting (the cache closed and opened again), goes when it is sent or emptied, and the
// chat list shows it.
#include "account.h"
#include "composerdrafts.h"
#include "conversationlistmodel.h"
#include "messagemodel.h"
#include "offlineaccount.h"

#include <QSignalSpy>
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

} // namespace

class tst_Drafts : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FileTokenStore> m_tokens;
    std::unique_ptr<Account> m_account;

    // Quits and starts again: the account and its cache closed, then opened on the same folder.
    bool restart()
    {
        m_account.reset();
        m_account = openOfflineAccount(*m_dir, *m_tokens);
        return m_account != nullptr;
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_tokens = std::make_unique<FileTokenStore>(m_dir->filePath(QStringLiteral("tokens")));
        m_account = openOfflineAccount(*m_dir, *m_tokens);
        QVERIFY(m_account);
    }

    void cleanup()
    {
        m_account.reset();
        m_tokens.reset();
        m_dir.reset();
    }

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
};

QTEST_GUILESS_MAIN(tst_Drafts)
#include "tst_drafts.moc"
