// SPDX-License-Identifier: Apache-2.0
// Outbox: outgoing messages until acknowledged, GUI thread.
#include "outbox.h"

#include "clientlog.h"
#include "conversationstore.h"
#include "localcache.h"
#include "messagestore.h"
#include "outboxstore.h"
#include "refusals.h"
#include "serverconnection.h"
#include "session.h"
#include "tern/clientmsgid.h"

#include <QDateTime>
#include <QSet>

namespace tern::client {

Outbox::Outbox(ServerConnection &connection, Session &session, Stores stores, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_session(session)
    , m_stores(stores)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Outbox::flush);
    connect(&m_session, &Session::authenticated, this, &Outbox::flush);
    connect(&m_connection, &ServerConnection::disconnected, this, [this] { m_inFlight.clear(); });
}

QString Outbox::send(quint64 conversationId, const proto::MessageContent &content)
{
    OutgoingMessage m;
    m.clientMsgId = QString::fromStdString(messages::newClientMsgId());
    m.conversationId = conversationId;
    m.content = content;
    m.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    if (!m_stores.outbox.add(m))
        return {};
    // Behind an older message waiting to be retried, this one also sends that one now.
    pump(conversationId);
    return m.clientMsgId;
}

QString Outbox::sendText(quint64 conversationId, const QString &text, quint64 replyToSeq)
{
    proto::MessageContent content;
    content.set_kind(proto::MessageContent::KIND_TEXT);
    content.set_text(text.toStdString());
    content.set_reply_to_seq(replyToSeq);
    return send(conversationId, content);
}

void Outbox::retry(const QString &clientMsgId)
{
    m_stores.outbox.setFailed(clientMsgId, false);
    if (const std::optional<OutgoingMessage> m = m_stores.outbox.get(clientMsgId))
        pump(m->conversationId);
}

void Outbox::discard(const QString &clientMsgId)
{
    const std::optional<OutgoingMessage> m = m_stores.outbox.get(clientMsgId);
    if (m && m_inFlight.value(m->conversationId) != clientMsgId)
        m_stores.outbox.remove(clientMsgId);
}

void Outbox::flush()
{
    QSet<quint64> conversations;
    for (const OutgoingMessage &m : m_stores.outbox.list())
        conversations.insert(m.conversationId);
    for (quint64 conversationId : std::as_const(conversations))
        pump(conversationId);
}

void Outbox::pump(quint64 conversationId)
{
    if (!m_session.isAuthenticated() || !m_connection.isConnected()
        || m_inFlight.contains(conversationId))
        return; // flush() sends once authenticated; an answer sends the next
    for (const OutgoingMessage &m : m_stores.outbox.list(conversationId)) {
        // Failed ones wait for the user. A file still uploading: Transfers fills in the file id,
        // then retries it; the texts after it need not wait for the upload.
        if (m.failed || (m.content.has_file() && m.content.file().file_id().empty()))
            continue;
        sendMessage(m);
        return;
    }
}

void Outbox::sendMessage(const OutgoingMessage &m)
{
    proto::Frame frame;
    auto *req = frame.mutable_send_message();
    req->set_conversation_id(m.conversationId);
    req->set_client_msg_id(m.clientMsgId.toStdString());
    *req->mutable_content() = m.content;
    m_inFlight.insert(m.conversationId, m.clientMsgId);
    m_stores.outbox.noteAttempt(m.clientMsgId);
    m_connection.send(
        frame, [this, m](const proto::Frame &answer) { onAnswer(m, answer); }, this);
}

void Outbox::onAnswer(const OutgoingMessage &m, const proto::Frame &answer)
{
    if (m_inFlight.value(m.conversationId) == m.clientMsgId)
        m_inFlight.remove(m.conversationId);
    if (answer.has_message_ack()) {
        m_transientBackoff.reset();
        onAck(m.clientMsgId, answer.message_ack());
        pump(m.conversationId);
        return;
    }
    const proto::Error &e = answer.error();
    switch (e.code()) {
    case proto::ERROR_CODE_SHUTTING_DOWN:
    case proto::ERROR_CODE_NOT_AUTHENTICATED:
        return; // sent again after the next authentication
    case proto::ERROR_CODE_UNAVAILABLE: // the server's database is restarting, or
    case proto::ERROR_CODE_INTERNAL: //    the connection was lost (then flush() on auth)
    case proto::ERROR_CODE_RATE_LIMITED:
        // The connection may stay up meanwhile: try again on a timer, backing off. The
        // conversation's later messages wait behind this one.
        if (!m_retryTimer.isActive())
            m_retryTimer.start(
                std::max<int>(int(e.retry_after_ms()), m_transientBackoff.nextDelayMs()));
        return;
    default:
        qCInfo(lcSync) << "message refused:" << e.message().c_str();
        m_stores.outbox.setFailed(m.clientMsgId, true, refusalText(e));
        pump(m.conversationId);
        return;
    }
}

void Outbox::onAck(const QString &clientMsgId, const proto::MessageAck &ack)
{
    qCDebug(lcSync) << "acked" << clientMsgId << "seq" << ack.seq() << "duplicate"
                    << ack.duplicate();
    const std::optional<OutgoingMessage> m = m_stores.outbox.get(clientMsgId);
    if (!m)
        return;
    proto::Message entry;
    entry.set_conversation_id(ack.conversation_id());
    entry.set_seq(ack.seq());
    entry.set_sender_id(m_session.userId());
    entry.set_client_msg_id(ack.client_msg_id());
    entry.set_sent_at_ms(ack.sent_at_ms());
    *entry.mutable_content() = m->content;
    {
        LocalCache::Transaction tx(m_stores.cache);
        m_stores.messages.store(ack.conversation_id(), {entry});
        m_stores.outbox.remove(clientMsgId);
        tx.commit();
    }
    m_stores.conversations.noteEntry(entry, m_session.userId());
    const auto c = m_stores.conversations.get(ack.conversation_id());
    if (c && c->haveSeq > 0)
        m_stores.conversations.setHistoryRange(
            c->state.conversation_id(), c->oldestSeq,
            m_stores.messages.contiguousEnd(c->state.conversation_id(), c->haveSeq));
}

} // namespace tern::client
