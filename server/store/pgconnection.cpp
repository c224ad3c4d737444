// SPDX-License-Identifier: Apache-2.0
// PgConnection: one pipelined libpq connection, owned by and used on a single thread (an I/O
// worker, or the main thread for health checks and LISTEN). No locks: everything happens in
// that thread's event loop.
#include "store/pgconnection.h"

#include "core/logging.h"

#include <QSocketNotifier>

#include <algorithm>

#include <libpq-fe.h>

namespace tern::server {

namespace {
constexpr int kMinBackoffMs = 100;
constexpr int kMaxBackoffMs = 5000;
// libpq's asynchronous connect has no timeout of its own.
constexpr int kConnectTimeoutMs = 10000;
constexpr int kMaxQueuedWhileConnecting = 10000;

PgError errorFrom(PGresult *result, pg_conn *conn)
{
    PgError error;
    error.kind = PgError::Kind::Query;
    if (const char *state = PQresultErrorField(result, PG_DIAG_SQLSTATE))
        error.sqlState = state;
    const char *text = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
    error.message = QString::fromUtf8(text).trimmed();
    return error;
}
} // namespace

PgConnection::PgConnection(QByteArray dsn, QObject *parent)
    : QObject(parent)
    , m_dsn(std::move(dsn))
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &PgConnection::startConnect);
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Connecting)
            fail(QStringLiteral("timed out connecting to the database"));
    });
}

PgConnection::~PgConnection()
{
    resetNotifiers();
    if (m_conn)
        PQfinish(m_conn);
}

void PgConnection::setListenChannels(const QStringList &channels)
{
    // Channel names are constants of the code, never input; quote them anyway.
    m_listenSql.clear();
    for (const QString &channel : channels)
        m_listenSql.push_back("LISTEN \"" + channel.toUtf8().replace('"', "\"\"") + '"');
}

void PgConnection::open()
{
    if (m_state == State::Disconnected && !m_reconnectTimer.isActive())
        startConnect();
}

void PgConnection::reconnectNow()
{
    if (m_state == State::Disconnected) {
        m_reconnectTimer.stop();
        startConnect();
    }
}

void PgConnection::execute(std::vector<PgStatement> statements, PgCallback done)
{
    Job job;
    job.statements = std::move(statements);
    job.done = std::move(done);
    if (m_state == State::Disconnected
        || (m_state == State::Connecting && int(m_queued.size()) >= kMaxQueuedWhileConnecting)) {
        // Fail fast rather than queue without bound while the database is away; callers turn
        // this into a retryable error.
        job.outcome.error = {
            PgError::Kind::Unavailable, {}, QStringLiteral("database unavailable")};
        QMetaObject::invokeMethod(
            this, [job = std::move(job)]() mutable { job.done(job.outcome); },
            Qt::QueuedConnection);
        return;
    }
    // While connecting (start-up, or a reconnect attempt) jobs wait for the outcome.
    m_queued.push_back(std::move(job));
    if (m_state == State::Ready)
        sendQueued();
}

void PgConnection::startConnect()
{
    if (m_conn)
        PQfinish(m_conn);
    resetNotifiers();
    m_state = State::Connecting;
    m_connectTimer.start(kConnectTimeoutMs);
    m_conn = PQconnectStart(m_dsn.constData());
    if (m_conn) // notices would go to stderr, outside the logging categories
        PQsetNoticeProcessor(
            m_conn, [](void *, const char *) {}, nullptr);
    if (!m_conn || PQstatus(m_conn) == CONNECTION_BAD) {
        fail(QString::fromUtf8(m_conn ? PQerrorMessage(m_conn) : "out of memory").trimmed());
        return;
    }
    pollConnect();
}

void PgConnection::resetNotifiers()
{
    delete m_readNotifier;
    delete m_writeNotifier;
    m_readNotifier = nullptr;
    m_writeNotifier = nullptr;
    m_socket = -1;
}

