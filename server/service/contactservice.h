// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "service/authservice.h"
#include "store/contactstore.h"

namespace tern::server {

class ConnectionRegistry;
class PresenceTracker;

// Friend requests, friendships, remarks and tags, blocks, and contact sync. One per I/O
// worker. Every change is pushed (ContactsChanged) to every device of each user it touches.
class ContactService : public QObject
{
    Q_OBJECT
public:
    ContactService(ContactStore &store, ConnectionRegistry &registry, PresenceTracker *presence,
                   QObject *parent = nullptr);

    void sendRequest(const Caller &caller, const proto::SendFriendRequestRequest &request,
                     ResultCallback<proto::FriendRequestResult> done);
    void answerRequest(const Caller &caller, const proto::AnswerFriendRequestRequest &request,
                       ResultCallback<proto::FriendRequestResult> done);
    void cancelRequest(const Caller &caller, const proto::CancelFriendRequestRequest &request,
                       ResultCallback<proto::FriendRequestResult> done);
    void listRequests(const Caller &caller, ResultCallback<proto::FriendRequestList> done);
    void listContacts(const Caller &caller, const proto::ListContactsRequest &request,
                      ResultCallback<proto::ContactList> done);
    void updateContact(const Caller &caller, const proto::UpdateContactRequest &request,
                       ResultCallback<proto::Contact> done);
    void removeFriend(const Caller &caller, quint64 userId, ResultCallback<proto::Contact> done);
    void setBlocked(const Caller &caller, quint64 userId, bool blocked,
                    ResultCallback<proto::Contact> done);
    void sync(const Caller &caller, const proto::SyncContactsRequest &request,
              ResultCallback<proto::ContactChanges> done);

private:
    // Answers with the request and/or contact between caller and peer, then pushes what the
    // operation changed to both users' devices.
    void finishRequestOperation(const Caller &caller, const FriendOutcome &outcome,
                                ResultCallback<proto::FriendRequestResult> done);
    // `peerAffected` false: only the caller's own devices hear of it (remark, tags).
    void finishContactOperation(const Caller &caller, const FriendOutcome &outcome,
                                bool peerAffected, ResultCallback<proto::Contact> done);
    void pushChanges(const FriendOutcome &outcome, qint64 a, qint64 b, bool both);

    ContactStore &m_store;
    ConnectionRegistry &m_registry;
    PresenceTracker *m_presence; // may be null (no presence in this process)
};

} // namespace tern::server
