// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/messagestore.h"

#include <QObject>
#include <QSet>

#include <vector>

namespace tern::server {

class SearchIndexUpkeep;

// Group commit for sends. Per database connection (PgPool slot) it collects the sends that
// arrive while that connection's previous batch is in the database and then runs them as one
// statement: one round trip, one commit, set-based SQL. A batch of simple sends (no reply, no
// mentions) to direct conversations is one prepared statement (kDirectSendSql); any other
// batch is a call of tern_msg_send_many (migration 0005), and one send alone tern_msg_send.
// Conversations found to be groups' are remembered, so that their sends go to the function
// at once. On a quiet server a send waits only for the end of the current event-loop turn.
//
// Order: batches and every other write of a slot go through PgPool::executeInSlot in the order
// asked; MessageStore calls flushFor() before any other write to a conversation, so that the
// sends asked before it are submitted first.
class SendBatcher : public QObject
{
    Q_OBJECT
public:
    // `searchIndex` (may be null) hears of every committed send.
    SendBatcher(PgPool &pool, SearchIndexUpkeep *searchIndex, QObject *parent = nullptr);

    void add(SharedNewMessage message, bool allowStrangers, StoreCallback<MessageWrite> done);
    // Submits what waits for the connection of `conversationId` now.
    void flushFor(qint64 conversationId);

    // One send alone, as tern_msg_send.
    static PgStatement singleStatement(const NewMessage &message, bool allowStrangers);
    // Reads a tern_msg_result whose columns start at `first`.
    static MessageWrite readWrite(const PgResult &r, int row, int first);

private:
    struct Pending
    {
        SharedNewMessage message;
        StoreCallback<MessageWrite> done;
        bool simple = false; // see p_simple in migration 0005
    };
    struct Slot
    {
        std::vector<Pending> pending;
        QSet<QPair<qint64, QString>> clientIds; // (sender, client id) of pending
        QSet<qint64> notSimple; // conversations with a pending non-simple send
        size_t bytes = 0;
        bool allowStrangers = false;
        int inFlight = 0;
        bool scheduled = false;
    };
    // At most this many sends, or bodies of this many bytes, go in one batch.
    static constexpr size_t kMaxItems = 512;
    static constexpr size_t kMaxBytes = 2 * 1024 * 1024;
    // Bounds m_directConversations and m_groupConversations (16 bytes or so each).
    static constexpr qsizetype kMaxKnownConversations = 100'000;

    void flush(size_t slot);
    void submitDirect(size_t slot, std::vector<Pending> batch, bool allowStrangers);
    void submitMany(size_t slot, std::vector<Pending> batch, bool allowStrangers);
    void submitBatch(size_t slot, PgStatement statement, std::vector<Pending> batch,
                     bool allowStrangers);
    // Runs a statement for `slot`, counted as in flight until it is back.
    void submit(size_t slot, PgStatement statement, PgCallback done);
    void finish(size_t slot, std::vector<Pending> batch, const PgOutcome &outcome,
                bool allowStrangers);
    void runAlone(size_t slot, Pending send, bool allowStrangers);
    // Asks which of `conversations` are direct ones, for the batches after this one.
    void learnKinds(const QList<qint64> &conversations);

    PgPool &m_pool;
    SearchIndexUpkeep *m_searchIndex;
    std::vector<Slot> m_slots;
    // Only conversations known to be direct take kDirectSendSql. Sent that way, a group's
    // conversation comes back 'not_direct' and goes again: by then a later statement of the
    // same slot (a full batch, an edit's flush) may have committed a later send of it first.
    QSet<qint64> m_directConversations;
    QSet<qint64> m_groupConversations;
    QSet<qint64> m_kindsAsked; // a learnKinds query is out for them
};

} // namespace tern::server
