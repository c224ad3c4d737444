// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"
#include "tern/v1/messaging.pb.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <vector>

namespace tern::client {

class ServerConnection;

// Who is typing where (TypingPush), each notice expiring after the time the server gave; and
// this user's own typing notices, sent at most once every two seconds while typing (the
// server drops more anyway) and "stopped" once.
class TypingTracker : public QObject
{
    Q_OBJECT
public:
    explicit TypingTracker(ServerConnection &connection, QObject *parent = nullptr);

    // User ids typing in the conversation now.
    std::vector<quint64> typing(quint64 conversationId) const;
    // The user typed (true) or stopped / sent (false) in a conversation.
    void setOwnTyping(quint64 conversationId, bool typing);

Q_SIGNALS:
    void changed(quint64 conversationId);

private:
    void onPush(const proto::Frame &frame);
    void expire();

    ServerConnection &m_connection;
    // conversation -> user -> expiry (ms since epoch)
    QHash<quint64, QHash<quint64, qint64>> m_typing;
    QTimer m_expiry;
    quint64 m_ownConversation = 0;
    qint64 m_ownSentAtMs = 0;
};

} // namespace tern::client
