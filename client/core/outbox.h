// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "backoff.h"
#include "tern/protocol.h"
#include "tern/v1/messaging.pb.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace tern::client {

class ConversationStore;
class LocalCache;
class MessageStore;
class OutboxStore;
struct OutgoingMessage;
class ServerConnection;
class Session;

// Sending: a message is written to the outbox first, then sent with its client_msg_id, and
// re-sent with the same id after every reconnect (and app restart) until acknowledged — the
// server deduplicates, so a retry never shows twice. The ack moves it from the outbox into the
// history in one transaction. Refusals the user must act on (not friends any more, too long)
// mark it failed with the server's reason; rate limits and lost connections only delay it.
// A message with a file waits until Transfers has uploaded the file and filled in its id.
// A conversation has at most one message in flight, its oldest ready one: sent all at once, a
// message answered "try again" could otherwise be overtaken by a later one and take a higher seq.
class Outbox : public QObject
{
    Q_OBJECT
public:
    struct Stores
    {
        LocalCache &cache;
        OutboxStore &outbox;
        MessageStore &messages;
        ConversationStore &conversations;
    };

    Outbox(ServerConnection &connection, Session &session, Stores stores,
           QObject *parent = nullptr);

    // Queues a message; returns its client_msg_id (empty when it could not be stored).
    QString send(quint64 conversationId, const proto::MessageContent &content);
    QString sendText(quint64 conversationId, const QString &text, quint64 replyToSeq = 0);
    // A failed message: try again / drop it.
    void retry(const QString &clientMsgId);
    void discard(const QString &clientMsgId);

    int inFlight() const { return int(m_inFlight.size()); }

private:
    void flush();
    // Sends the conversation's oldest ready message unless one of its messages is in flight.
    void pump(quint64 conversationId);
    void sendMessage(const OutgoingMessage &m);
    void onAnswer(const OutgoingMessage &m, const proto::Frame &answer);
    void onAck(const QString &clientMsgId, const proto::MessageAck &ack);

    ServerConnection &m_connection;
    Session &m_session;
    Stores m_stores;
    QHash<quint64, QString> m_inFlight; // conversation → the client_msg_id in flight
    QTimer m_retryTimer;
    Backoff m_transientBackoff {500, 30000}; // between retries after passing server errors
};

} // namespace tern::client
