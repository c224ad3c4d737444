// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "service/authservice.h"
#include "store/peoplestore.h"

namespace tern::server {

class ConnectionRegistry;
class FileStore;
class PresenceTracker;

// Own profile and privacy, other users' profiles, user search. One per I/O worker.
class PeopleService
{
public:
    // `presence` may be null (no presence tracking in this process).
    PeopleService(PeopleStore &store, FileStore &files, ConnectionRegistry &registry,
                  PresenceTracker *presence);

    void myProfile(const Caller &caller, ResultCallback<proto::MyProfile> done);
    // The user's other devices get the new profile as a push. An avatar must be an image the
    // user uploaded.
    void updateProfile(const Caller &caller, quint64 connectionId,
                       const proto::UpdateProfileRequest &request,
                       ResultCallback<proto::MyProfile> done);
    void profiles(const Caller &caller, const proto::GetProfilesRequest &request,
                  ResultCallback<proto::ProfileList> done);
    void search(const Caller &caller, const proto::SearchUsersRequest &request,
                ResultCallback<proto::UserSearchResult> done);

private:
    PeopleStore &m_store;
    FileStore &m_files;
    ConnectionRegistry &m_registry;
    PresenceTracker *m_presence;
};

// Maps a store failure to the protocol's error (UNAVAILABLE when the database is away).
ServiceError storeFailure(const PgError &error);

} // namespace tern::server
