// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QObject>
#include <QString>

#include <functional>
#include <vector>

namespace tern::client {

class FriendRequestStore;
class ServerConnection;
class UserStore;

// What the user does with people: find them, ask them to be friends, answer or withdraw a
// request. Each call answers once with the server's outcome (error empty on success) and
// writes what changed into the cache, so the lists update without waiting for the push.
class ContactActions : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const QString &error)>;

    ContactActions(ServerConnection &connection, UserStore &users, FriendRequestStore &requests,
                   QObject *parent = nullptr);

    void
    searchUsers(const QString &query,
                std::function<void(const std::vector<proto::UserProfile> &, const QString &)> done);
    void sendFriendRequest(quint64 userId, const QString &greeting, Done done);
    void answerFriendRequest(quint64 requestId, bool accept, Done done);
    void cancelFriendRequest(quint64 requestId, Done done);
    // The name shown for this user to this user only; empty removes it.
    void setRemark(quint64 userId, const QString &remark, Done done);
    void setBlocked(quint64 userId, bool blocked, Done done);
    // Ends the friendship on both sides (the chat history stays).
    void removeFriend(quint64 userId, Done done);

private:
    void request(proto::Frame frame, Done done);
    // For the requests answered with a Contact.
    void changeContact(proto::Frame frame, Done done);

    ServerConnection &m_connection;
    UserStore &m_users;
    FriendRequestStore &m_requests;
};

} // namespace tern::client
