// SPDX-License-Identifier: Apache-2.0
// ConversationListModel over a real cache and no server: what the chat list is told. A view
// keeps a row's values until the model says they changed, so the rows are also followed
// through the model's signals as a view follows them (ShownRows), and both must end as a model
// built afresh shows them. Nothing but a change of account may reset the list.
#include "account.h"
#include "conversationlistmodel.h"
#include "localcache.h"
#include "offlineaccount.h"

#include <QAbstractItemModelTester>
#include <QMap>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace tern;
using namespace tern::client;

namespace {

constexpr quint64 kMe = 1;
constexpr qint64 kEpoch = 1'700'000'000'000;

// The roles compared; a row is shown as its values joined.
const QList<int> kRoles {
    ConversationListModel::ConversationIdRole, ConversationListModel::TitleRole,
    ConversationListModel::PreviewRole,        ConversationListModel::UnreadCountRole,
    ConversationListModel::PinnedRole,         ConversationListModel::LastActivityMsRole};

quint64 peerOf(quint64 conversationId)
{
    return 1000 + conversationId;
}

proto::Message textFrom(quint64 conversationId, quint64 seq, qint64 sentAtMs)
{
    proto::Message m;
    m.set_conversation_id(conversationId);
    m.set_seq(seq);
    m.set_sender_id(peerOf(conversationId));
    m.set_sent_at_ms(sentAtMs);
    m.mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
    m.mutable_content()->set_text("message " + std::to_string(seq));
    return m;
}

// A direct chat whose last message (seq 1) was sent at kEpoch + `activity`.
proto::ConversationState directChat(quint64 id, qint64 activity)
{
    proto::ConversationState s;
    s.set_conversation_id(id);
    s.set_kind(proto::CONVERSATION_KIND_DIRECT);
    s.set_peer_user_id(peerOf(id));
    s.set_active(true);
    s.set_last_seq(1);
    *s.mutable_last_message() = textFrom(id, 1, kEpoch + activity);
    return s;
}

proto::UserProfile profile(quint64 conversationId, const QString &displayName)
{
    proto::UserProfile p;
    p.set_user_id(peerOf(conversationId));
    p.set_username("peer" + std::to_string(conversationId));
    p.set_display_name(displayName.toStdString());
    return p;
}

QString rowText(const QAbstractItemModel &model, int row, int role)
{
    return model.data(model.index(row, 0), role).toString();
}

QStringList rowsOf(const QAbstractItemModel &model)
{
    QStringList rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        QStringList values;
        for (int role : kRoles)
            values << rowText(model, row, role);
        rows << values.join(QLatin1Char('|'));
    }
    return rows;
}

// The rows as a view shows them: read when they arrive, moved and removed as the model says,
// and read again only for the roles a dataChanged names (all of them when it names none).
class ShownRows : public QObject
{
public:
    explicit ShownRows(QAbstractItemModel &model)
        : m_model(model)
    {
        connect(&model, &QAbstractItemModel::modelReset, this, [this] { readAll(); });
        connect(&model, &QAbstractItemModel::rowsInserted, this,
                [this](const QModelIndex &, int first, int last) {
                    for (int row = first; row <= last; ++row)
                        m_rows.insert(m_rows.begin() + row, read(row, kRoles));
                });
        connect(&model, &QAbstractItemModel::rowsRemoved, this,
                [this](const QModelIndex &, int first, int last) {
                    m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
                });
        connect(&model, &QAbstractItemModel::rowsMoved, this,
                [this](const QModelIndex &, int first, int last, const QModelIndex &, int to) {
                    // `to` counts the rows as they were before the move.
                    std::vector<QMap<int, QString>> moved(m_rows.begin() + first,
                                                          m_rows.begin() + last + 1);
                    m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
                    const int at = to > last ? to - (last - first + 1) : to;
                    m_rows.insert(m_rows.begin() + at, moved.begin(), moved.end());
                });
        connect(&model, &QAbstractItemModel::dataChanged, this,
                [this](const QModelIndex &topLeft, const QModelIndex &bottomRight,
                       const QList<int> &roles) {
                    for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
                        const auto values = read(row, roles.isEmpty() ? kRoles : roles);
                        for (auto it = values.begin(); it != values.end(); ++it)
                            m_rows[size_t(row)][it.key()] = it.value();
                    }
                });
        readAll();
    }

    QStringList rows() const
    {
        QStringList rows;
        for (const auto &values : m_rows) {
            QStringList shown;
            for (int role : kRoles)
                shown << values.value(role);
            rows << shown.join(QLatin1Char('|'));
        }
        return rows;
    }

