// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "service/authservice.h"
#include "service/messagingpolicy.h"
#include "service/ratelimiter.h"
#include "service/searchlimits.h"
#include "store/conversationstore.h"
#include "store/messagestore.h"

namespace tern::server {

class ConnectionRegistry;

// Conversations as a member sees them: opening, catch-up (SyncConversations, GetMessages),
// cursors and receipts, settings, delete-for-me, search, typing notices, read counts and the
// user's messaging settings. One per I/O worker; callbacks run on that worker. Changes reach
// the user's other devices (ReadStateChanged, ConversationStatePush) and, for receipts in
// direct conversations, the other user.
class ConversationService : public QObject
{
    Q_OBJECT
public:
    using StateCallback = ResultCallback<proto::ConversationState>;

    // The limits every worker shares: typing notices per user and conversation, searches
    // per user.
    struct SharedLimits
    {
        RateLimiter &typing;
        SearchLimits &search;
    };

    ConversationService(ConversationStore &conversations, MessageStore &messages,
                        ConnectionRegistry &registry, SharedLimits limits, MessagingPolicy policy,
                        QObject *parent = nullptr);

    void open(const Caller &caller, const proto::OpenConversationRequest &request,
              StateCallback done);
    void sync(const Caller &caller, const proto::SyncConversationsRequest &request,
              ResultCallback<proto::ConversationChanges> done);
    void messages(const Caller &caller, const proto::GetMessagesRequest &request,
                  ResultCallback<proto::MessageList> done);
    void updateCursors(const Caller &caller, const proto::UpdateCursorsRequest &request,
                       StateCallback done);
    void updateSettings(const Caller &caller,
                        const proto::UpdateConversationSettingsRequest &request,
                        StateCallback done);
    void hide(const Caller &caller, const proto::HideMessagesRequest &request, StateCallback done);
    void search(const Caller &caller, const proto::SearchMessagesRequest &request,
                ResultCallback<proto::MessageSearchResult> done);
    void setTyping(const Caller &caller, const proto::SetTypingRequest &request,
                   ResultCallback<proto::TypingResult> done);
    void readCounts(const Caller &caller, const proto::GetReadCountsRequest &request,
                    ResultCallback<proto::ReadCounts> done);
    void messagingSettings(const Caller &caller,
                           const proto::UpdateMessagingSettingsRequest &request,
                           ResultCallback<proto::MessagingSettings> done);

private:
    // Answers with the view, and tells the user's other devices with `push` (filled from it).
    StoreCallback<ConversationView>
    answerAndTell(const Caller &caller, StateCallback done,
                  std::function<void(const ConversationView &, proto::Frame &)> push);

    ConversationStore &m_conversations;
    MessageStore &m_messages;
    ConnectionRegistry &m_registry;
    SharedLimits m_limits;
    MessagingPolicy m_policy;
};

} // namespace tern::server
