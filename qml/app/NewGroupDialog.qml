// SPDX-License-Identifier: Apache-2.0
// Start a group: a name and the friends to bring in; or join an open group with its code.
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

    title: qsTr("New group")
    modal: true
    width: 400
    height: 520
    standardButtons: Dialog.Cancel

    onOpened: { chosen = []; error = ""; nameField.text = ""; codeField.text = ""; nameField.forceActiveFocus() }

    Connections {
        target: dialog.account
        function onGroupCreated() { dialog.close() }
        function onActionFailed(message) { dialog.error = message }
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
            enabled: nameField.text.trim().length > 0 && dialog.chosen.length > 0
            Accessible.name: text
            onClicked: dialog.account.createGroup(nameField.text, dialog.chosen)
        }
        RowLayout {
            Layout.topMargin: Theme.spacing
            TextField {
                id: codeField
                objectName: "inviteCodeInput"
                Layout.fillWidth: true
                placeholderText: qsTr("Or join with an invite code")
                Accessible.name: qsTr("Invite code of a group to join")
                onAccepted: if (text.trim().length > 0) dialog.account.joinGroupByCode(text)
            }
            Button {
                objectName: "joinByCodeButton"
                text: qsTr("Join")
                enabled: codeField.text.trim().length > 0
                Accessible.name: qsTr("Join the group with this code")
                onClicked: dialog.account.joinGroupByCode(codeField.text)
            }
        }
    }
}
