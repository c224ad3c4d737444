// SPDX-License-Identifier: Apache-2.0
// MessageStore: SQL for conversation entries. Runs on the thread of the PgPool it was given (an
// I/O worker). The writes are the SQL functions of migration 0004; this file passes parameters
// and turns rows into tern.v1.Message.
#include "store/messagestore.h"

#include "store/messagesql.h"
#include "store/pagebudget.h"
#include "store/pgpool.h"
#include "store/searchindexupkeep.h"
#include "store/sendbatcher.h"
#include "tern/messagecontent.h"

#include <algorithm>

namespace tern::server {

namespace {

// Entry kinds as stored (migration 0004): 0 marks a group event in the history union.
constexpr int kEditKind = 12;
constexpr int kRecallKind = 13;
constexpr int kReactionKind = 14;

QByteArray serialized(const google::protobuf::MessageLite &message)
{
    QByteArray bytes(qsizetype(message.ByteSizeLong()), Qt::Uninitialized);
    message.SerializeToArray(bytes.data(), int(bytes.size()));
    return bytes;
}

// "user hex-emoji,user hex-emoji ..." in reacting order -> one count per emoji, in order of
// first use.
void readReactions(const QByteArray &text, proto::Message &message)
{
    if (text.isEmpty())
        return;
    for (const QByteArray &pair : text.split(',')) {
        const qsizetype space = pair.indexOf(' ');
        const std::string emoji = QByteArray::fromHex(pair.mid(space + 1)).toStdString();
        proto::ReactionCount *count = nullptr;
        for (auto &existing : *message.mutable_reactions()) {
            if (existing.emoji() == emoji)
                count = &existing;
        }
        if (!count) {
            count = message.add_reactions();
            count->set_emoji(emoji);
        }
        count->add_user_ids(quint64(pair.left(space).toLongLong()));
    }
}

PgParam uuidParam(const QString &clientMsgId)
{
    return clientMsgId.isEmpty() ? std::nullopt : pgText(clientMsgId);
}

// The user's window in a conversation: [first, last] (statement 1 of a history read), and
// left_seq, set for a former group member (who sees messages as they were then).
#define TERN_WINDOW_QUERY                                                                          \
    "SELECT m.first_seq AS first_seq, coalesce(m.left_seq, c.last_seq) AS last_seq,"               \
    "       coalesce(c.group_id, 0) AS group_id, m.left_seq AS left_seq"                           \
    "  FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id"               \
    " WHERE m.conversation_id = $1 AND m.user_id = $2"

// The entries (messages and group events) of conversation $1 as user $2 sees them, within the
// user's window, with seq OP $3 (OP: "> $3" or "< $3"), in ORDER, at most $4.
// clang-format off
#define TERN_ENTRIES_QUERY(OP, ORDER)                                                              \
    "WITH w AS (" TERN_WINDOW_QUERY ")"                                                            \
    " SELECT * FROM ("                                                                             \
    "   SELECT" TERN_MESSAGE_COLUMNS("$2", "w.left_seq") " FROM messages x, w"                     \
    "    WHERE x.conversation_id = $1 AND x.seq >= w.first_seq AND x.seq <= w.last_seq"            \
    "      AND x.seq " OP                                                                          \
    "   UNION ALL"                                                                                 \
    "   SELECT" TERN_GROUP_EVENT_COLUMNS("$2", "$1::bigint") " FROM group_events ge, w"            \
    "    WHERE ge.group_id = w.group_id AND ge.seq >= w.first_seq AND ge.seq <= w.last_seq"        \
    "      AND ge.seq " OP                                                                         \
    " ) e ORDER BY 2 " ORDER " LIMIT $4"
// clang-format on

} // namespace

proto::Message readMessageColumns(const PgResult &r, int row, int c)
{
    proto::Message message;
    message.set_conversation_id(quint64(r.int64(row, c)));
    message.set_seq(quint64(r.int64(row, c + 1)));
    message.set_sender_id(quint64(r.int64(row, c + 2)));
    message.set_client_msg_id(r.bytes(row, c + 3).toStdString());
    message.set_sent_at_ms(r.int64(row, c + 4));
    const int kind = int(r.int64(row, c + 5));
    const QByteArray body = r.isNull(row, c + 6) ? QByteArray() : r.bytea(row, c + 6);
    const quint64 target = quint64(r.int64(row, c + 7));
    message.set_edited_at_ms(r.int64(row, c + 8));
    if (const qint64 recalledBy = r.int64(row, c + 9)) {
        message.set_recalled(true);
        message.set_recalled_by(quint64(recalledBy));
    }
    const bool hidden = r.boolean(row, c + 10);
    message.set_hidden_for_me(hidden);
    readReactions(r.bytes(row, c + 11), message);
    if (hidden)
        return message; // hidden for me: the entry's place, without what it says
    switch (kind) {
    case 0: {
        const QByteArray event = r.bytea(row, c + 12);
        message.mutable_group_event()->ParseFromArray(event.constData(), int(event.size()));
        break;
    }
    case kEditKind:
        message.mutable_edit()->ParseFromArray(body.constData(), int(body.size()));
        message.mutable_edit()->set_target_seq(target);
        break;
    case kRecallKind:
        message.mutable_recall()->set_target_seq(target);
        break;
    case kReactionKind:
        message.mutable_reaction()->ParseFromArray(body.constData(), int(body.size()));
        message.mutable_reaction()->set_target_seq(target);
        break;
    default:
        if (!message.recalled())
            message.mutable_content()->ParseFromArray(body.constData(), int(body.size()));
        break;
    }
    return message;
}

MessageStore::MessageStore(PgPool &pool, SearchIndexUpkeep *searchIndex)
    : m_pool(pool)
    , m_searchIndex(searchIndex)
    , m_sends(std::make_unique<SendBatcher>(pool, searchIndex))
{ }

MessageStore::~MessageStore() = default;

void MessageStore::runWrite(qint64 conversationId, PgStatement statement,
                            StoreCallback<MessageWrite> done)
{
    m_sends->flushFor(conversationId); // sends asked before this write go first
    m_pool.executeInOrder(quint64(conversationId), std::move(statement),
                          [done, searchIndex = m_searchIndex](const PgOutcome &o) {
                              if (o.ok() && searchIndex)
                                  searchIndex->noteInserted(); // edits index their text
                              Stored<MessageWrite> stored {o.error, {}};
                              if (o.ok() && o.results.front().rowCount() == 1)
                                  stored.value = SendBatcher::readWrite(o.results.front(), 0, 0);
                              done(stored);
                          });
}

void MessageStore::send(SharedNewMessage message, bool allowStrangers,
                        StoreCallback<MessageWrite> done)
{
    m_sends->add(std::move(message), allowStrangers, std::move(done));
}

void MessageStore::edit(qint64 conversationId, qint64 senderId, const QString &clientMsgId,
                        qint64 targetSeq, const QByteArray &oldContent,
                        const proto::MessageContent &newContent, const proto::MessageEdit &event,
                        const QString &searchText, int windowSeconds,
                        StoreCallback<MessageWrite> done)
{
    runWrite(conversationId,
             {"SELECT * FROM tern_msg_edit($1, $2, $3::uuid, $4, $5::bytea, $6::bytea, $7::bytea,"
              " $8, $9::text[], $10::int)",
              {pgInt(conversationId), pgInt(senderId), uuidParam(clientMsgId), pgInt(targetSeq),
               pgBytea(oldContent), pgBytea(serialized(newContent)), pgBytea(serialized(event)),
               pgText(searchText), pgTextArray(messages::searchGrams(searchText)),
               pgInt(windowSeconds)}},
             std::move(done));
}

void MessageStore::recall(qint64 conversationId, qint64 userId, const QString &clientMsgId,
                          qint64 targetSeq, int windowSeconds, StoreCallback<MessageWrite> done)
{
    runWrite(conversationId,
             {"SELECT * FROM tern_msg_recall($1, $2, $3::uuid, $4, ''::bytea, $5::int)",
              {pgInt(conversationId), pgInt(userId), uuidParam(clientMsgId), pgInt(targetSeq),
               pgInt(windowSeconds)}},
             std::move(done));
}

void MessageStore::react(qint64 conversationId, qint64 userId, qint64 targetSeq,
                         const QString &emoji, StoreCallback<MessageWrite> done)
{
    proto::ReactionChange event;
    event.set_emoji(emoji.toStdString());
    runWrite(conversationId,
             {"SELECT * FROM tern_msg_react($1, $2, $3, $4, $5::bytea)",
              {pgInt(conversationId), pgInt(userId), pgInt(targetSeq), pgText(emoji),
               pgBytea(serialized(event))}},
             std::move(done));
}

namespace {
// An event about a message before the reader's window (an edit or reaction made after they
// joined) keeps its place but not what it says.
void blankIfBeforeWindow(proto::Message &message, quint64 firstSeq)
{
    if (message.has_edit() && message.edit().target_seq() < firstSeq)
        message.mutable_edit()->clear_text();
    if (message.has_reaction() && message.reaction().target_seq() < firstSeq)
        message.mutable_reaction()->clear_emoji();
}

void readPage(const PgOutcome &o, int limit, bool backwards, MessagePage &page)
{
    const PgResult &window = o.results.at(0);
    page.member = window.rowCount() == 1;
    if (!page.member)
        return;
    const quint64 firstSeq = quint64(window.int64(0, 0));
    page.lastSeq = window.int64(0, 1);
    const PgResult &rows = o.results.at(1);
    const int count = std::min(rows.rowCount(), limit);
    page.hasMore = rows.rowCount() > limit;
    // Rows come nearest-first; a page stops early once it is big enough.
    PageBudget budget;
    std::vector<proto::Message> taken;
    for (int i = 0; i < count; ++i) {
        proto::Message message = readMessageColumns(rows, i, 0);
        blankIfBeforeWindow(message, firstSeq);
        if (!budget.fits(message.ByteSizeLong(), taken.size())) {
            page.hasMore = true;
            break;
        }
        taken.push_back(std::move(message));
    }
    if (backwards)
        std::reverse(taken.begin(), taken.end());
    page.messages = std::move(taken);
    // The entries are read by a later statement (its own snapshot) than the window.
    if (!page.messages.empty())
        page.lastSeq = std::max<qint64>(page.lastSeq, qint64(page.messages.back().seq()));
}
} // namespace

void MessageStore::history(qint64 userId, qint64 conversationId, std::optional<qint64> afterSeq,
                           qint64 beforeSeq, int limit, StoreCallback<MessagePage> done)
{
    // One more row than asked tells whether there are more.
    static constexpr const char *kForwards = TERN_ENTRIES_QUERY("> $3", "ASC");
    static constexpr const char *kBackwards = TERN_ENTRIES_QUERY("< $3", "DESC");
    const bool backwards = !afterSeq;
    const qint64 bound =
        afterSeq ? *afterSeq : (beforeSeq > 0 ? beforeSeq : std::numeric_limits<qint64>::max());
    std::vector<PgStatement> statements;
    statements.push_back({TERN_WINDOW_QUERY, {pgInt(conversationId), pgInt(userId)}});
    statements.push_back({backwards ? kBackwards : kForwards,
                          {pgInt(conversationId), pgInt(userId), pgInt(bound), pgInt(limit + 1)}});
    m_pool.execute(std::move(statements), [done, limit, backwards](const PgOutcome &o) {
        Stored<MessagePage> stored {o.error, {}};
        if (o.ok()) {
            MessagePage page;
            readPage(o, limit, backwards, page);
            stored.value = std::move(page);
        }
        done(stored);
    });
}

void MessageStore::messagesAt(qint64 userId, qint64 conversationId, const QList<qint64> &seqs,
                              StoreCallback<MessagePage> done)
{
    std::vector<PgStatement> statements;
    statements.push_back({TERN_WINDOW_QUERY, {pgInt(conversationId), pgInt(userId)}});
    // clang-format off
    statements.push_back(
        {"WITH w AS (" TERN_WINDOW_QUERY ")"
         " SELECT" TERN_MESSAGE_COLUMNS("$2", "w.left_seq") " FROM messages x, w"
         " WHERE x.conversation_id = $1 AND x.seq = ANY ($3::bigint[]) AND x.kind <= 6"
         "   AND x.seq >= w.first_seq AND x.seq <= w.last_seq ORDER BY x.seq",
         {pgInt(conversationId), pgInt(userId), pgIds(seqs)}});
    // clang-format on
    m_pool.execute(std::move(statements), [done](const PgOutcome &o) {
        Stored<MessagePage> stored {o.error, {}};
        if (o.ok()) {
            MessagePage page;
            readPage(o, std::numeric_limits<int>::max(), false, page);
            stored.value = std::move(page);
        }
        done(stored);
    });
}

void MessageStore::search(qint64 userId, const SearchQuery &query, StoreCallback<SearchPage> done)
{
    // The n-gram index narrows the candidates; strpos() then checks the exact substring. The
    // index compares bytewise (migration 0014): the query must name its collation to use it.
    // A query holds all of its terms (@>) or, made of lone ASCII characters, any of them (&&).
    // The text is indexed as it is now: a former member does not find a message by the words
    // of an edit made after they left (migration 0028).
    // clang-format off
#define TERN_SEARCH_QUERY(match)                                                                  \
    "SELECT x.id," TERN_MESSAGE_COLUMNS("$1", "m.left_seq") "  FROM messages x"                   \
    "  JOIN conversation_members m ON m.conversation_id = x.conversation_id AND m.user_id = $1"   \
    " WHERE x.search_grams " match " $9::text[] COLLATE \"C\""                                    \
    "   AND strpos(lower(x.search_text), lower($2)) > 0"                                          \
    "   AND x.kind <= 6 AND x.recalled_by IS NULL"                                                \
    "   AND x.seq >= m.first_seq AND (m.left_seq IS NULL OR x.seq <= m.left_seq)"                 \
    "   AND (m.left_seq IS NULL OR x.edited_at IS NULL OR NOT EXISTS ("                           \
    "        SELECT 1 FROM messages ed WHERE ed.conversation_id = x.conversation_id"              \
    "           AND ed.kind = 12 AND ed.target_seq = x.seq AND ed.seq > m.left_seq))"             \
    "   AND ($3::bigint = 0 OR x.conversation_id = $3::bigint)"                                   \
    "   AND ($4::bigint = 0 OR x.sender_id = $4::bigint)"                                         \
    "   AND ($5::bigint = 0 OR x.created_at >= to_timestamp($5::bigint / 1000.0))"                \
    "   AND ($6::bigint = 0 OR x.created_at <= to_timestamp($6::bigint / 1000.0))"                \
    "   AND ($7::bigint = 0 OR x.id < $7::bigint)"                                                \
    "   AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = $1"                     \
    "                    AND h.conversation_id = x.conversation_id AND h.seq = x.seq)"            \
    " ORDER BY x.id DESC LIMIT $8"
    // clang-format on
    static constexpr const char *kSearchAll = TERN_SEARCH_QUERY("@>");
    static constexpr const char *kSearchAny = TERN_SEARCH_QUERY("&&");
#undef TERN_SEARCH_QUERY
    const messages::QueryGrams grams = messages::queryGrams(query.text);
    const int limit = query.limit;
    std::vector<PgStatement> statements;
    // A one-letter query matches nearly every message: the index's candidates are read once
    // per conversation of the user (a nested loop), so its cost grows with the whole server's
    // messages. The job is one transaction: the limit holds for the search alone.
    statements.push_back({"SELECT set_config('statement_timeout', $1, true)",
                          {QByteArray::number(kSearchTimeoutMs)}});
    statements.push_back(
        {grams.anyOf ? kSearchAny : kSearchAll,
         {pgInt(userId), pgText(query.text), pgInt(query.conversationId), pgInt(query.senderId),
          pgInt(query.fromMs), pgInt(query.toMs), pgInt(query.beforeMessageId), pgInt(limit + 1),
          pgTextArray(grams.terms)}});
    statements.push_back(
        {"SELECT (extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint", {}});
    m_pool.execute(std::move(statements), [done, limit](const PgOutcome &o) {
        Stored<SearchPage> stored {o.error, {}};
        if (o.ok()) {
            const PgResult &r = o.results.at(1);
            SearchPage page;
            page.ran = std::chrono::milliseconds(o.results.at(2).int64(0, 0));
            page.hasMore = r.rowCount() > limit;
            PageBudget budget;
            for (int row = 0; row < std::min(limit, r.rowCount()); ++row) {
                proto::MessageSearchResult::Hit hit;
                hit.set_message_id(quint64(r.int64(row, 0)));
                *hit.mutable_message() = readMessageColumns(r, row, 1);
                if (!budget.fits(hit.ByteSizeLong(), page.hits.size())) {
                    page.hasMore = true;
                    break;
                }
                page.hits.push_back(std::move(hit));
            }
            stored.value = std::move(page);
        }
        done(stored);
    });
}

} // namespace tern::server
