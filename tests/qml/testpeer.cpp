// SPDX-License-Identifier: Apache-2.0
#include "testpeer.h"

#include "support/messagingtest.h"

using namespace tern;

namespace {
QUrl s_defaultUrl;
}

void TestPeer::setDefaultUrl(const QUrl &url)
{
    s_defaultUrl = url;
}

TestPeer::TestPeer(QObject *parent)
    : QObject(parent)
    , m_url(s_defaultUrl)
{ }

bool TestPeer::requestFriendship(const QString &username, const QString &greeting)
{
    proto::Frame search;
    search.mutable_search_users()->set_query(username.toStdString());
    const proto::Frame found = m_me.client->request(search);
    if (!found.has_user_search_result() || found.user_search_result().users_size() == 0)
        return false;
    proto::Frame ask;
    ask.mutable_send_friend_request()->set_user_id(found.user_search_result().users(0).user_id());
    ask.mutable_send_friend_request()->set_greeting(greeting.toStdString());
    return m_me.client->request(ask).has_friend_request_result();
}

int TestPeer::acceptIncoming()
{
    proto::Frame list;
    list.mutable_list_friend_requests();
    const proto::Frame pending = m_me.client->request(list);
    int accepted = 0;
    for (const auto &r : pending.friend_request_list().incoming()) {
        proto::Frame answer;
        answer.mutable_answer_friend_request()->set_request_id(r.request_id());
        answer.mutable_answer_friend_request()->set_accept(true);
        if (m_me.client->request(answer).friend_request_result().contact().is_friend())
            ++accepted;
    }
    return accepted;
}

bool TestPeer::registerAs(const QString &username)
{
    m_me = registerTestUser(m_url, username, QStringLiteral("peer password"));
    return m_me.id != 0;
}

bool TestPeer::befriend(const QString &username, const QString &password)
{
    proto::Frame search;
    search.mutable_search_users()->set_query(username.toStdString());
    const proto::Frame found = m_me.client->request(search);
    if (!found.has_user_search_result() || found.user_search_result().users_size() == 0)
        return false;
    m_friend.id = found.user_search_result().users(0).user_id();
    m_friend.name = username;
    m_friend.password = password;
    m_friend.client = loginDevice(m_url, m_friend, QStringLiteral("peer-test-device"));
    if (!m_friend.client || !::befriend(m_me, m_friend))
        return false;
    m_conversationId = openDirect(*m_me.client, m_friend.id);
    return m_conversationId != 0;
}

bool TestPeer::sendText(const QString &text)
{
    return ::sendText(*m_me.client, m_conversationId, text).has_message_ack();
}

bool TestPeer::createGroupWithFriend(const QString &name)
{
    proto::Frame create;
    create.mutable_create_group()->set_name(name.toStdString());
    create.mutable_create_group()->add_member_ids(m_friend.id);
    return m_me.client->request(create).has_group_change_result();
}

bool TestPeer::createGroupWith(const QString &name, double userId)
{
    proto::Frame create;
    create.mutable_create_group()->set_name(name.toStdString());
    create.mutable_create_group()->add_member_ids(quint64(userId));
    return m_me.client->request(create).has_group_change_result();
}

QString TestPeer::createOpenGroup(const QString &name)
{
    proto::Frame create;
    create.mutable_create_group()->set_name(name.toStdString());
    create.mutable_create_group()->set_join_policy(proto::GROUP_JOIN_POLICY_OPEN);
    const proto::Frame answer = m_me.client->request(create);
    return QString::fromStdString(answer.group_change_result().group().invite_code());
}

bool TestPeer::requestToJoin(double groupId, const QString &message)
{
    proto::Frame ask;
    ask.mutable_request_to_join_group()->set_group_id(quint64(groupId));
    ask.mutable_request_to_join_group()->set_message(message.toStdString());
    return m_me.client->request(ask).has_join_application();
}

bool TestPeer::setTyping(bool typing)
{
    proto::Frame frame;
    frame.mutable_set_typing()->set_conversation_id(m_conversationId);
    frame.mutable_set_typing()->set_typing(typing);
    return m_me.client->request(frame).has_typing_result();
}

QString TestPeer::nextReceivedText()
{
    // Messages only: edits, recalls, reactions and group events are entries too.
    auto push = m_me.client->nextPush(proto::Frame::kMessagePush, 10000);
    while (push && !push->message_push().message().has_content())
        push = m_me.client->nextPush(proto::Frame::kMessagePush, 10000);
    m_lastMentions.clear();
    m_lastMentionAll = false;
    m_lastBundleSize = 0;
    m_lastForwarded = false;
    if (!push)
        return {};
    const auto &content = push->message_push().message().content();
    for (quint64 id : content.mentions())
        m_lastMentions.append(double(id));
    m_lastMentionAll = content.mention_all();
    m_lastBundleSize = content.bundle().items_size();
    m_lastForwarded = content.forwarded();
    return QString::fromStdString(content.text());
}
