// SPDX-License-Identifier: Apache-2.0
#include "groupsetup.h"

#include <memory>

using namespace tern;

namespace {
constexpr int kMaxIdsPerRequest = 100;
constexpr int kSetupTimeoutMs = 120000;
} // namespace

quint64 makeGroup(std::vector<BenchUser *> members, const QString &name, QString &error)
{
    int allowed = 0;
    int failed = 0;
    for (BenchUser *member : members) {
        proto::Frame privacy;
        privacy.mutable_update_profile()->mutable_privacy()->set_group_adders(
            proto::AUDIENCE_EVERYONE);
        member->connection->request(privacy, [&](const proto::Frame &answer) {
            if (answer.has_my_profile()) {
                ++allowed;
            } else {
                ++failed;
                error = QString::fromStdString(answer.ShortDebugString());
            }
        });
    }
    if (!waitUntil([&] { return allowed + failed == int(members.size()); }, kSetupTimeoutMs)
        || failed > 0)
        return 0;

    BenchConnection &owner = *members.front()->connection;
    quint64 groupId = 0;
    bool answered = false;
    proto::Frame create;
    create.mutable_create_group()->set_name(name.toStdString());
    for (size_t i = 1; i < members.size() && int(i) <= kMaxIdsPerRequest; ++i)
        create.mutable_create_group()->add_member_ids(members[i]->id);
    owner.request(create, [&](const proto::Frame &answer) {
        answered = true;
        if (answer.has_group_change_result())
            groupId = answer.group_change_result().group().group_id();
        else
            error = QString::fromStdString(answer.ShortDebugString());
    });
    if (!waitUntil([&] { return answered; }, kSetupTimeoutMs) || groupId == 0)
        return 0;
    for (size_t first = kMaxIdsPerRequest + 1; first < members.size(); first += kMaxIdsPerRequest) {
        proto::Frame invite;
        invite.mutable_invite_to_group()->set_group_id(groupId);
        for (size_t i = first; i < members.size() && i < first + kMaxIdsPerRequest; ++i)
            invite.mutable_invite_to_group()->add_user_ids(members[i]->id);
        answered = false;
        bool added = false;
        owner.request(invite, [&](const proto::Frame &answer) {
            answered = true;
            added = answer.has_group_change_result();
            if (!added)
                error = QString::fromStdString(answer.ShortDebugString());
        });
        if (!waitUntil([&] { return answered; }, kSetupTimeoutMs) || !added)
            return 0;
    }
    quint64 conversationId = 0;
    answered = false;
    proto::Frame open;
    open.mutable_open_conversation()->set_group_id(groupId);
    owner.request(open, [&](const proto::Frame &answer) {
        answered = true;
        if (answer.has_conversation_state())
            conversationId = answer.conversation_state().conversation_id();
        else
            error = QString::fromStdString(answer.ShortDebugString());
    });
    waitUntil([&] { return answered; }, kSetupTimeoutMs);
    return conversationId;
}
