// SPDX-License-Identifier: Apache-2.0
// MessageModel over a real cache and no server: what a view is told. A view keeps a row's
// values until the model says they changed, so the day headers are followed through the
// model's signals as a view follows them (ShownDayHeaders), not only read with data(). (No
// QAbstractItemModelTester: it calls fetchMore on every signal, and the paging is the test.)
#include "account.h"
#include "linkify.h"
#include "messagemodel.h"
#include "offlineaccount.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

using namespace tern;
using namespace tern::client;

namespace {

constexpr quint64 kPeer = 8;
constexpr quint64 kConversation = 42;

// In local time, as the headers are: 09:00 + `minute` on day `day` of January 2024.
qint64 at(int day, int minute)
{
    return QDateTime(QDate(2024, 1, day), QTime(9, 0))
        .addSecs(qint64(minute) * 60)
        .toMSecsSinceEpoch();
}

proto::Message textMessage(quint64 seq, qint64 sentAtMs)
{
    proto::Message m;
    m.set_conversation_id(kConversation);
    m.set_seq(seq);
    m.set_sender_id(kPeer);
    m.set_client_msg_id("peer-" + std::to_string(seq));
    m.set_sent_at_ms(sentAtMs);
    m.mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
    m.mutable_content()->set_text("message " + std::to_string(seq));
    return m;
}

proto::ConversationState directChat(quint64 lastSeq)
{
    proto::ConversationState s;
    s.set_conversation_id(kConversation);
    s.set_kind(proto::CONVERSATION_KIND_DIRECT);
    s.set_peer_user_id(kPeer);
    s.set_active(true);
    s.set_last_seq(lastSeq);
    return s;
}

// "H" for a row with a day header, "." for one without.
QString headerPattern(const std::vector<bool> &dayStarts)
{
    QString pattern;
    for (bool starts : dayStarts)
        pattern += starts ? QLatin1Char('H') : QLatin1Char('.');
    return pattern;
}

// Each row's dayStarts as a view shows it: read when the row arrives, read again only when
// dataChanged names the role (or names none).
class ShownDayHeaders : public QObject
{
public:
    explicit ShownDayHeaders(QAbstractItemModel &model)
        : m_model(model)
    {
        connect(&model, &QAbstractItemModel::modelReset, this, [this] { readAll(); });
        connect(&model, &QAbstractItemModel::rowsInserted, this,
                [this](const QModelIndex &, int first, int last) {
                    for (int row = first; row <= last; ++row)
                        m_shown.insert(m_shown.begin() + row, read(row));
                });
        connect(&model, &QAbstractItemModel::rowsRemoved, this,
                [this](const QModelIndex &, int first, int last) {
                    m_shown.erase(m_shown.begin() + first, m_shown.begin() + last + 1);
                });
        connect(&model, &QAbstractItemModel::dataChanged, this,
                [this](const QModelIndex &topLeft, const QModelIndex &bottomRight,
                       const QList<int> &roles) {
                    if (!roles.isEmpty() && !roles.contains(MessageModel::DayStartsRole))
                        return;
                    for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
                        m_shown[size_t(row)] = read(row);
                });
        readAll();
    }

    QString shown() const { return headerPattern(m_shown); }
    // What the model says now.
    QString current() const
    {
        std::vector<bool> now;
        for (int row = 0; row < m_model.rowCount(); ++row)
            now.push_back(read(row));
        return headerPattern(now);
    }

private:
    bool read(int row) const
    {
        return m_model.data(m_model.index(row, 0), MessageModel::DayStartsRole).toBool();
    }
    void readAll()
    {
        m_shown.clear();
        for (int row = 0; row < m_model.rowCount(); ++row)
            m_shown.push_back(read(row));
    }

    QAbstractItemModel &m_model;
    std::vector<bool> m_shown;
};

} // namespace

class tst_MessageModel : public QObject
{
    Q_OBJECT

    OfflineAccount m_account;

