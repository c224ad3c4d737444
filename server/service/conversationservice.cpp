// SPDX-License-Identifier: Apache-2.0
// ConversationService: conversations as a member sees them; runs on its I/O worker.
#include "service/conversationservice.h"

#include "cluster/connectionregistry.h"
#include "service/messagingoutcomes.h"
#include "tern/messagecontent.h"

#include <algorithm>
#include <limits>

namespace tern::server {

namespace {

ServiceError conversationNotFound()
{
    return notFound(QStringLiteral("no such conversation"));
}

// Paging cursors ("after/before this"): past the largest bigint nothing follows.
qint64 cursor(quint64 value)
{
    return qint64(std::min<quint64>(value, quint64(std::numeric_limits<qint64>::max())));
}

int pageSize(quint32 requested, int fallback, int most)
{
    return requested == 0 ? fallback : int(std::min<quint32>(requested, quint32(most)));
}

std::optional<ServiceError>
readSeqs(const google::protobuf::RepeatedField<google::protobuf::uint64> &seqs, QList<qint64> &out)
{
    if (seqs.empty() || seqs.size() > limits::kMaxSeqsPerRequest)
        return invalidArgument(QStringLiteral("give 1 to %1 seqs").arg(limits::kMaxSeqsPerRequest));
    for (const quint64 seq : seqs) {
        if (seq == 0)
            return invalidArgument(QStringLiteral("seqs start at 1"));
        if (!out.contains(cursor(seq)))
            out.append(cursor(seq));
    }
    return std::nullopt;
}

} // namespace

ConversationService::ConversationService(ConversationStore &conversations, MessageStore &messages,
                                         ConnectionRegistry &registry, SharedLimits limits,
                                         MessagingPolicy policy, QObject *parent)
    : QObject(parent)
    , m_conversations(conversations)
    , m_messages(messages)
    , m_registry(registry)
    , m_limits(limits)
    , m_policy(policy)
{ }

StoreCallback<ConversationView> ConversationService::answerAndTell(
    const Caller &caller, StateCallback done,
    std::function<void(const ConversationView &, proto::Frame &)> push)
{
    return [this, caller, done, push](const Stored<ConversationView> &stored) {
        if (stored.error.kind != PgError::Kind::None)
            return done(messagingStoreError(stored.error));
        if (!stored.value)
            return done(conversationNotFound());
        done(stored.value->state);
        proto::Frame frame;
        push(*stored.value, frame);
        m_registry.pushToUsers({caller.userId}, frame, caller.connectionId);
    };
}

void ConversationService::open(const Caller &caller, const proto::OpenConversationRequest &request,
                               StateCallback done)
{
    auto opened = [this, caller, done](const Stored<OpenedConversation> &stored) {
        if (stored.error.kind != PgError::Kind::None)
            return done(messagingStoreError(stored.error));
        if (!stored.value)
            return done(conversationNotFound());
        if (stored.value->outcome != QLatin1String("ok") || !stored.value->view)
            return done(messagingError(stored.value->outcome, m_policy));
        const proto::ConversationState &state = stored.value->view->state;
        done(state);
        proto::Frame frame;
        *frame.mutable_conversation_state_push()->mutable_state() = state;
        m_registry.pushToUsers({caller.userId}, frame, caller.connectionId);
    };
    switch (request.with_case()) {
    case proto::OpenConversationRequest::kPeerUserId: {
        const qint64 peer = toDatabaseId(request.peer_user_id());
        if (peer == 0)
            return done(notFound(QStringLiteral("no such user")));
        return m_conversations.openDirect(caller.userId, peer, m_policy.allowStrangers, opened);
    }
    case proto::OpenConversationRequest::kGroupId: {
        const qint64 group = toDatabaseId(request.group_id());
        if (group == 0)
            return done(conversationNotFound());
        return m_conversations.openGroup(caller.userId, group, opened);
    }
    default:
        return done(invalidArgument(QStringLiteral("give peer_user_id or group_id")));
    }
}

void ConversationService::sync(const Caller &caller, const proto::SyncConversationsRequest &request,
                               ResultCallback<proto::ConversationChanges> done)
{
    const int limit =
        pageSize(request.limit(), limits::kDefaultConversationPage, limits::kMaxConversationPage);
    m_conversations.changes(caller.userId, request.since(), cursor(request.after_conversation_id()),
                            limit, [done](const Stored<ConversationChangesPage> &stored) {
                                if (stored.error.kind != PgError::Kind::None || !stored.value)
                                    return done(messagingStoreError(stored.error));
                                proto::ConversationChanges changes;
                                for (const auto &state : stored.value->states)
                                    *changes.add_conversations() = state;
                                changes.set_has_more(stored.value->hasMore);
                                changes.set_next_since(stored.value->nextSince);
                                done(changes);
                            });
}

void ConversationService::messages(const Caller &caller, const proto::GetMessagesRequest &request,
                                   ResultCallback<proto::MessageList> done)
{
    const qint64 conversationId = toDatabaseId(request.conversation_id());
    if (conversationId == 0)
        return done(conversationNotFound());
    const int limit =
        pageSize(request.limit(), limits::kDefaultMessagePage, limits::kMaxMessagePage);
    std::optional<qint64> after;
    if (request.has_after_seq())
        after = cursor(request.after_seq());
    m_messages.history(caller.userId, conversationId, after, cursor(request.before_seq()), limit,
                       [done, conversationId](const Stored<MessagePage> &stored) {
                           if (stored.error.kind != PgError::Kind::None || !stored.value)
                               return done(messagingStoreError(stored.error));
                           if (!stored.value->member)
                               return done(conversationNotFound());
                           proto::MessageList list;
                           list.set_conversation_id(quint64(conversationId));
                           for (const auto &message : stored.value->messages)
                               *list.add_messages() = message;
                           list.set_has_more(stored.value->hasMore);
                           list.set_last_seq(quint64(stored.value->lastSeq));
                           done(list);
                       });
}

void ConversationService::updateCursors(const Caller &caller,
                                        const proto::UpdateCursorsRequest &request,
                                        StateCallback done)
{
    const qint64 conversationId = toDatabaseId(request.conversation_id());
    if (conversationId == 0)
        return done(conversationNotFound());
    m_conversations.updateCursors(
        caller.userId, conversationId, cursor(request.delivered_seq()), cursor(request.read_seq()),
        [this, caller, done](const Stored<ConversationView> &stored) {
            if (stored.error.kind != PgError::Kind::None)
                return done(messagingStoreError(stored.error));
            if (!stored.value)
                return done(conversationNotFound());
            const proto::ConversationState &state = stored.value->state;
            done(state);
            proto::Frame frame;
            auto *changed = frame.mutable_read_state_changed();
            changed->set_conversation_id(state.conversation_id());
            changed->set_user_id(quint64(caller.userId));
            changed->set_read_seq(state.read_seq());
            changed->set_delivered_seq(state.delivered_seq());
            // The other side of a direct conversation sees it as a receipt, when both share.
            if (state.kind() == proto::CONVERSATION_KIND_DIRECT && stored.value->receiptsShared)
                m_registry.pushToUsers({qint64(state.peer_user_id())}, frame);
            changed->set_unread_count(state.unread_count());
            m_registry.pushToUsers({caller.userId}, frame, caller.connectionId);
        });
}

void ConversationService::updateSettings(const Caller &caller,
                                         const proto::UpdateConversationSettingsRequest &request,
                                         StateCallback done)
{
    const qint64 conversationId = toDatabaseId(request.conversation_id());
    if (conversationId == 0)
        return done(conversationNotFound());
    SettingsChange change;
    if (request.has_muted())
        change.muted = request.muted();
    if (request.has_pinned())
        change.pinned = request.pinned();
    if (request.has_archived())
        change.archived = request.archived();
    m_conversations.updateSettings(
        caller.userId, conversationId, change,
        answerAndTell(caller, std::move(done), [](const ConversationView &view, proto::Frame &f) {
            *f.mutable_conversation_state_push()->mutable_state() = view.state;
        }));
}

void ConversationService::hide(const Caller &caller, const proto::HideMessagesRequest &request,
                               StateCallback done)
{
    const qint64 conversationId = toDatabaseId(request.conversation_id());
    if (conversationId == 0)
        return done(conversationNotFound());
    QList<qint64> seqs;
    if (auto problem = readSeqs(request.seqs(), seqs))
        return done(*problem);
    // The answer and the push carry the seqs just hidden, as SyncConversations would.
    auto withHidden = [seqs, done](const Result<proto::ConversationState> &result) {
        if (!result.ok())
            return done(result);
        proto::ConversationState state = result.value();
        for (const qint64 seq : seqs)
            state.add_hidden_seqs(quint64(seq));
        done(state);
    };
    m_conversations.hide(
        caller.userId, conversationId, seqs,
        answerAndTell(caller, withHidden, [seqs](const ConversationView &view, proto::Frame &f) {
            proto::ConversationState *state = f.mutable_conversation_state_push()->mutable_state();
            *state = view.state;
            for (const qint64 seq : seqs)
                state->add_hidden_seqs(quint64(seq));
        }));
}

void ConversationService::search(const Caller &caller, const proto::SearchMessagesRequest &request,
                                 ResultCallback<proto::MessageSearchResult> done)
{
    const std::string &text = request.query();
    if (!validation::isValidUtf8(text))
        return done(invalidArgument(QStringLiteral("query is not valid UTF-8")));
    const QString query = QString::fromStdString(text);
    const qsizetype length = validation::codePointCount(text);
    if (query.trimmed().isEmpty() || length > limits::kMaxSearchQueryLength
        || query.contains(QChar(0)))
        return done(invalidArgument(
            QStringLiteral("query must be 1 to %1 characters").arg(limits::kMaxSearchQueryLength)));
    SearchQuery q;
    q.text = query;
    q.conversationId = cursor(request.conversation_id());
    q.senderId = cursor(request.sender_id());
    // Beyond year 9999 PostgreSQL timestamps overflow; no message is that old or new.
    constexpr qint64 kLatestMs = 253402300799000;
    q.fromMs = std::clamp<qint64>(request.from_ms(), 0, kLatestMs);
    q.toMs = std::clamp<qint64>(request.to_ms(), 0, kLatestMs);
    q.beforeMessageId = cursor(request.before_message_id());
    q.limit = pageSize(request.limit(), limits::kDefaultSearchHits, limits::kMaxSearchHits);
    if (const quint32 wait = m_limits.search.admit(caller.userId); wait > 0)
        return done(ServiceError {
            proto::ERROR_CODE_RATE_LIMITED,
            QStringLiteral("too many searches: try again in %1 s").arg((wait + 999) / 1000), wait});
    static_assert(SearchLimits::kLongest.count() == MessageStore::kSearchTimeoutMs);
    SearchLimits &limits = m_limits.search;
    m_messages.search(
        caller.userId, q,
        [done, &limits, userId = caller.userId](const Stored<SearchPage> &stored) {
            const bool cancelled = stored.error.sqlState == MessageStore::kQueryCanceled;
            // A failed search is charged the minimum, unless it ran into the timeout.
            limits.finish(userId,
                          stored.value    ? stored.value->ran
                              : cancelled ? SearchLimits::kLongest
                                          : std::chrono::milliseconds::zero());
            if (cancelled)
                return done(ServiceError {
                    proto::ERROR_CODE_LIMIT_EXCEEDED,
                    QStringLiteral("the search took too long: use more characters, or search one "
                                   "conversation or one sender"),
                    0, QStringLiteral("messaging/search_slow")});
            if (stored.error.kind != PgError::Kind::None || !stored.value)
                return done(messagingStoreError(stored.error));
            proto::MessageSearchResult result;
            for (const auto &hit : stored.value->hits)
                *result.add_hits() = hit;
            result.set_has_more(stored.value->hasMore);
            done(result);
        });
}

void ConversationService::setTyping(const Caller &caller, const proto::SetTypingRequest &request,
                                    ResultCallback<proto::TypingResult> done)
{
    const qint64 conversationId = toDatabaseId(request.conversation_id());
    if (conversationId == 0)
        return done(conversationNotFound());
    const QString key =
        QString::number(caller.userId) + QLatin1Char(':') + QString::number(conversationId);
    // Typing notices are best effort: over the rate they are answered and dropped, never
    // stored or queued. Starts and stops have a limit each (a stop has its own key), and a
    // forwarded start frees the next stop, so that "stopped" always follows a shown "typing"
    // while a client repeating either reaches the members at most once per interval.
    const QString stopKey = key + QLatin1String(":stop");
    const QString &limitKey = request.typing() ? key : stopKey;
    if (m_limits.typing.retryAfterMs(limitKey) > 0) {
        proto::TypingResult dropped;
        dropped.set_forwarded(false);
        return done(dropped);
    }
    m_limits.typing.record(limitKey); // before the query, so a burst cannot slip through
    if (request.typing())
        m_limits.typing.reset(stopKey);
    m_conversations.audience(
        caller.userId, conversationId,
        [this, caller, request, done](const Stored<ConversationAudience> &stored) {
            if (stored.error.kind != PgError::Kind::None)
                return done(messagingStoreError(stored.error));
            if (!stored.value)
                return done(conversationNotFound());
            if (!stored.value->allowed)
                return done(messagingError(QStringLiteral("blocked"), m_policy));
            QList<qint64> others = stored.value->members;
            others.removeAll(caller.userId);
            proto::Frame frame;
            auto *typing = frame.mutable_typing_push();
            typing->set_conversation_id(request.conversation_id());
            typing->set_user_id(quint64(caller.userId));
            typing->set_typing(request.typing());
            typing->set_expires_in_ms(limits::kTypingExpiryMs);
            m_registry.pushToUsers(others, frame);
            proto::TypingResult result;
            result.set_forwarded(true);
            done(result);
        });
}

void ConversationService::readCounts(const Caller &caller,
                                     const proto::GetReadCountsRequest &request,
                                     ResultCallback<proto::ReadCounts> done)
{
    const qint64 conversationId = toDatabaseId(request.conversation_id());
    if (conversationId == 0)
        return done(conversationNotFound());
    QList<qint64> seqs;
    if (auto problem = readSeqs(request.seqs(), seqs))
        return done(*problem);
    m_conversations.readCounts(
        caller.userId, conversationId, seqs,
        [done](const Stored<ConversationStore::ReadCountsResult> &stored) {
            if (stored.error.kind != PgError::Kind::None)
                return done(messagingStoreError(stored.error));
            if (!stored.value)
                return done(conversationNotFound());
            // A direct chat's receipt is the peer's read cursor in its state, which a block
            // or the peer's privacy hides; counts would tell it anyway.
            if (!stored.value->isGroup)
                return done(ServiceError {proto::ERROR_CODE_INVALID_ARGUMENT,
                                          QStringLiteral("read counts are for group chats")});
            if (!stored.value->isMember)
                return done(ServiceError {proto::ERROR_CODE_PERMISSION_DENIED,
                                          QStringLiteral("not a member of this group any more")});
            if (!stored.value->allowed)
                return done(ServiceError {proto::ERROR_CODE_PERMISSION_DENIED,
                                          QStringLiteral("turn read receipts on to see others'")});
            done(stored.value->counts);
        });
}

void ConversationService::messagingSettings(const Caller &caller,
                                            const proto::UpdateMessagingSettingsRequest &request,
                                            ResultCallback<proto::MessagingSettings> done)
{
    std::optional<bool> readReceipts;
    if (request.has_read_receipts())
        readReceipts = request.read_receipts();
    m_conversations.messagingSettings(
        caller.userId, readReceipts,
        [this, caller, changed = readReceipts.has_value(),
         done](const Stored<MessagingSettingsChange> &stored) {
            if (stored.error.kind != PgError::Kind::None || !stored.value)
                return done(messagingStoreError(stored.error));
            const proto::MessagingSettings &settings = stored.value->settings;
            if (changed) { // the same on all the user's devices
                proto::Frame push;
                *push.mutable_messaging_settings() = settings;
                m_registry.pushToUsers({caller.userId}, push, caller.connectionId);
            }
            done(settings);
            // Both users of each direct chat whose receipts this showed or hid get the other's
            // cursors as a receipt, as a cursor move would tell them (0 and 0: hidden now):
            // the peer the user's, every device of the user the peer's.
            const bool shown = settings.read_receipts();
            const auto tell = [this](qint64 to, qint64 conversationId, qint64 whose, qint64 readSeq,
                                     qint64 deliveredSeq) {
                proto::Frame frame;
                auto *r = frame.mutable_read_state_changed();
                r->set_conversation_id(quint64(conversationId));
                r->set_user_id(quint64(whose));
                r->set_read_seq(quint64(readSeq));
                r->set_delivered_seq(quint64(deliveredSeq));
                m_registry.pushToUsers({to}, frame);
            };
            for (const MessagingSettingsChange::PeerReceipt &receipt : stored.value->receipts) {
                if (receipt.deliveredSeq > 0 || receipt.readSeq > 0)
                    tell(receipt.peerId, receipt.conversationId, caller.userId,
                         shown ? receipt.readSeq : 0, shown ? receipt.deliveredSeq : 0);
                if (receipt.peerDeliveredSeq > 0 || receipt.peerReadSeq > 0)
                    tell(caller.userId, receipt.conversationId, receipt.peerId,
                         shown ? receipt.peerReadSeq : 0, shown ? receipt.peerDeliveredSeq : 0);
            }
        });
}

} // namespace tern::server
