// SPDX-License-Identifier: Apache-2.0
// RequestRouter: runs on the I/O worker that owns the connection.
#include "net/requestrouter.h"

#include "net/accountrequests.h"
#include "net/callrequests.h"
#include "net/connection.h"
#include "net/contactrequests.h"
#include "net/filerequests.h"
#include "net/grouprequests.h"
#include "net/messagingrequests.h"
#include "net/peoplerequests.h"
#include "net/presencerequests.h"

namespace tern::server {

RequestRouter::RequestRouter(Services services)
    : m_services(services)
{ }

void RequestRouter::handle(Connection &connection, quint64 requestId, const proto::Frame &frame)
{
    switch (frame.payload_case()) {
    case proto::Frame::kRegister:
    case proto::Frame::kLogin:
    case proto::Frame::kResume:
    case proto::Frame::kLogout:
    case proto::Frame::kListSessions:
    case proto::Frame::kRevokeSession:
    case proto::Frame::kChangePassword:
        return handleAccountRequest(*m_services.auth, connection, requestId, frame);
    case proto::Frame::kGetMyProfile:
    case proto::Frame::kUpdateProfile:
    case proto::Frame::kGetProfiles:
    case proto::Frame::kSearchUsers:
        return handlePeopleRequest(*m_services.people, connection, requestId, frame);
    case proto::Frame::kSendFriendRequest:
    case proto::Frame::kAnswerFriendRequest:
    case proto::Frame::kCancelFriendRequest:
    case proto::Frame::kListFriendRequests:
    case proto::Frame::kListContacts:
    case proto::Frame::kUpdateContact:
    case proto::Frame::kRemoveFriend:
    case proto::Frame::kBlockUser:
    case proto::Frame::kUnblockUser:
    case proto::Frame::kSyncContacts:
        return handleContactRequest(*m_services.contacts, connection, requestId, frame);
    case proto::Frame::kCreateGroup:
    case proto::Frame::kUpdateGroup:
    case proto::Frame::kInviteToGroup:
    case proto::Frame::kAnswerGroupInvitation:
    case proto::Frame::kListGroupInvitations:
    case proto::Frame::kRequestToJoinGroup:
    case proto::Frame::kAnswerJoinApplication:
    case proto::Frame::kWithdrawJoinApplication:
    case proto::Frame::kListJoinApplications:
    case proto::Frame::kJoinGroupByCode:
    case proto::Frame::kLeaveGroup:
    case proto::Frame::kRemoveGroupMember:
    case proto::Frame::kSetGroupAdmin:
    case proto::Frame::kTransferGroupOwnership:
    case proto::Frame::kDissolveGroup:
    case proto::Frame::kSetGroupNickname:
    case proto::Frame::kGetGroup:
    case proto::Frame::kListGroups:
    case proto::Frame::kListGroupMembers:
    case proto::Frame::kGetGroupEvents:
        return handleGroupRequest(*m_services.groups, connection, requestId, frame);
    case proto::Frame::kSetPresence:
    case proto::Frame::kGetPresence:
        return handlePresenceRequest(*m_services.presence, connection, requestId, frame);
    case proto::Frame::kStartUpload:
    case proto::Frame::kUploadChunk:
    case proto::Frame::kGetUpload:
    case proto::Frame::kCancelUpload:
    case proto::Frame::kGetFile:
    case proto::Frame::kReadFile:
        return handleFileRequest(*m_services.files, connection, requestId, frame);
    case proto::Frame::kStartCall:
    case proto::Frame::kAnswerCall:
    case proto::Frame::kDeclineCall:
    case proto::Frame::kHangUp:
    case proto::Frame::kCallSignal:
    case proto::Frame::kGetIceConfig:
        return handleCallRequest(*m_services.calls, connection, requestId, frame);
    case proto::Frame::kOpenConversation:
    case proto::Frame::kSendMessage:
    case proto::Frame::kGetMessages:
    case proto::Frame::kSyncConversations:
    case proto::Frame::kUpdateCursors:
    case proto::Frame::kUpdateConversationSettings:
    case proto::Frame::kEditMessage:
    case proto::Frame::kRecallMessage:
    case proto::Frame::kReactToMessage:
    case proto::Frame::kHideMessages:
    case proto::Frame::kForwardMessages:
    case proto::Frame::kSearchMessages:
    case proto::Frame::kSetTyping:
    case proto::Frame::kGetReadCounts:
    case proto::Frame::kUpdateMessagingSettings:
        return handleMessagingRequest(*m_services.messages, *m_services.conversations, connection,
                                      requestId, frame);
    default:
        return connection.replyError(
            requestId,
            {proto::ERROR_CODE_UNKNOWN_REQUEST,
             QStringLiteral("this server does not handle '%1'")
                 .arg(QString::fromStdString(proto::Frame::descriptor()
                                                 ->FindFieldByNumber(int(frame.payload_case()))
                                                 ->name()))});
    }
}

} // namespace tern::server
