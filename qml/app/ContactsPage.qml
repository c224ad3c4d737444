// SPDX-License-Identifier: Apache-2.0
// Contacts: friend requests to answer (and own ones to withdraw), group invitations, own
// requests to join groups, then friends with a filter;
// a click on a friend shows their profile beside the list (a double click opens the chat).
// "Add friend" searches the server.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Rectangle {
    id: root
    required property Account account
    signal chatOpened(var conversationId)
    readonly property alias addFriendDialog: addFriend
    // What waits for the user's answer: friend requests to them, invitations into groups (the
    // Contacts button's badge).
    readonly property int waitingCount: requests.incomingCount + invitations.count

    color: Theme.panel

    ContactListModel {
        id: contacts
        account: root.account
        filter: filterField.text
        onChatOpened: (conversationId) => root.chatOpened(conversationId)
        onChatFailed: (reason) => failure.text = reason
    }
    FriendRequestModel {
        id: requests
        account: root.account
        onActionFailed: (reason) => failure.text = reason
    }
    GroupInvitationModel {
        id: invitations
        account: root.account
        onActionFailed: (reason) => failure.text = reason
    }
    JoinRequestModel {
        id: joinRequests
        account: root.account
        onActionFailed: (reason) => failure.text = reason
    }

    AddFriendDialog {
        id: addFriend
        objectName: "addFriendDialog"
        account: root.account
        anchors.centerIn: parent
    }

    SplitView {
        anchors.fill: parent

        Item {
            SplitView.preferredWidth: 340
            SplitView.minimumWidth: 260
            ColumnLayout {
                anchors.fill: parent
                anchors.margins: 12
                spacing: Theme.spacing

                RowLayout {
                    TextField {
                        id: filterField
                        objectName: "contactFilter"
                        Layout.fillWidth: true
                        placeholderText: qsTr("Search contacts")
                        Accessible.name: placeholderText
                    }
                    Button {
                        objectName: "addFriendButton"
                        text: qsTr("Add friend")
                        Accessible.name: text
                        onClicked: addFriend.open()
                    }
                }
                Label {
                    id: failure
                    objectName: "contactsError"
                    visible: text.length > 0
                    color: Theme.danger
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                }

                Label {
                    visible: requestList.count > 0
                    text: qsTr("Friend requests")
                    font.bold: true
                    color: Theme.mutedText
                }
                ListView {
                    id: requestList
                    objectName: "requestList"
                    Layout.fillWidth: true
                    Layout.preferredHeight: contentHeight
                    interactive: false
                    model: requests
                    delegate: ItemDelegate {
                        id: request
                        required property var requestId
                        required property bool incoming
                        required property string peerName
                        required property string peerUsername
                        required property string greeting
                        width: ListView.view.width
                        height: 60
                        Accessible.name: incoming ? qsTr("Friend request from %1").arg(peerName)
                                                  : qsTr("Friend request to %1").arg(peerName)
                        contentItem: RowLayout {
                            spacing: 10
                            Avatar { name: request.peerName; size: 36 }
                            ColumnLayout {
                                Layout.fillWidth: true
                                spacing: 0
                                Label { text: request.peerName; color: Theme.text }
                                Label {
                                    Layout.fillWidth: true
                                    elide: Text.ElideRight
                                    text: request.greeting.length > 0 ? request.greeting
                                          : request.incoming ? qsTr("wants to be your friend")
                                                             : qsTr("waiting for an answer")
                                    color: Theme.mutedText
                                    font.pixelSize: Theme.smallFontSize
                                }
                            }
                            Button {
                                objectName: "acceptButton"
                                visible: request.incoming
                                text: qsTr("Accept")
                                highlighted: true
                                Accessible.name: text
                                onClicked: { failure.text = ""; requests.accept(request.requestId) }
                            }
                            Button {
                                objectName: "declineButton"
                                visible: request.incoming
                                text: qsTr("Decline")
                                Accessible.name: text
                                onClicked: { failure.text = ""; requests.decline(request.requestId) }
                            }
                            Button {
                                visible: !request.incoming
                                text: qsTr("Cancel")
                                Accessible.name: qsTr("Cancel the request")
                                onClicked: { failure.text = ""; requests.cancel(request.requestId) }
                            }
                        }
                    }
                }

                Label {
                    visible: invitationList.count > 0
                    text: qsTr("Group invitations")
                    font.bold: true
                    color: Theme.mutedText
                }
                ListView {
                    id: invitationList
                    objectName: "invitationList"
                    Layout.fillWidth: true
                    Layout.preferredHeight: contentHeight
                    interactive: false
                    model: invitations
                    delegate: ItemDelegate {
                        id: invitation
                        required property var invitationId
                        required property string groupName
                        required property string inviterName
                        required property int memberCount
                        width: ListView.view.width
                        height: 60
                        Accessible.name: qsTr("Invitation to %1").arg(groupName)
                        contentItem: RowLayout {
                            spacing: 10
                            Avatar { name: invitation.groupName; size: 36 }
                            ColumnLayout {
                                Layout.fillWidth: true
                                spacing: 0
                                Label {
                                    text: invitation.groupName
                                    color: Theme.text
                                    elide: Text.ElideRight
                                    Layout.fillWidth: true
                                    horizontalAlignment: Text.AlignLeft
                                }
                                Label {
                                    text: qsTr("%1 invites you · %n member(s)", "", invitation.memberCount)
                                          .arg(invitation.inviterName)
                                    color: Theme.mutedText
                                    font.pixelSize: Theme.smallFontSize
                                    elide: Text.ElideRight
                                    Layout.fillWidth: true
                                    horizontalAlignment: Text.AlignLeft
                                }
                            }
                            Button {
                                objectName: "joinGroupButton"
                                text: qsTr("Join")
                                highlighted: true
                                Accessible.name: qsTr("Join %1").arg(invitation.groupName)
                                onClicked: { failure.text = ""; invitations.accept(invitation.invitationId) }
                            }
                            Button {
                                text: qsTr("Decline")
                                Accessible.name: qsTr("Decline the invitation to %1").arg(invitation.groupName)
                                onClicked: { failure.text = ""; invitations.decline(invitation.invitationId) }
                            }
                        }
                    }
                }

                Label {
                    visible: joinRequestList.count > 0
                    text: qsTr("Requests to join groups")
                    font.bold: true
                    color: Theme.mutedText
                }
                ListView {
                    id: joinRequestList
                    objectName: "joinRequestList"
                    Layout.fillWidth: true
                    Layout.preferredHeight: contentHeight
                    interactive: false
                    model: joinRequests
                    delegate: ItemDelegate {
                        id: joinRequest
                        required property var applicationId
                        required property string groupName
                        required property int memberCount
                        required property bool declined
                        readonly property string stateText: declined
                            ? qsTr("Declined by the group's admins")
                            : qsTr("Waiting for an admin · %n member(s)", "", memberCount)
                        width: ListView.view.width
                        height: 60
                        Accessible.name: qsTr("Request to join %1: %2").arg(groupName).arg(stateText)
                        contentItem: RowLayout {
                            spacing: 10
                            Avatar { name: joinRequest.groupName; size: 36 }
                            ColumnLayout {
                                Layout.fillWidth: true
                                spacing: 0
                                Label {
                                    text: joinRequest.groupName
                                    color: Theme.text
                                    elide: Text.ElideRight
                                    Layout.fillWidth: true
                                    horizontalAlignment: Text.AlignLeft
                                }
                                Label {
                                    objectName: "joinRequestState"
                                    text: joinRequest.stateText
                                    color: joinRequest.declined ? Theme.danger : Theme.mutedText
                                    font.pixelSize: Theme.smallFontSize
                                    elide: Text.ElideRight
                                    Layout.fillWidth: true
                                    horizontalAlignment: Text.AlignLeft
                                }
                            }
                            Button {
                                objectName: "withdrawJoinRequestButton"
                                visible: !joinRequest.declined
                                text: qsTr("Withdraw")
                                Accessible.name: qsTr("Withdraw the request to join %1").arg(joinRequest.groupName)
                                onClicked: { failure.text = ""; joinRequests.withdraw(joinRequest.applicationId) }
                            }
                            Button {
                                objectName: "dismissJoinRequestButton"
                                visible: joinRequest.declined
                                text: qsTr("Dismiss")
                                Accessible.name: qsTr("Dismiss the answer from %1").arg(joinRequest.groupName)
                                onClicked: { failure.text = ""; joinRequests.dismiss(joinRequest.applicationId) }
                            }
                        }
                    }
                }

                Label {
                    text: qsTr("Friends")
                    font.bold: true
                    color: Theme.mutedText
                }
                ListView {
                    id: friendList
                    objectName: "contactList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: contacts
                    Accessible.name: qsTr("Contacts")
                    delegate: ItemDelegate {
                        id: contact
                        required property var userId
                        required property string name
                        required property string avatarFileId
                        required property string username
                        required property string statusLine
                        required property bool online
                        required property string presenceText
                        required property bool blocked
                        required property int index
                        width: ListView.view.width
                        height: 56
                        highlighted: ListView.isCurrentItem
                        Accessible.name: name + (presenceText.length > 0 ? ", " + presenceText : "")
                        contentItem: RowLayout {
                            spacing: 10
                            Avatar { name: contact.name; fileId: contact.avatarFileId; size: 36; online: contact.online }
                            ColumnLayout {
                                Layout.fillWidth: true
                                spacing: 0
                                Label { text: contact.name; color: Theme.text; Layout.fillWidth: true; elide: Text.ElideRight; horizontalAlignment: Text.AlignLeft }
                                Label {
                                    text: contact.blocked ? qsTr("Blocked")
                                          : contact.statusLine.length > 0 ? contact.statusLine
                                          : contact.presenceText.length > 0 ? contact.presenceText
                                          : "@" + contact.username
                                    Layout.fillWidth: true
                                    elide: Text.ElideRight
                                    horizontalAlignment: Text.AlignLeft
                                    color: Theme.mutedText
                                    font.pixelSize: Theme.smallFontSize
                                }
                            }
                        }
                        onClicked: {
                            friendList.currentIndex = index
                            profilePane.userId = userId
                        }
                        onDoubleClicked: { failure.text = ""; contacts.openChat(userId) }
                        Keys.onReturnPressed: { failure.text = ""; contacts.openChat(userId) }
                    }
                    Label {
                        anchors.centerIn: parent
                        visible: friendList.count === 0
                        text: filterField.text.length > 0 ? qsTr("No contact matches.") : qsTr("No contacts yet.")
                        color: Theme.mutedText
                    }
                }
            }
        }
        ProfilePane {
            id: profilePane
            objectName: "contactProfile"
            SplitView.fillWidth: true
            account: root.account
            onMessageRequested: (userId) => { failure.text = ""; contacts.openChat(userId) }
        }
    }
}
