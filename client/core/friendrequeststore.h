// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QObject>

#include <vector>

namespace tern::client {

class LocalCache;

// The friend_requests table: every request to or from the user in its latest state.
class FriendRequestStore : public QObject
{
    Q_OBJECT
public:
    explicit FriendRequestStore(LocalCache &cache, QObject *parent = nullptr);

    void store(const std::vector<proto::FriendRequest> &requests);
    // Pending and unexpired, newest first.
    std::vector<proto::FriendRequest> pending(qint64 nowMs) const;

Q_SIGNALS:
    void changed();

private:
    LocalCache &m_cache;
};

} // namespace tern::client
