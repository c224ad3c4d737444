// SPDX-License-Identifier: Apache-2.0
#include "testpeer.h"

#include "support/messagingtest.h"

#include <QBuffer>
#include <QClipboard>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QMimeData>

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

bool TestPeer::startCall(bool video)
{
    proto::Frame start;
    start.mutable_start_call()->set_callee_id(m_friend.id);
    start.mutable_start_call()->set_media(video ? proto::CALL_MEDIA_VIDEO
                                                : proto::CALL_MEDIA_AUDIO);
    // What the app sees while it rings; it is read only when the call is answered.
    start.mutable_start_call()->set_sdp_offer(
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
    const proto::Frame answer = m_me.client->request(start);
    return answer.has_call_started()
        && answer.call_started().call().state() == proto::CALL_STATE_RINGING;
}

QString TestPeer::nextCallEnd()
{
    for (;;) {
        const auto push = m_me.client->nextPush(proto::Frame::kCallUpdate, 10000);
        if (!push)
            return {};
        if (push->call_update().call().state() == proto::CALL_STATE_ENDED)
            return QString::fromStdString(
                       proto::CallEndReason_Name(push->call_update().call().end_reason()))
                .remove(QStringLiteral("CALL_END_REASON_"));
    }
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

double TestPeer::createApprovalGroup(const QString &name)
{
    proto::Frame create;
    create.mutable_create_group()->set_name(name.toStdString());
    create.mutable_create_group()->set_join_policy(proto::GROUP_JOIN_POLICY_APPROVAL);
    const proto::Frame answer = m_me.client->request(create);
    return double(answer.group_change_result().group().group_id());
}

bool TestPeer::answerJoinRequest(double groupId, bool approve)
{
    proto::Frame list;
    list.mutable_list_join_applications()->set_group_id(quint64(groupId));
    const proto::Frame listed = m_me.client->request(list);
    if (listed.join_application_list().applications_size() == 0)
        return false;
    proto::Frame answer;
    answer.mutable_answer_join_application()->set_application_id(
        listed.join_application_list().applications(0).application_id());
    answer.mutable_answer_join_application()->set_approve(approve);
    return m_me.client->request(answer).has_group_change_result();
}

bool TestPeer::requestToJoin(double groupId, const QString &message)
{
    proto::Frame ask;
    ask.mutable_request_to_join_group()->set_group_id(quint64(groupId));
    ask.mutable_request_to_join_group()->set_message(message.toStdString());
    return m_me.client->request(ask).has_join_application();
}

bool TestPeer::setJoinPolicy(double groupId, int policy)
{
    proto::Frame update;
    update.mutable_update_group()->set_group_id(quint64(groupId));
    update.mutable_update_group()->set_join_policy(proto::GroupJoinPolicy(policy));
    return m_me.client->request(update).has_group_change_result();
}

bool TestPeer::makeFriendAdmin(double groupId)
{
    proto::Frame promote;
    promote.mutable_set_group_admin()->set_group_id(quint64(groupId));
    promote.mutable_set_group_admin()->set_user_id(m_friend.id);
    promote.mutable_set_group_admin()->set_admin(true);
    return m_me.client->request(promote).has_group_change_result();
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
    m_lastFile.Clear();
    if (!push)
        return {};
    const auto &content = push->message_push().message().content();
    for (quint64 id : content.mentions())
        m_lastMentions.append(double(id));
    m_lastMentionAll = content.mention_all();
    m_lastBundleSize = content.bundle().items_size();
    m_lastForwarded = content.forwarded();
    m_lastFile = content.file();
    return QString::fromStdString(content.text());
}

bool TestPeer::sendImage(int width, int height)
{
    // A picture with something in it (a gradient), as PNG for the file and JPEG for the preview.
    QImage image(width, height, QImage::Format_RGB32);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y, qRgb(x * 255 / width, y * 255 / height, 128));
    }
    QByteArray png;
    QBuffer pngBuffer(&png);
    pngBuffer.open(QIODevice::WriteOnly);
    image.save(&pngBuffer, "PNG");
    QByteArray jpeg;
    QBuffer jpegBuffer(&jpeg);
    jpegBuffer.open(QIODevice::WriteOnly);
    image.scaled(160, 160, Qt::KeepAspectRatio).save(&jpegBuffer, "JPEG", 70);

    const QByteArray sha = QCryptographicHash::hash(png, QCryptographicHash::Sha256);
    proto::Frame start;
    start.mutable_start_upload()->set_name("gradient.png");
    start.mutable_start_upload()->set_mime_type("image/png");
    start.mutable_start_upload()->set_size(quint64(png.size()));
    start.mutable_start_upload()->set_sha256(sha.toStdString());
    proto::Frame state = m_me.client->request(start);
    if (!state.upload_state().has_file()) {
        proto::Frame chunk;
        chunk.mutable_upload_chunk()->set_upload_id(state.upload_state().upload_id());
        chunk.mutable_upload_chunk()->set_offset(0);
        chunk.mutable_upload_chunk()->set_data(png.toStdString());
        chunk.mutable_upload_chunk()->set_sha256(sha.toStdString());
        state = m_me.client->request(chunk);
    }
    if (!state.upload_state().has_file())
        return false;
    proto::Frame send;
    auto *m = send.mutable_send_message();
    m->set_conversation_id(m_conversationId);
    m->set_client_msg_id(newClientMsgId().toStdString());
    m->mutable_content()->set_kind(proto::MessageContent::KIND_IMAGE);
    auto *file = m->mutable_content()->mutable_file();
    file->set_file_id(state.upload_state().file().file_id());
    file->set_name("gradient.png");
    file->set_mime_type("image/png");
    file->set_size(quint64(png.size()));
    file->set_width(quint32(width));
    file->set_height(quint32(height));
    file->set_thumbnail(jpeg.toStdString());
    return m_me.client->request(send).has_message_ack();
}

