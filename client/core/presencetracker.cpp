// SPDX-License-Identifier: Apache-2.0
// PresenceTracker: presence pushes and queries, GUI thread.
#include "presencetracker.h"

#include "serverconnection.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

namespace tern::client {

PresenceTracker::PresenceTracker(ServerConnection &connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    connect(&m_connection, &ServerConnection::pushReceived, this, &PresenceTracker::onPush);
    connect(&m_connection, &ServerConnection::disconnected, this, [this] {
        std::vector<quint64> ids(m_presence.keyBegin(), m_presence.keyEnd());
        m_presence.clear();
        if (!ids.empty())
            Q_EMIT changed(ids);
    });
}

proto::UserPresence PresenceTracker::presence(quint64 userId) const
{
    return m_presence.value(userId);
}

void PresenceTracker::request(const std::vector<quint64> &userIds)
{
    proto::Frame frame;
    for (quint64 id : userIds) {
        if (!m_presence.contains(id))
            frame.mutable_get_presence()->add_user_ids(id);
    }
    if (frame.get_presence().user_ids_size() == 0)
        return;
    m_connection.send(
        frame,
        [this](const proto::Frame &answer) {
            if (answer.has_presence_list())
                store(answer.presence_list().presences(), false);
        },
        this);
}

void PresenceTracker::onPush(const proto::Frame &frame)
{
    if (frame.has_presence_changed())
        store(frame.presence_changed().presences(), frame.presence_changed().initial());
}

void PresenceTracker::store(
    const google::protobuf::RepeatedPtrField<proto::UserPresence> &presences, bool replace)
{
    std::vector<quint64> ids;
    if (replace) {
        ids.assign(m_presence.keyBegin(), m_presence.keyEnd());
        m_presence.clear();
    }
    for (const auto &p : presences) {
        m_presence.insert(p.user_id(), p);
        ids.push_back(p.user_id());
    }
    if (!ids.empty())
        Q_EMIT changed(ids);
}

QString PresenceTracker::describe(const proto::UserPresence &presence, qint64 nowMs)
{
    switch (presence.state()) {
    case proto::PRESENCE_STATE_ONLINE:
        return QCoreApplication::translate("Presence", "online");
    case proto::PRESENCE_STATE_AWAY:
        return QCoreApplication::translate("Presence", "away");
    case proto::PRESENCE_STATE_OFFLINE:
        break;
    default:
        return {};
    }
    const qint64 seen = presence.last_seen_at_ms();
    if (seen <= 0)
        return QCoreApplication::translate("Presence", "offline");
    const qint64 minutes = std::max<qint64>(0, (nowMs - seen) / 60000);
    if (minutes < 1)
        return QCoreApplication::translate("Presence", "last seen just now");
    if (minutes < 60)
        return QCoreApplication::translate("Presence", "last seen %1 min ago").arg(minutes);
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(seen);
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs);
    const QLocale locale;
    if (at.date() == now.date())
        return QCoreApplication::translate("Presence", "last seen today at %1")
            .arg(locale.toString(at.time(), QLocale::ShortFormat));
    if (at.date().addDays(1) == now.date())
        return QCoreApplication::translate("Presence", "last seen yesterday at %1")
            .arg(locale.toString(at.time(), QLocale::ShortFormat));
    return QCoreApplication::translate("Presence", "last seen %1")
        .arg(locale.toString(at, QLocale::ShortFormat));
}

} // namespace tern::client
