// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

namespace tern::client {

class Account;

// The unread messages a chat had when it was opened, read before the view marks them read:
// how many, and which entry is the first of them (where the "↑ N new messages" pill goes).
class FirstUnread
{
public:
    // Reads the chat's read cursor and unread count; nothing unread leaves this empty.
    void open(Account &account, quint64 conversationId);
    void clear() { *this = FirstUnread(); }
    // Looks for the first unread entry again in what the cache holds now (older pages, entries
    // hidden or recalled since); true when it is another one.
    bool refresh(Account &account, quint64 conversationId);

    int count() const { return m_count; }
    // The first unread entry, as far as the cache knows: the first entry after the read cursor
    // that is someone else's message still shown; when the cache does not hold everything
    // up to it, the first seq it lacks. 0: nothing unread.
    quint64 seq() const { return m_seq; }

private:
    quint64 find(Account &account, quint64 conversationId) const;

    quint64 m_from = 0; // the read cursor + 1 at opening (0: nothing unread)
    int m_count = 0;
    quint64 m_seq = 0;
};

} // namespace tern::client
