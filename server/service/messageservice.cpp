// SPDX-License-Identifier: Apache-2.0
// MessageService: writing to conversations; runs on its I/O worker.
#include "service/messageservice.h"

#include "cluster/connectionregistry.h"
#include "cluster/conversationowners.h"
#include "core/logging.h"
#include "service/filereferences.h"
#include "service/messagingoutcomes.h"
#include "tern/messagecontent.h"

#include <QPointer>
#include <QUuid>

#include <algorithm>
#include <memory>
#include <vector>

namespace tern::server {

namespace {

// A merged forward is pushed whole, so it must fit in a frame with room to spare.
constexpr size_t kMaxForwardContentBytes = 192 * 1024;

std::optional<ServiceError> checkClientMsgId(const std::string &id)
{
    if (!messages::isClientMsgId(id))
        return invalidArgument(QStringLiteral("client_msg_id must be a UUID in its 36-character "
                                              "text form"));
    return std::nullopt;
}

// UUIDs compare case-insensitively; stored and echoed in lower case so that every device
// sees the same text.
QString normalizedId(const std::string &id)
{
    return QString::fromStdString(id).toLower();
}

ServiceError conversationNotFound()
{
    return notFound(QStringLiteral("no such conversation"));
}

// Fields this server does not know would be stored and relayed unchecked, so they go. But
// DiscardUnknownFields() walks the message by reflection, listing its set fields in a new
// vector on every call (1.5 % of ternd's allocations per message in the pairs benchmark): a
// content with no unknown fields of its own and no message-typed field set has nothing for it.
void discardUnknownFields(proto::MessageContent &content)
{
    using google::protobuf::FieldDescriptor;
    static const std::vector<const FieldDescriptor *> nested = [] {
        std::vector<const FieldDescriptor *> fields;
        const auto *descriptor = proto::MessageContent::descriptor();
        for (int i = 0; i < descriptor->field_count(); ++i) {
            if (descriptor->field(i)->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE)
                fields.push_back(descriptor->field(i));
        }
        return fields;
    }();
    const auto *reflection = content.GetReflection();
    const bool walk = !reflection->GetUnknownFields(content).empty()
        || std::any_of(nested.begin(), nested.end(), [&](const FieldDescriptor *field) {
               return field->is_repeated() ? reflection->FieldSize(content, field) > 0
                                           : reflection->HasField(content, field);
           });
    if (walk)
        content.DiscardUnknownFields();
}

// What a copy keeps of a message: its content, without the parts that only make sense where
// it was (the quote, the mentions).
proto::MessageContent copied(const proto::MessageContent &content)
{
    proto::MessageContent copy = content;
    copy.clear_reply_to_seq();
    copy.clear_mentions();
    copy.clear_mention_all();
    copy.clear_forwarded();
    return copy;
}

} // namespace

MessageService::MessageService(MessageStore &store, FileStore &files, ConnectionRegistry &registry,
                               const ConversationOwners &owners, MessagingPolicy policy,
                               QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_files(files)
    , m_registry(registry)
    , m_owners(owners)
    , m_policy(policy)
{ }

template<typename T>
void MessageService::onOwner(qint64 conversationId, ResultCallback<T> done,
                             std::function<void(MessageService &, ResultCallback<T>)> work)
{
    MessageService *owner = m_owners.ownerOf(conversationId);
    if (!owner || owner == this)
        return work(*this, std::move(done));
    QPointer<MessageService> self(this);
    ResultCallback<T> back = [self, done = std::move(done)](const Result<T> &result) {
        if (self)
            QMetaObject::invokeMethod(
                self, [done, result] { done(result); }, Qt::QueuedConnection);
    };
    QMetaObject::invokeMethod(
        owner,
        [owner, work = std::move(work), back = std::move(back)]() mutable {
            work(*owner, std::move(back));
        },
        Qt::QueuedConnection);
}

void MessageService::send(const Caller &caller, const proto::SendMessageRequest &request,
                          AckCallback done)
{
    if (auto problem = checkClientMsgId(request.client_msg_id()))
        return done(*problem);
    // Bundles quote other people; only ForwardMessages builds them, from what it can read.
    if (request.content().kind() == proto::MessageContent::KIND_FORWARD_BUNDLE)
        return done(invalidArgument(
            QStringLiteral("merged forwards are made with ForwardMessages, not sent")));
    proto::MessageContent content = request.content();
    discardUnknownFields(content);
    const messages::ContentLimits limits {m_policy.maxTextLength, limits::kMaxThumbnailBytes};
    if (auto problem = messages::checkContent(content, limits))
        return done(invalidArgument(*problem));
    auto built = std::make_shared<NewMessage>();
    built->conversationId = toDatabaseId(request.conversation_id());
    if (built->conversationId == 0)
        return done(conversationNotFound());
    built->senderId = caller.userId;
    built->clientMsgId = normalizedId(request.client_msg_id());
    built->content = std::move(content);
    built->content.clear_forwarded(); // only the server marks forwards
    built->searchText = messages::searchableText(built->content);
    const SharedNewMessage message = std::move(built);
    const auto commitOnOwner = [this, caller, message](AckCallback answer) {
        onOwner<proto::MessageAck>(message->conversationId, std::move(answer),
                                   [caller, message](MessageService &owner, AckCallback back) {
                                       owner.commit(caller, message, std::move(back));
                                   });
    };
    if (!message->content.has_file())
        return commitOnOwner(std::move(done));
    // Forwards need no such check: they copy what the caller can read, files included.
    checkMessageFile(m_files, caller.userId, message->content.file(),
                     [commitOnOwner, done](const std::optional<ServiceError> &problem) {
                         if (problem)
                             return done(*problem);
                         commitOnOwner(done);
                     });
}

void MessageService::commit(const Caller &caller, SharedNewMessage message, AckCallback done,
                            int attempt)
{
    m_store.send(message, m_policy.allowStrangers,
                 [this, caller, message, done = std::move(done),
                  attempt](const Stored<MessageWrite> &stored) {
                     // The same client_msg_id committed meanwhile in another conversation: the
                     // retry finds it and answers with the original.
                     if (stored.error.isUniqueViolation() && attempt == 0)
                         return commit(caller, message, done, attempt + 1);
                     proto::Message entry;
                     entry.set_client_msg_id(message->clientMsgId.toStdString());
                     *entry.mutable_content() = message->content;
                     finish(caller, stored, std::move(entry), done);
                 });
}

void MessageService::finish(const Caller &caller, const Stored<MessageWrite> &stored,
                            proto::Message entry, const AckCallback &done)
{
    if (stored.error.kind != PgError::Kind::None)
        return done(messagingStoreError(stored.error));
    if (!stored.value)
        return done(messagingStoreError({PgError::Kind::Query, {}, QStringLiteral("no row")}));
    const MessageWrite &write = *stored.value;
    proto::MessageAck ack;
    ack.set_client_msg_id(entry.client_msg_id());
    if (write.outcome == QLatin1String("unchanged")) {
        ack.set_duplicate(true);
        return done(ack);
    }
    if (!write.ok() && !write.duplicate())
        return done(messagingError(write.outcome, m_policy));
    ack.set_conversation_id(quint64(write.conversationId));
    ack.set_seq(quint64(write.seq));
    ack.set_sent_at_ms(write.sentAtMs);
    ack.set_duplicate(write.duplicate());
    done(std::move(ack));
    if (!write.ok())
        return;
    entry.set_conversation_id(quint64(write.conversationId));
    entry.set_seq(quint64(write.seq));
    entry.set_sender_id(quint64(caller.userId));
    entry.set_sent_at_ms(write.sentAtMs);
    proto::Frame push;
    *push.mutable_message_push()->mutable_message() = std::move(entry);
    m_registry.pushToUsers(write.recipients, push, caller.connectionId);
}

void MessageService::edit(const Caller &caller, const proto::EditMessageRequest &request,
                          AckCallback done)
{
    if (auto problem = checkClientMsgId(request.client_msg_id()))
        return done(*problem);
    onOwner<proto::MessageAck>(toDatabaseId(request.conversation_id()), std::move(done),
                               [caller, request](MessageService &owner, AckCallback answer) {
                                   owner.editWith(caller, request, std::move(answer), 0);
                               });
}

void MessageService::editWith(const Caller &caller, const proto::EditMessageRequest &request,
                              AckCallback done, int attempt)
{
    const qint64 conversationId = toDatabaseId(request.conversation_id());
    const qint64 target = toDatabaseId(request.target_seq());
    if (conversationId == 0)
        return done(conversationNotFound());
    // The edit replaces the text inside the target's content, so the content is read first
    // and written back only if it is still what was read.
    m_store.messagesAt(
        caller.userId, conversationId, {target},
        [this, caller, request, done, attempt, conversationId,
         target](const Stored<MessagePage> &read) {
            if (read.error.kind != PgError::Kind::None)
                return done(messagingStoreError(read.error));
            if (!read.value || !read.value->member)
                return done(conversationNotFound());
            if (read.value->messages.empty())
                return done(messagingError(QStringLiteral("no_target"), m_policy));
            const proto::Message &original = read.value->messages.front();
            if (original.sender_id() != quint64(caller.userId))
                return done(messagingError(QStringLiteral("not_sender"), m_policy));
            if (original.recalled())
                return done(messagingError(QStringLiteral("recalled"), m_policy));
            if (original.hidden_for_me())
                return done(notFound(QStringLiteral("you deleted this message for yourself")));
            if (original.content().kind() == proto::MessageContent::KIND_CALL)
                return done(invalidArgument(QStringLiteral("call records cannot be edited")));
            const bool isText = original.content().kind() == proto::MessageContent::KIND_TEXT;
            if (auto problem = messages::checkText(request.text(), m_policy.maxTextLength, !isText))
                return done(invalidArgument(*problem));
            proto::MessageContent updated = original.content();
            updated.set_text(request.text());
            proto::MessageEdit event;
            event.set_text(request.text());
            QByteArray old(qsizetype(original.content().ByteSizeLong()), Qt::Uninitialized);
            original.content().SerializeToArray(old.data(), int(old.size()));
            const QString clientMsgId = normalizedId(request.client_msg_id());
            m_store.edit(conversationId, caller.userId, clientMsgId, target, old, updated, event,
                         messages::searchableText(updated), m_policy.editWindowSeconds,
                         [this, caller, request, done, attempt, event,
                          target](const Stored<MessageWrite> &stored) {
                             // Changed meanwhile, or the same client_msg_id committed
                             // concurrently elsewhere: read again; the retry edits or finds
                             // the original.
                             const bool changed =
                                 stored.value && stored.value->outcome == QLatin1String("changed");
                             if ((changed || stored.error.isUniqueViolation()) && attempt < 2)
                                 return editWith(caller, request, done, attempt + 1);
                             proto::Message entry;
                             entry.set_client_msg_id(
                                 normalizedId(request.client_msg_id()).toStdString());
                             *entry.mutable_edit() = event;
                             entry.mutable_edit()->set_target_seq(quint64(target));
                             finish(caller, stored, std::move(entry), done);
                         });
        });
}

void MessageService::recall(const Caller &caller, const proto::RecallMessageRequest &request,
                            AckCallback done)
{
    if (auto problem = checkClientMsgId(request.client_msg_id()))
        return done(*problem);
    const qint64 conversationId = toDatabaseId(request.conversation_id());
    if (conversationId == 0)
        return done(conversationNotFound());
    const qint64 target = toDatabaseId(request.target_seq());
    onOwner<proto::MessageAck>(
        conversationId, std::move(done),
        [caller, request, conversationId, target](MessageService &owner, AckCallback answer) {
            owner.m_store.recall(
                conversationId, caller.userId, normalizedId(request.client_msg_id()), target,
                owner.m_policy.recallWindowSeconds,
                [&owner, caller, request, answer, target](const Stored<MessageWrite> &stored) {
                    proto::Message entry;
                    entry.set_client_msg_id(normalizedId(request.client_msg_id()).toStdString());
                    entry.mutable_recall()->set_target_seq(quint64(target));
                    owner.finish(caller, stored, std::move(entry), answer);
                });
        });
}

void MessageService::react(const Caller &caller, const proto::ReactToMessageRequest &request,
                           AckCallback done)
{
    if (!request.emoji().empty()) {
        if (auto problem = messages::checkEmoji(request.emoji()))
            return done(invalidArgument(*problem));
    }
    const qint64 conversationId = toDatabaseId(request.conversation_id());
    if (conversationId == 0)
        return done(conversationNotFound());
    const qint64 target = toDatabaseId(request.target_seq());
    onOwner<proto::MessageAck>(
        conversationId, std::move(done),
        [caller, request, conversationId, target](MessageService &owner, AckCallback answer) {
            owner.m_store.react(
                conversationId, caller.userId, target, QString::fromStdString(request.emoji()),
                [&owner, caller, request, answer, target](const Stored<MessageWrite> &stored) {
                    proto::Message entry;
                    entry.mutable_reaction()->set_target_seq(quint64(target));
                    entry.mutable_reaction()->set_emoji(request.emoji());
                    owner.finish(caller, stored, std::move(entry), answer);
                });
        });
}

void MessageService::forward(const Caller &caller, const proto::ForwardMessagesRequest &request,
                             ResultCallback<proto::ForwardResult> done)
{
    const int seqCount = request.seqs_size();
    if (request.merge() ? (seqCount < 1 || seqCount > limits::kMaxBundleItems) : seqCount != 1) {
        return done(invalidArgument(QStringLiteral("forward exactly one message, or 1 to %1 merged")
                                        .arg(limits::kMaxBundleItems)));
    }
    if (request.targets_size() < 1 || request.targets_size() > limits::kMaxForwardTargets) {
        return done(invalidArgument(
            QStringLiteral("forward to 1 to %1 conversations").arg(limits::kMaxForwardTargets)));
    }
    for (const auto &target : request.targets()) {
        if (auto problem = checkClientMsgId(target.client_msg_id()))
            return done(*problem);
    }
    if (auto problem =
            validation::checkLabel(request.title(), "title", limits::kMaxBundleTitleLength))
        return done(invalidArgument(*problem));
    const qint64 source = toDatabaseId(request.source_conversation_id());
    if (source == 0)
        return done(conversationNotFound());
    QList<qint64> seqs;
    for (const quint64 seq : request.seqs()) {
        if (!seqs.contains(toDatabaseId(seq)))
            seqs.append(toDatabaseId(seq));
    }
    m_store.messagesAt(
        caller.userId, source, seqs,
        [this, caller, request, done, seqs](const Stored<MessagePage> &read) {
            if (read.error.kind != PgError::Kind::None)
                return done(messagingStoreError(read.error));
            if (!read.value || !read.value->member)
                return done(conversationNotFound());
            const auto &found = read.value->messages;
            for (const qint64 seq : seqs) {
                const bool visible = std::any_of(found.begin(), found.end(), [&](const auto &m) {
                    return m.seq() == quint64(seq) && m.has_content();
                });
                if (!visible)
                    return done(notFound(
                        QStringLiteral("seq %1 names no message you can forward").arg(seq)));
            }
            for (const proto::Message &message : found) {
                if (message.content().kind() == proto::MessageContent::KIND_CALL)
                    return done(
                        invalidArgument(QStringLiteral("call records cannot be forwarded")));
            }
            proto::MessageContent content;
            if (request.merge()) {
                content.set_kind(proto::MessageContent::KIND_FORWARD_BUNDLE);
                content.mutable_bundle()->set_title(request.title());
                for (const proto::Message &message : found) {
                    if (message.content().kind() == proto::MessageContent::KIND_FORWARD_BUNDLE)
                        return done(invalidArgument(
                            QStringLiteral("merged forwards cannot contain merged forwards")));
                    auto *item = content.mutable_bundle()->add_items();
                    item->set_sender_id(message.sender_id());
                    item->set_sent_at_ms(message.sent_at_ms());
                    *item->mutable_content() = copied(message.content());
                }
            } else {
                content = copied(found.front().content());
                content.set_forwarded(true);
            }
            if (content.ByteSizeLong() > kMaxForwardContentBytes)
                return done(ServiceError {proto::ERROR_CODE_LIMIT_EXCEEDED,
                                          QStringLiteral("these messages are too large to "
                                                         "forward together")});
            // Every target is its own send; the answer waits for all of them.
            auto result = std::make_shared<proto::ForwardResult>();
            auto pending = std::make_shared<int>(request.targets_size());
            for (const auto &target : request.targets()) {
                result->add_outcomes()->set_conversation_id(target.conversation_id());
                const int index = result->outcomes_size() - 1;
                auto message = std::make_shared<NewMessage>();
                message->conversationId = toDatabaseId(target.conversation_id());
                message->senderId = caller.userId;
                message->clientMsgId = normalizedId(target.client_msg_id());
                message->content = content;
                message->searchText = messages::searchableText(content);
                const auto collect = [result, pending, index,
                                      done](const Result<proto::MessageAck> &sent) {
                    auto *outcome = result->mutable_outcomes(index);
                    if (sent.ok()) {
                        *outcome->mutable_ack() = sent.value();
                    } else {
                        outcome->mutable_error()->set_code(sent.error().code);
                        outcome->mutable_error()->set_message(sent.error().message.toStdString());
                        outcome->mutable_error()->set_reason(sent.error().reason.toStdString());
                    }
                    if (--*pending == 0)
                        done(*result);
                };
                if (message->conversationId == 0) {
                    collect(Result<proto::MessageAck>(conversationNotFound()));
                    continue;
                }
                onOwner<proto::MessageAck>(
                    message->conversationId, collect,
                    [caller, message](MessageService &owner, AckCallback answer) {
                        owner.commit(caller, message, std::move(answer));
                    });
            }
        });
}

void MessageService::recordCall(const proto::Call &call)
{
    proto::MessageContent content;
    content.set_kind(proto::MessageContent::KIND_CALL);
    proto::CallRecord *record = content.mutable_call();
    record->set_call_id(call.call_id());
    record->set_media(call.media());
    switch (call.end_reason()) {
    case proto::CALL_END_REASON_HANGUP:
        record->set_outcome(proto::CallRecord::OUTCOME_COMPLETED);
        break;
    case proto::CALL_END_REASON_DECLINED:
        record->set_outcome(proto::CallRecord::OUTCOME_DECLINED);
        break;
    case proto::CALL_END_REASON_BUSY:
        record->set_outcome(proto::CallRecord::OUTCOME_BUSY);
        break;
    case proto::CALL_END_REASON_CONNECTION_LOST:
        record->set_outcome(call.connected_at_ms() ? proto::CallRecord::OUTCOME_COMPLETED
                                                   : proto::CallRecord::OUTCOME_FAILED);
        break;
    default: // cancelled, no answer
        record->set_outcome(proto::CallRecord::OUTCOME_MISSED);
        break;
    }
    if (call.connected_at_ms() > 0 && call.ended_at_ms() > call.connected_at_ms())
        record->set_duration_ms(quint32(call.ended_at_ms() - call.connected_at_ms()));
    auto message = std::make_shared<NewMessage>();
    message->conversationId = qint64(call.conversation_id());
    message->senderId = qint64(call.caller_id());
    // A name-based UUID: the same call always gives the same id (client ids are UUIDs). Its
    // namespace is random per process (a call lives in one process), so that the caller, who
    // knows the call id, cannot send a message under the record's id first and so keep the
    // record out of the history.
    static const QUuid kCallRecords = QUuid::createUuid();
    message->clientMsgId = QUuid::createUuidV5(kCallRecords, QString::fromStdString(call.call_id()))
                               .toString(QUuid::WithoutBraces);
    message->content = content;
    const qint64 conversationId = message->conversationId;
    commit(Caller {qint64(call.caller_id()), 0, 0}, std::move(message),
           [conversationId](const Result<proto::MessageAck> &written) {
               if (!written.ok())
                   qCWarning(lcServer).noquote()
                       << "the record of a call in conversation" << conversationId
                       << "was not written:" << written.error().message;
           });
}

} // namespace tern::server
