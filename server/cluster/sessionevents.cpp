// SPDX-License-Identifier: Apache-2.0
// SessionEvents: main thread. Turns "<session_id> <reason>" notifications into queued calls to
// the I/O workers that own the session's connections.
#include "cluster/sessionevents.h"

#include "cluster/sessionregistry.h"
#include "core/logging.h"
#include "net/ioworker.h"
#include "store/accountstore.h"
#include "store/pgconnection.h"

namespace tern::server {

SessionEvents::SessionEvents(const QByteArray &dsn, SessionRegistry &registry, QObject *parent)
    : QObject(parent)
    , m_connection(new PgConnection(dsn, this))
    , m_registry(registry)
{
    m_connection->setListenChannels({QLatin1String(kSessionEndedChannel)});
    connect(m_connection, &PgConnection::notification, this, &SessionEvents::onNotification);
}

void SessionEvents::start()
{
    m_connection->open();
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
    const QString why = parts.at(1);
    const auto reason = why == QLatin1String("banned") ? proto::SessionEnded::REASON_BANNED
                        : why == QLatin1String("password_changed")
                            ? proto::SessionEnded::REASON_PASSWORD_CHANGED
                            : proto::SessionEnded::REASON_REVOKED;
    for (const auto &entry : m_registry.connectionsOf(sessionId)) {
        IoWorker *worker = entry.worker;
        const quint64 connectionId = entry.connectionId;
        QMetaObject::invokeMethod(
            worker, [worker, connectionId, reason] { worker->endSession(connectionId, reason); },
            Qt::QueuedConnection);
    }
}

} // namespace tern::server
