// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/presencestore.h"
#include "tern/protocol.h"

// The presence rules as pure functions, so that the tracker (pushes), the service (queries)
// and unit tests share one definition. See shared/proto/tern/v1/presence.proto.

namespace tern::server {

// GetPresenceRequest: at most this many user ids (presence.proto).
inline constexpr int kMaxPresenceQueryIds = 500;
// The list of friends sent after authentication is split into pushes of at most this many.
inline constexpr int kMaxPresencePerPush = 500;

// Whether `viewerId` may see the subject's presence and last-seen time. The same rule as the
// profile's last_seen_at_ms and status line (store/profilesql.cpp), plus: banned users are
// never visible to others.
inline bool presenceVisible(const PresenceFacts &subject, qint64 viewerId)
{
    if (subject.userId == viewerId)
        return true;
    if (subject.banned || subject.blocksViewer)
        return false;
    switch (subject.audience) {
    case proto::AUDIENCE_EVERYONE:
        return true;
    case proto::AUDIENCE_FRIENDS:
        return subject.friendOfSubject;
    default:
        return false;
    }
}

// One connected device's flags (SetPresenceRequest).
struct DeviceFlags
{
    bool away = false;
    bool invisible = false;
};

// A user's state from their devices' flags: ONLINE if any visible device is not away, AWAY if
// there are visible devices and all are away, else OFFLINE.
template<typename Range> proto::PresenceState aggregatePresence(const Range &devices)
{
    bool anyVisible = false;
    for (const DeviceFlags &device : devices) {
        if (device.invisible)
            continue;
        if (!device.away)
            return proto::PRESENCE_STATE_ONLINE;
        anyVisible = true;
    }
    return anyVisible ? proto::PRESENCE_STATE_AWAY : proto::PRESENCE_STATE_OFFLINE;
}

// What a viewer is told about a subject: its published state when visible, else the same as an
// offline user whose last-seen time is unknown. `lastSeenMs` counts only for OFFLINE.
inline void fillVisiblePresence(proto::UserPresence *out, qint64 userId, bool visible,
                                proto::PresenceState state, qint64 lastSeenMs)
{
    out->set_user_id(quint64(userId));
    if (!visible) {
        out->set_state(proto::PRESENCE_STATE_OFFLINE);
        out->set_last_seen_at_ms(0);
        return;
    }
    out->set_state(state);
    out->set_last_seen_at_ms(state == proto::PRESENCE_STATE_OFFLINE ? lastSeenMs : 0);
}

} // namespace tern::server
