// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"
#include "tern/v1/messaging.pb.h"

#include <QObject>

#include <optional>
#include <vector>

namespace tern::client {

class LocalCache;

// A conversation as cached: the server's state plus how much history this cache holds.
struct CachedConversation
{
    proto::ConversationState state;
    // Entries oldest_seq..have_seq are all in the MessageStore (0/0: none yet).
    quint64 oldestSeq = 0;
    quint64 haveSeq = 0;
    qint64 lastActivityMs = 0;
};

// The conversations table. Every change emits changed(id) once it is stored.
class ConversationStore : public QObject
{
    Q_OBJECT
public:
    explicit ConversationStore(LocalCache &cache, QObject *parent = nullptr);

    // Takes the server's state; keeps what only the cache knows (history range). A state read
    // before pushes this device has already applied (an answer can arrive after a push of a
    // later message) moves nothing backwards: not the cursors, the preview nor the unread count.
    // A conversation new to the cache and with no message yet is active now (it tops the
    // list), unless firstSync: the cache's first fill, where such chats are old, not news.
    void upsert(const proto::ConversationState &state, bool firstSync = false);
    std::optional<CachedConversation> get(quint64 id) const;
    // Pinned first, then the most recently active.
    std::vector<CachedConversation> all() const;
    // The cached direct conversation with a user; 0 when there is none.
    quint64 directWith(quint64 peerUserId) const;

    // A new entry arrived (push, ack or fetch): last_seq, preview, activity (group events
    // too) and, for others' messages after the read cursor, the unread count.
    void noteEntry(const proto::Message &entry, quint64 myUserId);
    void setOwnCursors(quint64 id, quint64 readSeq, quint64 deliveredSeq,
                       std::optional<quint32> unread);
    void setPeerCursors(quint64 id, quint64 readSeq, quint64 deliveredSeq);
    void setHistoryRange(quint64 id, quint64 oldestSeq, quint64 haveSeq);

Q_SIGNALS:
    void changed(quint64 conversationId);

private:
    static void keepNewer(const proto::ConversationState &local, proto::ConversationState &state);
    // The server shows a peer's cursors only while both share receipts: 0 and 0 after cursors
    // that were not means they are hidden now (messaging.proto, ConversationState).
    static bool peerCursorsHidden(quint64 readSeq, quint64 deliveredSeq)
    {
        return readSeq == 0 && deliveredSeq == 0;
    }
    void write(const CachedConversation &c);

    LocalCache &m_cache;
};

} // namespace tern::client
