// SPDX-License-Identifier: Apache-2.0
// DraftStore: the composer's unsent texts and what they reply to, in the cache, GUI thread.
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
    if (draft.text.trimmed().isEmpty() && draft.replyToSeq == 0)
        return remove(conversationId);
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral(
        "INSERT INTO drafts (conversation_id, text, mentions, reply_to_seq, reply_summary)"
        " VALUES (?, coalesce(?, ''), ?, ?, coalesce(?, '')) ON CONFLICT (conversation_id) DO "
        "UPDATE SET"
        " text = excluded.text, mentions = excluded.mentions,"
        " reply_to_seq = excluded.reply_to_seq, reply_summary = excluded.reply_summary"));
    q.addBindValue(qulonglong(conversationId));
    q.addBindValue(draft.text);
    q.addBindValue(mentionsToJson(draft.mentions));
    q.addBindValue(qulonglong(draft.replyToSeq));
    // (A null QString binds as NULL: a reply alone has no text, most texts no reply.)
    q.addBindValue(draft.replyToSeq != 0 ? draft.replySummary : QString());
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
    q.prepare(QStringLiteral("SELECT text, mentions, reply_to_seq, reply_summary FROM drafts"
                             " WHERE conversation_id = ?"));
    q.addBindValue(qulonglong(conversationId));
    if (!q.exec() || !q.next())
        return std::nullopt;
    return Draft {q.value(0).toString(), mentionsFromJson(q.value(1).toString()),
                  q.value(2).toULongLong(), q.value(3).toString()};
}

} // namespace tern::client
