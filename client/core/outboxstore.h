// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"
#include "tern/v1/messaging.pb.h"

#include <QObject>
#include <QString>

#include <optional>
#include <vector>

namespace tern::client {

class LocalCache;

// A message written on this device that the server has not acknowledged yet.
struct OutgoingMessage
{
    QString clientMsgId;
    quint64 conversationId = 0;
    proto::MessageContent content;
    qint64 createdAtMs = 0;
    int attempts = 0;
    // Refused for good (e.g. no longer friends): waits for the user to retry or discard.
    bool failed = false;
    QString error;
};

// The outbox table: written before the first send attempt, removed in the same transaction
// that stores the acknowledged message, so a message is never lost nor shown twice.
class OutboxStore : public QObject
{
    Q_OBJECT
public:
    explicit OutboxStore(LocalCache &cache, QObject *parent = nullptr);

    bool add(const OutgoingMessage &message);
    void remove(const QString &clientMsgId);
    void noteAttempt(const QString &clientMsgId);
    void setFailed(const QString &clientMsgId, bool failed, const QString &error = {});
    // A file message's content once its upload finished (the file id filled in).
    void setContent(const QString &clientMsgId, const proto::MessageContent &content);

    std::optional<OutgoingMessage> get(const QString &clientMsgId) const;
    // Oldest first; conversationId 0 = every conversation.
    std::vector<OutgoingMessage> list(quint64 conversationId = 0) const;

Q_SIGNALS:
    void changed(quint64 conversationId);

private:
    LocalCache &m_cache;
};

} // namespace tern::client
