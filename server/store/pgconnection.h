// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/pgtypes.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <QHash>

#include <deque>

struct pg_conn;
class QSocketNotifier;

namespace tern::server {

// One asynchronous libpq connection in pipeline mode, driven by the event loop of the thread
// it lives in. Jobs are queued, sent back to back without waiting for each other, and each
// job's statements run as one implicit transaction (they share a pipeline sync point), so many
// jobs share round trips. A broken connection fails its jobs with Kind::Unavailable and
// reconnects with backoff.
class PgConnection : public QObject
{
    Q_OBJECT
public:
    explicit PgConnection(QByteArray dsn, QObject *parent = nullptr);
    ~PgConnection() override;

    // LISTEN to these channels on every (re)connect; notifications arrive as signals.
    void setListenChannels(const QStringList &channels);

    void open();
    // Between reconnect attempts: try now instead of waiting for the backoff.
    void reconnectNow();
    bool isReady() const { return m_state == State::Ready; }
    int pendingJobs() const { return int(m_queued.size() + m_inFlight.size()); }

    // Runs the statements as one transaction; `done` is called exactly once, on this thread.
    // While a connection attempt is under way the job waits for it; while the database is
    // away (between attempts) it fails at once with Kind::Unavailable.
    void execute(std::vector<PgStatement> statements, PgCallback done);

    // Whether `sql` is prepared once per session (plain queries and data changes, after any
    // leading white space) rather than parsed and planned on every call (utility statements
    // such as LISTEN).
    static bool isPreparable(const char *sql);

Q_SIGNALS:
    void ready();
    void lost();
    void notification(const QString &channel, const QString &payload);

private:
    enum class State { Disconnected, Connecting, Ready };
    // What the pipeline answers for a job, in order: for each statement, the Parse of a
    // statement first prepared by this job (prepare = true), then the statement itself.
    struct ResultGroup
    {
        bool prepare = false;
        QByteArray sql; // prepare only: the statement text, to forget it if the Parse failed
    };
    struct Job
    {
        std::vector<PgStatement> statements;
        PgCallback done;
        std::vector<ResultGroup> groups;
        size_t groupIndex = 0;
        PgOutcome outcome;
    };

    void startConnect();
    void pollConnect();
    void onReadable();
    void onWritable();
    void sendQueued();
    // The prepared statement to run `sql` with, queueing its Parse (recorded in `job`) the
    // first time; empty for statements sent unprepared. `sent` false when libpq refused.
    QByteArray preparedName(Job &job, const char *sql, bool &sent);
    void flush();
    void readResults();
    void fail(const QString &why);
    void resetNotifiers();
    void finish(Job &job);

    QByteArray m_dsn;
    std::vector<QByteArray> m_listenSql; // kept alive: statements point into them
    pg_conn *m_conn = nullptr;
    State m_state = State::Disconnected;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    int m_socket = -1;
    std::deque<Job> m_queued;
    std::deque<Job> m_inFlight;
    // Statements prepared on this session, by SQL text: parsed and planned once per
    // connection instead of on every call.
    QHash<QByteArray, QByteArray> m_prepared;
    int m_preparedCount = 0;
    QTimer m_reconnectTimer;
    QTimer m_connectTimer;
    int m_backoffMs = 0;
};

} // namespace tern::server
