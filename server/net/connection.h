// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "net/wssocket.h"
#include "service/authservice.h"
#include "tern/protocol.h"

#include <QObject>
#include <QSet>

#include <optional>

namespace tern::server {

class RequestRouter;

struct ConnectionLimits
{
    quint32 maxFrameBytes = 0;
    int authDeadlineMs = 0;
    int idleTimeoutMs = 0;
    int pingIntervalMs = 0;
    qint64 maxSendQueueBytes = 0;
    int maxRequestsInFlight = 0;
    proto::ServerLimits advertised;
};

// One client's WebSocket: the connection lifecycle (the upgrade and Hello first, the
// authentication deadline, keepalive and idle timeout), frame decoding, protocol-violation
// strikes and a bounded send queue. Requests that pass the gate go to the RequestRouter. Lives on
// one I/O worker; only that thread touches it. It has no timers of its own: the deadlines are
// numbers that the worker's one clock (IoWorker::tick) checks, because thousands of QTimers cost
// memory and a re-registration on every frame.
class Connection : public QObject, private WsSocket::Handler
{
    Q_OBJECT
public:
    // Takes over `descriptor`, an accepted TCP connection, from its WebSocket upgrade on.
    // `limits` outlives the connection (the worker's).
    Connection(quint64 id, qintptr descriptor, const ConnectionLimits &limits,
               RequestRouter &router, QObject *parent = nullptr);

    // Milliseconds of a monotonic clock, the unit of the deadlines.
    static qint64 nowMs();
    // Whether a deadline (authentication, idle) or the next keepalive ping is due at `now`;
    // then onClock() acts on it (closes, or pings).
    bool clockDue(qint64 now) const { return now >= m_nextDueMs; }
    void onClock(qint64 now);

    quint64 id() const { return m_id; }
    const ClientInfo &client() const { return m_client; }
    std::optional<Caller> caller() const { return m_caller; }

    void reply(quint64 requestId, proto::Frame &frame);
    void replyError(quint64 requestId, const ServiceError &error);
    void push(const proto::Frame &frame);
    // A push already encoded once for many recipients.
    void sendEncoded(const QByteArray &bytes);

    // Called by the router when Register/Login/Resume succeeded or Logout ended the session.
    void authenticate(const AuthenticatedSession &session);
    void deauthenticate();
    void setAuthenticating(bool pending) { m_authenticating = pending; }

    // The session ended elsewhere: tell the client why, then close.
    void endSession(proto::SessionEnded::Reason reason);
    void close(ws::CloseCode code, const QByteArray &reason);

Q_SIGNALS:
    void authenticated(quint64 connectionId, const tern::server::Caller &caller);
    void deauthenticated(quint64 connectionId, const tern::server::Caller &caller);
    void closed(quint64 connectionId);

private:
    // WsSocket::Handler
    void onMessage(const QByteArray &payload, bool binary) override;
    void onPong() override { touch(); }
    void onFailed() override;
    void onDisconnected() override { Q_EMIT closed(m_id); }

    void onBinaryMessage(const QByteArray &message);
    void onTextMessage();
    void onHello(quint64 requestId, const proto::Hello &hello);
    void violation(quint64 requestId, ErrorCode code, const QString &message);
    // Closing has begun: drop the socket if the peer has not let go within the grace period.
    void armCloseGrace();
    void send(const proto::Frame &frame);
    void touch();
    void updateNextDue();

    quint64 m_id;
    WsSocket m_socket;
    const ConnectionLimits &m_limits;
    RequestRouter &m_router;
    ClientInfo m_client;
    std::optional<Caller> m_caller;
    bool m_greeted = false;
    bool m_authenticating = false;
    bool m_closing = false;
    int m_strikes = 0;
    QSet<quint64> m_inFlight;
    qint64 m_authDeadlineMs = 0; // 0: authenticated, none pending
    qint64 m_idleDeadlineMs = 0;
    qint64 m_nextPingMs = 0;
    qint64 m_nextDueMs = 0; // the earliest of the three
};

} // namespace tern::server
