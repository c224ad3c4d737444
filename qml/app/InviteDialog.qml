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

    title: qsTr("Invite to %1").arg(group.name)
    modal: true
    width: 380
    height: 440
    standardButtons: Dialog.Cancel

    onOpened: chosen = []

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
        Button {
            objectName: "sendInvitesButton"
            Layout.fillWidth: true
            text: qsTr("Invite %n friend(s)", "", dialog.chosen.length)
            highlighted: true
            enabled: dialog.chosen.length > 0
            Accessible.name: text
            onClicked: {
                dialog.group.invite(dialog.chosen)
                dialog.close()
            }
        }
    }
}
