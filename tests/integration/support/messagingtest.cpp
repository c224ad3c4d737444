// SPDX-License-Identifier: Apache-2.0
#include "messagingtest.h"

#include <QCryptographicHash>
#include <QUuid>

using namespace tern;

QString newClientMsgId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString describeFrame(const proto::Frame &frame)
{
    if (frame.has_error()) {
        return QStringLiteral("Error %1: %2")
            .arg(int(frame.error().code()))
            .arg(QString::fromStdString(frame.error().message()));
    }
    const auto *field = proto::Frame::descriptor()->FindFieldByNumber(int(frame.payload_case()));
    return field ? QString::fromStdString(field->name()) : QStringLiteral("(empty frame)");
}

namespace {
quint64 openConversation(TestClient &client, const std::function<void(proto::Frame &)> &fill)
{
    proto::Frame frame;
    fill(frame);
    const proto::Frame answer = client.request(frame);
    if (!answer.has_conversation_state()) {
        qWarning("OpenConversation failed: %s", qPrintable(describeFrame(answer)));
        return 0;
    }
    return answer.conversation_state().conversation_id();
}
} // namespace

quint64 openDirect(TestClient &client, quint64 peerUserId)
{
    return openConversation(client, [&](proto::Frame &f) {
        f.mutable_open_conversation()->set_peer_user_id(peerUserId);
    });
}

quint64 openGroupConversation(TestClient &client, quint64 groupId)
{
    return openConversation(
        client, [&](proto::Frame &f) { f.mutable_open_conversation()->set_group_id(groupId); });
}

proto::Frame textMessageFrame(quint64 conversationId, const QString &text,
                              const QString &clientMsgId)
{
    proto::Frame frame;
    auto *send = frame.mutable_send_message();
    send->set_conversation_id(conversationId);
    send->set_client_msg_id(clientMsgId.toStdString());
    send->mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
    send->mutable_content()->set_text(text.toStdString());
    return frame;
}

proto::Frame sendText(TestClient &client, quint64 conversationId, const QString &text,
                      const QString &clientMsgId)
{
    return client.request(textMessageFrame(conversationId, text,
                                           clientMsgId.isEmpty() ? newClientMsgId() : clientMsgId));
}

proto::Frame getMessagesAfter(TestClient &client, quint64 conversationId, quint64 afterSeq,
                              quint32 limit)
{
    proto::Frame frame;
    auto *get = frame.mutable_get_messages();
    get->set_conversation_id(conversationId);
    get->set_after_seq(afterSeq);
    get->set_limit(limit);
    return client.request(frame);
}

proto::Frame getMessagesBefore(TestClient &client, quint64 conversationId, quint64 beforeSeq,
                               quint32 limit)
{
    proto::Frame frame;
    auto *get = frame.mutable_get_messages();
    get->set_conversation_id(conversationId);
    get->set_before_seq(beforeSeq);
    get->set_limit(limit);
    return client.request(frame);
}

std::vector<proto::Message> fetchAllAfter(TestClient &client, quint64 conversationId,
                                          quint64 afterSeq, quint32 pageSize, int *pages)
{
    std::vector<proto::Message> all;
    int requests = 0;
    for (;;) {
        const proto::Frame page = getMessagesAfter(client, conversationId, afterSeq, pageSize);
        ++requests;
        if (!page.has_message_list()) {
            qWarning("GetMessages failed: %s", qPrintable(describeFrame(page)));
            break;
        }
        for (const proto::Message &message : page.message_list().messages()) {
            all.push_back(message);
            afterSeq = message.seq();
        }
        if (!page.message_list().has_more() || page.message_list().messages().empty())
            break;
    }
    if (pages)
        *pages = requests;
    return all;
}

std::vector<proto::ConversationState> syncAll(TestClient &client, quint64 since, quint64 *nextSince)
{
    std::vector<proto::ConversationState> states;
    quint64 after = 0;
    quint64 cursor = 0;
    for (;;) {
        proto::Frame frame;
        auto *sync = frame.mutable_sync_conversations();
        sync->set_since(since);
        sync->set_after_conversation_id(after);
        const proto::Frame page = client.request(frame);
        if (!page.has_conversation_changes()) {
            qWarning("SyncConversations failed: %s", qPrintable(describeFrame(page)));
            break;
        }
        const auto &changes = page.conversation_changes();
        cursor =
            cursor == 0 ? changes.next_since() : std::min<quint64>(cursor, changes.next_since());
        for (const proto::ConversationState &state : changes.conversations()) {
            states.push_back(state);
            after = state.conversation_id();
        }
        if (!changes.has_more())
            break;
    }
    if (nextSince)
        *nextSince = cursor;
    return states;
}

bool allowGroupAddsFromEveryone(TestUser &user)
{
    proto::Frame frame;
    frame.mutable_update_profile()->mutable_privacy()->set_group_adders(proto::AUDIENCE_EVERYONE);
    const proto::Frame answer = user.client->request(frame);
    if (!answer.has_my_profile()) {
        qWarning("UpdateProfile failed: %s", qPrintable(describeFrame(answer)));
        return false;
    }
    return true;
}

quint64 createGroupWith(TestUser &owner, const QList<TestUser *> &members, const QString &name)
{
    for (TestUser *member : members) {
        if (!allowGroupAddsFromEveryone(*member))
            return 0;
    }
    proto::Frame frame;
    auto *create = frame.mutable_create_group();
    create->set_name(name.toStdString());
    create->set_join_policy(proto::GROUP_JOIN_POLICY_INVITE_ONLY);
    for (const TestUser *member : members)
        create->add_member_ids(member->id);
    const proto::Frame answer = owner.client->request(frame);
    if (!answer.has_group_change_result()
        || answer.group_change_result().group().member_count() != quint32(members.size() + 1)) {
        qWarning("CreateGroup failed: %s", qPrintable(describeFrame(answer)));
        return 0;
    }
    return answer.group_change_result().group().group_id();
}

std::string uploadTestFile(TestClient &client, const QByteArray &data, const QString &name,
                           const char *mimeType)
{
    const QByteArray sha = QCryptographicHash::hash(data, QCryptographicHash::Sha256);
    proto::Frame start;
    auto *announce = start.mutable_start_upload();
    announce->set_name(name.toStdString());
    announce->set_mime_type(mimeType);
    announce->set_size(quint64(data.size()));
    announce->set_sha256(sha.toStdString());
    const proto::Frame started = client.request(start);
    if (started.upload_state().has_file())
        return started.upload_state().file().file_id();
    proto::Frame chunk;
    auto *c = chunk.mutable_upload_chunk();
    c->set_upload_id(started.upload_state().upload_id());
    c->set_offset(0);
    c->set_data(data.toStdString());
    c->set_sha256(sha.toStdString());
    return client.request(chunk).upload_state().file().file_id();
}
