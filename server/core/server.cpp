// SPDX-License-Identifier: Apache-2.0
// Server: main thread. Wires the components together, owns their threads, and runs the
// start-up and shutdown sequences.
#include "core/server.h"

#include "service/callregistry.h"
#include "service/filejanitor.h"
#include "service/messageservice.h"
#include "service/transferslots.h"
#include "service/uploadverifications.h"
#include "store/blobstore.h"

#include "cluster/connectionregistry.h"
#include "cluster/conversationowners.h"
#include "cluster/groupevents.h"
#include "cluster/sessionevents.h"
#include "core/healthserver.h"
#include "core/logging.h"
#ifdef Q_OS_LINUX
#include "net/epolldispatcher.h"
#endif
#include "net/ioworker.h"
#include "net/listener.h"
#include "service/passwordhasher.h"
#include "service/presencetracker.h"
#include "service/ratelimiter.h"
#include "service/searchlimits.h"
#include "store/accountstore.h"
#include "store/embeddedcluster.h"
#include "store/groupstore.h"
#include "store/migrator.h"
#include "store/pgpool.h"
#include "store/pgsession.h"
#include "store/searchindexupkeep.h"
#include "tern/limits.h"

#include <QDir>
#include <QFile>
#include <QThread>
#include <QThreadPool>

