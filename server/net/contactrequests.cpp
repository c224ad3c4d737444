// SPDX-License-Identifier: Apache-2.0
// Contact requests: protocol <-> ContactService, on the connection's I/O worker.
#include "net/contactrequests.h"

#include "net/reply.h"
#include "service/contactservice.h"

namespace tern::server {

namespace {
ResultCallback<proto::FriendRequestResult> requestResult(Connection &c, quint64 id)
{
    return replyWith<proto::FriendRequestResult>(
        c, id, [](proto::Frame &f, const proto::FriendRequestResult &r) {
            *f.mutable_friend_request_result() = r;
        });
}

ResultCallback<proto::Contact> contactResult(Connection &c, quint64 id)
{
    return replyWith<proto::Contact>(
        c, id, [](proto::Frame &f, const proto::Contact &r) { *f.mutable_contact() = r; });
}
} // namespace

void handleContactRequest(ContactService &contacts, Connection &connection, quint64 requestId,
                          const proto::Frame &frame)
{
    const Caller caller = *connection.caller();
    switch (frame.payload_case()) {
    case proto::Frame::kSendFriendRequest:
        return contacts.sendRequest(caller, frame.send_friend_request(),
                                    requestResult(connection, requestId));
    case proto::Frame::kAnswerFriendRequest:
        return contacts.answerRequest(caller, frame.answer_friend_request(),
                                      requestResult(connection, requestId));
    case proto::Frame::kCancelFriendRequest:
        return contacts.cancelRequest(caller, frame.cancel_friend_request(),
                                      requestResult(connection, requestId));
    case proto::Frame::kListFriendRequests:
        return contacts.listRequests(
            caller,
            replyWith<proto::FriendRequestList>(
                connection, requestId, [](proto::Frame &f, const proto::FriendRequestList &r) {
                    *f.mutable_friend_request_list() = r;
                }));
    case proto::Frame::kListContacts:
        return contacts.listContacts(
            caller, frame.list_contacts(),
            replyWith<proto::ContactList>(connection, requestId,
                                          [](proto::Frame &f, const proto::ContactList &r) {
                                              *f.mutable_contact_list() = r;
                                          }));
    case proto::Frame::kUpdateContact:
        return contacts.updateContact(caller, frame.update_contact(),
                                      contactResult(connection, requestId));
    case proto::Frame::kRemoveFriend:
        return contacts.removeFriend(caller, frame.remove_friend().user_id(),
                                     contactResult(connection, requestId));
    case proto::Frame::kBlockUser:
        return contacts.setBlocked(caller, frame.block_user().user_id(), true,
                                   contactResult(connection, requestId));
    case proto::Frame::kUnblockUser:
        return contacts.setBlocked(caller, frame.unblock_user().user_id(), false,
                                   contactResult(connection, requestId));
    case proto::Frame::kSyncContacts:
        return contacts.sync(
            caller, frame.sync_contacts(),
            replyWith<proto::ContactChanges>(connection, requestId,
                                             [](proto::Frame &f, const proto::ContactChanges &r) {
                                                 *f.mutable_contact_changes() = r;
                                             }));
    default:
        Q_UNREACHABLE();
    }
}

} // namespace tern::server
