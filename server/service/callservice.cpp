// SPDX-License-Identifier: Apache-2.0
// CallService: call requests of one I/O worker.
#include "service/callservice.h"

#include "service/callregistry.h"
#include "store/pgpool.h"

#include <QPointer>

namespace tern::server {

namespace {

constexpr size_t kMaxSdpBytes = 64 * 1024;
constexpr size_t kMaxCandidateBytes = 1024;

ServiceError invalid(const QString &message)
{
    return {proto::ERROR_CODE_INVALID_ARGUMENT, message};
}

ServiceError unavailable()
{
    return {proto::ERROR_CODE_UNAVAILABLE, QStringLiteral("calls are not available here")};
}

} // namespace

CallService::CallService(PgPool &pool, CallRegistry *calls, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_calls(calls)
{ }

template<typename T>
void CallService::onRegistry(std::function<Result<T>(CallRegistry &)> work, ResultCallback<T> done)
{
    if (!m_calls)
        return done(unavailable());
    // The registry lives on the main thread, which deletes it only after the workers stopped.
    QPointer<CallService> self(this);
    CallRegistry *calls = m_calls;
    QMetaObject::invokeMethod(
        calls,
        [self, calls, work, done] {
            const Result<T> result = work(*calls);
            if (self)
                QMetaObject::invokeMethod(
                    self.data(), [done, result] { done(result); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void CallService::startCall(const Caller &caller, const proto::StartCallRequest &request,
                            ResultCallback<proto::CallStarted> done)
{
    if (request.media() != proto::CALL_MEDIA_AUDIO && request.media() != proto::CALL_MEDIA_VIDEO)
        return done(invalid(QStringLiteral("media must be audio or video")));
    if (request.sdp_offer().empty() || request.sdp_offer().size() > kMaxSdpBytes)
        return done(invalid(QStringLiteral("the SDP offer is 1 byte to 64 KiB")));
    const qint64 calleeId = qint64(request.callee_id());
    if (calleeId <= 0 || calleeId == caller.userId)
        return done(invalid(QStringLiteral("callee_id must be another user")));
    // Friends both ways, no block either way; their direct conversation (made if needed).
    QPointer<CallService> self(this);
    m_pool.execute(
        {"SELECT o.outcome, o.conversation_id,"
         " EXISTS (SELECT 1 FROM contacts WHERE owner_id = $1 AND peer_id = $2 AND is_friend)"
         " AND EXISTS (SELECT 1 FROM contacts WHERE owner_id = $2 AND peer_id = $1 AND is_friend)"
         " FROM tern_open_direct($1, $2, false) o",
         {pgInt(caller.userId), pgInt(calleeId)}},
        [self, caller, calleeId, request, done](const PgOutcome &o) {
            if (!self)
                return;
            if (!o.ok() || o.results.front().rowCount() != 1)
                return done(unavailableError());
            const PgResult &r = o.results.front();
            if (r.text(0, 0) != QLatin1String("ok") || !r.boolean(0, 2))
                return done(ServiceError {proto::ERROR_CODE_PERMISSION_DENIED,
                                          QStringLiteral("you can only call friends"), 0,
                                          QStringLiteral("calls/not_friends")});
            const qint64 conversationId = r.int64(0, 1);
            self->onRegistry<proto::CallStarted>(
                [caller, calleeId, conversationId, request](CallRegistry &calls) {
                    return calls.startCall(caller, calleeId, conversationId, request.media(),
                                           request.sdp_offer());
                },
                done);
        });
}

void CallService::answer(const Caller &caller, const proto::AnswerCallRequest &request,
                         ResultCallback<proto::Call> done)
{
    if (request.sdp_answer().empty() || request.sdp_answer().size() > kMaxSdpBytes)
        return done(invalid(QStringLiteral("the SDP answer is 1 byte to 64 KiB")));
    const QString callId = QString::fromStdString(request.call_id());
    const std::string sdp = request.sdp_answer();
    onRegistry<proto::Call>(
        [caller, callId, sdp](CallRegistry &calls) { return calls.answer(caller, callId, sdp); },
        done);
}

void CallService::decline(const Caller &caller, const proto::DeclineCallRequest &request,
                          ResultCallback<proto::Call> done)
{
    const QString callId = QString::fromStdString(request.call_id());
    onRegistry<proto::Call>(
        [caller, callId](CallRegistry &calls) { return calls.decline(caller, callId); }, done);
}

void CallService::hangUp(const Caller &caller, const proto::HangUpRequest &request,
                         ResultCallback<proto::Call> done)
{
    const QString callId = QString::fromStdString(request.call_id());
    onRegistry<proto::Call>(
        [caller, callId](CallRegistry &calls) { return calls.hangUp(caller, callId); }, done);
}

void CallService::signal(const Caller &caller, const proto::CallSignalRequest &request,
                         ResultCallback<Done> done)
{
    if (request.sdp_offer().size() > kMaxSdpBytes || request.sdp_answer().size() > kMaxSdpBytes
        || request.candidate().candidate().size() > kMaxCandidateBytes
        || request.candidate().sdp_mid().size() > 64)
        return done(invalid(QStringLiteral("the signal is too large")));
    onRegistry<Done>(
        [caller, request](CallRegistry &calls) { return calls.signal(caller, request); }, done);
}

void CallService::iceConfig(const Caller &caller, ResultCallback<proto::IceConfig> done)
{
    onRegistry<proto::IceConfig>(
        [caller](CallRegistry &calls) {
            return Result<proto::IceConfig>(calls.iceConfig(caller.userId));
        },
        done);
}

} // namespace tern::server
