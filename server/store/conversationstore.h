// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/accountstore.h"
#include "tern/protocol.h"

#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace tern::server {

class PgPool;

// A user's view of conversations, with what the services need besides.
struct ConversationView
{
    proto::ConversationState state;
    // Direct conversations whose two users both share read receipts.
    bool receiptsShared = false;
};

// Opening a conversation: "ok" with the state, or why not ("no_user", "self", "blocked",
// "not_friends", "no_conversation").
struct OpenedConversation
{
    QString outcome;
    std::optional<ConversationView> view;
};

struct ConversationChangesPage
{
    std::vector<proto::ConversationState> states;
    bool hasMore = false;
    quint64 nextSince = 0;
};

struct SettingsChange
{
    std::optional<bool> muted;
    std::optional<bool> pinned;
    std::optional<bool> archived;
};

// Where a conversation's ephemeral notices (typing) go, if the user may send them there.
struct ConversationAudience
{
    bool allowed = false;
    QList<qint64> members;
};

// What UpdateMessagingSettings did: the settings now and, when turning read receipts off or on
// changed what the two users of the user's direct conversations see of each other (migrations
// 0031, 0033), both sides' cursors there as stored, to be pushed as receipts (0 and 0 when the
// setting is now off: hidden). Only conversations where one side's cursors are not 0 are listed.
struct MessagingSettingsChange
{
    struct PeerReceipt
    {
        qint64 conversationId = 0;
        qint64 peerId = 0;
        qint64 readSeq = 0; // the user's
        qint64 deliveredSeq = 0;
        qint64 peerReadSeq = 0;
        qint64 peerDeliveredSeq = 0;
    };
    proto::MessagingSettings settings;
    std::vector<PeerReceipt> receipts;
};

// Conversations as each member sees them: membership, cursors, unread counts, settings,
// delete-for-me, catch-up and read counts (migration 0004). Asynchronous, one transaction per
// call, callbacks on the pool's thread.
class ConversationStore
{
public:
    explicit ConversationStore(PgPool &pool);

    void openDirect(qint64 userId, qint64 peerId, bool allowStrangers,
                    StoreCallback<OpenedConversation> done);
    void openGroup(qint64 userId, qint64 groupId, StoreCallback<OpenedConversation> done);
    // The user's view of one conversation; empty when it is not theirs.
    void view(qint64 userId, qint64 conversationId, StoreCallback<ConversationView> done);
    // Conversations changed since `since` (0: all), by id above `afterId`, at most `limit`.
    void changes(qint64 userId, quint64 since, qint64 afterId, int limit,
                 StoreCallback<ConversationChangesPage> done);
    // These three answer with the view after the change; empty when it is not theirs.
    void updateCursors(qint64 userId, qint64 conversationId, qint64 deliveredSeq, qint64 readSeq,
                       StoreCallback<ConversationView> done);
    void updateSettings(qint64 userId, qint64 conversationId, const SettingsChange &change,
                        StoreCallback<ConversationView> done);
    void hide(qint64 userId, qint64 conversationId, const QList<qint64> &seqs,
              StoreCallback<ConversationView> done);
    // Read counts of `seqs` (others who share receipts and read past each); empty when the
    // conversation is not the user's; `allowed` false when the user does not share receipts.
    struct ReadCountsResult
    {
        bool isGroup = false; // direct chats have the peer's read cursor instead
        bool isMember = false; // a member who left gets no counts (they change after they left)
        bool allowed = false; // the asker shares receipts
        proto::ReadCounts counts;
    };
    void readCounts(qint64 userId, qint64 conversationId, const QList<qint64> &seqs,
                    StoreCallback<ReadCountsResult> done);
    void audience(qint64 userId, qint64 conversationId, StoreCallback<ConversationAudience> done);
    // Reads (no field set) or changes the user's messaging settings. Turning read receipts off
    // or on moves the direct conversations whose receipts it shows or hides (see
    // MessagingSettingsChange), in one statement however many there are.
    void messagingSettings(qint64 userId, std::optional<bool> readReceipts,
                           StoreCallback<MessagingSettingsChange> done);

private:
    void runView(std::vector<PgStatement> statements, StoreCallback<ConversationView> done);

    PgPool &m_pool;
};

} // namespace tern::server
