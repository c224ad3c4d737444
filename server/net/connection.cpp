// SPDX-License-Identifier: Apache-2.0
// Connection: one client WebSocket, owned by the I/O worker thread that adopted it.
#include "net/connection.h"

#include "core/logging.h"
#include "net/requestrouter.h"
#include "tern/framing.h"
#include "tern/limits.h"
#include "tern/validation.h"

#include <QTimer>

#include <algorithm>

#include <chrono>
#include <limits>

namespace tern::server {

namespace {
// Protocol violations tolerated before the connection is closed with a policy code.
constexpr int kMaxStrikes = 3;
// After close() or a protocol failure, a peer that has not let go within this long (it does
// not read what we send, or never ends the connection) is dropped.
constexpr int kCloseGraceMs = 3000;

// The socket drops anything beyond 4x the frame limit (close code 1009) without buffering it;
// between 1x and 4x we answer with FRAME_TOO_LARGE so the client learns why.
constexpr quint64 kHardLimitFactor = 4;
} // namespace

Connection::Connection(quint64 id, qintptr descriptor, const ConnectionLimits &limits,
                       RequestRouter &router, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_socket(descriptor, this, *this, quint64(limits.maxFrameBytes) * kHardLimitFactor)
    , m_limits(limits)
    , m_router(router)
{
    m_client.address = m_socket.peerAddress();
    // The upgrade is part of authenticating: it shares the authentication deadline.
    const qint64 now = nowMs();
    m_authDeadlineMs = now + m_limits.authDeadlineMs;
    m_idleDeadlineMs = now + m_limits.idleTimeoutMs;
    m_nextPingMs = now + m_limits.pingIntervalMs;
    updateNextDue();
}

qint64 Connection::nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void Connection::updateNextDue()
{
    m_nextDueMs = std::min(m_idleDeadlineMs, m_nextPingMs);
    if (m_authDeadlineMs)
        m_nextDueMs = std::min(m_nextDueMs, m_authDeadlineMs);
}

void Connection::onClock(qint64 now)
{
    if (m_closing) {
        m_nextDueMs = std::numeric_limits<qint64>::max();
        return;
    }
    if (m_authDeadlineMs && now >= m_authDeadlineMs)
        return close(ws::ClosePolicyViolated, "not authenticated in time");
    if (now >= m_idleDeadlineMs)
        return close(ws::CloseGoingAway, "idle timeout");
    if (now >= m_nextPingMs) {
        m_socket.ping();
        m_nextPingMs = now + m_limits.pingIntervalMs;
    }
    updateNextDue();
}

void Connection::touch()
{
    // The idle deadline only moves later, so the next due time stays valid (at worst early).
    m_idleDeadlineMs = nowMs() + m_limits.idleTimeoutMs;
}

void Connection::send(const proto::Frame &frame)
{
    sendEncoded(encodeFrame(frame));
}

void Connection::sendEncoded(const QByteArray &bytes)
{
    if (m_closing)
        return;
    if (m_socket.queuedBytes() + bytes.size() > m_limits.maxSendQueueBytes) {
        // Invariant 6: a reader that does not keep up is dropped, never buffered without end;
        // it resyncs when it reconnects.
        qCInfo(lcNet) << "connection" << m_id << "send queue over limit, dropping it";
        m_closing = true;
        m_socket.abort();
        return;
    }
    m_socket.sendBinary(bytes);
}

void Connection::reply(quint64 requestId, proto::Frame &frame)
{
    if (!m_inFlight.remove(requestId))
        return; // answered already, or the connection was reset in between
    frame.set_request_id(requestId);
    send(frame);
}

void Connection::replyError(quint64 requestId, const ServiceError &error)
{
    proto::Frame frame = makeErrorFrame(requestId, error.code, error.message, error.retryAfterMs);
    frame.mutable_error()->set_reason(error.reason.toStdString());
    frame.mutable_error()->set_user_id(quint64(std::max<qint64>(error.userId, 0)));
    reply(requestId, frame);
}

void Connection::push(const proto::Frame &frame)
{
    send(frame);
}

void Connection::violation(quint64 requestId, ErrorCode code, const QString &message)
{
    send(makeErrorFrame(requestId, code, message));
    if (++m_strikes >= kMaxStrikes) {
        qCInfo(lcNet) << "connection" << m_id << "closed after" << m_strikes
                      << "protocol violations";
        close(ws::ClosePolicyViolated, "too many protocol violations");
    }
}

void Connection::close(ws::CloseCode code, const QByteArray &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_nextDueMs = std::numeric_limits<qint64>::max();
    m_socket.close(code, reason);
    armCloseGrace();
}

void Connection::onFailed()
{
    if (m_closing)
        return;
    m_closing = true;
    m_nextDueMs = std::numeric_limits<qint64>::max();
    armCloseGrace();
}

void Connection::armCloseGrace()
{
    QTimer::singleShot(kCloseGraceMs, this, [this] { m_socket.abort(); });
}

void Connection::onMessage(const QByteArray &payload, bool binary)
{
    if (binary)
        onBinaryMessage(payload);
    else
        onTextMessage();
}

void Connection::onTextMessage()
{
    touch();
    violation(0, proto::ERROR_CODE_TEXT_FRAME,
              QStringLiteral("text messages are not part of the protocol; send binary Frames"));
}

void Connection::onBinaryMessage(const QByteArray &message)
{
    touch();
    if (m_closing)
        return;
    DecodeResult decoded = decodeFrame(message, m_limits.maxFrameBytes);
    if (!decoded.frame)
        return violation(0, decoded.error, decoded.reason);
    proto::Frame &frame = *decoded.frame;
    const quint64 requestId = frame.request_id();
    const auto payload = frame.payload_case();

    if (!isRequestPayload(payload)) {
        return violation(requestId, proto::ERROR_CODE_BAD_REQUEST,
                         QStringLiteral("'%1' is not a request").arg(payloadName(frame)));
    }
    if (requestId == 0) {
        return violation(0, proto::ERROR_CODE_BAD_REQUEST,
                         QStringLiteral("requests need a non-zero request_id"));
    }
    if (m_inFlight.contains(requestId)) {
        return violation(0, proto::ERROR_CODE_BAD_REQUEST,
                         QStringLiteral("request_id %1 is already in flight").arg(requestId));
    }
    m_inFlight.insert(requestId);
    if (m_inFlight.size() > m_limits.maxRequestsInFlight) {
        // Each request in flight holds server memory until answered: past the limit a client
        // waits for answers before asking more (the refused request had no effect).
        return replyError(requestId,
                          {proto::ERROR_CODE_RATE_LIMITED,
                           QStringLiteral("too many requests in flight (max_requests_in_flight "
                                          "%1); wait for answers")
                               .arg(m_limits.maxRequestsInFlight),
                           50});
    }

    if (payload == proto::Frame::kHello)
        return onHello(requestId, frame.hello());
    if (!m_greeted) {
        m_inFlight.remove(requestId);
        return violation(requestId, proto::ERROR_CODE_HELLO_REQUIRED,
                         QStringLiteral("the first frame must be Hello"));
    }
    const bool authRequest = payload == proto::Frame::kRegister || payload == proto::Frame::kLogin
        || payload == proto::Frame::kResume;
    if (authRequest && (m_caller || m_authenticating)) {
        return replyError(requestId,
                          {proto::ERROR_CODE_ALREADY_AUTHENTICATED,
                           QStringLiteral("this connection is already authenticated "
                                          "or authenticating")});
    }
    if (!authRequest && !m_caller) {
        return replyError(requestId,
                          {proto::ERROR_CODE_NOT_AUTHENTICATED,
                           QStringLiteral("log in first (Register, Login or Resume)")});
    }
    m_router.handle(*this, requestId, frame);
}

void Connection::onHello(quint64 requestId, const proto::Hello &hello)
{
    if (m_greeted) {
        m_inFlight.remove(requestId);
        return violation(requestId, proto::ERROR_CODE_ALREADY_GREETED,
                         QStringLiteral("Hello was already received on this connection"));
    }
    if (hello.protocol_version() != kProtocolVersion) {
        replyError(requestId,
                   {proto::ERROR_CODE_UNSUPPORTED_VERSION,
                    QStringLiteral("client speaks protocol version %1, this server "
                                   "speaks version %2")
                        .arg(hello.protocol_version())
                        .arg(kProtocolVersion)});
        return close(ws::CloseProtocolError, "unsupported protocol version");
    }
    using validation::checkLabel;
    for (const auto &problem :
         {checkLabel(hello.client_name(), "client_name", limits::kMaxClientNameLength),
          checkLabel(hello.client_version(), "client_version", limits::kMaxClientVersionLength),
          checkLabel(hello.device_id(), "device_id", limits::kMaxDeviceIdLength),
          checkLabel(hello.device_name(), "device_name", limits::kMaxDeviceNameLength)}) {
        if (problem)
            return replyError(requestId, {proto::ERROR_CODE_INVALID_ARGUMENT, *problem});
    }
    m_greeted = true;
    m_client.clientName = QString::fromStdString(hello.client_name());
    m_client.clientVersion = QString::fromStdString(hello.client_version());
    m_client.deviceId = QString::fromStdString(hello.device_id());
    m_client.deviceName = QString::fromStdString(hello.device_name());
    if (m_client.deviceId.isEmpty()) // each anonymous connection is its own device
        m_client.deviceId = QStringLiteral("anonymous-%1").arg(m_id);

    proto::Frame frame;
    auto *welcome = frame.mutable_welcome();
    welcome->set_protocol_version(kProtocolVersion);
    welcome->set_server_name("ternd");
    welcome->set_server_version(TERN_VERSION);
    *welcome->mutable_limits() = m_limits.advertised;
    reply(requestId, frame);
}

void Connection::authenticate(const AuthenticatedSession &session)
{
    m_authenticating = false;
    m_caller = Caller {session.userId, session.sessionId, m_id};
    m_authDeadlineMs = 0;
    if (!m_closing)
        updateNextDue();
    Q_EMIT authenticated(m_id, *m_caller);
}

void Connection::deauthenticate()
{
    if (!m_caller)
        return;
    const Caller caller = *m_caller;
    m_caller.reset();
    Q_EMIT deauthenticated(m_id, caller);
    m_authDeadlineMs = nowMs() + m_limits.authDeadlineMs;
    if (!m_closing)
        updateNextDue();
}

void Connection::endSession(proto::SessionEnded::Reason reason)
{
    if (!m_caller)
        return;
    proto::Frame frame;
    frame.mutable_session_ended()->set_reason(reason);
    push(frame);
    deauthenticate();
    close(ws::CloseNormal, "session ended");
}

} // namespace tern::server
