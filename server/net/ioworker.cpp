// SPDX-License-Identifier: Apache-2.0
// IoWorker: one per worker thread. Owns the Connections made of the sockets the listener hands
// over, and the thread's PgPool and services.
#include "net/ioworker.h"

#include "service/callservice.h"
#include "service/fileservice.h"
#include "service/uploadverifications.h"
#include "store/filestore.h"

#include "cluster/connectionregistry.h"
#include "cluster/conversationowners.h"
#include "core/logging.h"
#include "net/requestrouter.h"
#include "service/contactservice.h"
#include "service/conversationservice.h"
#include "service/groupservice.h"
#include "service/messageservice.h"
#include "service/peopleservice.h"
#include "service/presenceservice.h"
#include "store/accountstore.h"
#include "store/contactstore.h"
#include "store/conversationstore.h"
#include "store/groupstore.h"
#include "store/messagestore.h"
#include "store/peoplestore.h"
#include "store/pgpool.h"
#include "store/presencestore.h"

#include <QTimer>

#include <algorithm>

#include <unistd.h>
#include <vector>

namespace tern::server {

namespace {
std::atomic<quint64> g_nextConnectionId {1};
constexpr int kShutdownGraceMs = 5000;
} // namespace

IoWorker::IoWorker(int index, WorkerShared shared)
    : m_index(index)
    , m_shared(std::move(shared))
{ }

IoWorker::~IoWorker() = default;

void IoWorker::initialize()
{
    m_pool = new PgPool(m_shared.dsn, m_shared.poolSize, m_shared.writers, this);
    m_pool->open();
    m_accounts = std::make_unique<AccountStore>(*m_pool);
    m_auth = new AuthService(*m_accounts, *m_shared.hasher, m_shared.limiters, m_shared.authPolicy,
                             this);
    Services services;
    services.auth = m_auth;
    m_fileStore = std::make_unique<FileStore>(*m_pool);
    m_people = std::make_unique<PeopleStore>(*m_pool);
    m_peopleService = std::make_unique<PeopleService>(*m_people, *m_fileStore, *m_shared.registry,
                                                      m_shared.presence);
    services.people = m_peopleService.get();
    m_contacts = std::make_unique<ContactStore>(*m_pool, m_shared.friendRequestLifetimeSeconds);
    services.contacts =
        new ContactService(*m_contacts, *m_shared.registry, m_shared.presence, this);
    m_presenceStore = std::make_unique<PresenceStore>(*m_pool);
    services.presence = new PresenceService(*m_presenceStore, *m_shared.presence, this);
    m_groupStore = std::make_unique<GroupStore>(*m_pool);
    services.groups = new GroupService(*m_groupStore, *m_fileStore, *m_shared.registry,
                                       GroupPolicy {m_shared.groupMemberLimit}, this);
    m_messageStore = std::make_unique<MessageStore>(*m_pool, m_shared.searchIndex);
    m_conversationStore = std::make_unique<ConversationStore>(*m_pool);
    services.messages = new MessageService(*m_messageStore, *m_fileStore, *m_shared.registry,
                                           *m_shared.owners, m_shared.messaging, this);
    m_shared.owners->set(m_index, services.messages);
    services.conversations = new ConversationService(
        *m_conversationStore, *m_messageStore, *m_shared.registry,
        {*m_shared.typingLimiter, *m_shared.searchLimits}, m_shared.messaging, this);
    services.files = new FileService(
        *m_fileStore, *m_shared.blobs,
        {*m_shared.fileHashers, *m_shared.transferSlots, *m_shared.uploadVerifications},
        m_shared.files, this);
    services.calls = new CallService(*m_pool, m_shared.calls, this);
    m_router = std::make_unique<RequestRouter>(services);

    // A quarter of the shortest deadline, within 20 ms .. 1 s: deadlines are kept to within
    // that, and a pass over 10,000 connections costs well under a millisecond.
    const ConnectionLimits &limits = m_shared.limits;
    const int shortest =
        std::min({limits.authDeadlineMs, limits.idleTimeoutMs, limits.pingIntervalMs});
    m_clock = new QTimer(this);
    connect(m_clock, &QTimer::timeout, this, &IoWorker::tick);
    m_clock->start(std::clamp(shortest / 4, 20, 1000));
}

void IoWorker::tick()
{
    const qint64 now = Connection::nowMs();
    // Acting may close a connection and so change m_connections: collect first.
    std::vector<quint64> due;
    for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it) {
        if (it.value()->clockDue(now))
            due.push_back(it.key());
    }
    for (const quint64 id : due) {
        if (Connection *connection = m_connections.value(id))
            connection->onClock(now);
    }
}

void IoWorker::adoptSocket(qintptr descriptor)
{
    if (m_shuttingDown) {
        ::close(int(descriptor));
        return;
    }
    const quint64 id = g_nextConnectionId.fetch_add(1);
    auto *connection = new Connection(id, descriptor, m_shared.limits, *m_router, this);
    m_connections.insert(id, connection);
    m_connectionCount.store(int(m_connections.size()));
    connect(connection, &Connection::authenticated, this,
            [this](quint64 connectionId, const Caller &caller) {
                // An answer to Login or Resume can come in the same loop turn as the close
                // that already took the connection out (it is deleted later): registering it
                // then would leave its user online for good.
                if (m_connections.contains(connectionId))
                    m_shared.registry->add({this, connectionId, caller.userId, caller.sessionId});
            });
    connect(connection, &Connection::deauthenticated, this,
            [this](quint64 connectionId, const Caller &caller) {
                m_shared.registry->remove({this, connectionId, caller.userId, caller.sessionId});
            });
    connect(connection, &Connection::closed, this, &IoWorker::onClosed);
    qCDebug(lcNet) << "worker" << m_index << "connection" << id << "from"
                   << connection->client().address;
}

void IoWorker::onClosed(quint64 connectionId)
{
    Connection *connection = m_connections.take(connectionId);
    if (!connection)
        return;
    if (const auto caller = connection->caller())
        m_shared.registry->remove({this, connectionId, caller->userId, caller->sessionId});
    m_connectionCount.store(int(m_connections.size()));
    connection->deleteLater();
    checkDrained();
}

void IoWorker::deliver(const std::vector<quint64> &connectionIds, const QByteArray &encodedFrame)
{
    for (const quint64 id : connectionIds) {
        if (Connection *connection = m_connections.value(id))
            connection->sendEncoded(encodedFrame);
    }
}

void IoWorker::endSession(quint64 connectionId, proto::SessionEnded::Reason reason)
{
    if (Connection *connection = m_connections.value(connectionId))
        connection->endSession(reason);
}

void IoWorker::beginShutdown()
{
    m_shuttingDown = true;
    for (Connection *connection : std::as_const(m_connections))
        connection->close(ws::CloseGoingAway, "server shutting down");
    connect(m_pool, &PgPool::idle, this, &IoWorker::checkDrained);
    // Do not wait forever for peers that ignore the close handshake.
    QTimer::singleShot(kShutdownGraceMs, this, [this] {
        if (m_shuttingDown) {
            qCWarning(lcNet) << "worker" << m_index << "shutdown grace period over";
            m_shuttingDown = false;
            Q_EMIT drained();
        }
    });
    checkDrained();
}

void IoWorker::checkDrained()
{
    if (m_shuttingDown && m_connections.isEmpty() && m_pool->pendingJobs() == 0) {
        m_shuttingDown = false;
        Q_EMIT drained();
    }
}

} // namespace tern::server
