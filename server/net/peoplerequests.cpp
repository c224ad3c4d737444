// SPDX-License-Identifier: Apache-2.0
// People requests: protocol <-> PeopleService, on the connection's I/O worker.
#include "net/peoplerequests.h"

#include "net/reply.h"
#include "service/peopleservice.h"

namespace tern::server {

void handlePeopleRequest(PeopleService &people, Connection &connection, quint64 requestId,
                         const proto::Frame &frame)
{
    const Caller caller = *connection.caller();
    switch (frame.payload_case()) {
    case proto::Frame::kGetMyProfile:
        return people.myProfile(
            caller,
            replyWith<proto::MyProfile>(
                connection, requestId,
                [](proto::Frame &f, const proto::MyProfile &p) { *f.mutable_my_profile() = p; }));
    case proto::Frame::kUpdateProfile:
        return people.updateProfile(
            caller, connection.id(), frame.update_profile(),
            replyWith<proto::MyProfile>(
                connection, requestId,
                [](proto::Frame &f, const proto::MyProfile &p) { *f.mutable_my_profile() = p; }));
    case proto::Frame::kGetProfiles:
        return people.profiles(
            caller, frame.get_profiles(),
            replyWith<proto::ProfileList>(connection, requestId,
                                          [](proto::Frame &f, const proto::ProfileList &p) {
                                              *f.mutable_profile_list() = p;
                                          }));
    case proto::Frame::kSearchUsers:
        return people.search(
            caller, frame.search_users(),
            replyWith<proto::UserSearchResult>(
                connection, requestId, [](proto::Frame &f, const proto::UserSearchResult &r) {
                    *f.mutable_user_search_result() = r;
                }));
    default:
        Q_UNREACHABLE();
    }
}

} // namespace tern::server
