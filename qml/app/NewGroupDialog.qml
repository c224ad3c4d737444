// SPDX-License-Identifier: Apache-2.0
// Start a group: a name and the friends to bring in; or join an open group with its code, or
// ask to join a group that admins approve, by its number.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Dialog {
    id: dialog
    required property Account account
    // Ids of the friends ticked so far (dialog state, not model state).
    property var chosen: []
    property string error
    // Waiting for the server to create the group: a second click would make a second one.
    property bool sending: false
    // Set once a request to join was sent: what the dialog tells the user.
    property string notice
    // Digits only: a group number (invite codes are random letters and digits).
    readonly property bool isGroupNumber: /^[0-9]{1,19}$/.test(codeField.text.trim())

    title: qsTr("New group")
    modal: true
    width: 400
    height: 520
    standardButtons: Dialog.Cancel

    onOpened: {
        chosen = []; error = ""; notice = ""; sending = false
        nameField.text = ""; codeField.text = ""; requestMessage.text = ""
        nameField.forceActiveFocus()
    }

    function join() {
        const text = codeField.text.trim()
        if (text.length === 0)
            return
        error = ""
        notice = ""
        if (isGroupNumber)
            account.requestToJoinGroup(text, requestMessage.text)
        else
            account.joinGroupByCode(text)
    }

    Connections {
        target: dialog.account
        function onGroupCreated() {
            dialog.sending = false
            dialog.close()
        }
        function onActionFailed(message) { dialog.error = message }
        // Only the create request's own failure frees the button: another action failing
        // meanwhile must not allow a second group.
        function onGroupCreateFailed() { dialog.sending = false }
        function onJoinRequested(groupName) {
            dialog.notice = qsTr("Your request to join %1 was sent. You will be added when an admin approves it.").arg(groupName)
            codeField.text = ""
            requestMessage.text = ""
        }
    }

    ContactListModel {
        id: friends
        account: dialog.account
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing

        TextField {
            id: nameField
            objectName: "groupNameField"
            Layout.fillWidth: true
            maximumLength: 64
            placeholderText: qsTr("Group name")
            Accessible.name: placeholderText
        }
        Label {
            text: qsTr("%n member(s) chosen", "", dialog.chosen.length)
            color: Theme.mutedText
        }
        ListView {
            objectName: "groupMemberChoices"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: friends
            delegate: CheckDelegate {
                id: choice
                required property var userId
                required property string name
                width: ListView.view.width
                text: name
                checked: dialog.chosen.indexOf(userId) >= 0
                Accessible.name: name
                onToggled: {
                    const ids = dialog.chosen.filter((id) => id !== choice.userId)
                    if (checked)
                        ids.push(choice.userId)
                    dialog.chosen = ids
                }
            }
        }
        Label {
            visible: dialog.error.length > 0
            text: dialog.error
            color: Theme.danger
            Layout.fillWidth: true
            wrapMode: Text.Wrap
        }
        Button {
            objectName: "createGroupButton"
            Layout.fillWidth: true
            text: qsTr("Create group")
            highlighted: true
            enabled: nameField.text.trim().length > 0 && dialog.chosen.length > 0 && !dialog.sending
            Accessible.name: text
            onClicked: {
                dialog.error = ""
                dialog.sending = true
                dialog.account.createGroup(nameField.text, dialog.chosen)
            }
        }
        RowLayout {
            Layout.topMargin: Theme.spacing
            TextField {
                id: codeField
                objectName: "inviteCodeInput"
                Layout.fillWidth: true
                maximumLength: 64
                placeholderText: qsTr("Or join with an invite code or group number")
                Accessible.name: qsTr("Invite code or number of a group to join")
                onAccepted: dialog.join()
            }
            Button {
                objectName: "joinByCodeButton"
                text: dialog.isGroupNumber ? qsTr("Ask to join") : qsTr("Join")
                enabled: codeField.text.trim().length > 0
                Accessible.name: dialog.isGroupNumber ? qsTr("Ask the group's admins to let you in")
                                                      : qsTr("Join the group with this code")
                onClicked: dialog.join()
            }
        }
        TextField {
            id: requestMessage
            objectName: "joinRequestMessage"
            visible: dialog.isGroupNumber
            Layout.fillWidth: true
            maximumLength: 200
            placeholderText: qsTr("A few words for the admins (optional)")
            Accessible.name: placeholderText
            onAccepted: dialog.join()
        }
        Label {
            objectName: "joinNotice"
            visible: dialog.notice.length > 0
            text: dialog.notice
            color: Theme.mutedText
            Layout.fillWidth: true
            wrapMode: Text.Wrap
        }
    }
}
