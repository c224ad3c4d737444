// SPDX-License-Identifier: Apache-2.0
// SendBatcher: sends collected per database connection and committed together.
#include "store/sendbatcher.h"

#include "store/directsendsql.h"
#include "store/pgpool.h"
#include "store/searchindexupkeep.h"
#include "tern/messagecontent.h"

#include <QPointer>
#include <QStringEncoder>
#include <QTimer>

#include <algorithm>
#include <charconv>
#include <memory>

namespace tern::server {

namespace {

QByteArray serialized(const google::protobuf::MessageLite &message)
{
    QByteArray bytes(qsizetype(message.ByteSizeLong()), Qt::Uninitialized);
    message.SerializeToArray(bytes.data(), int(bytes.size()));
    return bytes;
}

QList<qint64> mentionsOf(const proto::MessageContent &content)
{
    QList<qint64> mentions;
    for (const quint64 id : content.mentions())
        mentions.append(qint64(id));
    return mentions;
}

// Array literals for the parameters of the batched statements. Elements are quoted where they may
// hold text; a missing client id is NULL.
class ArrayText
{
public:
    void addNumber(qint64 value)
    {
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
        next().append(digits, end - digits);
    }
    void addBool(bool value) { next() += value ? 't' : 'f'; }
    void addNull() { next() += "NULL"; }
    void addQuoted(QByteArray element)
    {
        element.replace('\\', "\\\\").replace('"', "\\\"");
        next() += '"' + element + '"';
    }
    // A client id that is a UUID (every send's was checked with messages::isClientMsgId) goes
    // in without quotes: quoting scanned it for backslashes and quotes on every send
    // (QByteArray::replace, 0.3 % of all CPU in a profile of the pairs benchmark).
    void addUuid(const QString &uuid)
    {
        char text[36];
        bool ascii = uuid.size() == qsizetype(sizeof text);
        for (qsizetype i = 0; ascii && i < uuid.size(); ++i) {
            ascii = uuid.at(i).unicode() < 0x80;
            text[i] = char(uuid.at(i).unicode());
        }
        if (ascii && messages::isClientMsgId(std::string_view(text, sizeof text)))
            next().append(text, sizeof text);
        else
            addQuoted(uuid.toUtf8());
    }
    PgParam param() const { return m_text + '}'; }

private:
    QByteArray &next()
    {
        if (m_text.size() > 1)
            m_text += ',';
        return m_text;
    }
    QByteArray m_text = "{";
};

// The columns both batched statements take: the large ones (content, search text, n-grams) in
// binary format, so no quoting, no hex, and PostgreSQL reads them without parsing. Each
// send's content and search text pass through one scratch buffer on their way into the
// arrays instead of a new array each.
struct SendColumns
{
    ArrayText conversations, senders, clientIds, kinds;
    PgBinaryArray bodies {PgBinaryArray::Element::Bytea};
    PgBinaryArray searches {PgBinaryArray::Element::Text};
    PgBinaryArray grams {PgBinaryArray::Element::Text};
    QByteArray scratch;
    QStringEncoder utf8 {QStringEncoder::Utf8, QStringEncoder::Flag::Stateless};