private:
    QMap<int, QString> read(int row, const QList<int> &roles) const
    {
        QMap<int, QString> values;
        for (int role : roles) {
            if (kRoles.contains(role))
                values.insert(role, rowText(m_model, row, role));
        }
        return values;
    }
    void readAll()
    {
        m_rows.clear();
        for (int row = 0; row < m_model.rowCount(); ++row)
            m_rows.push_back(read(row, kRoles));
    }

    QAbstractItemModel &m_model;
    std::vector<QMap<int, QString>> m_rows;
};

// Every structural signal of a model, counted.
struct Signals
{
    explicit Signals(QAbstractItemModel &model)
        : reset(&model, &QAbstractItemModel::modelReset)
        , moved(&model, &QAbstractItemModel::rowsMoved)
        , inserted(&model, &QAbstractItemModel::rowsInserted)
        , removed(&model, &QAbstractItemModel::rowsRemoved)
        , changed(&model, &QAbstractItemModel::dataChanged)
    { }

    QSignalSpy reset;
    QSignalSpy moved;
    QSignalSpy inserted;
    QSignalSpy removed;
    QSignalSpy changed;
};

} // namespace

// The model over an account with what watches it: Qt's model tester, a view's mirror of the
// rows and spies on its signals, all made after the model's first reset.
struct WatchedList
{
    explicit WatchedList(tern::client::Account *account)
    {
        list.setAccount(account);
        tester = std::make_unique<QAbstractItemModelTester>(
            &list, QAbstractItemModelTester::FailureReportingMode::QtTest);
        shown = std::make_unique<ShownRows>(list);
        spies = std::make_unique<Signals>(list);
    }

    tern::client::ConversationListModel list;
    std::unique_ptr<QAbstractItemModelTester> tester;
    std::unique_ptr<ShownRows> shown;
    std::unique_ptr<Signals> spies;
};

class tst_ConversationList : public QObject
{
    Q_OBJECT

    OfflineAccount m_account;
    qint64 m_clock = 10'000; // after every activity the chats start with

    void addChat(quint64 id, qint64 activity)
    {
        m_account->users().storeProfiles({profile(id, QStringLiteral("Peer %1").arg(id))});
        m_account->conversations().upsert(directChat(id, activity));
    }
    // A message from the peer, newer than anything before it.
    void receive(quint64 id)
    {
        const auto c = m_account->conversations().get(id);
        QVERIFY(c);
        const quint64 seq = c->state.last_seq() + 1;
        m_account->conversations().noteEntry(textFrom(id, seq, kEpoch + ++m_clock), kMe);
    }
    void setPinned(quint64 id, bool pinned)
    {
        const auto c = m_account->conversations().get(id);
        QVERIFY(c);
        proto::ConversationState state = c->state;
        state.mutable_settings()->set_pinned(pinned);
        m_account->conversations().upsert(state);
    }
    // The client has no way to drop a chat yet; a future one would remove its row like this.
    void dropChat(quint64 id)
    {
        QSqlQuery q(m_account->cache().db());
        q.prepare(QStringLiteral("DELETE FROM conversations WHERE id = ?"));
        q.addBindValue(qulonglong(id));
        QVERIFY(q.exec());
        Q_EMIT m_account->conversations().changed(id);
    }
    // The list applies a burst of store changes once, from the event loop.
    static void settle() { QTest::qWait(5); }

