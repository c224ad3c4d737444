// SPDX-License-Identifier: Apache-2.0
// SearchIndexUpkeep: merges the search index's pending list on a connection of its own.
#include "store/searchindexupkeep.h"

#include "core/logging.h"
#include "store/pgpool.h"

namespace tern::server {

SearchIndexUpkeep::SearchIndexUpkeep(const QByteArray &dsn, QObject *parent)
    : QObject(parent)
    , m_pool(new PgPool(dsn, 1, 1, this))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &SearchIndexUpkeep::merge);
}

void SearchIndexUpkeep::start()
{
    m_pool->open();
}

void SearchIndexUpkeep::noteInserted()
{
    // One wake-up of the main thread per quiet-to-busy change, not one per batch; an idle
    // server sets no timer at all.
    if (!m_dirty.exchange(true, std::memory_order_relaxed))
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (!m_merging && !m_timer.isActive())
                    m_timer.start();
            },
            Qt::QueuedConnection);
}

void SearchIndexUpkeep::merge()
{
    if (m_disabled)
        return;
    m_merging = true;
    m_dirty.store(false, std::memory_order_relaxed);
    m_pool->execute(PgStatement {"SELECT gin_clean_pending_list('messages_search'::regclass)", {}},
                    [this](const PgOutcome &o) {
                        m_merging = false;
                        if (o.error.kind == PgError::Kind::Query) {
                            // Say, ternd's database user does not own the index (an external
                            // database set up by hand): inserts then merge as they always did.
                            qCWarning(lcServer).noquote()
                                << "search index upkeep stops, inserts merge the pending list"
                                   " themselves:"
                                << o.error.message;
                            m_disabled = true;
                            return;
                        }
                        if (!o.ok()) // the database is away: again after the delay
                            m_dirty.store(true, std::memory_order_relaxed);
                        // Sends that committed during the merge: another one, after the delay.
                        if (m_dirty.load(std::memory_order_relaxed))
                            m_timer.start();
                    });
}

} // namespace tern::server
