// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/pgtypes.h"

#include <QObject>
#include <QStringList>

#include <vector>

namespace tern::server {

class PgConnection;

// A few pipelined connections owned by one thread. Each I/O worker has its own pool, so
// database results come back on the thread that asked, without locks or thread hops.
class PgPool : public QObject
{
    Q_OBJECT
public:
    PgPool(const QByteArray &dsn, int size, QObject *parent = nullptr);

    // LISTEN on these channels (on the first connection); see PgConnection.
    void setListenChannels(const QStringList &channels);
    void open();
    // Skip the reconnect backoff (for probes that must reflect the database right now).
    void reconnectNow();
    // Runs the statements as one transaction on the least busy ready connection. When none is
    // ready, `done` gets Kind::Unavailable (asynchronously, like every other outcome).
    void execute(std::vector<PgStatement> statements, PgCallback done);
    void execute(PgStatement statement, PgCallback done);
    // Like execute(), but jobs with the same key run on the same connection, one after the
    // other in the order given (failing with Unavailable while it is down): writes to one
    // conversation from one worker commit in the order they were asked for.
    void executeInOrder(quint64 key, PgStatement statement, PgCallback done);

    bool isReady() const;
    int pendingJobs() const;

Q_SIGNALS:
    void idle(); // no job pending any more (used to drain at shutdown)
    void notification(const QString &channel, const QString &payload);
    // The listening connection (re)connected: notifications sent meanwhile were missed.
    void listenerReady();

private:
    void run(PgConnection *connection, std::vector<PgStatement> statements, PgCallback done);

    std::vector<PgConnection *> m_connections;
};

} // namespace tern::server
