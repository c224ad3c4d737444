// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>

#include <optional>
#include <vector>

namespace tern::client {

class LocalCache;

// What the user typed in a conversation and has not sent yet, and the message it answers.
struct Draft
{
    struct Mention
    {
        quint64 userId = 0;
        QString name; // as completed into the text ("@name")
    };
    QString text;
    // People picked with @-completion: sent along if their "@name" is still in the text.
    std::vector<Mention> mentions;
    // The message the composer's reply bar names (0: not a reply) and what the bar showed of
    // it: kept, because the message may be gone from the cache when the draft comes back.
    quint64 replyToSeq = 0;
    QString replySummary;
};

// The drafts table: at most one draft per conversation, kept across restarts. Every change
// emits changed(id) once it is stored.
//
// A reply with no text yet is a draft (as Telegram keeps one): choosing Reply and switching
// chats brings the reply bar back. The chat list's "[Draft]" shows text, so such a draft is
// not listed there. Nothing typed and no reply is no draft.
class DraftStore : public QObject
{
    Q_OBJECT
public:
    explicit DraftStore(LocalCache &cache, QObject *parent = nullptr);

    // Keeps `draft` for the conversation; a text of nothing but white space and no reply
    // removes it.
    void set(quint64 conversationId, const Draft &draft);
    void remove(quint64 conversationId);
    std::optional<Draft> get(quint64 conversationId) const;

Q_SIGNALS:
    void changed(quint64 conversationId);

private:
    LocalCache &m_cache;
};

} // namespace tern::client
