// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/accountstore.h"
#include "tern/protocol.h"

#include <QList>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace tern::server {

class PgPool;
class SearchIndexUpkeep;
class SendBatcher;

// What a write to a conversation did, as its SQL function reported it (migration 0004).
struct MessageWrite
{
    // "ok", "duplicate" (the earlier copy's conversation, seq and time), "unchanged", or why
    // nothing was stored (see tern_msg_result in migration 0004).
    QString outcome;
    qint64 conversationId = 0;
    qint64 seq = 0;
    qint64 sentAtMs = 0;
    // ok: the members whose devices are told.
    QList<qint64> recipients;

    bool ok() const { return outcome == QLatin1String("ok"); }
    bool duplicate() const { return outcome == QLatin1String("duplicate"); }
};

struct NewMessage
{
    qint64 conversationId = 0;
    qint64 senderId = 0;
    QString clientMsgId;
    proto::MessageContent content;
    QString searchText;
};
// A send is built once and then only read, on the worker that took it and on its
// conversation's owner: the hops, the retry and the batch share it instead of copying the
// content (its copies were a quarter of ternd's allocations per message; issue 5).
using SharedNewMessage = std::shared_ptr<const NewMessage>;

// A page of history as the asking user may see it.
struct MessagePage
{
    bool member = false; // false: not (and never) in the conversation
    std::vector<proto::Message> messages; // ascending
    bool hasMore = false;
    qint64 lastSeq = 0;
};

struct SearchQuery
{
    QString text;
    qint64 conversationId = 0;
    qint64 senderId = 0;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    qint64 beforeMessageId = 0;
    int limit = 20;
};

struct SearchPage
{
    std::vector<proto::MessageSearchResult::Hit> hits;
    bool hasMore = false;
    // How long the search ran in the database, from the start of its transaction: what the
    // user is charged (SearchLimits), without the time it waited for a connection.
    std::chrono::milliseconds ran {0};
};

// Conversation entries in PostgreSQL: writes (send, edit, recall, react) run as the SQL
// functions of migration 0004, which check and append under the conversation's lock; reads
// return entries as the asking user may see them (their window, hidden, recalled). Every
// method is asynchronous, calls back on the pool's thread and is one transaction.
class MessageStore
{
public:
    // `searchIndex` (may be null) hears of every committed write.
    explicit MessageStore(PgPool &pool, SearchIndexUpkeep *searchIndex = nullptr);
    ~MessageStore();

    // Sends are committed in batches (SendBatcher).
    void send(SharedNewMessage message, bool allowStrangers, StoreCallback<MessageWrite> done);
    // `oldContent` is the target's content as read (compare-and-set: "changed" otherwise).
    void edit(qint64 conversationId, qint64 senderId, const QString &clientMsgId, qint64 targetSeq,
              const QByteArray &oldContent, const proto::MessageContent &newContent,
              const proto::MessageEdit &event, const QString &searchText, int windowSeconds,
              StoreCallback<MessageWrite> done);
    void recall(qint64 conversationId, qint64 userId, const QString &clientMsgId, qint64 targetSeq,
                int windowSeconds, StoreCallback<MessageWrite> done);
    void react(qint64 conversationId, qint64 userId, qint64 targetSeq, const QString &emoji,
               StoreCallback<MessageWrite> done);

    // Entries after `afterSeq` (forwards, when set), else before `beforeSeq` (backwards;
    // 0 = the newest).
    void history(qint64 userId, qint64 conversationId, std::optional<qint64> afterSeq,
                 qint64 beforeSeq, int limit, StoreCallback<MessagePage> done);
    // The messages (not events) of `seqs` the user may see, by seq, with their current state;
    // member false when the conversation is not theirs.
    void messagesAt(qint64 userId, qint64 conversationId, const QList<qint64> &seqs,
                    StoreCallback<MessagePage> done);
    // A search still running after kSearchTimeoutMs is cancelled: the error's sqlState is
    // kQueryCanceled.
    void search(qint64 userId, const SearchQuery &query, StoreCallback<SearchPage> done);
    static constexpr int kSearchTimeoutMs = 3000;
    static constexpr char kQueryCanceled[] = "57014";

private:
    // Writes to one conversation run in the order asked (PgPool::executeInOrder).
    void runWrite(qint64 conversationId, PgStatement statement, StoreCallback<MessageWrite> done);

    PgPool &m_pool;
    SearchIndexUpkeep *m_searchIndex;
    std::unique_ptr<SendBatcher> m_sends;
};

// Reads one row of TERN_MESSAGE_COLUMNS (messagestore.cpp) starting at `first`; shared with
// ConversationStore for the last message of a conversation.
proto::Message readMessageColumns(const PgResult &r, int row, int first);

} // namespace tern::server