QString TestPeer::downloadLastFile()
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    quint64 offset = 0;
    while (offset < m_lastFile.size()) {
        proto::Frame read;
        read.mutable_read_file()->set_file_id(m_lastFile.file_id());
        read.mutable_read_file()->set_offset(offset);
        read.mutable_read_file()->set_length(200000);
        const proto::Frame chunk = m_me.client->request(read);
        if (!chunk.has_file_chunk() || chunk.file_chunk().data().empty())
            return {};
        hash.addData(QByteArrayView(chunk.file_chunk().data()));
        offset += chunk.file_chunk().data().size();
    }
    return QString::fromLatin1(hash.result().toHex());
}

QUrl TestPeer::writeFile(const QString &name, int size)
{
    const QString path = m_files.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    QByteArray data(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        data[i] = char((qint64(i) * 7 + (i >> 10)) % 253);
    file.write(data);
    return QUrl::fromLocalFile(path);
}

QString TestPeer::sha256Of(const QUrl &url) const
{
    QFile file(url.toLocalFile());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!file.open(QIODevice::ReadOnly) || !hash.addData(&file))
        return {};
    return QString::fromLatin1(hash.result().toHex());
}

QString TestPeer::folder(const QString &name) const
{
    const QString path = m_files.filePath(name);
    QDir().mkpath(path);
    return path;
}

QUrl TestPeer::writePicture(const QString &name, int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y, qRgb(x * 255 / width, 90, y * 255 / height));
    }
    const QString path = m_files.filePath(name);
    return image.save(path, "PNG") ? QUrl::fromLocalFile(path) : QUrl();
}

void TestPeer::copyCells(const QString &text, int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::white);
    auto *mime = new QMimeData; // the clipboard owns it
    mime->setText(text);
    mime->setImageData(image);
    QGuiApplication::clipboard()->setMimeData(mime);
}

void TestPeer::copyPicture(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(QColor(200, 60, 40));
    QGuiApplication::clipboard()->setImage(image);
}
