// SPDX-License-Identifier: Apache-2.0
// ConversationStore: the cached ConversationStates, GUI thread.
#include "conversationstore.h"

#include "clientlog.h"
#include "entryevents.h"
#include "localcache.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace tern::client {

namespace {

CachedConversation fromRow(const QSqlQuery &q)
{
    CachedConversation c;
    const QByteArray blob = q.value(0).toByteArray();
    c.state.ParseFromArray(blob.constData(), int(blob.size()));
    c.oldestSeq = q.value(1).toULongLong();
    c.haveSeq = q.value(2).toULongLong();
    c.lastActivityMs = q.value(3).toLongLong();
    return c;
}

bool isShownMessage(const proto::Message &m)
{
    return m.has_content() || m.recalled();
}

} // namespace

ConversationStore::ConversationStore(LocalCache &cache, QObject *parent)
    : QObject(parent)
    , m_cache(cache)
{ }

void ConversationStore::write(const CachedConversation &c)
{
    const std::string blob = c.state.SerializeAsString();
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral(
        "INSERT INTO conversations (id, state, pinned, last_activity_ms, oldest_seq, have_seq)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state,"
        " pinned = excluded.pinned, last_activity_ms = excluded.last_activity_ms,"
        " oldest_seq = excluded.oldest_seq, have_seq = excluded.have_seq"));
    q.addBindValue(qulonglong(c.state.conversation_id()));
    q.addBindValue(QByteArray(blob.data(), qsizetype(blob.size())));
    q.addBindValue(c.state.settings().pinned() ? 1 : 0);
    q.addBindValue(c.lastActivityMs);
    q.addBindValue(qulonglong(c.oldestSeq));
    q.addBindValue(qulonglong(c.haveSeq));
    if (!q.exec()) {
        qCWarning(lcCache) << "conversation write failed:" << q.lastError().text();
        return;
    }
    Q_EMIT changed(c.state.conversation_id());
}

void ConversationStore::upsert(const proto::ConversationState &state, bool firstSync)
{
    const std::optional<CachedConversation> cached = get(state.conversation_id());
    CachedConversation c = cached.value_or(CachedConversation {});
    const proto::ConversationState local = c.state;
    c.state = state;
    if (cached)
        keepNewer(local, c.state);
    c.state.clear_hidden_seqs();
    if (c.state.has_last_message()) {
        c.lastActivityMs = std::max<qint64>(c.lastActivityMs, c.state.last_message().sent_at_ms());
    } else if (!cached && !firstSync) {
        // A chat just opened, or a group one was just added to, has no message to date it
        // (the state carries no creation time): it is news now, not the oldest chat.
        c.lastActivityMs = QDateTime::currentMSecsSinceEpoch();
    }
    write(c);
}

void ConversationStore::keepNewer(const proto::ConversationState &local,
                                  proto::ConversationState &state)
{
    const quint64 incomingReadSeq = state.read_seq();
    // Cursors only move forwards on the server.
    state.set_read_seq(std::max(state.read_seq(), local.read_seq()));
    state.set_delivered_seq(std::max(state.delivered_seq(), local.delivered_seq()));
    // The peer's too, except that both at 0 means the peer's receipts are hidden now (turned
    // off, or a block): what this device showed of them goes as well.
    if (!peerCursorsHidden(state.peer_read_seq(), state.peer_delivered_seq())) {
        state.set_peer_read_seq(std::max(state.peer_read_seq(), local.peer_read_seq()));
        state.set_peer_delivered_seq(
            std::max(state.peer_delivered_seq(), local.peer_delivered_seq()));
    }
    // The preview this device holds is the newer one when it has applied entries the state
    // has not seen: a later message, or an edit or recall of the message shown (an event has
    // a seq of its own, the preview keeps its target's).
    // Hiding a message for me takes no seq: a state that hides the preview wins regardless.
    const quint64 localPreview = local.last_message().seq();
    const bool stateHidesIt =
        (state.last_message().seq() == localPreview && state.last_message().hidden_for_me())
        || std::find(state.hidden_seqs().begin(), state.hidden_seqs().end(), localPreview)
            != state.hidden_seqs().end();
    const bool localPreviewNewer = local.has_last_message() && !stateHidesIt
        && (!state.has_last_message() || localPreview > state.last_seq()
            || (local.last_seq() > state.last_seq() && localPreview >= state.last_message().seq()));
    if (localPreviewNewer)
        *state.mutable_last_message() = local.last_message();
    if (local.last_seq() <= state.last_seq() && local.read_seq() > incomingReadSeq) {
        // The state has entries this device has not seen, but reading it has not: at most the
        // entries after what this device counted can be unread.
        state.set_unread_count(quint32(std::min<quint64>(
            state.unread_count(), local.unread_count() + state.last_seq() - local.last_seq())));
    }
    if (local.last_seq() > state.last_seq()) {
        // Read before entries this device has counted since: its count is the newer one,
        // unless the state has reading this device has not seen (another device read): then
        // at most the state's count plus the entries since it.
        quint64 unread = local.unread_count();
        if (incomingReadSeq > local.read_seq())
            unread = std::min<quint64>(unread,
                                       state.unread_count() + local.last_seq() - state.last_seq());
        state.set_last_seq(local.last_seq());
        state.set_unread_count(quint32(unread));
        state.set_mentioned(state.mentioned() || local.mentioned());
    }
    if (state.read_seq() >= state.last_seq()) {
        state.set_unread_count(0);
        state.set_mentioned(false);
    }
}