    void add(const NewMessage &m)
    {
        conversations.addNumber(m.conversationId);
        senders.addNumber(m.senderId);
        if (m.clientMsgId.isEmpty())
            clientIds.addNull();
        else
            clientIds.addUuid(m.clientMsgId);
        kinds.addNumber(m.content.kind());
        scratch.resize(qsizetype(m.content.ByteSizeLong()));
        m.content.SerializeToArray(scratch.data(), int(scratch.size()));
        bodies.add(scratch);
        scratch.resize(utf8.requiredSpace(m.searchText.size()));
        const char *end = utf8.appendToBuffer(scratch.data(), m.searchText);
        searches.add(QByteArrayView(scratch.constData(), end - scratch.constData()));
        grams.add(messages::joinedSearchGrams(m.searchText));
    }
};

} // namespace

SendBatcher::SendBatcher(PgPool &pool, SearchIndexUpkeep *searchIndex, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_searchIndex(searchIndex)
    , m_slots(pool.slotCount())
{ }

PgStatement SendBatcher::singleStatement(const NewMessage &message, bool allowStrangers)
{
    const PgParam clientId =
        message.clientMsgId.isEmpty() ? std::nullopt : pgText(message.clientMsgId);
    return {"SELECT * FROM tern_msg_send($1, $2, $3::uuid, $4::smallint, $5::bytea,"
            " $6::bigint, $7::bigint[], $8::boolean, $9, $10::text[], $11::boolean)",
            {pgInt(message.conversationId), pgInt(message.senderId), clientId,
             pgInt(message.content.kind()), pgBytea(serialized(message.content)),
             pgInt(qint64(message.content.reply_to_seq())), pgIds(mentionsOf(message.content)),
             pgBool(message.content.mention_all()), pgText(message.searchText),
             pgTextArray(messages::searchGrams(message.searchText)), pgBool(allowStrangers)}};
}

MessageWrite SendBatcher::readWrite(const PgResult &r, int row, int first)
{
    MessageWrite write;
    // Nearly every send's outcome is one of these two: static text instead of a new QString.
    const QByteArrayView outcome = r.view(row, first);
    if (outcome == "ok")
        write.outcome = QStringLiteral("ok");
    else if (outcome == "duplicate")
        write.outcome = QStringLiteral("duplicate");
    else
        write.outcome = QString::fromUtf8(outcome);
    write.conversationId = r.isNull(row, first + 1) ? 0 : r.int64(row, first + 1);
    write.seq = r.isNull(row, first + 2) ? 0 : r.int64(row, first + 2);
    write.sentAtMs = r.isNull(row, first + 3) ? 0 : r.int64(row, first + 3);
    if (!r.isNull(row, first + 4))
        write.recipients = pgReadIds(r.view(row, first + 4));
    return write;
}

void SendBatcher::add(SharedNewMessage shared, bool allowStrangers,
                      StoreCallback<MessageWrite> done)
{
    const NewMessage &message = *shared;
    const size_t index = m_pool.slotOf(quint64(message.conversationId));
    Slot &slot = m_slots[index];
    const QPair<qint64, QString> clientId {message.senderId, message.clientMsgId};
    // One call never holds the same client id twice (the second is the first's duplicate,
    // which only a later statement can see), nor two policies.
    if (!slot.pending.empty()
        && (slot.clientIds.contains(clientId) || slot.allowStrangers != allowStrangers))
        flush(index);
    const proto::MessageContent &content = message.content;
    Pending send {std::move(shared), std::move(done), false};
    send.simple = content.reply_to_seq() == 0 && content.mentions().empty()
        && !content.mention_all() && !slot.notSimple.contains(message.conversationId);
    if (!send.simple)
        slot.notSimple.insert(message.conversationId);
    slot.clientIds.insert(clientId);
    slot.allowStrangers = allowStrangers;
    slot.bytes += size_t(content.ByteSizeLong());
    slot.pending.push_back(std::move(send));
    if (slot.pending.size() >= kMaxItems || slot.bytes >= kMaxBytes)
        return flush(index);
    // While a batch is in the database the next one grows; it leaves when that one is back.
    if (slot.inFlight == 0 && !slot.scheduled) {
        slot.scheduled = true;
        QTimer::singleShot(0, this, [this, index] {
            m_slots[index].scheduled = false;
            if (m_slots[index].inFlight == 0)
                flush(index);
        });
    }
}

void SendBatcher::flushFor(qint64 conversationId)
{
    const size_t index = m_pool.slotOf(quint64(conversationId));
    if (!m_slots[index].pending.empty())
        flush(index);
}

void SendBatcher::flush(size_t index)
{
    Slot &slot = m_slots[index];
    std::vector<Pending> batch = std::move(slot.pending);
    slot.pending.clear();
    slot.clientIds.clear();
    slot.notSimple.clear();
    slot.bytes = 0;
    if (batch.empty())
        return;
    const bool direct = std::all_of(batch.begin(), batch.end(), [this](const Pending &send) {
        return send.simple && m_directConversations.contains(send.message->conversationId);
    });
    if (!direct) {
        // tern_msg_send_many takes both kinds; the next sends of a direct chat go the short way.
        QList<qint64> unknown;
        for (const Pending &send : batch) {
            const qint64 id = send.message->conversationId;
            if (!m_directConversations.contains(id) && !m_groupConversations.contains(id)
                && !m_kindsAsked.contains(id)) {
                m_kindsAsked.insert(id);
                unknown.append(id);
            }
        }
        if (!unknown.isEmpty())
            learnKinds(unknown);
    }
    if (direct)
        submitDirect(index, std::move(batch), slot.allowStrangers);
    else
        submitMany(index, std::move(batch), slot.allowStrangers);
}

void SendBatcher::submitDirect(size_t index, std::vector<Pending> batch, bool allowStrangers)
{
    SendColumns columns;
    for (const Pending &send : batch)
        columns.add(*send.message);
    PgStatement statement {kDirectSendSql,
                           {columns.conversations.param(), columns.senders.param(),
                            columns.clientIds.param(), columns.kinds.param(),
                            columns.bodies.param(), columns.searches.param(), columns.grams.param(),
                            pgBool(allowStrangers)},
                           (1u << 4) | (1u << 5) | (1u << 6)}; // $5, $6, $7
    submitBatch(index, std::move(statement), std::move(batch), allowStrangers);
}

void SendBatcher::submitMany(size_t index, std::vector<Pending> batch, bool allowStrangers)
{
    if (batch.size() == 1)
        return runAlone(index, std::move(batch.front()), allowStrangers);

    SendColumns columns;
    ArrayText replies, mentions, mentionEnds, mentionAll, simple;
    qint64 mentionCount = 0;
    for (const Pending &send : batch) {
        const NewMessage &m = *send.message;
        columns.add(m);
        replies.addNumber(qint64(m.content.reply_to_seq()));
        for (const quint64 id : m.content.mentions()) {
            mentions.addNumber(qint64(id));
            ++mentionCount;
        }
        mentionEnds.addNumber(mentionCount);
        mentionAll.addBool(m.content.mention_all());
        simple.addBool(send.simple);
    }
    PgStatement statement {
        "SELECT * FROM tern_msg_send_many($1::bigint[], $2::bigint[], $3::uuid[],"
        " $4::smallint[], $5::bytea[], $6::bigint[], $7::bigint[], $8::int[], $9::boolean[],"
        " $10::text[], $11::text[], $12::boolean[], $13::boolean)",
        {columns.conversations.param(), columns.senders.param(), columns.clientIds.param(),
         columns.kinds.param(), columns.bodies.param(), replies.param(), mentions.param(),
         mentionEnds.param(), mentionAll.param(), columns.searches.param(), columns.grams.param(),
         simple.param(), pgBool(allowStrangers)},
        (1u << 4) | (1u << 9) | (1u << 10)}; // $5, $10, $11
    submitBatch(index, std::move(statement), std::move(batch), allowStrangers);
}

void SendBatcher::submitBatch(size_t index, PgStatement statement, std::vector<Pending> batch,
                              bool allowStrangers)
{
    auto shared = std::make_shared<std::vector<Pending>>(std::move(batch));
    submit(index, std::move(statement), [this, index, shared, allowStrangers](const PgOutcome &o) {
        finish(index, std::move(*shared), o, allowStrangers);
    });
}

void SendBatcher::submit(size_t index, PgStatement statement, PgCallback done)
{
    ++m_slots[index].inFlight;
    QPointer<SendBatcher> self(this);
    m_pool.executeInSlot(index, std::move(statement),
                         [self, index, done = std::move(done)](const PgOutcome &outcome) {
                             if (!self)
                                 return;
                             --self->m_slots[index].inFlight;
                             if (outcome.ok() && self->m_searchIndex)
                                 self->m_searchIndex->noteInserted();
                             done(outcome);
                             // Nothing of this slot in the database any more: what gathered
                             // meanwhile leaves now.
                             if (self->m_slots[index].inFlight == 0)
                                 self->flush(index);
                         });
}

void SendBatcher::finish(size_t index, std::vector<Pending> batch, const PgOutcome &outcome,
                         bool allowStrangers)
{
    if (outcome.error.kind == PgError::Kind::Query) {
        // A unique violation or deadlock undid the whole call: each send again on its own, so
        // that only the faulty one fails.
        for (Pending &send : batch)
            runAlone(index, std::move(send), allowStrangers);
        return;
    }
    std::vector<std::optional<MessageWrite>> writes(batch.size());
    if (outcome.ok()) {
        const PgResult &rows = outcome.results.front();
        for (int row = 0; row < rows.rowCount(); ++row) {
            const qint64 ord = rows.int64(row, 0);
            if (ord >= 1 && size_t(ord) <= writes.size())
                writes[size_t(ord - 1)] = readWrite(rows, row, 1);
        }
    }
    // In input order: pushes of one conversation leave in seq order. Sends to a group's
    // conversation that went as direct ones (kDirectSendSql) did nothing and go again; all
    // of that conversation's sends in the batch are among them.
    std::vector<Pending> groupSends;
    for (size_t i = 0; i < batch.size(); ++i) {
        if (writes[i] && writes[i]->outcome == QLatin1String("not_direct")) {
            m_directConversations.remove(batch[i].message->conversationId); // cannot happen
            groupSends.push_back(std::move(batch[i]));
            continue;
        }
        Stored<MessageWrite> stored {outcome.error, std::move(writes[i])};
        if (outcome.ok() && !stored.value)
            stored.error = {PgError::Kind::Query, {}, QStringLiteral("no row for a send")};
        batch[i].done(stored);
    }
    if (!groupSends.empty())
        submitMany(index, std::move(groupSends), allowStrangers);
}

void SendBatcher::learnKinds(const QList<qint64> &conversations)
{
    QPointer<SendBatcher> self(this);
    m_pool.execute({"SELECT id FROM conversations WHERE id = ANY ($1::bigint[]) AND kind = 1",
                    {pgIds(conversations)}},
                   [self, conversations](const PgOutcome &o) {
                       if (!self)
                           return;
                       for (qint64 id : conversations)
                           self->m_kindsAsked.remove(id);
                       if (!o.ok())
                           return; // asked again with the next send
                       for (QSet<qint64> *known :
                            {&self->m_directConversations, &self->m_groupConversations}) {
                           if (known->size() >= kMaxKnownConversations)
                               known->clear(); // relearnt, one query each
                       }
                       QSet<qint64> direct;
                       const PgResult &r = o.results.front();
                       for (int row = 0; row < r.rowCount(); ++row)
                           direct.insert(r.int64(row, 0));
                       for (qint64 id : conversations)
                           (direct.contains(id) ? self->m_directConversations
                                                : self->m_groupConversations)
                               .insert(id);
                   });
}

void SendBatcher::runAlone(size_t index, Pending send, bool allowStrangers)
{
    submit(index, singleStatement(*send.message, allowStrangers),
           [done = std::move(send.done)](const PgOutcome &o) {
               Stored<MessageWrite> stored {o.error, {}};
               if (o.ok() && o.results.front().rowCount() == 1)
                   stored.value = readWrite(o.results.front(), 0, 0);
               done(stored);
           });
}

} // namespace tern::server
