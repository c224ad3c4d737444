// SPDX-License-Identifier: Apache-2.0
// DraftStore: the composer's unsent texts in the cache, GUI thread.
#include "draftstore.h"

#include "clientlog.h"
#include "localcache.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace tern::client {

namespace {

// Ids as strings: JSON numbers are doubles.
QString mentionsToJson(const std::vector<Draft::Mention> &mentions)
{
    QJsonArray array;
    for (const Draft::Mention &m : mentions) {
        array.append(QJsonObject {{QStringLiteral("userId"), QString::number(m.userId)},
                                  {QStringLiteral("name"), m.name}});
    }
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

std::vector<Draft::Mention> mentionsFromJson(const QString &json)
{
    std::vector<Draft::Mention> mentions;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue &value : array) {
        const QJsonObject o = value.toObject();
        const quint64 userId = o.value(QStringLiteral("userId")).toString().toULongLong();
        if (userId != 0)
            mentions.push_back({userId, o.value(QStringLiteral("name")).toString()});
    }
    return mentions;
}

} // namespace

DraftStore::DraftStore(LocalCache &cache, QObject *parent)
    : QObject(parent)
    , m_cache(cache)
{ }

void DraftStore::set(quint64 conversationId, const Draft &draft)
{
    if (conversationId == 0)
        return;
    if (draft.text.trimmed().isEmpty())
        return remove(conversationId);
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("INSERT INTO drafts (conversation_id, text, mentions) VALUES (?, ?, ?)"
                             " ON CONFLICT (conversation_id) DO UPDATE SET text = excluded.text,"
                             " mentions = excluded.mentions"));
    q.addBindValue(qulonglong(conversationId));
    q.addBindValue(draft.text);
    q.addBindValue(mentionsToJson(draft.mentions));
    if (!q.exec()) {
        qCWarning(lcCache) << "draft write failed:" << q.lastError().text();
        return;
    }
    Q_EMIT changed(conversationId);
}

void DraftStore::remove(quint64 conversationId)
{
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("DELETE FROM drafts WHERE conversation_id = ?"));
    q.addBindValue(qulonglong(conversationId));
    if (!q.exec()) {
        qCWarning(lcCache) << "draft removal failed:" << q.lastError().text();
        return;
    }
    if (q.numRowsAffected() > 0) // every send removes: most find nothing to say
        Q_EMIT changed(conversationId);
}

std::optional<Draft> DraftStore::get(quint64 conversationId) const
{
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral("SELECT text, mentions FROM drafts WHERE conversation_id = ?"));
    q.addBindValue(qulonglong(conversationId));
    if (!q.exec() || !q.next())
        return std::nullopt;
    return Draft {q.value(0).toString(), mentionsFromJson(q.value(1).toString())};
}

} // namespace tern::client
