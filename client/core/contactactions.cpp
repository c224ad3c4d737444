// SPDX-License-Identifier: Apache-2.0
// ContactActions: user search and friend requests, GUI thread.
#include "contactactions.h"

#include "friendrequeststore.h"
#include "refusals.h"
#include "serverconnection.h"
#include "userstore.h"

namespace tern::client {

ContactActions::ContactActions(ServerConnection &connection, UserStore &users,
                               FriendRequestStore &requests, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_users(users)
    , m_requests(requests)
{ }

void ContactActions::searchUsers(
    const QString &query,
    std::function<void(const std::vector<proto::UserProfile> &, const QString &)> done)
{
    proto::Frame frame;
    frame.mutable_search_users()->set_query(query.trimmed().toStdString());
    m_connection.send(
        frame,
        [this, done](const proto::Frame &answer) {
            if (!answer.has_user_search_result()) {
                done({}, refusalText(answer.error()));
                return;
            }
            const auto &users = answer.user_search_result().users();
            std::vector<proto::UserProfile> profiles(users.begin(), users.end());
            m_users.storeProfiles(profiles);
            done(profiles, {});
        },
        this);
}

void ContactActions::request(proto::Frame frame, Done done)
{
    m_connection.send(
        frame,
        [this, done](const proto::Frame &answer) {
            if (!answer.has_friend_request_result()) {
                done(refusalText(answer.error()));
                return;
            }
            const auto &result = answer.friend_request_result();
            if (result.has_request()) {
                m_requests.store({result.request()});
                if (result.request().has_peer())
                    m_users.storeProfiles({result.request().peer()});
            }
            if (result.has_contact())
                m_users.storeContacts({result.contact()});
            done({});
        },
        this);
}

void ContactActions::sendFriendRequest(quint64 userId, const QString &greeting, Done done)
{
    proto::Frame frame;
    frame.mutable_send_friend_request()->set_user_id(userId);
    frame.mutable_send_friend_request()->set_greeting(greeting.trimmed().toStdString());
    request(frame, std::move(done));
}

void ContactActions::answerFriendRequest(quint64 requestId, bool accept, Done done)
{
    proto::Frame frame;
    frame.mutable_answer_friend_request()->set_request_id(requestId);
    frame.mutable_answer_friend_request()->set_accept(accept);
    request(frame, std::move(done));
}

void ContactActions::cancelFriendRequest(quint64 requestId, Done done)
{
    proto::Frame frame;
    frame.mutable_cancel_friend_request()->set_request_id(requestId);
    request(frame, std::move(done));
}

void ContactActions::changeContact(proto::Frame frame, Done done)
{
    m_connection.send(
        frame,
        [this, done](const proto::Frame &answer) {
            if (!answer.has_contact()) {
                done(refusalText(answer.error()));
                return;
            }
            m_users.storeContacts({answer.contact()});
            if (answer.contact().has_profile())
                m_users.storeProfiles({answer.contact().profile()});
            done({});
        },
        this);
}

void ContactActions::setRemark(quint64 userId, const QString &remark, Done done)
{
    proto::Frame frame;
    frame.mutable_update_contact()->set_user_id(userId);
    frame.mutable_update_contact()->set_remark(remark.trimmed().toStdString());
    changeContact(frame, std::move(done));
}

void ContactActions::setBlocked(quint64 userId, bool blocked, Done done)
{
    proto::Frame frame;
    if (blocked)
        frame.mutable_block_user()->set_user_id(userId);
    else
        frame.mutable_unblock_user()->set_user_id(userId);
    changeContact(frame, std::move(done));
}

void ContactActions::removeFriend(quint64 userId, Done done)
{
    proto::Frame frame;
    frame.mutable_remove_friend()->set_user_id(userId);
    changeContact(frame, std::move(done));
}

} // namespace tern::client