std::optional<CachedConversation> ConversationStore::get(quint64 id) const
{
    QSqlQuery q(m_cache.db());
    q.prepare(QStringLiteral(
        "SELECT state, oldest_seq, have_seq, last_activity_ms FROM conversations WHERE id = ?"));
    q.addBindValue(qulonglong(id));
    if (!q.exec() || !q.next())
        return std::nullopt;
    return fromRow(q);
}

std::vector<CachedConversation> ConversationStore::all() const
{
    std::vector<CachedConversation> result;
    QSqlQuery q(m_cache.db());
    q.exec(QStringLiteral("SELECT state, oldest_seq, have_seq, last_activity_ms FROM conversations"
                          " ORDER BY pinned DESC, last_activity_ms DESC, id DESC"));
    while (q.next())
        result.push_back(fromRow(q));
    return result;
}

quint64 ConversationStore::directWith(quint64 peerUserId) const
{
    for (const CachedConversation &c : all()) {
        if (c.state.kind() == proto::CONVERSATION_KIND_DIRECT
            && c.state.peer_user_id() == peerUserId)
            return c.state.conversation_id();
    }
    return 0;
}

void ConversationStore::noteEntry(const proto::Message &entry, quint64 myUserId)
{
    std::optional<CachedConversation> c = get(entry.conversation_id());
    if (!c)
        return; // the sync engine fetches the state of conversations it does not know
    auto &state = c->state;
    const bool isNew = entry.seq() > state.last_seq();
    state.set_last_seq(std::max(state.last_seq(), entry.seq()));
    if (isShownMessage(entry) && entry.seq() >= state.last_message().seq()) {
        *state.mutable_last_message() = entry;
        c->lastActivityMs = std::max<qint64>(c->lastActivityMs, entry.sent_at_ms());
    } else if (entry.has_group_event()) {
        // No preview of its own, but news all the same ("X added you"): the chat moves up.
        c->lastActivityMs = std::max<qint64>(c->lastActivityMs, entry.sent_at_ms());
    }
    if (isNew && entry.has_content() && entry.sender_id() != myUserId
        && entry.seq() > state.read_seq())
        state.set_unread_count(state.unread_count() + 1);
    // An edit or recall of the entry the list shows changes what it shows: a recalled text
    // must not stay visible there (invariant 5). A recalled unread message is no longer
    // unread, as the server counts it (anything above read_seq is someone else's: sending
    // moves read_seq).
    const quint64 target = entry.has_edit() || entry.has_recall() ? eventTargetSeq(entry) : 0;
    if (target != 0 && state.has_last_message() && state.last_message().seq() == target)
        applyEntryEvent(entry, *state.mutable_last_message());
    if (isNew && entry.has_recall() && target > state.read_seq() && state.unread_count() > 0)
        state.set_unread_count(state.unread_count() - 1);
    if (entry.sender_id() == myUserId && entry.seq() > state.read_seq()) {
        // Sending is reading: the server moves our cursors when we send.
        state.set_read_seq(entry.seq());
        state.set_unread_count(0);
    }
    write(*c);
}

void ConversationStore::setOwnCursors(quint64 id, quint64 readSeq, quint64 deliveredSeq,
                                      std::optional<quint32> unread)
{
    std::optional<CachedConversation> c = get(id);
    if (!c)
        return;
    c->state.set_read_seq(std::max<quint64>(c->state.read_seq(), readSeq));
    c->state.set_delivered_seq(std::max<quint64>(c->state.delivered_seq(), deliveredSeq));
    if (unread)
        c->state.set_unread_count(*unread);
    write(*c);
}

void ConversationStore::setPeerCursors(quint64 id, quint64 readSeq, quint64 deliveredSeq)
{
    std::optional<CachedConversation> c = get(id);
    if (!c)
        return;
    const bool hidden = peerCursorsHidden(readSeq, deliveredSeq);
    c->state.set_peer_read_seq(hidden ? 0 : std::max<quint64>(c->state.peer_read_seq(), readSeq));
    c->state.set_peer_delivered_seq(
        hidden ? 0 : std::max<quint64>(c->state.peer_delivered_seq(), deliveredSeq));
    write(*c);
}

void ConversationStore::setHistoryRange(quint64 id, quint64 oldestSeq, quint64 haveSeq)
{
    std::optional<CachedConversation> c = get(id);
    if (!c || (c->oldestSeq == oldestSeq && c->haveSeq == haveSeq))
        return;
    c->oldestSeq = oldestSeq;
    c->haveSeq = haveSeq;
    write(*c);
}

} // namespace tern::client
