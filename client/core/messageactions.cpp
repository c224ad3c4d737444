// SPDX-License-Identifier: Apache-2.0
// MessageActions: recall, edit, reactions, delete for me and server search, GUI thread.
#include "messageactions.h"

#include "conversationstore.h"
#include "messagestore.h"
#include "refusals.h"
#include "serverconnection.h"
#include "session.h"
#include "tern/clientmsgid.h"

#include <QStringList>

namespace tern::client {

namespace {

QString errorOf(const proto::Frame &answer)
{
    return refusalText(answer.error());
}

} // namespace

MessageActions::MessageActions(ServerConnection &connection, Session &session,
                               MessageStore &messages, ConversationStore &conversations,
                               QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_session(session)
    , m_messages(messages)
    , m_conversations(conversations)
{ }

void MessageActions::storeOwnEvent(const proto::MessageAck &ack,
                                   const std::function<void(proto::Message &)> &fill)
{
    if (ack.seq() == 0)
        return; // nothing was stored (e.g. the same reaction again)
    proto::Message event;
    event.set_conversation_id(ack.conversation_id());
    event.set_seq(ack.seq());
    event.set_sender_id(m_session.userId());
    event.set_client_msg_id(ack.client_msg_id());
    event.set_sent_at_ms(ack.sent_at_ms());
    fill(event);
    m_messages.store(ack.conversation_id(), {event});
    m_conversations.noteEntry(event, m_session.userId());
    if (const auto c = m_conversations.get(ack.conversation_id()); c && c->haveSeq > 0)
        m_conversations.setHistoryRange(
            c->state.conversation_id(), c->oldestSeq,
            m_messages.contiguousEnd(c->state.conversation_id(), c->haveSeq));
}

void MessageActions::forward(quint64 sourceConversationId, const std::vector<quint64> &seqs,
                             const std::vector<quint64> &targetConversationIds, bool merge,
                             const QString &title, Done done)
{
    proto::Frame frame;
    auto *req = frame.mutable_forward_messages();
    req->set_source_conversation_id(sourceConversationId);
    for (quint64 seq : seqs)
        req->add_seqs(seq);
    for (quint64 target : targetConversationIds) {
        auto *t = req->add_targets();
        t->set_conversation_id(target);
        t->set_client_msg_id(messages::newClientMsgId());
    }
    req->set_merge(merge);
    if (merge)
        req->set_title(title.left(64).toStdString());
    m_connection.send(
        frame,
        [this, done](const proto::Frame &answer) {
            if (!answer.has_forward_result()) {
                done(refusalText(answer.error()));
                return;
            }
            QStringList refusals;
            for (const auto &outcome : answer.forward_result().outcomes()) {
                if (outcome.has_ack())
                    fetchOwnEntry(outcome.ack());
                else
                    refusals.append(refusalText(outcome.error()));
            }
            refusals.removeDuplicates();
            done(refusals.join(QStringLiteral("; ")));
        },
        this);
}

void MessageActions::fetchOwnEntry(const proto::MessageAck &ack)
{
    if (ack.seq() == 0)
        return;
    proto::Frame frame;
    frame.mutable_get_messages()->set_conversation_id(ack.conversation_id());
    frame.mutable_get_messages()->set_after_seq(ack.seq() - 1);
    frame.mutable_get_messages()->set_limit(1);
    m_connection.send(
        frame,
        [this, ack](const proto::Frame &answer) {
            if (!answer.has_message_list())
                return; // the next sync round brings it
            for (const auto &m : answer.message_list().messages()) {
                if (m.seq() != ack.seq())
                    continue;
                m_messages.store(ack.conversation_id(), {m});
                m_conversations.noteEntry(m, m_session.userId());
                if (const auto c = m_conversations.get(ack.conversation_id()); c && c->haveSeq > 0)
                    m_conversations.setHistoryRange(
                        c->state.conversation_id(), c->oldestSeq,
                        m_messages.contiguousEnd(c->state.conversation_id(), c->haveSeq));
            }
        },
        this);
}

void MessageActions::recall(quint64 conversationId, quint64 seq, Done done)
{
    proto::Frame frame;
    auto *req = frame.mutable_recall_message();
    req->set_conversation_id(conversationId);
    req->set_target_seq(seq);
    req->set_client_msg_id(messages::newClientMsgId());
    m_connection.send(
        frame,
        [this, seq, done](const proto::Frame &answer) {
            if (!answer.has_message_ack())
                return done(errorOf(answer));
            storeOwnEvent(answer.message_ack(),
                          [seq](proto::Message &e) { e.mutable_recall()->set_target_seq(seq); });
            done({});
        },
        this);
}

void MessageActions::edit(quint64 conversationId, quint64 seq, const QString &text, Done done)
{
    proto::Frame frame;
    auto *req = frame.mutable_edit_message();
    req->set_conversation_id(conversationId);
    req->set_target_seq(seq);
    req->set_client_msg_id(messages::newClientMsgId());
    req->set_text(text.toStdString());
    m_connection.send(
        frame,
        [this, seq, text, done](const proto::Frame &answer) {
            if (!answer.has_message_ack())
                return done(errorOf(answer));
            storeOwnEvent(answer.message_ack(), [&](proto::Message &e) {
                e.mutable_edit()->set_target_seq(seq);
                e.mutable_edit()->set_text(text.toStdString());
            });
            done({});
        },
        this);
}

void MessageActions::react(quint64 conversationId, quint64 seq, const QString &emoji, Done done)
{
    proto::Frame frame;
    auto *req = frame.mutable_react_to_message();
    req->set_conversation_id(conversationId);
    req->set_target_seq(seq);
    req->set_emoji(emoji.toStdString());
    m_connection.send(
        frame,
        [this, seq, emoji, done](const proto::Frame &answer) {
            if (!answer.has_message_ack())
                return done(errorOf(answer));
            storeOwnEvent(answer.message_ack(), [&](proto::Message &e) {
                e.mutable_reaction()->set_target_seq(seq);
                e.mutable_reaction()->set_emoji(emoji.toStdString());
            });
            done({});
        },
        this);
}

void MessageActions::hideForMe(quint64 conversationId, const std::vector<quint64> &seqs, Done done)
{
    proto::Frame frame;
    auto *req = frame.mutable_hide_messages();
    req->set_conversation_id(conversationId);
    for (quint64 seq : seqs)
        req->add_seqs(seq);
    m_connection.send(
        frame,
        [this, conversationId, seqs, done](const proto::Frame &answer) {
            if (!answer.has_conversation_state())
                return done(errorOf(answer));
            m_messages.hide(conversationId, seqs);
            done({});
        },
        this);
}

void MessageActions::search(
    const QString &query,
    std::function<void(const std::vector<proto::Message> &, const QString &)> done)
{
    proto::Frame frame;
    frame.mutable_search_messages()->set_query(query.trimmed().toStdString());
    frame.mutable_search_messages()->set_limit(50);
    m_connection.send(
        frame,
        [this, done](const proto::Frame &answer) {
            if (!answer.has_message_search_result())
                return done({}, searchError(answer.error()));
            std::vector<proto::Message> hits;
            for (const auto &hit : answer.message_search_result().hits())
                hits.push_back(hit.message());
            done(hits, {});
        },
        this);
}

QString MessageActions::searchError(const proto::Error &error) const
{
    // The two limits a person runs into, in their language; the rest as the server says.
    switch (error.code()) {
    case proto::ERROR_CODE_RATE_LIMITED:
        return tr("Too many searches: try again in %n s.", "",
                  int((error.retry_after_ms() + 999) / 1000));
    case proto::ERROR_CODE_LIMIT_EXCEEDED:
        return tr("That search took too long on the server: use more characters.");
    case proto::ERROR_CODE_UNAVAILABLE:
        return tr("The server cannot search now: only this device's messages are shown.");
    default:
        return refusalText(error);
    }
}

} // namespace tern::client
