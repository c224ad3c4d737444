// SPDX-License-Identifier: Apache-2.0
// OutboxStore: unacknowledged outgoing messages, GUI thread.
#include "outboxstore.h"

#include "clientlog.h"
#include "localcache.h"

#include <QSqlError>
#include <QSqlQuery>

namespace tern::client {

namespace {

constexpr auto kColumns =
    "client_msg_id, conversation_id, content, created_at_ms, attempts, failed, error";

OutgoingMessage fromRow(const QSqlQuery &q)
{
    OutgoingMessage m;
    m.clientMsgId = q.value(0).toString();
    m.conversationId = q.value(1).toULongLong();
    const QByteArray blob = q.value(2).toByteArray();
    m.content.ParseFromArray(blob.constData(), int(blob.size()));
    m.createdAtMs = q.value(3).toLongLong();
    m.attempts = q.value(4).toInt();
    m.failed = q.value(5).toBool();
    m.error = q.value(6).toString();
    return m;
}

} // namespace

OutboxStore::OutboxStore(LocalCache &cache, QObject *parent)
    : QObject(parent)
    , m_cache(cache)
{ }

bool OutboxStore::add(const OutgoingMessage &message)
{
    const std::string content = message.content.SerializeAsString();
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("INSERT INTO outbox (%1) VALUES (?, ?, ?, ?, ?, ?, COALESCE(?, ''))")
                  .arg(QLatin1String(kColumns)));
    q.addBindValue(message.clientMsgId);
    q.addBindValue(qulonglong(message.conversationId));
    q.addBindValue(QByteArray(content.data(), qsizetype(content.size())));
    q.addBindValue(message.createdAtMs);
    q.addBindValue(message.attempts);
    q.addBindValue(message.failed ? 1 : 0);
    q.addBindValue(message.error);
    if (!q.exec()) {
        qCWarning(lcCache) << "outbox write failed:" << q.lastError().text();
        return false;
    }
    Q_EMIT changed(message.conversationId);
    return true;
}

void OutboxStore::remove(const QString &clientMsgId)
{
    const std::optional<OutgoingMessage> m = get(clientMsgId);
    if (!m)
        return;
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("DELETE FROM outbox WHERE client_msg_id = ?"));
    q.addBindValue(clientMsgId);
    q.exec();
    Q_EMIT changed(m->conversationId);
}

void OutboxStore::noteAttempt(const QString &clientMsgId)
{
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("UPDATE outbox SET attempts = attempts + 1 WHERE client_msg_id = ?"));
    q.addBindValue(clientMsgId);
    q.exec();
}

void OutboxStore::setFailed(const QString &clientMsgId, bool failed, const QString &error)
{
    const std::optional<OutgoingMessage> m = get(clientMsgId);
    if (!m)
        return;
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral(
        "UPDATE outbox SET failed = ?, error = COALESCE(?, '') WHERE client_msg_id = ?"));
    q.addBindValue(failed ? 1 : 0);
    q.addBindValue(error);
    q.addBindValue(clientMsgId);
    q.exec();
    Q_EMIT changed(m->conversationId);
}

void OutboxStore::setContent(const QString &clientMsgId, const proto::MessageContent &content)
{
    const std::optional<OutgoingMessage> m = get(clientMsgId);
    if (!m)
        return;
    const std::string bytes = content.SerializeAsString();
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("UPDATE outbox SET content = ? WHERE client_msg_id = ?"));
    q.addBindValue(QByteArray(bytes.data(), qsizetype(bytes.size())));
    q.addBindValue(clientMsgId);
    q.exec();
    Q_EMIT changed(m->conversationId);
}

std::optional<OutgoingMessage> OutboxStore::get(const QString &clientMsgId) const
{
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("SELECT %1 FROM outbox WHERE client_msg_id = ?")
                  .arg(QLatin1String(kColumns)));
    q.addBindValue(clientMsgId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return fromRow(q);
}

std::vector<OutgoingMessage> OutboxStore::list(quint64 conversationId) const
{
    QSqlQuery q(m_cache.db());
    const QString where = conversationId ? QStringLiteral(" WHERE conversation_id = ?") : QString();
    q.prepare(QStringLiteral("SELECT %1 FROM outbox%2 ORDER BY created_at_ms, rowid")
                  .arg(QLatin1String(kColumns), where));
    if (conversationId)
        q.addBindValue(qulonglong(conversationId));
    q.exec();
    std::vector<OutgoingMessage> result;
    while (q.next())
        result.push_back(fromRow(q));
    return result;
}

} // namespace tern::client
