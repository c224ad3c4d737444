// SPDX-License-Identifier: Apache-2.0
// TypingTracker: typing notices in and out, GUI thread.
#include "typingtracker.h"

#include "serverconnection.h"

#include <QDateTime>

namespace tern::client {

namespace {

constexpr qint64 kResendMs = 2000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

TypingTracker::TypingTracker(ServerConnection &connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    m_expiry.setInterval(500);
    connect(&m_expiry, &QTimer::timeout, this, &TypingTracker::expire);
    connect(&m_connection, &ServerConnection::pushReceived, this, &TypingTracker::onPush);
}

std::vector<quint64> TypingTracker::typing(quint64 conversationId) const
{
    std::vector<quint64> users;
    const qint64 now = nowMs();
    const auto byUser = m_typing.value(conversationId);
    for (auto it = byUser.begin(); it != byUser.end(); ++it) {
        if (it.value() > now)
            users.push_back(it.key());
    }
    return users;
}

void TypingTracker::onPush(const proto::Frame &frame)
{
    if (!frame.has_typing_push())
        return;
    const auto &t = frame.typing_push();
    auto &byUser = m_typing[t.conversation_id()];
    if (t.typing())
        byUser.insert(t.user_id(), nowMs() + (t.expires_in_ms() ? t.expires_in_ms() : 6000));
    else
        byUser.remove(t.user_id());
    if (!m_expiry.isActive())
        m_expiry.start();
    Q_EMIT changed(t.conversation_id());
}

void TypingTracker::expire()
{
    const qint64 now = nowMs();
    for (auto conv = m_typing.begin(); conv != m_typing.end();) {
        bool removed = false;
        for (auto user = conv->begin(); user != conv->end();) {
            if (user.value() <= now) {
                user = conv->erase(user);
                removed = true;
            } else {
                ++user;
            }
        }
        const quint64 id = conv.key();
        conv = conv->isEmpty() ? m_typing.erase(conv) : std::next(conv);
        if (removed)
            Q_EMIT changed(id);
    }
    if (m_typing.isEmpty())
        m_expiry.stop();
}

void TypingTracker::setOwnTyping(quint64 conversationId, bool typing)
{
    if (!m_connection.isConnected() || conversationId == 0)
        return;
    const qint64 now = nowMs();
    if (typing && conversationId == m_ownConversation && now - m_ownSentAtMs < kResendMs)
        return;
    if (!typing && m_ownConversation != conversationId)
        return; // nothing was announced here
    proto::Frame frame;
    frame.mutable_set_typing()->set_conversation_id(conversationId);
    frame.mutable_set_typing()->set_typing(typing);
    m_connection.send(frame, {}, this);
    m_ownConversation = typing ? conversationId : 0;
    m_ownSentAtMs = typing ? now : 0;
}

} // namespace tern::client
