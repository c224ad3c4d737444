// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/config.h"

#include <QObject>

#include <memory>
#include <vector>

class QThread;

class QThreadPool;

namespace tern::server {

class DiskBlobStore;
class FileJanitor;
class SearchIndexUpkeep;
class TransferSlots;
class UploadVerifications;
class CallRegistry;

class EmbeddedCluster;
class PgPool;
class HealthServer;
class IoWorker;
class Listener;
class PasswordHasher;
class RateLimiter;
class SearchLimits;
class SessionEvents;
class GroupEvents;
class PresenceTracker;
class ConnectionRegistry;
class ConversationOwners;

// The whole daemon: database (embedded or external), migrations, I/O workers, listener,
// session and group events, health endpoint, started in that order and stopped in reverse.
// Lives on the main thread.
class Server : public QObject
{
    Q_OBJECT
public:
    explicit Server(ServerConfig config, QObject *parent = nullptr);
    ~Server() override;

    // Blocking start-up. Returns an empty string, or an error that says what to do.
    QString start();
    // Asynchronous, clean shutdown; emits stopped() at the end. Safe to call twice.
    void stop();
    // Synchronous teardown of whatever start() brought up (used when start() fails).
    void stopNow();

    Endpoint listening() const;
    std::optional<Endpoint> healthListening() const;

Q_SIGNALS:
    void stopped();

private:
    QString prepareDatabase();
    void startWorkers();
    void stopWorkers();
    void onWorkerDrained();
    QByteArray metrics() const;

    ServerConfig m_config;
    QByteArray m_dsn;
    std::unique_ptr<EmbeddedCluster> m_cluster;
    std::unique_ptr<PasswordHasher> m_hasher;
    std::unique_ptr<RateLimiter> m_perAccount;
    std::unique_ptr<RateLimiter> m_perAddress;
    // One typing notice per user and conversation per interval, across workers.
    std::unique_ptr<RateLimiter> m_typingLimiter;
    // Searches per user: how many at a time, how much database time per minute.
    std::unique_ptr<SearchLimits> m_searchLimits;
    std::unique_ptr<DiskBlobStore> m_blobs;
    std::unique_ptr<QThreadPool> m_fileHashers;
    std::unique_ptr<TransferSlots> m_transferSlots;
    std::unique_ptr<UploadVerifications> m_uploadVerifications;
    FileJanitor *m_fileJanitor = nullptr;
    std::unique_ptr<ConversationOwners> m_owners;
    std::unique_ptr<ConnectionRegistry> m_registry;
    std::vector<IoWorker *> m_workers;
    std::vector<QThread *> m_threads;
    Listener *m_listener = nullptr;
    HealthServer *m_health = nullptr;
    SessionEvents *m_sessionEvents = nullptr;
    GroupEvents *m_groupEvents = nullptr; // pushes group events made by ternctl
    PgPool *m_clusterListener = nullptr; // their shared listening connection
    PresenceTracker *m_presence = nullptr; // outlives the workers, which call into it
    CallRegistry *m_calls = nullptr; // likewise
    SearchIndexUpkeep *m_searchIndex = nullptr; // likewise
    int m_workersDraining = 0;
    bool m_stopping = false;
};

} // namespace tern::server
