// SPDX-License-Identifier: Apache-2.0
// Invite friends into a group: every friend who is not a member yet, ticked one by one.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Dialog {
    id: dialog
    required property Account account
    required property GroupInfo group
    required property GroupMemberModel members
    property var chosen: []
    // Waiting for the server: the dialog stays, with the choice, until the invitation is done
    // or refused (the refusal is shown here and the ticks kept, to untick whom it names).
    property bool sending: false
    property string error: ""

    title: qsTr("Invite to %1").arg(group.name)
    modal: true
    width: 380
    height: 440
    standardButtons: Dialog.Cancel

    onOpened: {
        chosen = []
        sending = false
        error = ""
    }

    Connections {
        target: dialog.group
        enabled: dialog.sending
        function onInvited() {
            dialog.sending = false
            dialog.close()
        }
        function onActionFailed(message) {
            dialog.sending = false
            dialog.error = message
        }
    }

    ContactListModel {
        id: friends
        account: dialog.account
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        ListView {
            objectName: "inviteChoices"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: friends
            delegate: CheckDelegate {
                id: choice
                required property var userId
                required property string name
                readonly property bool alreadyIn: dialog.members.contains(userId)
                width: ListView.view.width
                text: alreadyIn ? qsTr("%1 (in the group)").arg(name) : name
                enabled: !alreadyIn
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
            objectName: "inviteError"
            Layout.fillWidth: true
            visible: text.length > 0
            text: dialog.error
            color: Theme.danger
            wrapMode: Text.Wrap
        }
        Button {
            objectName: "sendInvitesButton"
            Layout.fillWidth: true
            text: qsTr("Invite %n friend(s)", "", dialog.chosen.length)
            highlighted: true
            enabled: dialog.chosen.length > 0 && !dialog.sending
            Accessible.name: text
            onClicked: {
                dialog.error = ""
                dialog.sending = true
                dialog.group.invite(dialog.chosen)
            }
        }
    }
}
