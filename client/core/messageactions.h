// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"
#include "tern/v1/messaging.pb.h"

#include <QObject>
#include <QString>

#include <functional>
#include <vector>

namespace tern::client {

class ConversationStore;
class MessageStore;
class ServerConnection;
class Session;

// Changes to messages already sent: recall, edit, react, delete for me; and the server-side
// search. The server does not push an entry back to the connection that made it, so each
// acknowledged change is applied to the cache here, as the push would have been elsewhere.
class MessageActions : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const QString &error)>;

    MessageActions(ServerConnection &connection, Session &session, MessageStore &messages,
                   ConversationStore &conversations, QObject *parent = nullptr);

    void recall(quint64 conversationId, quint64 seq, Done done);
    void edit(quint64 conversationId, quint64 seq, const QString &text, Done done);
    void react(quint64 conversationId, quint64 seq, const QString &emoji, Done done);
    void hideForMe(quint64 conversationId, const std::vector<quint64> &seqs, Done done);
    // Forwards entries of one conversation into others: merge = false copies exactly one
    // message; merge = true sends 1-100 as one bundle titled `title`. done(error) once every
    // target answered; error names the refusals (the other targets got it).
    void forward(quint64 sourceConversationId, const std::vector<quint64> &seqs,
                 const std::vector<quint64> &targetConversationIds, bool merge,
                 const QString &title, Done done);
    // Server search across every conversation the user can read, newest first.
    void search(const QString &query,
                std::function<void(const std::vector<proto::Message> &, const QString &)> done);

private:
    QString searchError(const proto::Error &error) const;
    // Reads one entry this user wrote back from the server into the cache (a forward, whose
    // content the server composed).
    void fetchOwnEntry(const proto::MessageAck &ack);
    // Stores the event entry an ack stands for (applying it to its target).
    void storeOwnEvent(const proto::MessageAck &ack,
                       const std::function<void(proto::Message &)> &fill);

    ServerConnection &m_connection;
    Session &m_session;
    MessageStore &m_messages;
    ConversationStore &m_conversations;
};

} // namespace tern::client