namespace tern::server {

Server::Server(ServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{ }

Server::~Server()
{
    stopWorkers();
}

void Server::stopWorkers()
{
    // Let hashing still in flight post its results while the workers can take them.
    m_hasher.reset();
    if (m_fileHashers)
        m_fileHashers->waitForDone();
    // Each worker is deleted on its own thread as that thread finishes, so its timers and
    // sockets are torn down where they live.
    for (size_t i = 0; i < m_threads.size(); ++i) {
        connect(m_threads[i], &QThread::finished, m_workers[i], &QObject::deleteLater);
        m_threads[i]->quit();
    }
    for (QThread *thread : m_threads)
        thread->wait();
    m_workers.clear();
    m_threads.clear();
}

QString Server::prepareDatabase()
{
    if (!QDir().mkpath(m_config.dataDir))
        return QStringLiteral("cannot create data directory ") + m_config.dataDir;
    QFile::setPermissions(m_config.dataDir,
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup
                              | QFile::ExeOther);
    m_dsn = m_config.databaseDsn;
    if (m_dsn.isEmpty()) {
        EmbeddedCluster::Options options;
        options.clusterDir = QDir(m_config.dataDir).filePath(QStringLiteral("postgres"));
        options.socketDir = EmbeddedCluster::socketDirFor(m_config.dataDir);
        options.runAsUser = m_config.embeddedUser;
        m_cluster = std::make_unique<EmbeddedCluster>(options);
        if (QString error = m_cluster->start(); !error.isEmpty())
            return QStringLiteral("embedded PostgreSQL: ") + error;
        m_dsn = m_cluster->dsn();
    }
    PgSession session;
    if (QString error = session.connect(m_dsn); !error.isEmpty()) {
        return QStringLiteral("cannot connect to the database (database/dsn): %1").arg(error);
    }
    Migrator migrator(session);
    if (QString error = migrator.migrate(); !error.isEmpty())
        return error;
    qCInfo(lcStore) << "database schema at version" << migrator.appliedVersion();
    return {};
}

void Server::startWorkers()
{
    // One core is always left to the I/O threads: Argon2 is memory-hard, and hashing on every
    // core at once slows everyone's messages however low its priority (ternbench login).
    m_hasher = std::make_unique<PasswordHasher>(m_config.argon2Ops, m_config.argon2MemKiB * 1024,
                                                std::max(1, QThread::idealThreadCount() - 1));
    const std::chrono::seconds window(m_config.loginWindowSeconds);
    m_perAccount = std::make_unique<RateLimiter>(m_config.loginFailuresPerAccount, window);
    m_perAddress = std::make_unique<RateLimiter>(m_config.loginAttemptsPerAddress, window);
    m_typingLimiter =
        std::make_unique<RateLimiter>(1, std::chrono::milliseconds(limits::kTypingIntervalMs));
    m_searchLimits = std::make_unique<SearchLimits>();
    m_registry = std::make_unique<ConnectionRegistry>();

    WorkerShared shared;
    shared.dsn = m_dsn;
    shared.poolSize = m_config.effectivePoolSize();
    shared.writers = m_config.writersPerWorker();
    shared.hasher = m_hasher.get();
    shared.limiters = {m_perAccount.get(), m_perAddress.get()};
    shared.registry = m_registry.get();
    shared.friendRequestLifetimeSeconds = m_config.friendRequestLifetimeSeconds;
    shared.groupMemberLimit = m_config.groupMemberLimit;
    shared.messaging = m_config.messaging;
    shared.typingLimiter = m_typingLimiter.get();
    shared.searchLimits = m_searchLimits.get();
    // Whole-content hashing of finished uploads: one thread, like the password hashing it
    // must not crowd out the I/O threads.
    m_fileHashers = std::make_unique<QThreadPool>();
    m_fileHashers->setMaxThreadCount(1);
    shared.blobs = m_blobs.get();
    shared.fileHashers = m_fileHashers.get();
    // A transfer untouched for a minute (the client went away) gives its slot back.
    m_transferSlots =
        std::make_unique<TransferSlots>(m_config.files.maxConcurrentTransfers, 60'000);
    shared.transferSlots = m_transferSlots.get();
    m_uploadVerifications = std::make_unique<UploadVerifications>();
    shared.uploadVerifications = m_uploadVerifications.get();
    shared.files = m_config.files;
    shared.files.chunkBytes = m_config.maxFrameBytes - 1024;
    m_owners = std::make_unique<ConversationOwners>(m_config.workers);
    shared.owners = m_owners.get();
    m_presence = new PresenceTracker(m_dsn, *m_registry, m_config.presenceCoalesceMs, this);
    m_presence->start();
    shared.presence = m_presence;
    m_calls = new CallRegistry(*m_registry, m_config.calls, this);
    m_calls->start();
    // A call's record is an entry of its conversation, written by the conversation's owner.
    m_calls->setRecorder([owners = m_owners.get()](const proto::Call &call) {
        MessageService *owner = owners->ownerOf(qint64(call.conversation_id()));
        if (owner)
            QMetaObject::invokeMethod(
                owner, [owner, call] { owner->recordCall(call); }, Qt::QueuedConnection);
    });
    shared.calls = m_calls;
    m_searchIndex = new SearchIndexUpkeep(m_dsn, this);
    m_searchIndex->start();
    shared.searchIndex = m_searchIndex;
    ConnectionLimits &limits = shared.limits;
    limits.maxFrameBytes = m_config.maxFrameBytes;
    limits.authDeadlineMs = m_config.authDeadlineMs;
    limits.idleTimeoutMs = m_config.idleTimeoutMs;
    limits.pingIntervalMs = m_config.pingIntervalMs;
    limits.maxSendQueueBytes = m_config.maxSendQueueBytes;
    limits.maxRequestsInFlight = m_config.maxRequestsInFlight;
    proto::ServerLimits &advertised = limits.advertised;
    advertised.set_max_frame_bytes(m_config.maxFrameBytes);
    advertised.set_min_username_length(quint32(shared.authPolicy.minUsernameLength));
    advertised.set_max_username_length(quint32(shared.authPolicy.maxUsernameLength));
    advertised.set_max_display_name_length(quint32(shared.authPolicy.maxDisplayNameLength));
    advertised.set_min_password_length(quint32(shared.authPolicy.minPasswordLength));
    advertised.set_max_password_length(quint32(shared.authPolicy.maxPasswordLength));
    advertised.set_auth_deadline_ms(quint32(m_config.authDeadlineMs));
    advertised.set_idle_timeout_ms(quint32(m_config.idleTimeoutMs));
    advertised.set_ping_interval_ms(quint32(m_config.pingIntervalMs));
    advertised.set_max_group_members(quint32(m_config.groupMemberLimit));
    advertised.set_max_requests_in_flight(quint32(m_config.maxRequestsInFlight));
    advertised.set_max_message_text_length(quint32(m_config.messaging.maxTextLength));
    advertised.set_max_thumbnail_bytes(quint32(limits::kMaxThumbnailBytes));
    advertised.set_edit_window_s(quint32(m_config.messaging.editWindowSeconds));
    advertised.set_recall_window_s(quint32(m_config.messaging.recallWindowSeconds));
    advertised.set_max_file_bytes(quint64(m_config.files.maxFileBytes));
    advertised.set_max_file_chunk_bytes(shared.files.chunkBytes);
    advertised.set_file_quota_bytes(quint64(m_config.files.quotaBytes));
    advertised.set_max_concurrent_transfers(quint32(m_config.files.maxConcurrentTransfers));
    advertised.set_call_ring_timeout_s(quint32(m_config.calls.ringTimeoutSeconds));
    advertised.set_call_reconnect_grace_s(quint32(m_config.calls.reconnectGraceSeconds));

    for (int i = 0; i < m_config.workers; ++i) {
        auto *thread = new QThread(this);
        thread->setObjectName(QStringLiteral("io-%1").arg(i));
#ifdef Q_OS_LINUX
        // epoll: a wake-up costs what the active sockets need, not what all of them do.
        thread->setEventDispatcher(new EpollDispatcher);
#endif
        auto *worker = new IoWorker(i, shared);
        worker->moveToThread(thread);
        connect(worker, &IoWorker::drained, this, &Server::onWorkerDrained, Qt::QueuedConnection);
        thread->start();
        QMetaObject::invokeMethod(worker, &IoWorker::initialize, Qt::BlockingQueuedConnection);
        m_workers.push_back(worker);
        m_threads.push_back(thread);
    }
}

QString Server::start()
{
    if (QString error = prepareDatabase(); !error.isEmpty())
        return error;
    m_blobs =
        std::make_unique<DiskBlobStore>(QDir(m_config.dataDir).filePath(QStringLiteral("files")));
    if (QString error; !m_blobs->open(&error))
        return QStringLiteral("the file store: %1").arg(error);
    startWorkers();
    m_fileJanitor = new FileJanitor(m_dsn, *m_blobs, m_config.files.partialLifetimeSeconds,
                                    m_config.files.janitorIntervalSeconds, this);
    m_fileJanitor->start();

    // One listening connection for what other processes announce: ended sessions, group
    // events made by ternctl and the invitations and requests to join a ban cancelled.
    m_clusterListener = new PgPool(m_dsn, 1, 1, this);
    m_clusterListener->setListenChannels({QLatin1String(kSessionEndedChannel),
                                          QLatin1String(kGroupEventChannel),
                                          QLatin1String(kGroupCancelledChannel)});
    m_sessionEvents = new SessionEvents(*m_clusterListener, *m_registry, this);
    m_groupEvents = new GroupEvents(*m_clusterListener, *m_registry, this);
    m_clusterListener->open();

    m_listener = new Listener(m_workers, this);
    if (!m_listener->listen(m_config.listen.address, m_config.listen.port)) {
        return QStringLiteral("cannot listen on %1 (server/listen): %2")
            .arg(m_config.listen.toString(), m_listener->errorString());
    }
    if (m_config.health) {
        m_health = new HealthServer(
            m_dsn, [this] { return metrics(); }, this);
        if (!m_health->listen(m_config.health->address, m_config.health->port)) {
            return QStringLiteral("cannot listen on %1 (server/health_listen): %2")
                .arg(m_config.health->toString(), m_health->errorString());
        }
    }
    qCInfo(lcServer).noquote() << "ternd" << TERN_VERSION << "with" << m_workers.size()
                               << "I/O workers on" << listening().toString();
    return {};
}

Endpoint Server::listening() const
{
    return {m_listener->serverAddress(), m_listener->serverPort()};
}

std::optional<Endpoint> Server::healthListening() const
{
    if (!m_health)
        return std::nullopt;
    return Endpoint {m_health->serverAddress(), m_health->serverPort()};
}

QByteArray Server::metrics() const
{
    int connections = 0;
    for (const IoWorker *worker : m_workers)
        connections += worker->connectionCount();
    const auto gauge = [](const char *name, const char *help, qint64 value) -> QByteArray {
        return QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + " gauge\n" + name
            + ' ' + QByteArray::number(value) + '\n';
    };
    return gauge("tern_connections", "Open WebSocket connections.", connections)
        + gauge("tern_sessions", "Authenticated sessions with a connection here.",
                m_registry ? m_registry->sessionCount() : 0)
        + gauge("tern_online_users", "Users with at least one authenticated connection here.",
                m_registry ? m_registry->userCount() : 0);
}

void Server::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    qCInfo(lcServer) << "shutting down";
    if (m_listener)
        m_listener->close();
    if (m_health)
        m_health->close();
    m_workersDraining = int(m_workers.size());
    if (m_workersDraining == 0)
        return stopNow();
    for (IoWorker *worker : m_workers)
        QMetaObject::invokeMethod(worker, &IoWorker::beginShutdown, Qt::QueuedConnection);
}

void Server::onWorkerDrained()
{
    if (--m_workersDraining == 0)
        stopNow();
}

void Server::stopNow()
{
    stopWorkers();
    delete m_fileJanitor;
    m_fileJanitor = nullptr;
    delete m_sessionEvents;
    m_sessionEvents = nullptr;
    delete m_groupEvents;
    m_groupEvents = nullptr;
    delete m_clusterListener;
    m_clusterListener = nullptr;
    delete m_health;
    m_health = nullptr;
    delete m_calls; // the workers are gone: nothing calls it any more
    m_calls = nullptr;
    if (m_presence) { // the workers are gone: nothing calls it any more
        m_presence->flush();
        delete m_presence;
        m_presence = nullptr;
    }
    if (m_cluster) {
        if (QString error = m_cluster->stop(); !error.isEmpty())
            qCWarning(lcServer).noquote() << error;
    }
    qCInfo(lcServer) << "stopped";
    Q_EMIT stopped();
}

} // namespace tern::server
