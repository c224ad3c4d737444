// SPDX-License-Identifier: Apache-2.0
// MessageStore: cached history entries and their search index, GUI thread.
#include "messagestore.h"

#include "clientlog.h"
#include "entryevents.h"
#include "localcache.h"
#include "searchterms.h"

#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace tern::client {

namespace {

QByteArray bytesOf(const proto::Message &m)
{
    const std::string s = m.SerializeAsString();
    return QByteArray(s.data(), qsizetype(s.size()));
}

proto::Message messageOf(const QVariant &blob)
{
    const QByteArray bytes = blob.toByteArray();
    proto::Message m;
    m.ParseFromArray(bytes.constData(), int(bytes.size()));
    return m;
}

bool isShown(const proto::Message &m)
{
    return !m.hidden_for_me() && (m.has_content() || m.has_group_event() || m.recalled());
}

QString searchableText(const proto::Message &m)
{
    if (!m.has_content())
        return {};
    QString text = QString::fromStdString(m.content().text());
    if (m.content().has_file())
        text += QLatin1Char(' ') + QString::fromStdString(m.content().file().name());
    return text;
}

} // namespace

MessageStore::MessageStore(LocalCache &cache, QObject *parent)
    : QObject(parent)
    , m_cache(cache)
{ }

int MessageStore::store(quint64 conversationId, const std::vector<proto::Message> &entries)
{
    int added = 0;
    std::vector<proto::Message> plain; // added, not events
    LocalCache::Transaction tx(m_cache);
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral(
        "INSERT OR IGNORE INTO messages (conversation_id, seq, sender_id, client_msg_id,"
        " sent_at_ms, shown, entry, target_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const proto::Message &m : entries) {
        if (m.conversation_id() != conversationId || m.seq() == 0)
            continue;
        q.addBindValue(qulonglong(conversationId));
        q.addBindValue(qulonglong(m.seq()));
        q.addBindValue(qulonglong(m.sender_id()));
        q.addBindValue(QString::fromStdString(m.client_msg_id()));
        q.addBindValue(qlonglong(m.sent_at_ms()));
        q.addBindValue(isShown(m) ? 1 : 0);
        q.addBindValue(bytesOf(m));
        const quint64 target = eventTargetSeq(m);
        q.addBindValue(target != 0 ? QVariant(qulonglong(target))
                                   : QVariant(QMetaType::fromType<qulonglong>()));
        if (!q.exec()) {
            qCWarning(lcCache) << "storing an entry failed:" << q.lastError().text();
            return 0;
        }
        if (q.numRowsAffected() == 0)
            continue;
        ++added;
        if (target != 0)
            applyEvent(m);
        else
            plain.push_back(m);
    }
    if (!plain.empty())
        catchUpWithEvents(plain);
    for (const proto::Message &m : plain)
        index(m);
    tx.commit();
    if (added > 0)
        Q_EMIT entriesChanged(conversationId);
    return added;
}

void MessageStore::applyEvent(const proto::Message &event)
{
    std::optional<proto::Message> m = get(event.conversation_id(), eventTargetSeq(event));
    if (!m)
        return; // outside what we hold: history fetched later comes with the change applied
    applyEntryEvent(event, *m);
    rewrite(*m, isShown(*m));
    index(*m);
}

void MessageStore::catchUpWithEvents(std::vector<proto::Message> &added)
{
    // A page read by the server before an edit or recall can arrive after that event's push,
    // which found nothing here to change: apply what this cache holds for these entries, in
    // order. Applied again, a change the server had already made changes nothing; an edit older
    // than an entry's last one is skipped. One query for the whole page.
    const auto [lowest, highest] = std::minmax_element(
        added.begin(), added.end(),
        [](const proto::Message &a, const proto::Message &b) { return a.seq() < b.seq(); });
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("SELECT entry FROM messages WHERE conversation_id = ?"
                             " AND target_seq BETWEEN ? AND ? ORDER BY seq"));
    q.addBindValue(qulonglong(lowest->conversation_id()));
    q.addBindValue(qulonglong(lowest->seq()));
    q.addBindValue(qulonglong(highest->seq()));
    if (!q.exec()) {
        qCWarning(lcCache) << "reading events failed:" << q.lastError().text();
        return;
    }
    while (q.next()) {
        const proto::Message event = messageOf(q.value(0));
        const quint64 target = eventTargetSeq(event);
        auto it = std::find_if(added.begin(), added.end(),
                               [&](const proto::Message &m) { return m.seq() == target; });
        if (it == added.end() || (event.has_edit() && it->edited_at_ms() >= event.sent_at_ms()))
            continue;
        applyEntryEvent(event, *it);
        rewrite(*it, isShown(*it));
    }
}