    // Entries first..last of the chat; a new day begins at each of dayStartSeqs (the first
    // on January 15th).
    bool storeHistory(quint64 first, quint64 last, const std::vector<quint64> &dayStartSeqs)
    {
        std::vector<proto::Message> entries;
        int day = 14;
        for (quint64 seq = first; seq <= last; ++seq) {
            if (std::find(dayStartSeqs.begin(), dayStartSeqs.end(), seq) != dayStartSeqs.end())
                ++day;
            entries.push_back(textMessage(seq, at(day, int(seq))));
        }
        m_account->conversations().upsert(directChat(last));
        return m_account->messages().store(kConversation, entries) == int(entries.size());
    }

    // The chat as read up to `readSeq`, with `unread` messages after it.
    void setReadCursor(quint64 lastSeq, quint64 readSeq, quint32 unread)
    {
        proto::ConversationState s = directChat(lastSeq);
        s.set_read_seq(readSeq);
        s.set_delivered_seq(readSeq);
        s.set_unread_count(unread);
        m_account->conversations().upsert(s);
    }

    // More entries of the chat, coming in as sync stores them.
    bool storeMore(const std::vector<proto::Message> &entries)
    {
        m_account->conversations().upsert(directChat(entries.back().seq()));
        return m_account->messages().store(kConversation, entries) == int(entries.size());
    }

private Q_SLOTS:
    void init() { QVERIFY(m_account.open()); }

    void cleanup() { m_account.close(); }

    // 100 messages on one day and 20 on the next, seen in pages of 50 from the newest: each
    // page's top row is the list's top for a while, with a header; once the page above it is
    // there, that header goes. Exactly one header per day at the end.
    void dayHeadersShowOncePerDayAcrossPages()
    {
        QVERIFY(storeHistory(1, 120, {1, 101}));
        MessageModel timeline;
        timeline.setAccount(m_account.get());
        timeline.setConversationId(kConversation);
        QCOMPARE(timeline.rowCount(), MessageModel::kPageSize);
        ShownDayHeaders headers(timeline);
        QCOMPARE(headers.shown(), headers.current());
        for (int page = 0; page < 2; ++page) {
            QVERIFY(timeline.canFetchMore({}));
            timeline.fetchMore({});
            QTRY_VERIFY(!timeline.isLoadingOlder());
        }
        QCOMPARE(timeline.rowCount(), 120);
        QCOMPARE(headers.shown(), headers.current());
        QCOMPARE(int(headers.shown().count(QLatin1Char('H'))), 2);
        QCOMPARE(int(headers.shown().indexOf(QLatin1Char('H'), 1)), 100); // seq 101: day two
    }

