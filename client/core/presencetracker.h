// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <vector>

namespace tern::client {

class ServerConnection;

// Who is online, as the server lets this user see it. Friends arrive by push (the full list
// after each authentication, then changes); anyone else is asked for with request(). Nothing
// is known while offline: a stale "online" would be a lie, so the map is cleared on
// disconnect. Not cached on disk for the same reason.
class PresenceTracker : public QObject
{
    Q_OBJECT
public:
    explicit PresenceTracker(ServerConnection &connection, QObject *parent = nullptr);

    // PRESENCE_STATE_UNSPECIFIED when not known.
    proto::UserPresence presence(quint64 userId) const;
    // Asks the server for users not known yet (non-friends: no pushes for them).
    void request(const std::vector<quint64> &userIds);

    // "online", "away", "last seen 5 minutes ago", "last seen 3 Mar 14:05", "offline"; empty
    // when unknown.
    static QString describe(const proto::UserPresence &presence, qint64 nowMs);

Q_SIGNALS:
    void changed(const std::vector<quint64> &userIds);

private:
    void onPush(const proto::Frame &frame);
    void store(const google::protobuf::RepeatedPtrField<proto::UserPresence> &presences,
               bool replace);

    ServerConnection &m_connection;
    QHash<quint64, proto::UserPresence> m_presence;
};

} // namespace tern::client
