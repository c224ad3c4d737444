// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QObject>

#include <memory>

namespace tern::server {

class AccountStore;
class PgPool;
class ConnectionRegistry;

// Listens for ended sessions (PostgreSQL NOTIFY on kSessionEndedChannel, sent by whichever
// ternd or ternctl ended them) and has the owning I/O workers close those connections. When
// its connection comes back after an outage, it asks the database which of the local sessions
// ended meanwhile, so that a missed notification never leaves a revoked session connected.
// Lives on the main thread; `listener` is the cluster's listening connection, shared with
// GroupEvents (Server opens it with both channels).
class SessionEvents : public QObject
{
    Q_OBJECT
public:
    SessionEvents(PgPool &listener, ConnectionRegistry &registry, QObject *parent = nullptr);
    ~SessionEvents() override;

private:
    void onNotification(const QString &channel, const QString &payload);
    void onListening();
    void endSession(qint64 sessionId, const QString &why);

    std::unique_ptr<AccountStore> m_store;
    ConnectionRegistry &m_registry;
    bool m_listenedBefore = false;
};

} // namespace tern::server
