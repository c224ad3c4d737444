// SPDX-License-Identifier: Apache-2.0
// CallRegistry: the calls' state machine, main thread.
#include "service/callregistry.h"

#include "cluster/connectionregistry.h"
#include "core/logging.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace tern::server {

namespace {

constexpr int kMaxHeldCandidates = 100;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString newCallId()
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    QString id;
    for (int i = 0; i < 22; ++i)
        id += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(64)]);
    return id;
}

// A refusal people run into, with its Error.reason ("calls/<rule>", calls.proto lists them).
ServiceError refusal(ErrorCode code, const QString &message, const char *rule)
{
    return {code, message, 0, QStringLiteral("calls/") + QLatin1String(rule)};
}

ServiceError callNotFound()
{
    return refusal(proto::ERROR_CODE_NOT_FOUND, QStringLiteral("no such call, or it is over"),
                   "over");
}

} // namespace

CallRegistry::CallRegistry(ConnectionRegistry &registry, CallPolicy policy, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_policy(std::move(policy))
{ }

CallRegistry::~CallRegistry() = default;

void CallRegistry::start()
{
    m_registry.addObserver([this](const ConnectionRegistry::Entry &entry, bool added) {
        // On an I/O worker: hand it over, in the order that worker saw it.
        QMetaObject::invokeMethod(
            this,
            [this, userId = entry.userId, sessionId = entry.sessionId, added] {
                onConnection(userId, sessionId, added);
            },
            Qt::QueuedConnection);
    });
}

CallRegistry::ActiveCall *CallRegistry::find(const QString &callId)
{
    const auto it = m_calls.find(callId);
    return it == m_calls.end() ? nullptr : it->get();
}

proto::IceConfig CallRegistry::iceConfig(qint64 userId) const
{
    return iceConfigFor(m_policy, userId, nowMs());
}

Result<proto::CallStarted> CallRegistry::startCall(const Caller &caller, qint64 calleeId,
                                                   qint64 conversationId, proto::CallMedia media,
                                                   const std::string &sdpOffer)
{
    if (m_callOfUser.contains(caller.userId))
        return refusal(proto::ERROR_CODE_CONFLICT,
                       QStringLiteral("you are in a call already; end it first"), "in_call");
    auto active = std::make_shared<ActiveCall>();
    proto::Call &call = active->call;
    const QString callId = newCallId();
    call.set_call_id(callId.toStdString());
    call.set_conversation_id(quint64(conversationId));
    call.set_caller_id(quint64(caller.userId));
    call.set_callee_id(quint64(calleeId));
    call.set_media(media);
    call.set_started_at_ms(nowMs());
    active->callerSession = caller.sessionId;
    active->offer = sdpOffer;

    proto::CallStarted started;
    *started.mutable_ice() = iceConfig(caller.userId);
    if (m_callOfUser.contains(calleeId)) {
        // Busy: over at once, never rung; the caller's other devices and the history hear it.
        call.set_state(proto::CALL_STATE_ENDED);
        call.set_end_reason(proto::CALL_END_REASON_BUSY);
        call.set_ended_at_ms(call.started_at_ms());
        *started.mutable_call() = call;
        if (m_recorder)
            m_recorder(call);
        return started;
    }
    call.set_state(proto::CALL_STATE_RINGING);
    active->ringTimer = std::make_unique<QTimer>();
    active->ringTimer->setSingleShot(true);
    // Coarse timers may fire 5 % early: a call would stop ringing before the announced timeout.
    active->ringTimer->setTimerType(Qt::PreciseTimer);
    connect(active->ringTimer.get(), &QTimer::timeout, this,
            [this, callId] { end(callId, proto::CALL_END_REASON_NO_ANSWER); });
    active->ringTimer->start(m_policy.ringTimeoutSeconds * 1000);
    m_calls.insert(callId, active);
    m_callOfUser.insert(caller.userId, callId);
    m_callOfUser.insert(calleeId, callId);
    pushIncoming(*active, {}, true);
    *started.mutable_call() = call;
    qCInfo(lcServer).noquote() << "call" << callId << "from" << caller.userId << "to" << calleeId;
    return started;
}

void CallRegistry::pushIncoming(const ActiveCall &active, const QList<qint64> &sessions,
                                bool toUser)
{
    proto::Frame push;
    auto *incoming = push.mutable_incoming_call();
    *incoming->mutable_call() = active.call;
    incoming->set_sdp_offer(active.offer);
    *incoming->mutable_ice() = iceConfig(qint64(active.call.callee_id()));
    if (toUser)
        m_registry.pushToUsers({qint64(active.call.callee_id())}, push);
    else
        m_registry.pushToSessions(sessions, push);
}

void CallRegistry::pushUpdate(const QList<qint64> &sessions, const proto::Call &call)
{
    proto::Frame push;
    *push.mutable_call_update()->mutable_call() = call;
    m_registry.pushToSessions(sessions, push);
}

Result<proto::Call> CallRegistry::answer(const Caller &caller, const QString &callId,
                                         const std::string &sdpAnswer)
{
    ActiveCall *active = find(callId);
    if (!active || qint64(active->call.callee_id()) != caller.userId)
        return callNotFound();
    if (active->call.state() != proto::CALL_STATE_RINGING)
        return refusal(proto::ERROR_CODE_CONFLICT,
                       QStringLiteral("the call was answered on another device"),
                       "answered_elsewhere");
    active->ringTimer->stop();
    active->calleeSession = caller.sessionId;
    proto::Call &call = active->call;
    call.set_state(proto::CALL_STATE_CONNECTED);
    call.set_connected_at_ms(nowMs());

    // The caller's device: connected, with the answer; the callee's device: the caller's
    // candidates held so far; the callee's other devices: stop ringing.
    pushUpdate({active->callerSession}, call);
    proto::CallSignalPush answerPush;
    answerPush.set_call_id(callId.toStdString());
    answerPush.set_sdp_answer(sdpAnswer);
    relay(*active, active->callerSession, answerPush);
    for (const proto::CallSignalPush &held : active->held) {
        proto::Frame push;
        *push.mutable_call_signal_push() = held;
        m_registry.pushToSessions({caller.sessionId}, push);
    }
    active->held.clear();
    proto::Call elsewhere = call;
    elsewhere.set_state(proto::CALL_STATE_ENDED);
    elsewhere.set_end_reason(proto::CALL_END_REASON_ANSWERED_ELSEWHERE);
    QList<qint64> otherDevices;
    for (const auto &entry : m_registry.connectionsOfUser(caller.userId)) {
        if (entry.sessionId != caller.sessionId && !otherDevices.contains(entry.sessionId))
            otherDevices.append(entry.sessionId);
    }
    pushUpdate(otherDevices, elsewhere);
    return call;
}

Result<proto::Call> CallRegistry::decline(const Caller &caller, const QString &callId)
{
    ActiveCall *active = find(callId);
    if (!active || qint64(active->call.callee_id()) != caller.userId)
        return callNotFound();
    if (active->call.state() != proto::CALL_STATE_RINGING)
        return refusal(proto::ERROR_CODE_CONFLICT,
                       QStringLiteral("the call was answered already; hang up instead"),
                       "answered");
    return end(callId, proto::CALL_END_REASON_DECLINED);
}

Result<proto::Call> CallRegistry::hangUp(const Caller &caller, const QString &callId)
{
    ActiveCall *active = find(callId);
    if (!active)
        return callNotFound();
    const bool isCaller = qint64(active->call.caller_id()) == caller.userId;
    const bool isCallee = qint64(active->call.callee_id()) == caller.userId;
    if (!isCaller && !isCallee)
        return callNotFound();
    // Only the device that placed the call speaks for the caller (as only the answering one
    // does for the callee once connected).
    if (isCaller && caller.sessionId != active->callerSession)
        return refusal(proto::ERROR_CODE_PERMISSION_DENIED,
                       QStringLiteral("the call is on another of your devices"), "other_device");
    proto::CallEndReason reason = proto::CALL_END_REASON_HANGUP;
    if (active->call.state() == proto::CALL_STATE_RINGING)
        reason = isCaller ? proto::CALL_END_REASON_CANCELLED : proto::CALL_END_REASON_DECLINED;
    else if (isCallee && caller.sessionId != active->calleeSession)
        return refusal(proto::ERROR_CODE_PERMISSION_DENIED,
                       QStringLiteral("the call is on another of your devices"), "other_device");
    return end(callId, reason);
}

Result<Done> CallRegistry::signal(const Caller &caller, const proto::CallSignalRequest &request)
{
    ActiveCall *active = find(QString::fromStdString(request.call_id()));
    if (!active)
        return callNotFound();
    const bool fromCaller = caller.sessionId == active->callerSession;
    const bool fromCallee = caller.sessionId == active->calleeSession && active->calleeSession;
    if (!fromCaller && !fromCallee)
        return refusal(proto::ERROR_CODE_PERMISSION_DENIED,
                       QStringLiteral("this device is not in the call"), "other_device");
    proto::CallSignalPush push;
    push.set_call_id(request.call_id());
    switch (request.signal_case()) {
    case proto::CallSignalRequest::kSdpOffer:
        push.set_sdp_offer(request.sdp_offer());
        break;
    case proto::CallSignalRequest::kSdpAnswer:
        push.set_sdp_answer(request.sdp_answer());
        break;
    case proto::CallSignalRequest::kCandidate:
        *push.mutable_candidate() = request.candidate();
        break;
    default:
        return ServiceError {proto::ERROR_CODE_INVALID_ARGUMENT,
                             QStringLiteral("a signal is an SDP offer, answer or candidate")};
    }
    if (active->call.state() == proto::CALL_STATE_RINGING) {
        // Only the caller's candidates wait for the answer; everything else waits for it.
        if (!push.has_candidate())
            return ServiceError {proto::ERROR_CODE_CONFLICT,
                                 QStringLiteral("the call is not answered yet")};
        if (active->held.size() >= size_t(kMaxHeldCandidates))
            return ServiceError {
                proto::ERROR_CODE_LIMIT_EXCEEDED,
                QStringLiteral("at most %1 candidates before the answer").arg(kMaxHeldCandidates)};
        active->held.push_back(push);
        return Done {};
    }
    relay(*active, fromCaller ? active->calleeSession : active->callerSession, push);
    return Done {};
}

void CallRegistry::relay(ActiveCall &active, qint64 session, const proto::CallSignalPush &signal)
{
    if (m_registry.connectionsOfSession(session).isEmpty()) {
        // Away (in the grace, or it ends the call): bounded like the candidates before the
        // answer, whatever the signals are (the answer comes first); later ones are dropped,
        // as a lossy network would.
        std::vector<proto::CallSignalPush> &held = active.heldForAway[session];
        if (held.size() < size_t(kMaxHeldCandidates))
            held.push_back(signal);
        return;
    }
    proto::Frame frame;
    *frame.mutable_call_signal_push() = signal;
    m_registry.pushToSessions({session}, frame);
}

proto::Call CallRegistry::end(const QString &callId, proto::CallEndReason reason)
{
    const std::shared_ptr<ActiveCall> active = m_calls.take(callId);
    if (!active)
        return {};
    proto::Call &call = active->call;
    call.set_state(proto::CALL_STATE_ENDED);
    call.set_end_reason(reason);
    call.set_ended_at_ms(nowMs());
    m_callOfUser.remove(qint64(call.caller_id()));
    m_callOfUser.remove(qint64(call.callee_id()));
    if (active->ringTimer)
        active->ringTimer->stop();
    for (const auto &timer : std::as_const(active->grace))
        timer->stop();
    // The timers may be the ones that called this: delete them once back in the event loop.
    QMetaObject::invokeMethod(
        this, [active] {}, Qt::QueuedConnection);
    // Every device of both users: the ringing ones stop, the one in the call hangs up.
    proto::Frame push;
    *push.mutable_call_update()->mutable_call() = call;
    m_registry.pushToUsers({qint64(call.caller_id()), qint64(call.callee_id())}, push);
    qCInfo(lcServer).noquote() << "call" << callId
                               << "ended:" << proto::CallEndReason_Name(reason).c_str();
    if (m_recorder)
        m_recorder(call);
    return call;
}

void CallRegistry::onConnection(qint64 userId, qint64 sessionId, bool added)
{
    const QString callId = m_callOfUser.value(userId);
    ActiveCall *active = callId.isEmpty() ? nullptr : find(callId);
    if (!active)
        return;
    const bool inCall = sessionId == active->callerSession || sessionId == active->calleeSession;
    if (added) {
        if (inCall) {
            // Back within the grace: carry on, tell it where the call stands, and give it what
            // the other side signalled meanwhile (the answer, candidates).
            active->grace.remove(sessionId);
            pushUpdate({sessionId}, active->call);
            for (const proto::CallSignalPush &held : active->heldForAway.take(sessionId)) {
                proto::Frame push;
                *push.mutable_call_signal_push() = held;
                m_registry.pushToSessions({sessionId}, push);
            }
        } else if (active->call.state() == proto::CALL_STATE_RINGING
                   && qint64(active->call.callee_id()) == userId) {
            pushIncoming(*active, {sessionId}, false); // a callee device came online: ring it
        } else if (active->call.state() == proto::CALL_STATE_CONNECTED
                   && qint64(active->call.callee_id()) == userId) {
            // A callee device that rang and was away when another one answered: stop ringing.
            proto::Call elsewhere = active->call;
            elsewhere.set_state(proto::CALL_STATE_ENDED);
            elsewhere.set_end_reason(proto::CALL_END_REASON_ANSWERED_ELSEWHERE);
            pushUpdate({sessionId}, elsewhere);
        }
        return;
    }
    if (!inCall || !m_registry.connectionsOfSession(sessionId).isEmpty()
        || active->grace.contains(sessionId))
        return;
    auto timer = std::make_shared<QTimer>();
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer); // the whole grace, not 5 % less
    connect(timer.get(), &QTimer::timeout, this, [this, callId, sessionId] {
        if (m_registry.connectionsOfSession(sessionId).isEmpty())
            end(callId, proto::CALL_END_REASON_CONNECTION_LOST);
    });
    timer->start(m_policy.reconnectGraceSeconds * 1000);
    active->grace.insert(sessionId, timer);
}

} // namespace tern::server