void MessageStore::rewrite(const proto::Message &entry, bool shown)
{
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral(
        "UPDATE messages SET entry = ?, shown = ? WHERE conversation_id = ? AND seq = ?"));
    q.addBindValue(bytesOf(entry));
    q.addBindValue(shown ? 1 : 0);
    q.addBindValue(qulonglong(entry.conversation_id()));
    q.addBindValue(qulonglong(entry.seq()));
    if (!q.exec())
        qCWarning(lcCache) << "updating an entry failed:" << q.lastError().text();
}

void MessageStore::index(const proto::Message &entry)
{
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("DELETE FROM message_search WHERE conversation_id = ? AND seq = ?"));
    q.addBindValue(qulonglong(entry.conversation_id()));
    q.addBindValue(qulonglong(entry.seq()));
    q.exec();
    const QString text = searchableText(entry);
    if (text.isEmpty() || entry.hidden_for_me())
        return;
    q.prepare(QStringLiteral(
        "INSERT INTO message_search (terms, conversation_id, seq) VALUES (?, ?, ?)"));
    q.addBindValue(searchTerms(text).join(QLatin1Char(' ')));
    q.addBindValue(qulonglong(entry.conversation_id()));
    q.addBindValue(qulonglong(entry.seq()));
    if (!q.exec())
        qCWarning(lcCache) << "indexing failed:" << q.lastError().text();
}

quint64 MessageStore::contiguousEnd(quint64 conversationId, quint64 fromSeq) const
{
    quint64 end = fromSeq;
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral(
        "SELECT seq FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq"));
    q.addBindValue(qulonglong(conversationId));
    q.addBindValue(qulonglong(fromSeq));
    q.exec();
    while (q.next() && q.value(0).toULongLong() == end + 1)
        ++end;
    return end;
}

std::vector<proto::Message> MessageStore::page(quint64 conversationId, quint64 beforeSeq,
                                               int limit) const
{
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("SELECT entry FROM messages WHERE conversation_id = ? AND seq < ?"
                             " AND shown = 1 ORDER BY seq DESC LIMIT ?"));
    q.addBindValue(qulonglong(conversationId));
    q.addBindValue(beforeSeq == 0 ? qlonglong(std::numeric_limits<qint64>::max())
                                  : qlonglong(beforeSeq));
    q.addBindValue(limit);
    q.exec();
    std::vector<proto::Message> result;
    while (q.next())
        result.push_back(messageOf(q.value(0)));
    std::reverse(result.begin(), result.end());
    return result;
}

std::optional<proto::Message> MessageStore::get(quint64 conversationId, quint64 seq) const
{
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("SELECT entry FROM messages WHERE conversation_id = ? AND seq = ?"));
    q.addBindValue(qulonglong(conversationId));
    q.addBindValue(qulonglong(seq));
    if (!q.exec() || !q.next())
        return std::nullopt;
    return messageOf(q.value(0));
}

void MessageStore::removeBefore(quint64 conversationId, quint64 seq)
{
    LocalCache::Transaction tx(m_cache);
    QSqlQuery q(m_cache.db());
    for (const char *table : {"messages", "message_search"}) {
        q.prepare(QStringLiteral("DELETE FROM %1 WHERE conversation_id = ? AND seq < ?")
                      .arg(QLatin1String(table)));
        q.addBindValue(qulonglong(conversationId));
        q.addBindValue(qulonglong(seq));
        q.exec();
    }
    tx.commit();
    Q_EMIT entriesChanged(conversationId);
}

void MessageStore::hide(quint64 conversationId, const std::vector<quint64> &seqs)
{
    bool any = false;
    LocalCache::Transaction tx(m_cache);
    for (quint64 seq : seqs) {
        std::optional<proto::Message> m = get(conversationId, seq);
        if (!m || m->hidden_for_me())
            continue;
        m->clear_content();
        m->set_hidden_for_me(true);
        rewrite(*m, false);
        index(*m);
        any = true;
    }
    tx.commit();
    if (any)
        Q_EMIT entriesChanged(conversationId);
}

std::vector<proto::Message> MessageStore::search(const QString &typed, int limit) const
{
    std::vector<proto::Message> result;
    const QString match = searchQuery(typed);
    if (match.isEmpty())
        return result;
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral(
        "SELECT m.entry FROM message_search s JOIN messages m"
        " ON m.conversation_id = s.conversation_id AND m.seq = s.seq"
        " WHERE message_search MATCH ? AND m.shown = 1 ORDER BY m.sent_at_ms DESC LIMIT ?"));
    q.addBindValue(match);
    q.addBindValue(limit);
    if (!q.exec()) {
        qCWarning(lcCache) << "search failed:" << q.lastError().text();
        return result;
    }
    while (q.next())
        result.push_back(messageOf(q.value(0)));
    return result;
}

} // namespace tern::client
