// SPDX-License-Identifier: Apache-2.0
#include "testusers.h"

using namespace tern;

TestUser registerTestUser(const QUrl &url, const QString &name, const QString &password,
                          const QString &displayName, const QString &deviceId)
{
    TestUser user;
    user.name = name;
    user.password = password;
    user.client = std::make_unique<TestClient>();
    if (!user.client->open(url)
        || !user.client->hello(deviceId.isEmpty() ? name + QStringLiteral("-main") : deviceId)
                .has_welcome())
        return user;
    user.id = user.client->registerUser(name, password, displayName).session().user_id();
    return user;
}

std::unique_ptr<TestClient> loginDevice(const QUrl &url, const TestUser &user,
                                        const QString &deviceId)
{
    auto client = std::make_unique<TestClient>();
    if (!client->open(url) || !client->hello(deviceId).has_welcome()
        || !client->login(user.name, user.password).has_session())
        return nullptr;
    return client;
}

bool befriend(TestUser &a, TestUser &b)
{
    proto::Frame send;
    send.mutable_send_friend_request()->set_user_id(b.id);
    const proto::Frame sent = a.client->request(send);
    if (!sent.has_friend_request_result())
        return false;
    if (sent.friend_request_result().contact().is_friend())
        return true;
    proto::Frame answer;
    answer.mutable_answer_friend_request()->set_request_id(
        sent.friend_request_result().request().request_id());
    answer.mutable_answer_friend_request()->set_accept(true);
    return b.client->request(answer).friend_request_result().contact().is_friend();
}