    QStringList freshRows()
    {
        ConversationListModel fresh;
        fresh.setAccount(m_account.get());
        return rowsOf(fresh);
    }
    // Chats 1..5, chat 5 the most recently active: rows 5, 4, 3, 2, 1.
    void addFiveChats()
    {
        for (quint64 id = 1; id <= 5; ++id)
            addChat(id, qint64(id) * 100);
    }
    static QList<quint64> ids(const ConversationListModel &list)
    {
        QList<quint64> shown;
        for (int row = 0; row < list.rowCount(); ++row)
            shown << list.data(list.index(row), ConversationListModel::ConversationIdRole)
                         .toULongLong();
        return shown;
    }

private Q_SLOTS:
    void init() { QVERIFY(m_account.open()); }

    void cleanup() { m_account.close(); }

    // A message in the fourth chat: one move to the top, then its new preview and count.
    void newMessageMovesItsChatToTheTop()
    {
        addFiveChats();
        WatchedList watched(m_account.get());
        ConversationListModel &list = watched.list;
        Signals &s = *watched.spies;
        QCOMPARE(ids(list), (QList<quint64> {5, 4, 3, 2, 1}));
        receive(2);
        settle();
        QCOMPARE(ids(list), (QList<quint64> {2, 5, 4, 3, 1}));
        QCOMPARE(s.reset.size(), 0);
        QCOMPARE(s.inserted.size(), 0);
        QCOMPARE(s.removed.size(), 0);
        QCOMPARE(s.moved.size(), 1);
        QCOMPARE(s.moved.first().at(1).toInt(), 3); // from row 3
        QCOMPARE(s.moved.first().at(2).toInt(), 3);
        QCOMPARE(s.moved.first().at(4).toInt(), 0); // to the top
        QCOMPARE(s.changed.size(), 1);
        QCOMPARE(s.changed.first().at(0).value<QModelIndex>().row(), 0);
        QCOMPARE(list.data(list.index(0), ConversationListModel::UnreadCountRole).toInt(), 1);
        QCOMPARE(rowText(list, 0, ConversationListModel::PreviewRole), QStringLiteral("message 2"));
        QCOMPARE(list.totalUnread(), 1);

        // Again in the chat at the top: nothing moves.
        receive(2);
        settle();
        QCOMPARE(s.moved.size(), 1);
        QCOMPARE(s.changed.size(), 2);
        QCOMPARE(s.reset.size(), 0);
        QCOMPARE(rowsOf(list), freshRows());
    }

    // A peer renamed: the rows that show them change, none moves.
    void renameIsDataChangedOnly()
    {
        addFiveChats();
        WatchedList watched(m_account.get());
        ConversationListModel &list = watched.list;
        ShownRows &shown = *watched.shown;
        Signals &s = *watched.spies;
        m_account->users().storeProfiles({profile(3, QStringLiteral("Renamed"))});
        settle();
        QCOMPARE(rowText(list, 2, ConversationListModel::TitleRole), QStringLiteral("Renamed"));
        QVERIFY(s.changed.size() >= 1);
        QCOMPARE(s.reset.size(), 0);
        QCOMPARE(s.moved.size(), 0);
        QCOMPARE(s.inserted.size(), 0);
        QCOMPARE(s.removed.size(), 0);
        QCOMPARE(shown.rows(), freshRows());
    }

    // A new chat goes in where it belongs by its activity; a chat gone from the cache goes.
    void newChatIsInsertedAndGoneChatRemoved()
    {
        addFiveChats();
        WatchedList watched(m_account.get());
        ConversationListModel &list = watched.list;
        ShownRows &shown = *watched.shown;
        Signals &s = *watched.spies;
        addChat(6, 250); // between chats 3 and 2
        settle();
        QCOMPARE(ids(list), (QList<quint64> {5, 4, 3, 6, 2, 1}));
        QCOMPARE(s.inserted.size(), 1);
        QCOMPARE(s.inserted.first().at(1).toInt(), 3);
        QCOMPARE(s.inserted.first().at(2).toInt(), 3);

        dropChat(4);
        settle();
        QCOMPARE(ids(list), (QList<quint64> {5, 3, 6, 2, 1}));
        QCOMPARE(s.removed.size(), 1);
        QCOMPARE(s.removed.first().at(1).toInt(), 1);
        QCOMPARE(s.removed.first().at(2).toInt(), 1);
        QCOMPARE(s.moved.size(), 0);
        QCOMPARE(s.reset.size(), 0);
        QCOMPARE(shown.rows(), freshRows());
    }

