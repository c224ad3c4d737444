// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "service/authservice.h"
#include "service/messagingpolicy.h"
#include "store/messagestore.h"

namespace tern::server {

class ConnectionRegistry;
class ConversationOwners;
class FileStore;

// Writing to conversations: send, edit, recall, react, forward. One per I/O worker; callbacks
// run on that worker. Input rules (shared/tern/messagecontent.h) are checked here; the rules
// that must hold at commit (membership, blocks, roles, windows, dedupe) are checked by the SQL
// functions under the conversation's lock. Only a committed entry is acknowledged and pushed
// (MessagePush) to every device of every member but the sending connection. Writes run on the
// conversation's owner worker (ConversationOwners), so that they commit and are pushed in seq
// order; answers hop back to the worker of the asking connection.
class MessageService : public QObject
{
    Q_OBJECT
public:
    using AckCallback = ResultCallback<proto::MessageAck>;

    MessageService(MessageStore &store, FileStore &files, ConnectionRegistry &registry,
                   const ConversationOwners &owners, MessagingPolicy policy,
                   QObject *parent = nullptr);

    void send(const Caller &caller, const proto::SendMessageRequest &request, AckCallback done);
    void edit(const Caller &caller, const proto::EditMessageRequest &request, AckCallback done);
    void recall(const Caller &caller, const proto::RecallMessageRequest &request, AckCallback done);
    void react(const Caller &caller, const proto::ReactToMessageRequest &request, AckCallback done);
    void forward(const Caller &caller, const proto::ForwardMessagesRequest &request,
                 ResultCallback<proto::ForwardResult> done);
    // Writes an ended call's record (KIND_CALL, sent by the caller) into its conversation.
    // Call on the conversation's owner. Its client_msg_id is derived from the call id, so a
    // record is never written twice.
    void recordCall(const proto::Call &call);

private:
    // Runs `work` on the owner of the conversation, with a callback that answers `done` back
    // on this worker.
    template<typename T>
    void onOwner(qint64 conversationId, ResultCallback<T> done,
                 std::function<void(MessageService &owner, ResultCallback<T> done)> work);
    // Sends already checked content (also each forward); `attempt` counts retries after a
    // unique violation (the same client_msg_id committed concurrently elsewhere).
    void commit(const Caller &caller, SharedNewMessage message, AckCallback done, int attempt = 0);
    void editWith(const Caller &caller, const proto::EditMessageRequest &request, AckCallback done,
                  int attempt);
    // Acks and pushes the outcome of a write whose entry is `entry` (seq and time filled in).
    void finish(const Caller &caller, const Stored<MessageWrite> &stored, proto::Message entry,
                const AckCallback &done);

    MessageStore &m_store;
    FileStore &m_files;
    ConnectionRegistry &m_registry;
    const ConversationOwners &m_owners;
    MessagingPolicy m_policy;
};

} // namespace tern::server
