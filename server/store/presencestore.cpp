// SPDX-License-Identifier: Apache-2.0
// PresenceStore: the presence SQL. Runs on the thread of the PgPool it was given: an I/O
// worker's (GetPresence) or the presence tracker's (pushes, last seen).
#include "store/presencestore.h"

#include "store/pgpool.h"

namespace tern::server {

namespace {

// The PresenceFacts columns, for a subject aliased `u` and the subject's contact row about
// the viewer aliased `theirs` (may be missing: LEFT JOIN).
#define TERN_PRESENCE_FACT_COLUMNS                                                                 \
    " u.id, u.presence_visible_to, coalesce(theirs.is_friend, false),"                             \
    " coalesce(theirs.blocked, false), u.banned_at IS NOT NULL,"                                   \
    " coalesce((extract(epoch FROM u.last_seen_at) * 1000)::bigint, 0)"

PresenceFacts readFacts(const PgResult &r, int row, int column)
{
    PresenceFacts facts;
    facts.userId = r.int64(row, column);
    facts.audience = int(r.int64(row, column + 1));
    facts.friendOfSubject = r.boolean(row, column + 2);
    facts.blocksViewer = r.boolean(row, column + 3);
    facts.banned = r.boolean(row, column + 4);
    facts.lastSeenMs = r.int64(row, column + 5);
    return facts;
}

// A bigint[] parameter in PostgreSQL's text format: digits and commas only.
PgParam bigintArray(const QList<qint64> &values)
{
    QByteArray text = "{";
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            text += ',';
        text += QByteArray::number(values.at(i));
    }
    text += '}';
    return text;
}

void runFactsQuery(PgPool &pool, PgStatement statement,
                   StoreCallback<std::vector<PresenceFacts>> done)
{
    pool.execute(std::move(statement), [done = std::move(done)](const PgOutcome &o) {
        Stored<std::vector<PresenceFacts>> stored {o.error, {}};
        if (o.ok()) {
            const PgResult &r = o.results.front();
            std::vector<PresenceFacts> facts;
            facts.reserve(size_t(r.rowCount()));
            for (int row = 0; row < r.rowCount(); ++row)
                facts.push_back(readFacts(r, row, 0));
            stored.value = std::move(facts);
        }
        done(stored);
    });
}

} // namespace

PresenceStore::PresenceStore(PgPool &pool)
    : m_pool(pool)
{ }

void PresenceStore::factsFor(qint64 viewerId, const QList<qint64> &userIds,
                             StoreCallback<std::vector<PresenceFacts>> done)
{
    runFactsQuery(m_pool,
                  {"SELECT" TERN_PRESENCE_FACT_COLUMNS " FROM users u"
                   " LEFT JOIN contacts theirs ON theirs.owner_id = u.id AND theirs.peer_id = $1"
                   " WHERE u.id = ANY($2::bigint[])",
                   {pgInt(viewerId), bigintArray(userIds)}},
                  std::move(done));
}

void PresenceStore::friendsOf(qint64 viewerId, StoreCallback<std::vector<PresenceFacts>> done)
{
    runFactsQuery(m_pool,
                  {"SELECT" TERN_PRESENCE_FACT_COLUMNS " FROM contacts mine"
                   " JOIN users u ON u.id = mine.peer_id"
                   " LEFT JOIN contacts theirs ON theirs.owner_id = u.id AND theirs.peer_id = $1"
                   " WHERE mine.owner_id = $1 AND mine.is_friend ORDER BY u.id",
                   {pgInt(viewerId)}},
                  std::move(done));
}

void PresenceStore::subscribersOf(qint64 userId,
                                  StoreCallback<std::vector<PresenceSubscriber>> done)
{
    // Friendship rows exist in both directions (tern_set_friends), so the subject's own rows
    // (primary-key prefix) lead to the viewers, whose rows say whether they count it a friend.
    m_pool.execute({"SELECT mine.owner_id," TERN_PRESENCE_FACT_COLUMNS " FROM users u"
                    " JOIN contacts theirs ON theirs.owner_id = u.id"
                    " JOIN contacts mine ON mine.owner_id = theirs.peer_id AND mine.peer_id = u.id"
                    " WHERE u.id = $1 AND mine.is_friend",
                    {pgInt(userId)}},
                   [done = std::move(done)](const PgOutcome &o) {
                       Stored<std::vector<PresenceSubscriber>> stored {o.error, {}};
                       if (o.ok()) {
                           const PgResult &r = o.results.front();
                           std::vector<PresenceSubscriber> subscribers;
                           subscribers.reserve(size_t(r.rowCount()));
                           for (int row = 0; row < r.rowCount(); ++row)
                               subscribers.push_back({r.int64(row, 0), readFacts(r, row, 1)});
                           stored.value = std::move(subscribers);
                       }
                       done(stored);
                   });
}

PgStatement PresenceStore::lastSeenStatement(const QList<std::pair<qint64, qint64>> &lastSeen)
{
    QList<qint64> ids;
    QList<qint64> times;
    for (const auto &[userId, ms] : lastSeen) {
        ids.append(userId);
        times.append(ms);
    }
    return {
        "UPDATE users u SET last_seen_at = greatest(u.last_seen_at, to_timestamp(v.ms / 1000.0))"
        " FROM unnest($1::bigint[], $2::bigint[]) AS v(id, ms) WHERE u.id = v.id",
        {bigintArray(ids), bigintArray(times)}};
}

void PresenceStore::setLastSeen(const QList<std::pair<qint64, qint64>> &lastSeen,
                                StoreCallback<bool> done)
{
    m_pool.execute(lastSeenStatement(lastSeen), [done = std::move(done)](const PgOutcome &o) {
        Stored<bool> stored {o.error, {}};
        if (o.ok())
            stored.value = true;
        done(stored);
    });
}

#undef TERN_PRESENCE_FACT_COLUMNS

} // namespace tern::server
