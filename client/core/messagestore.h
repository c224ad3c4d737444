// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"
#include "tern/v1/messaging.pb.h"

#include <QObject>

#include <vector>

namespace tern::client {

class LocalCache;

// Cached history entries, each stored as the message is now: an edit, recall or reaction entry
// that arrives is applied to its target here, as the server does for history it returns.
// Entries are immutable otherwise, so storing one twice is harmless (the second is ignored).
class MessageStore : public QObject
{
    Q_OBJECT
public:
    explicit MessageStore(LocalCache &cache, QObject *parent = nullptr);

    // Stores entries of one conversation; returns how many were new. Emits entriesChanged.
    int store(quint64 conversationId, const std::vector<proto::Message> &entries);

    // The highest seq s >= fromSeq such that every entry fromSeq+1..s is stored.
    quint64 contiguousEnd(quint64 conversationId, quint64 fromSeq) const;

    // Shown entries (messages and group events) with seq < beforeSeq (0: the newest), at most
    // `limit`, ascending.
    std::vector<proto::Message> page(quint64 conversationId, quint64 beforeSeq, int limit) const;
    std::optional<proto::Message> get(quint64 conversationId, quint64 seq) const;

    // Drops the cached entries below `seq` (history that is no longer contiguous).
    void removeBefore(quint64 conversationId, quint64 seq);

    // Delete for me: the entries disappear from this account's timelines.
    void hide(quint64 conversationId, const std::vector<quint64> &seqs);

    // Local full-text search (see searchterms.h), newest first.
    std::vector<proto::Message> search(const QString &typed, int limit) const;

Q_SIGNALS:
    void entriesChanged(quint64 conversationId);

private:
    void applyEvent(const proto::Message &event);
    void catchUpWithEvents(std::vector<proto::Message> &added);
    void rewrite(const proto::Message &entry, bool shown);
    void index(const proto::Message &entry);

    LocalCache &m_cache;
};

} // namespace tern::client
