// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

#include <vector>

namespace tern::server {

class MessageService;

// Which I/O worker owns each conversation: every write to a conversation passes through its
// owner's MessageService (chosen by hashing the conversation id), which commits them in order
// on one database connection and pushes them in that order, so every device receives a
// conversation's entries in seq order. Filled as workers initialize (before any connection is
// accepted), read-only afterwards.
class ConversationOwners
{
public:
    explicit ConversationOwners(int workers)
        : m_services(size_t(std::max(workers, 1)), nullptr)
    { }

    void set(int worker, MessageService *service) { m_services.at(size_t(worker)) = service; }
    MessageService *ownerOf(qint64 conversationId) const
    {
        return m_services.at(size_t(quint64(conversationId) % m_services.size()));
    }

private:
    std::vector<MessageService *> m_services;
};

} // namespace tern::server
