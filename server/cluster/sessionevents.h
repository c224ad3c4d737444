// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>

namespace tern::server {

class PgConnection;
class SessionRegistry;

// Listens for ended sessions (PostgreSQL NOTIFY on kSessionEndedChannel, sent by whichever
// ternd or ternctl ended them) and has the owning I/O workers close those connections.
// Lives on the main thread with a connection of its own.
class SessionEvents : public QObject
{
    Q_OBJECT
public:
    SessionEvents(const QByteArray &dsn, SessionRegistry &registry, QObject *parent = nullptr);
    void start();

private:
    void onNotification(const QString &channel, const QString &payload);

    PgConnection *m_connection;
    SessionRegistry &m_registry;
};

} // namespace tern::server
