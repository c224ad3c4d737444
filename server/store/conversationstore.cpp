// SPDX-License-Identifier: Apache-2.0
// ConversationStore: SQL for conversations as their members see them. Runs on the thread of
// the PgPool it was given (an I/O worker). The state columns come from
// tern_conversation_states() (migration 0004).
#include "store/conversationstore.h"

#include "store/messagesql.h"
#include "store/messagestore.h"
#include "store/pagebudget.h"
#include "store/pgpool.h"

namespace tern::server {

namespace {

// The views of user USER of the conversations in the bigint[] IDS; hidden_seqs since SINCE
// (an xid8, NULL for none). The last message's columns follow the 19 state columns; a former
// group member (not active, last_seq the end of the membership) sees it as it was then.
// clang-format off
#define TERN_VIEWS_QUERY(USER, IDS, SINCE)                                                         \
    "SELECT s.*,"                                                                                  \
    TERN_MESSAGE_COLUMNS(USER, "CASE WHEN s.active THEN NULL ELSE s.last_seq END")                 \
    "  FROM tern_conversation_states(" USER ", " IDS ", " SINCE ") s"                              \
    "  LEFT JOIN messages x ON x.conversation_id = s.conversation_id"                              \
    "                      AND x.seq = s.last_message_seq"                                         \
    " ORDER BY s.conversation_id"
// clang-format on
constexpr int kStateColumnCount = 19;
// What a conversation list shows of its newest message.
constexpr int kPreviewTextLength = 200;
constexpr int kPreviewBundleItems = 3;

// The newest message as a preview: long texts cut, bundles shortened, so that a page of
// conversations stays small whatever was sent.
void trimToPreview(proto::MessageContent &content)
{
    const QString text = QString::fromStdString(content.text());
    if (text.size() > kPreviewTextLength)
        content.set_text(text.left(kPreviewTextLength).toStdString());
    auto *items = content.mutable_bundle()->mutable_items();
    if (items->size() > kPreviewBundleItems)
        items->DeleteSubrange(kPreviewBundleItems, items->size() - kPreviewBundleItems);
    for (auto &item : *items)
        trimToPreview(*item.mutable_content());
}

PgParam optionalBool(const std::optional<bool> &value)
{
    if (!value)
        return std::nullopt;
    return QByteArray(*value ? "true" : "false");
}

ConversationView readView(const PgResult &r, int row)
{
    ConversationView view;
    proto::ConversationState &s = view.state;
    s.set_conversation_id(quint64(r.int64(row, 0)));
    s.set_kind(proto::ConversationKind(r.int64(row, 1)));
    s.set_peer_user_id(quint64(r.int64(row, 2)));
    s.set_group_id(quint64(r.int64(row, 3)));
    s.set_last_seq(quint64(r.int64(row, 4)));
    s.set_first_seq(quint64(r.int64(row, 5)));
    s.set_active(r.boolean(row, 6));
    s.set_read_seq(quint64(r.int64(row, 7)));
    s.set_delivered_seq(quint64(r.int64(row, 8)));
    s.set_unread_count(quint32(r.int64(row, 9)));
    s.set_mentioned(r.boolean(row, 10));
    s.mutable_settings()->set_muted(r.boolean(row, 11));
    s.mutable_settings()->set_pinned(r.boolean(row, 12));
    s.mutable_settings()->set_archived(r.boolean(row, 13));
    s.set_peer_read_seq(quint64(r.int64(row, 14)));
    s.set_peer_delivered_seq(quint64(r.int64(row, 15)));
    for (const qint64 seq : pgReadIds(r.bytes(row, 16)))
        s.add_hidden_seqs(quint64(seq));
    if (!r.isNull(row, 17) && !r.isNull(row, kStateColumnCount)) {
        *s.mutable_last_message() = readMessageColumns(r, row, kStateColumnCount);
        if (s.last_message().has_content())
            trimToPreview(*s.mutable_last_message()->mutable_content());
    }
    view.receiptsShared = r.boolean(row, 18);
    return view;
}

PgStatement viewStatement(qint64 userId, qint64 conversationId)
{
    return {TERN_VIEWS_QUERY("$1", "ARRAY[$2::bigint]", "NULL"),
            {pgInt(userId), pgInt(conversationId)}};
}

} // namespace

ConversationStore::ConversationStore(PgPool &pool)
    : m_pool(pool)
{ }

void ConversationStore::runView(std::vector<PgStatement> statements,
                                StoreCallback<ConversationView> done)
{
    m_pool.execute(std::move(statements), [done](const PgOutcome &o) {
        Stored<ConversationView> stored {o.error, {}};
        if (o.ok() && o.results.back().rowCount() == 1)
            stored.value = readView(o.results.back(), 0);
        done(stored);
    });
}

void ConversationStore::openDirect(qint64 userId, qint64 peerId, bool allowStrangers,
                                   StoreCallback<OpenedConversation> done)
{
    m_pool.execute({"SELECT * FROM tern_open_direct($1, $2, $3::boolean)",
                    {pgInt(userId), pgInt(peerId), pgBool(allowStrangers)}},
                   [this, userId, done](const PgOutcome &o) {
                       if (!o.ok() || o.results.front().rowCount() != 1)
                           return done({o.error, {}});
                       const PgResult &r = o.results.front();
                       OpenedConversation opened {r.text(0, 0), {}};
                       if (opened.outcome != QLatin1String("ok"))
                           return done({{}, opened});
                       view(userId, r.int64(0, 1),
                            [done, opened](const Stored<ConversationView> &v) {
                                OpenedConversation result = opened;
                                result.view = v.value;
                                done({v.error, result});
                            });
                   });
}

void ConversationStore::openGroup(qint64 userId, qint64 groupId,
                                  StoreCallback<OpenedConversation> done)
{
    m_pool.execute(
        {"SELECT c.id FROM conversations c"
         "  JOIN conversation_members m ON m.conversation_id = c.id AND m.user_id = $2"
         " WHERE c.group_id = $1",
         {pgInt(groupId), pgInt(userId)}},
        [this, userId, done](const PgOutcome &o) {
            if (!o.ok())
                return done({o.error, {}});
            if (o.results.front().rowCount() != 1)
                return done({{}, OpenedConversation {QStringLiteral("no_conversation"), {}}});
            view(userId, o.results.front().int64(0, 0), [done](const Stored<ConversationView> &v) {
                done({v.error, OpenedConversation {QStringLiteral("ok"), v.value}});
            });
        });
}

void ConversationStore::view(qint64 userId, qint64 conversationId,
                             StoreCallback<ConversationView> done)
{
    std::vector<PgStatement> statements;
    statements.push_back(viewStatement(userId, conversationId));
    runView(std::move(statements), std::move(done));
}

void ConversationStore::changes(qint64 userId, quint64 since, qint64 afterId, int limit,
                                StoreCallback<ConversationChangesPage> done)
{
    // The cursor is read first: whatever began after it began after this snapshot too.
    static constexpr const char *kChanges =
        "WITH changed AS ("
        "  SELECT m.conversation_id FROM conversation_members m"
        "    JOIN conversations c ON c.id = m.conversation_id"
        "   WHERE m.user_id = $1 AND m.conversation_id > $3"
        "     AND (m.change_xid >= $2::xid8 OR (m.left_seq IS NULL AND c.change_xid >= $2::xid8))"
        "   ORDER BY m.conversation_id LIMIT $4)" TERN_VIEWS_QUERY(
            "$1", "ARRAY(SELECT conversation_id FROM changed)", "$5::xid8");
    std::vector<PgStatement> statements;
    statements.push_back({"SELECT pg_snapshot_xmin(pg_current_snapshot())::text", {}});
    statements.push_back(
        {kChanges,
         {pgInt(userId), QByteArray::number(since), pgInt(afterId), pgInt(limit + 1),
          since == 0 ? std::nullopt : PgParam(QByteArray::number(since))}});
    m_pool.execute(std::move(statements), [done, limit](const PgOutcome &o) {
        Stored<ConversationChangesPage> stored {o.error, {}};
        if (o.ok()) {
            ConversationChangesPage page;
            page.nextSince = o.results.at(0).bytes(0, 0).toULongLong();
            const PgResult &r = o.results.at(1);
            page.hasMore = r.rowCount() > limit;
            PageBudget budget;
            for (int row = 0; row < std::min(limit, r.rowCount()); ++row) {
                proto::ConversationState state = readView(r, row).state;
                if (!budget.fits(state.ByteSizeLong(), page.states.size())) {
                    page.hasMore = true;
                    break;
                }
                page.states.push_back(std::move(state));
            }
            stored.value = std::move(page);
        }
        done(stored);
    });
}

void ConversationStore::updateCursors(qint64 userId, qint64 conversationId, qint64 deliveredSeq,
                                      qint64 readSeq, StoreCallback<ConversationView> done)
{
    std::vector<PgStatement> statements;
    statements.push_back(
        {"SELECT tern_msg_update_cursors($2, $1, $3, $4)",
         {pgInt(userId), pgInt(conversationId), pgInt(deliveredSeq), pgInt(readSeq)}});
    statements.push_back(viewStatement(userId, conversationId));
    runView(std::move(statements), std::move(done));
}

void ConversationStore::updateSettings(qint64 userId, qint64 conversationId,
                                       const SettingsChange &change,
                                       StoreCallback<ConversationView> done)
{
    std::vector<PgStatement> statements;
    statements.push_back(
        {"UPDATE conversation_members SET muted = coalesce($3::boolean, muted),"
         "       pinned = coalesce($4::boolean, pinned),"
         "       archived = coalesce($5::boolean, archived), change_xid = pg_current_xact_id()"
         " WHERE user_id = $1 AND conversation_id = $2",
         {pgInt(userId), pgInt(conversationId), optionalBool(change.muted),
          optionalBool(change.pinned), optionalBool(change.archived)}});
    statements.push_back(viewStatement(userId, conversationId));
    runView(std::move(statements), std::move(done));
}

void ConversationStore::hide(qint64 userId, qint64 conversationId, const QList<qint64> &seqs,
                             StoreCallback<ConversationView> done)
{
    std::vector<PgStatement> statements;
    statements.push_back({"SELECT tern_msg_hide($2, $1, $3::bigint[])",
                          {pgInt(userId), pgInt(conversationId), pgIds(seqs)}});
    statements.push_back(viewStatement(userId, conversationId));
    runView(std::move(statements), std::move(done));
}

void ConversationStore::readCounts(qint64 userId, qint64 conversationId, const QList<qint64> &seqs,
                                   StoreCallback<ReadCountsResult> done)
{
    std::vector<PgStatement> statements;
    statements.push_back(
        {"SELECT u.read_receipts, c.kind = 2, m.left_seq IS NULL FROM users u"
         "  JOIN conversation_members m ON m.user_id = u.id AND m.conversation_id = $2"
         "  JOIN conversations c ON c.id = m.conversation_id"
         " WHERE u.id = $1",
         {pgInt(userId), pgInt(conversationId)}});
    // For the seqs inside the asker's window: others (not the asker, not the message's sender)
    // who share receipts and read past s while they could see it.
    statements.push_back(
        {"SELECT s, (SELECT count(*) FROM conversation_members m JOIN users u ON u.id = m.user_id"
         "            WHERE m.conversation_id = $2 AND m.user_id <> $1 AND u.read_receipts"
         "              AND m.read_seq >= s AND m.first_seq <= s"
         "              AND (m.left_seq IS NULL OR m.left_seq >= s)"
         "              AND m.user_id <> coalesce((SELECT x.sender_id FROM messages x"
         "                                         WHERE x.conversation_id = $2 AND x.seq = s), 0))"
         "  FROM unnest($3::bigint[]) s"
         "  JOIN conversation_members me ON me.conversation_id = $2 AND me.user_id = $1"
         "  JOIN conversations c ON c.id = me.conversation_id"
         " WHERE s BETWEEN me.first_seq AND coalesce(me.left_seq, c.last_seq)"
         " ORDER BY s",
         {pgInt(userId), pgInt(conversationId), pgIds(seqs)}});
    m_pool.execute(std::move(statements), [done](const PgOutcome &o) {
        Stored<ReadCountsResult> stored {o.error, {}};
        if (o.ok() && o.results.at(0).rowCount() == 1) {
            ReadCountsResult result;
            result.allowed = o.results.at(0).boolean(0, 0);
            result.isGroup = o.results.at(0).boolean(0, 1);
            result.isMember = o.results.at(0).boolean(0, 2);
            if (result.allowed && result.isGroup && result.isMember) {
                const PgResult &r = o.results.at(1);
                for (int row = 0; row < r.rowCount(); ++row) {
                    auto *count = result.counts.add_counts();
                    count->set_seq(quint64(r.int64(row, 0)));
                    count->set_read(quint32(r.int64(row, 1)));
                }
            }
            stored.value = std::move(result);
        }
        done(stored);
    });
}

void ConversationStore::audience(qint64 userId, qint64 conversationId,
                                 StoreCallback<ConversationAudience> done)
{
    m_pool.execute(
        {"SELECT CASE WHEN c.kind = 1 THEN ARRAY[c.user_lo, c.user_hi]"
         "            ELSE ARRAY(SELECT gm.user_id FROM group_members gm"
         "                        WHERE gm.group_id = c.group_id AND gm.left_seq IS NULL"
         "                        ORDER BY 1) END,"
         "       c.kind = 2 OR NOT EXISTS ("
         "           SELECT 1 FROM contacts k WHERE k.blocked"
         "              AND ((k.owner_id = c.user_lo AND k.peer_id = c.user_hi)"
         "                   OR (k.owner_id = c.user_hi AND k.peer_id = c.user_lo)))"
         "  FROM conversations c"
         "  JOIN conversation_members m ON m.conversation_id = c.id AND m.user_id = $1"
         "                             AND m.left_seq IS NULL"
         " WHERE c.id = $2",
         {pgInt(userId), pgInt(conversationId)}},
        [done](const PgOutcome &o) {
            Stored<ConversationAudience> stored {o.error, {}};
            if (o.ok() && o.results.front().rowCount() == 1) {
                const PgResult &r = o.results.front();
                stored.value = ConversationAudience {r.boolean(0, 1), pgReadIds(r.bytes(0, 0))};
            }
            done(stored);
        });
}

void ConversationStore::messagingSettings(qint64 userId, std::optional<bool> readReceipts,
                                          StoreCallback<MessagingSettingsChange> done)
{
    std::vector<PgStatement> statements;
    statements.push_back({"SELECT o_conversation_id, o_peer_id, o_read_seq, o_delivered_seq,"
                          "       o_peer_read_seq, o_peer_delivered_seq"
                          " FROM tern_user_set_read_receipts($1, $2::boolean)",
                          {pgInt(userId), optionalBool(readReceipts)}});
    statements.push_back({"SELECT read_receipts FROM users WHERE id = $1", {pgInt(userId)}});
    m_pool.execute(std::move(statements), [done](const PgOutcome &o) {
        Stored<MessagingSettingsChange> stored {o.error, {}};
        if (o.ok() && o.results.back().rowCount() == 1) {
            MessagingSettingsChange change;
            change.settings.set_read_receipts(o.results.back().boolean(0, 0));
            const PgResult &r = o.results.front();
            change.receipts.reserve(size_t(r.rowCount()));
            for (int row = 0; row < r.rowCount(); ++row) {
                change.receipts.push_back({r.int64(row, 0), r.int64(row, 1), r.int64(row, 2),
                                           r.int64(row, 3), r.int64(row, 4), r.int64(row, 5)});
            }
            stored.value = std::move(change);
        }
        done(stored);
    });
}

} // namespace tern::server
