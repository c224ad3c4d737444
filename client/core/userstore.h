// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QObject>

#include <optional>
#include <vector>

namespace tern::client {

class LocalCache;

// A person as this account knows them.
struct CachedUser
{
    quint64 id = 0;
    std::optional<proto::UserProfile> profile;
    std::optional<proto::Contact> contact;

    // The name to show: the remark the user gave, else the display name, else the username.
    QString shownName() const;
};

// The users table: profiles (GetProfiles, searches) and contact records (SyncContacts).
class UserStore : public QObject
{
    Q_OBJECT
public:
    explicit UserStore(LocalCache &cache, QObject *parent = nullptr);

    void storeProfiles(const std::vector<proto::UserProfile> &profiles);
    void storeContacts(const std::vector<proto::Contact> &contacts);
    std::optional<CachedUser> get(quint64 id) const;
    // Friends (not blocked-only records), by shown name.
    std::vector<CachedUser> friends() const;
    // People this user blocked, friends or not, by shown name.
    std::vector<CachedUser> blocked() const;
    // Ids among `ids` with no profile cached yet.
    std::vector<quint64> missingProfiles(const std::vector<quint64> &ids) const;

Q_SIGNALS:
    void changed(const std::vector<quint64> &ids);

private:
    LocalCache &m_cache;
};

} // namespace tern::client
