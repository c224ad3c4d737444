// SPDX-License-Identifier: Apache-2.0
// SessionEvents: main thread. Turns "<session_id> <reason>" notifications into queued calls to
// the I/O workers that own the session's connections.
#include "cluster/sessionevents.h"

#include "cluster/connectionregistry.h"
#include "core/logging.h"
#include "net/ioworker.h"
#include "store/accountstore.h"
#include "store/pgpool.h"

namespace tern::server {

SessionEvents::SessionEvents(PgPool &listener, ConnectionRegistry &registry, QObject *parent)
    : QObject(parent)
    , m_store(std::make_unique<AccountStore>(listener))
    , m_registry(registry)
{
    connect(&listener, &PgPool::notification, this, &SessionEvents::onNotification);
    connect(&listener, &PgPool::listenerReady, this, &SessionEvents::onListening);
}

SessionEvents::~SessionEvents() = default;

void SessionEvents::onListening()
{
    if (!m_listenedBefore) {
        m_listenedBefore = true;
        return;
    }
    const QList<qint64> sessions = m_registry.sessionIds();
    if (sessions.isEmpty())
        return;
    m_store->endedSessions(sessions, [this](const auto &stored) {
        if (!stored.value)
            return; // lost again; the next reconnect checks again
        for (const auto &[sessionId, why] : *stored.value)
            endSession(sessionId, why);
    });
}

void SessionEvents::onNotification(const QString &channel, const QString &payload)
{
    if (channel != QLatin1String(kSessionEndedChannel))
        return;
    const QStringList parts = payload.split(QLatin1Char(' '));
    bool ok = false;
    const qint64 sessionId = parts.value(0).toLongLong(&ok);
    if (!ok || parts.size() != 2) {
        qCWarning(lcCluster) << "ignoring malformed session event" << payload;
        return;
    }
    endSession(sessionId, parts.at(1));
}

void SessionEvents::endSession(qint64 sessionId, const QString &why)
{
    const auto reason = why == QLatin1String("banned") ? proto::SessionEnded::REASON_BANNED
        : why == QLatin1String("password_changed") ? proto::SessionEnded::REASON_PASSWORD_CHANGED
                                                   : proto::SessionEnded::REASON_REVOKED;
    for (const auto &entry : m_registry.connectionsOfSession(sessionId)) {
        IoWorker *worker = entry.worker;
        const quint64 connectionId = entry.connectionId;
        QMetaObject::invokeMethod(
            worker, [worker, connectionId, reason] { worker->endSession(connectionId, reason); },
            Qt::QueuedConnection);
    }
}

} // namespace tern::server
