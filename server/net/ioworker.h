// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "net/connection.h"
#include "service/authservice.h"
#include "service/filepolicy.h"
#include "service/messagingpolicy.h"
#include "tern/limits.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>
#include <vector>

class QThreadPool;

namespace tern::server {

class BlobStore;
class FileStore;
class TransferSlots;
class UploadVerifications;
class CallRegistry;

class AccountStore;
class ContactStore;
class ConversationOwners;
class ConversationStore;
class GroupStore;
class MessageStore;
class PeopleService;
class PeopleStore;
class PgPool;
class PresenceStore;
class PresenceTracker;
class RateLimiter;
class SearchLimits;
class RequestRouter;
class SearchIndexUpkeep;
class ConnectionRegistry;

// What every worker shares (all thread-safe or read-only).
struct WorkerShared
{
    QByteArray dsn;
    int poolSize = 2;
    int writers = 1; // of the pool's connections, those that write sends (PgPool)
    ConnectionLimits limits;
    AuthPolicy authPolicy;
    PasswordHasher *hasher = nullptr;
    LoginLimiters limiters;
    ConnectionRegistry *registry = nullptr;
    int friendRequestLifetimeSeconds = 30 * 24 * 3600;
    PresenceTracker *presence = nullptr; // lives on the main thread
    int groupMemberLimit = limits::kDefaultGroupMemberLimit;
    MessagingPolicy messaging;
    RateLimiter *typingLimiter = nullptr;
    SearchLimits *searchLimits = nullptr;
    ConversationOwners *owners = nullptr;
    BlobStore *blobs = nullptr;
    QThreadPool *fileHashers = nullptr;
    TransferSlots *transferSlots = nullptr;
    UploadVerifications *uploadVerifications = nullptr;
    CallRegistry *calls = nullptr; // lives on the main thread
    FilePolicy files;
    SearchIndexUpkeep *searchIndex = nullptr; // lives on the main thread
};

// An I/O worker: a thread with its own event loop, its own connections, its own database pool
// and its own service instances. The listener hands it accepted sockets; each becomes a
// Connection, which upgrades it to a WebSocket, and the worker owns it until it closes.
class IoWorker : public QObject
{
    Q_OBJECT
public:
    IoWorker(int index, WorkerShared shared);
    ~IoWorker() override;

    // Called on the worker thread once it runs.
    void initialize();
    // Adopts an accepted socket; called (queued) from the listener.
    void adoptSocket(qintptr descriptor);
    // Sends an already encoded frame (a push) on some of this worker's connections.
    void deliver(const std::vector<quint64> &connectionIds, const QByteArray &encodedFrame);
    // The session of this connection ended elsewhere.
    void endSession(quint64 connectionId, proto::SessionEnded::Reason reason);
    // Closes every connection and waits for database work in flight; then emits drained().
    void beginShutdown();

    int connectionCount() const { return m_connectionCount.load(); }

Q_SIGNALS:
    void drained();

private:
    void onClosed(quint64 connectionId);
    void checkDrained();
    // The one clock of this worker's connections: handshake and authentication deadlines,
    // idle timeouts and keepalive pings.
    void tick();

    int m_index;
    WorkerShared m_shared;
    PgPool *m_pool = nullptr;
    std::unique_ptr<AccountStore> m_accounts;
    AuthService *m_auth = nullptr;
    std::unique_ptr<PeopleStore> m_people;
    std::unique_ptr<PeopleService> m_peopleService;
    std::unique_ptr<ContactStore> m_contacts;
    std::unique_ptr<PresenceStore> m_presenceStore;
    std::unique_ptr<FileStore> m_fileStore;
    std::unique_ptr<GroupStore> m_groupStore;
    std::unique_ptr<MessageStore> m_messageStore;
    std::unique_ptr<ConversationStore> m_conversationStore;
    std::unique_ptr<RequestRouter> m_router;
    QHash<quint64, Connection *> m_connections;
    QTimer *m_clock = nullptr;
    std::atomic<int> m_connectionCount {0};
    bool m_shuttingDown = false;
};

} // namespace tern::server