    // Pinned chats come first: pinning the last chat is one move up, unpinning one move back.
    void pinningMovesOneRow()
    {
        addFiveChats();
        WatchedList watched(m_account.get());
        ConversationListModel &list = watched.list;
        ShownRows &shown = *watched.shown;
        Signals &s = *watched.spies;
        setPinned(1, true);
        settle();
        QCOMPARE(ids(list), (QList<quint64> {1, 5, 4, 3, 2}));
        QCOMPARE(s.moved.size(), 1);
        setPinned(1, false);
        settle();
        QCOMPARE(ids(list), (QList<quint64> {5, 4, 3, 2, 1}));
        QCOMPARE(s.moved.size(), 2);
        QCOMPARE(s.moved.last().at(1).toInt(), 0);
        QCOMPARE(s.moved.last().at(4).toInt(), 5); // below the last row, as Qt counts it
        QCOMPARE(s.reset.size(), 0);
        QCOMPARE(s.inserted.size(), 0);
        QCOMPARE(s.removed.size(), 0);
        QCOMPARE(shown.rows(), freshRows());
    }

    // Bursts of random changes (messages, renames, new and dropped chats, pins, reading): the
    // list and what a view made of its signals always equal a list built afresh, and it is
    // never reset. Only a change of account resets it.
    void randomChangesMatchAFreshList()
    {
        for (quint64 id = 1; id <= 12; ++id)
            addChat(id, qint64(id) * 100);
        quint64 nextId = 13;
        WatchedList watched(m_account.get());
        ConversationListModel &list = watched.list;
        ShownRows &shown = *watched.shown;
        Signals &s = *watched.spies;
        QRandomGenerator random(20240115);
        for (int round = 0; round < 150; ++round) {
            const int changes = 1 + int(random.bounded(3));
            for (int change = 0; change < changes; ++change) {
                const auto cached = m_account->conversations().all();
                if (cached.empty()) {
                    addChat(nextId++, random.bounded(20'000));
                    continue;
                }
                const quint64 some =
                    cached[size_t(random.bounded(int(cached.size())))].state.conversation_id();
                switch (random.bounded(7)) {
                case 0:
                case 1:
                    receive(some);
                    break;
                case 2:
                    m_account->users().storeProfiles(
                        {profile(some, QStringLiteral("Name %1").arg(round))});
                    break;
                case 3:
                    addChat(nextId++, random.bounded(20'000));
                    break;
                case 4:
                    dropChat(some);
                    break;
                case 5: {
                    const auto c = m_account->conversations().get(some);
                    QVERIFY(c);
                    setPinned(some, !c->state.settings().pinned());
                    break;
                }
                default: {
                    const auto c = m_account->conversations().get(some);
                    QVERIFY(c);
                    m_account->conversations().setOwnCursors(
                        some, c->state.last_seq(), c->state.last_seq(), std::optional<quint32>(0));
                    break;
                }
                }
            }
            settle();
            const QStringList fresh = freshRows();
            QCOMPARE(rowsOf(list), fresh);
            QCOMPARE(shown.rows(), fresh);
            QCOMPARE(s.reset.size(), 0);
        }
        QVERIFY(s.moved.size() > 0);
        QVERIFY(s.inserted.size() > 0);
        QVERIFY(s.removed.size() > 0);

        list.setAccount(nullptr);
        QCOMPARE(s.reset.size(), 1);
        QCOMPARE(list.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_ConversationList)
#include "tst_conversationlist.moc"
