// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <vector>

namespace tern::client {

class ConversationStore;
class GroupStore;
class ServerConnection;
class SyncEngine;

// What the user does with groups. Creating one also opens its conversation, so the chat list
// shows it at once.
class GroupActions : public QObject
{
    Q_OBJECT
public:
    GroupActions(ServerConnection &connection, GroupStore &groups, SyncEngine &sync,
                 QObject *parent = nullptr);

    // done(conversationId, {}) or done(0, the server's reason).
    void createGroup(const QString &name, const std::vector<quint64> &memberIds,
                     std::function<void(quint64, const QString &)> done);

private:
    ServerConnection &m_connection;
    GroupStore &m_groups;
    SyncEngine &m_sync;
};

} // namespace tern::client