void PgConnection::pollConnect()
{
    const PostgresPollingStatusType status = PQconnectPoll(m_conn);
    const int socket = PQsocket(m_conn);
    if (socket != m_socket) {
        // libpq may switch sockets while trying several hosts.
        resetNotifiers();
        if (socket >= 0) {
            m_socket = socket;
            m_readNotifier = new QSocketNotifier(socket, QSocketNotifier::Read, this);
            m_writeNotifier = new QSocketNotifier(socket, QSocketNotifier::Write, this);
            connect(m_readNotifier, &QSocketNotifier::activated, this, &PgConnection::onReadable);
            connect(m_writeNotifier, &QSocketNotifier::activated, this, &PgConnection::onWritable);
        }
    }
    switch (status) {
    case PGRES_POLLING_READING:
        m_readNotifier->setEnabled(true);
        m_writeNotifier->setEnabled(false);
        return;
    case PGRES_POLLING_WRITING:
        m_readNotifier->setEnabled(false);
        m_writeNotifier->setEnabled(true);
        return;
    case PGRES_POLLING_FAILED:
        fail(QString::fromUtf8(PQerrorMessage(m_conn)).trimmed());
        return;
    case PGRES_POLLING_OK:
    default:
        break;
    }
    if (PQsetnonblocking(m_conn, 1) != 0 || PQenterPipelineMode(m_conn) != 1) {
        fail(QString::fromUtf8(PQerrorMessage(m_conn)).trimmed());
        return;
    }
    m_readNotifier->setEnabled(true);
    m_writeNotifier->setEnabled(false);
    m_connectTimer.stop();
    m_state = State::Ready;
    if (m_backoffMs > 0)
        qCInfo(lcStore) << "database connection re-established";
    m_backoffMs = 0;
    // LISTEN goes first, so no notification is missed by jobs queued while connecting.
    for (auto it = m_listenSql.rbegin(); it != m_listenSql.rend(); ++it) {
        const QByteArray sql = *it;
        Job listen;
        listen.statements.push_back(PgStatement {it->constData(), {}});
        listen.done = [sql](const PgOutcome &o) {
            if (!o.ok())
                qCWarning(lcStore) << sql << "failed:" << o.error.message;
        };
        m_queued.push_front(std::move(listen));
    }
    sendQueued();
    Q_EMIT ready();
}

void PgConnection::onReadable()
{
    if (m_state == State::Connecting) {
        pollConnect();
        return;
    }
    if (!PQconsumeInput(m_conn)) {
        fail(QString::fromUtf8(PQerrorMessage(m_conn)).trimmed());
        return;
    }
    readResults();
    if (m_state != State::Ready)
        return;
    while (PGnotify *notify = PQnotifies(m_conn)) {
        const QString channel = QString::fromUtf8(notify->relname);
        const QString payload = QString::fromUtf8(notify->extra);
        PQfreemem(notify);
        Q_EMIT notification(channel, payload);
    }
    if (PQstatus(m_conn) == CONNECTION_BAD)
        fail(QStringLiteral("connection to the database lost"));
}

void PgConnection::onWritable()
{
    if (m_state == State::Connecting) {
        pollConnect();
        return;
    }
    flush();
}

void PgConnection::sendQueued()
{
    while (!m_queued.empty()) {
        Job &job = m_queued.front();
        bool sent = true;
        // Parses first: nothing of the job's own can then abort them (a statement that fails
        // aborts the rest of its transaction).
        std::vector<QByteArray> names; // empty: sent unprepared
        for (const PgStatement &statement : job.statements) {
            names.push_back(preparedName(job, statement.sql, sent));
            if (!sent)
                break;
        }
        for (size_t i = 0; sent && i < job.statements.size(); ++i) {
            const PgStatement &statement = job.statements[i];
            std::vector<const char *> values;
            std::vector<int> lengths;
            values.reserve(statement.params.size());
            lengths.reserve(statement.params.size());
            for (const PgParam &param : statement.params) {
                values.push_back(param ? param->constData() : nullptr);
                lengths.push_back(param ? int(param->size()) : 0);
            }
            const std::vector<int> formats = pgParamFormats(statement);
            const int *formatCodes = formats.empty() ? nullptr : formats.data();
            const QByteArray &name = names[i];
            sent = !name.isEmpty()
                ? PQsendQueryPrepared(m_conn, name.constData(), int(values.size()), values.data(),
                                      lengths.data(), formatCodes, 0)
                : PQsendQueryParams(m_conn, statement.sql, int(values.size()), nullptr,
                                    values.data(), lengths.data(), formatCodes, 0);
            if (sent)
                job.groups.push_back({});
        }
        if (!sent || !PQpipelineSync(m_conn)) {
            fail(QString::fromUtf8(PQerrorMessage(m_conn)).trimmed());
            return;
        }
        m_inFlight.push_back(std::move(job));
        m_queued.pop_front();
    }
    flush();
}

