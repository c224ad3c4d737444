// SPDX-License-Identifier: Apache-2.0
// FirstUnread: where a chat's unread messages began when it was opened, over the cache.
#include "firstunread.h"

#include "account.h"

#include <algorithm>

namespace tern::client {

void FirstUnread::open(Account &account, quint64 conversationId)
{
    clear();
    const auto c = account.conversations().get(conversationId);
    if (!c || c->state.unread_count() == 0)
        return;
    m_count = int(c->state.unread_count());
    // A group member reads from the entry that made them one.
    m_from = std::max<quint64>(c->state.read_seq() + 1, c->state.first_seq());
    m_seq = find(account, conversationId);
}

bool FirstUnread::refresh(Account &account, quint64 conversationId)
{
    if (m_from == 0)
        return false;
    const quint64 was = m_seq;
    m_seq = find(account, conversationId);
    return m_seq != was;
}

quint64 FirstUnread::find(Account &account, quint64 conversationId) const
{
    const auto c = account.conversations().get(conversationId);
    if (!c || m_from == 0)
        return 0;
    const quint64 me = account.userId();
    // Usually the first entry after the cursor: what comes before the first unread message is
    // only group events, reactions, edits, and messages hidden or recalled since.
    for (quint64 seq = m_from; seq <= c->state.last_seq(); ++seq) {
        const auto m = account.messages().get(conversationId, seq);
        if (!m) {
            // Not cached yet (older than the history held, or not fetched yet): the best guess
            // until it is. Missing inside the history held: never this user's to read (a
            // group's history while they were not in it).
            if (c->oldestSeq == 0 || seq < c->oldestSeq || seq > c->haveSeq)
                return seq;
            continue;
        }
        if (m->has_content() && !m->recalled() && !m->hidden_for_me() && m->sender_id() != me)
            return seq;
    }
    return 0;
}

} // namespace tern::client