    // Delete for me (what MessageActions::hideForMe does once the server agreed): its row goes
    // and nothing else moves (no reset, which sent a view scrolled up back to the bottom), and
    // the next message, now the first of its day, gets the day's header.
    void deletingAMessageRemovesOnlyItsRow()
    {
        QVERIFY(storeHistory(1, 10, {1, 6}));
        MessageModel timeline;
        timeline.setAccount(m_account.get());
        timeline.setConversationId(kConversation);
        QCOMPARE(timeline.rowCount(), 10);
        ShownDayHeaders headers(timeline);
        QCOMPARE(headers.shown(), QStringLiteral("H....H...."));
        QSignalSpy reset(&timeline, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&timeline, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&timeline, &QAbstractItemModel::rowsInserted);
        m_account->messages().hide(kConversation, {6});
        QTRY_COMPARE(timeline.rowCount(), 9);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.first().at(1).toInt(), 5);
        QCOMPARE(removed.first().at(2).toInt(), 5);
        QCOMPARE(timeline.data(timeline.index(5), MessageModel::SeqRole).toULongLong(),
                 qulonglong(7));
        QCOMPARE(headers.shown(), QStringLiteral("H....H..."));
        QCOMPARE(headers.shown(), headers.current());
    }

    // A text with links comes as rich text too (richText, linkify.h), for the view to make
    // them clickable; a text without, and a row whose text is not the sender's (here a
    // recall), do not.
    void richTextOnlyWhereThereAreLinks()
    {
        std::vector<proto::Message> entries {textMessage(1, at(15, 1)), textMessage(2, at(15, 2)),
                                             textMessage(3, at(15, 3))};
        entries[1].mutable_content()->set_text("see www.example.com <now>");
        entries[2].mutable_content()->set_text("https://example.com");
        entries[2].set_recalled(true);
        m_account->conversations().upsert(directChat(3));
        QCOMPARE(m_account->messages().store(kConversation, entries), 3);
        MessageModel timeline;
        timeline.setAccount(m_account.get());
        timeline.setConversationId(kConversation);
        QCOMPARE(timeline.rowCount(), 3);
        const auto richText = [&timeline](int row) {
            return timeline.data(timeline.index(row), MessageModel::RichTextRole).toString();
        };
        QCOMPARE(richText(0), QString());
        QCOMPARE(richText(1), linkify(QStringLiteral("see www.example.com <now>")));
        QVERIFY(richText(1).contains(QLatin1String("<a href=\"https://www.example.com\">")));
        QCOMPARE(richText(2), QString());
        QCOMPARE(timeline.roleNames().value(MessageModel::RichTextRole), QByteArray("richText"));
    }

    // Opened with 70 unread after seq 50, the first of them (51) deleted for me since: the
    // first unread message is 52, above the newest page. Read once the chat is set (as the
    // view does), what it was at opening stays. Going there loads the page it is on and ends
    // the pill's work.
    void firstUnreadIsTheOneAtOpening()
    {
        QVERIFY(storeHistory(1, 120, {1}));
        setReadCursor(120, 50, 70);
        m_account->messages().hide(kConversation, {51});
        MessageModel timeline;
        timeline.setAccount(m_account.get());
        timeline.setConversationId(kConversation);
        QCOMPARE(timeline.unreadAtOpen(), 70);
        QCOMPARE(timeline.firstUnreadSeqNumber(), 52.0);
        QCOMPARE(timeline.rowOfSeq(52), -1);

        m_account->conversations().setOwnCursors(kConversation, 120, 120, 0u);
        QTest::qWait(5); // the model's reload after the store's change
        QCOMPARE(timeline.unreadAtOpen(), 70);
        QCOMPARE(timeline.firstUnreadSeqNumber(), 52.0);

        QSignalSpy changed(&timeline, &MessageModel::firstUnreadChanged);
        QSignalSpy loaded(&timeline, &MessageModel::seqLoaded);
        timeline.ensureFirstUnreadLoaded();
        QCOMPARE(timeline.firstUnreadSeqNumber(), 0.0);
        QCOMPARE(changed.size(), 1);
        QTRY_COMPARE(loaded.size(), 1);
        QCOMPARE(loaded.first().at(0).toDouble(), 52.0);
        const int row = loaded.first().at(1).toInt();
        QVERIFY(row >= 0);
        QCOMPARE(row, timeline.rowOfSeq(52));
        QCOMPARE(timeline.data(timeline.index(row), MessageModel::SeqRole).toULongLong(),
                 qulonglong(52));
    }

    // Seen (the view says so), the pill goes; it comes back only for a chat set anew that still
    // has unread messages. Nothing unread: no first unread message at all.
    void firstUnreadGoesWhenSeen()
    {
        QVERIFY(storeHistory(1, 10, {1}));
        setReadCursor(10, 7, 3);
        MessageModel timeline;
        timeline.setAccount(m_account.get());
        timeline.setConversationId(kConversation);
        QCOMPARE(timeline.firstUnreadSeqNumber(), 8.0);
        QCOMPARE(timeline.unreadAtOpen(), 3);
        QSignalSpy changed(&timeline, &MessageModel::firstUnreadChanged);
        timeline.dismissFirstUnread();
        QCOMPARE(timeline.firstUnreadSeqNumber(), 0.0);
        QCOMPARE(changed.size(), 1);
        timeline.dismissFirstUnread();
        QCOMPARE(changed.size(), 1);

        timeline.setConversationId(0);
        QCOMPARE(timeline.firstUnreadSeqNumber(), 0.0);
        QCOMPARE(timeline.unreadAtOpen(), 0);
        timeline.setConversationId(kConversation);
        QCOMPARE(timeline.firstUnreadSeqNumber(), 8.0);

        m_account->conversations().setOwnCursors(kConversation, 10, 10, 0u);
        timeline.setConversationId(0);
        timeline.setConversationId(kConversation);
        QCOMPARE(timeline.firstUnreadSeqNumber(), 0.0);
        QCOMPARE(timeline.unreadAtOpen(), 0);
    }

    // Away from the newest message (the view scrolled up: followingNewest false), what comes in
    // is counted for the "↓ N new" button: others' messages, not the user's own, not group
    // events or recalled ones, nor one deleted for the user before they saw it. Nothing is
    // counted while following, and back there or in a chat set anew the count is 0.
    void newBelowCountsOthersMessagesWhileAway()
    {
        QVERIFY(storeHistory(1, 10, {1}));
        MessageModel timeline;
        timeline.setAccount(m_account.get());
        timeline.setConversationId(kConversation);
        QVERIFY(timeline.isFollowingNewest());
        QCOMPARE(timeline.newBelow(), 0);
        QVERIFY(storeMore({textMessage(11, at(15, 11))}));
        QTRY_COMPARE(timeline.rowCount(), 11);
        QCOMPARE(timeline.newBelow(), 0);

        QSignalSpy following(&timeline, &MessageModel::followingNewestChanged);
        timeline.setFollowingNewest(false);
        QCOMPARE(following.size(), 1);
        QCOMPARE(timeline.newBelow(), 0); // what was there already is not new
        proto::Message mine = textMessage(13, at(15, 13));
        mine.set_sender_id(m_account->userId());
        proto::Message event = textMessage(14, at(15, 14));
        event.clear_content();
        event.mutable_group_event()->set_kind(proto::GroupEvent::KIND_MEMBER_JOINED);
        event.mutable_group_event()->set_actor_id(kPeer);
        proto::Message recalled = textMessage(15, at(15, 15));
        recalled.clear_content();
        recalled.set_recalled(true);
        QVERIFY(storeMore(
            {textMessage(12, at(15, 12)), mine, event, recalled, textMessage(16, at(15, 16))}));
        QTRY_COMPARE(timeline.rowCount(), 16);
        QCOMPARE(timeline.newBelow(), 2); // 12 and 16

        m_account->messages().hide(kConversation, {16});
        QTRY_COMPARE(timeline.newBelow(), 1);

        QSignalSpy changed(&timeline, &MessageModel::newBelowChanged);
        timeline.setFollowingNewest(true);
        QCOMPARE(timeline.newBelow(), 0);
        QCOMPARE(changed.size(), 1);
        QVERIFY(storeMore({textMessage(17, at(15, 17))}));
        QTRY_COMPARE(timeline.rowCount(), 16); // 16 is gone, 17 came
        QCOMPARE(timeline.newBelow(), 0);

        // Away again: counted from the newest shown then.
        timeline.setFollowingNewest(false);
        QVERIFY(storeMore({textMessage(18, at(15, 18))}));
        QTRY_COMPARE(timeline.newBelow(), 1);
        timeline.setConversationId(0);
        QCOMPARE(timeline.newBelow(), 0);
        timeline.setConversationId(kConversation);
        QCOMPARE(timeline.newBelow(), 0);
        QCOMPARE(changed.size(), 3);
    }

    // Given up before it answered (the user went to the newest message instead), ensureLoaded
    // says nothing and loads no page; asked again, it answers.
    void cancelledEnsureLoadedSaysNothing()
    {
        QVERIFY(storeHistory(1, 300, {1}));
        MessageModel timeline;
        timeline.setAccount(m_account.get());
        timeline.setConversationId(kConversation);
        QCOMPARE(timeline.rowCount(), MessageModel::kPageSize);
        QSignalSpy loaded(&timeline, &MessageModel::seqLoaded);
        timeline.ensureLoaded(5);
        timeline.cancelEnsureLoaded();
        QTest::qWait(50);
        QCOMPARE(loaded.size(), 0);
        QCOMPARE(timeline.rowCount(), MessageModel::kPageSize);
        QVERIFY(!timeline.isLoadingOlder());

        timeline.ensureLoaded(5);
        QTRY_COMPARE(loaded.size(), 1);
        QCOMPARE(loaded.first().at(0).toDouble(), 5.0);
        QCOMPARE(loaded.first().at(1).toInt(), timeline.rowOfSeq(5));
        QVERIFY(timeline.rowOfSeq(5) >= 0);
    }
};

QTEST_GUILESS_MAIN(tst_MessageModel)
#include "tst_messagemodel.moc"