bool PgConnection::isPreparable(const char *sql)
{
    // Only plain queries and data changes: utility statements (LISTEN) are sent as they are.
    // A statement that starts on a new line (a raw string literal) counts as what follows.
    static const char *const kPreparable[] = {"SELECT", "WITH", "INSERT", "UPDATE", "DELETE"};
    while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '\r')
        ++sql;
    return std::any_of(std::begin(kPreparable), std::end(kPreparable),
                       [sql](const char *verb) { return qstrncmp(sql, verb, qstrlen(verb)) == 0; });
}

QByteArray PgConnection::preparedName(Job &job, const char *sql, bool &sent)
{
    if (!isPreparable(sql))
        return {};
    const QByteArray text = QByteArray::fromRawData(sql, qstrlen(sql));
    auto it = m_prepared.constFind(text);
    if (it != m_prepared.constEnd())
        return it.value();
    // Names are never reused on a session, even after a failed Parse was forgotten.
    const QByteArray name = "t" + QByteArray::number(++m_preparedCount);
    if (!PQsendPrepare(m_conn, name.constData(), sql, 0, nullptr)) {
        sent = false;
        return {};
    }
    const QByteArray owned(sql); // the key outlives the caller's text
    job.groups.push_back({true, owned});
    m_prepared.insert(owned, name);
    return name;
}

void PgConnection::flush()
{
    const int pending = PQflush(m_conn);
    if (pending < 0) {
        fail(QString::fromUtf8(PQerrorMessage(m_conn)).trimmed());
        return;
    }
    m_writeNotifier->setEnabled(pending == 1);
}

void PgConnection::readResults()
{
    // Results arrive in order: for each statement one or more results then a null, then one
    // PGRES_PIPELINE_SYNC per job. Only ask for results while a job is in flight: with nothing
    // in flight PQgetResult keeps returning null.
    while (!m_inFlight.empty() && m_state == State::Ready && !PQisBusy(m_conn)) {
        Job &job = m_inFlight.front();
        PGresult *result = PQgetResult(m_conn);
        if (job.groupIndex < job.groups.size()) {
            if (!result) {
                ++job.groupIndex;
                continue;
            }
            const ResultGroup &group = job.groups[job.groupIndex];
            const auto status = PQresultStatus(result);
            if (group.prepare && status != PGRES_COMMAND_OK)
                m_prepared.remove(group.sql); // not prepared after all: Parse again next time
            switch (status) {
            case PGRES_TUPLES_OK:
            case PGRES_COMMAND_OK:
                if (group.prepare)
                    PQclear(result);
                else
                    job.outcome.results.emplace_back(result);
                break;
            case PGRES_PIPELINE_ABORTED:
                PQclear(result);
                break;
            default:
                if (job.outcome.ok())
                    job.outcome.error = errorFrom(result, m_conn);
                PQclear(result);
                break;
            }
            continue;
        }
        if (!result)
            continue;
        const auto status = PQresultStatus(result);
        PQclear(result);
        if (status != PGRES_PIPELINE_SYNC) {
            fail(QStringLiteral("unexpected result while waiting for a pipeline sync"));
            return;
        }
        Job done = std::move(job);
        m_inFlight.pop_front();
        finish(done);
    }
}

void PgConnection::finish(Job &job)
{
    if (!job.outcome.ok())
        job.outcome.results.clear();
    if (job.done)
        job.done(job.outcome);
}

void PgConnection::fail(const QString &why)
{
    const bool wasReady = m_state == State::Ready;
    m_state = State::Disconnected;
    m_connectTimer.stop();
    resetNotifiers();
    if (m_conn) {
        PQfinish(m_conn);
        m_conn = nullptr;
    }
    m_prepared.clear(); // prepared statements die with the session
    m_preparedCount = 0;
    std::deque<Job> failed;
    failed.swap(m_inFlight);
    for (auto &job : m_queued)
        failed.push_back(std::move(job));
    m_queued.clear();
    m_backoffMs = m_backoffMs == 0 ? kMinBackoffMs : std::min(m_backoffMs * 2, kMaxBackoffMs);
    if (wasReady || m_backoffMs == kMinBackoffMs)
        qCWarning(lcStore).noquote() << "database connection failed:" << why << "- retrying";
    m_reconnectTimer.start(m_backoffMs);
    for (auto &job : failed) {
        job.outcome.results.clear();
        job.outcome.error = {PgError::Kind::Unavailable, {}, why};
        finish(job);
    }
    if (wasReady)
        Q_EMIT lost();
}

} // namespace tern::server
