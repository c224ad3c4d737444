// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/accountstore.h"
#include "tern/protocol.h"

#include <optional>

namespace tern::server {

class PgPool;

struct ProfileUpdate
{
    std::optional<QString> displayName;
    std::optional<QString> avatarFileId;
    std::optional<QString> statusLine;
    int searchableBy = 0; // 0 = unchanged, else tern.v1.Audience
    int presenceVisibleTo = 0;
    int groupAdders = 0;
};

// Profiles, privacy settings and user search. Asynchronous like every store; one transaction
// per call. What one user may see of another is decided in SQL (store/profilesql.h).
class PeopleStore
{
public:
    explicit PeopleStore(PgPool &pool);

    void myProfile(qint64 userId, StoreCallback<proto::MyProfile> done);
    // Applies the update and returns the profile after it.
    void updateProfile(qint64 userId, const ProfileUpdate &update,
                       StoreCallback<proto::MyProfile> done);
    // Visible users among `userIds`, as `viewer` sees them.
    void profiles(qint64 viewer, const QList<qint64> &userIds,
                  StoreCallback<proto::ProfileList> done);
    // Exact username match (first page only) then display-name prefix matches by id after
    // `afterId`; `limit` prefix matches at most. Respects searchable_by and blocks.
    void search(qint64 viewer, const QString &query, qint64 afterId, int limit,
                StoreCallback<proto::UserSearchResult> done);

private:
    PgPool &m_pool;
};

} // namespace tern::server
