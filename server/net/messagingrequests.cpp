// SPDX-License-Identifier: Apache-2.0
// Messaging requests: protocol <-> MessageService / ConversationService, on the connection's
// I/O worker.
#include "net/messagingrequests.h"

#include "net/reply.h"
#include "service/conversationservice.h"
#include "service/messageservice.h"

namespace tern::server {

void handleMessagingRequest(MessageService &messages, ConversationService &conversations,
                            Connection &connection, quint64 requestId, const proto::Frame &frame)
{
    const Caller caller = *connection.caller();
    const auto ack = [&] {
        return replyInField(connection, requestId, &proto::Frame::mutable_message_ack);
    };
    const auto state = [&] {
        return replyInField(connection, requestId, &proto::Frame::mutable_conversation_state);
    };
    switch (frame.payload_case()) {
    case proto::Frame::kSendMessage:
        return messages.send(caller, frame.send_message(), ack());
    case proto::Frame::kEditMessage:
        return messages.edit(caller, frame.edit_message(), ack());
    case proto::Frame::kRecallMessage:
        return messages.recall(caller, frame.recall_message(), ack());
    case proto::Frame::kReactToMessage:
        return messages.react(caller, frame.react_to_message(), ack());
    case proto::Frame::kForwardMessages:
        return messages.forward(
            caller, frame.forward_messages(),
            replyInField(connection, requestId, &proto::Frame::mutable_forward_result));
    case proto::Frame::kOpenConversation:
        return conversations.open(caller, frame.open_conversation(), state());
    case proto::Frame::kSyncConversations:
        return conversations.sync(
            caller, frame.sync_conversations(),
            replyInField(connection, requestId, &proto::Frame::mutable_conversation_changes));
    case proto::Frame::kGetMessages:
        return conversations.messages(
            caller, frame.get_messages(),
            replyInField(connection, requestId, &proto::Frame::mutable_message_list));
    case proto::Frame::kUpdateCursors:
        return conversations.updateCursors(caller, frame.update_cursors(), state());
    case proto::Frame::kUpdateConversationSettings:
        return conversations.updateSettings(caller, frame.update_conversation_settings(), state());
    case proto::Frame::kHideMessages:
        return conversations.hide(caller, frame.hide_messages(), state());
    case proto::Frame::kSearchMessages:
        return conversations.search(
            caller, frame.search_messages(),
            replyInField(connection, requestId, &proto::Frame::mutable_message_search_result));
    case proto::Frame::kSetTyping:
        return conversations.setTyping(
            caller, frame.set_typing(),
            replyInField(connection, requestId, &proto::Frame::mutable_typing_result));
    case proto::Frame::kGetReadCounts:
        return conversations.readCounts(
            caller, frame.get_read_counts(),
            replyInField(connection, requestId, &proto::Frame::mutable_read_counts));
    case proto::Frame::kUpdateMessagingSettings:
        return conversations.messagingSettings(
            caller, frame.update_messaging_settings(),
            replyInField(connection, requestId, &proto::Frame::mutable_messaging_settings));
    default:
        return connection.replyError(requestId,
                                     {proto::ERROR_CODE_UNKNOWN_REQUEST,
                                      QStringLiteral("this server does not handle that request")});
    }
}

} // namespace tern::server
