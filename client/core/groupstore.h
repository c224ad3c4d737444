// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QObject>

#include <optional>
#include <vector>

namespace tern::client {

class LocalCache;

// The groups table: the user's memberships (group, role, nickname) as last seen; role
// GROUP_ROLE_UNSPECIFIED for a group the user is no longer in.
class GroupStore : public QObject
{
    Q_OBJECT
public:
    explicit GroupStore(LocalCache &cache, QObject *parent = nullptr);

    void store(const std::vector<proto::GroupMembership> &memberships);
    // A pushed change of the group itself (name, announcement ...); keeps role and nickname.
    void storeGroup(const proto::Group &group);
    // The user is no longer a member (left, removed, dissolved): role becomes UNSPECIFIED; the
    // group stays so that its history still has a name.
    void markNotMember(quint64 groupId);
    std::optional<proto::GroupMembership> get(quint64 groupId) const;
    std::vector<proto::GroupMembership> all() const;

Q_SIGNALS:
    void changed(quint64 groupId);

private:
    void write(const proto::GroupMembership &m);

    LocalCache &m_cache;
};

} // namespace tern::client
