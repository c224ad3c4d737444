// SPDX-License-Identifier: Apache-2.0
// Choose the chats to forward to: one message as a copy, or several as one chat history.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Dialog {
    id: dialog
    required property Account account
    property var seqs: []
    property bool merge: false
    property var chosen: []
    signal forwardRequested(var seqs, var targets, bool merge)

    title: merge ? qsTr("Forward %n message(s) as chat history", "", seqs.length) : qsTr("Forward message")
    modal: true
    width: 380
    height: 460
    standardButtons: Dialog.Cancel

    onOpened: chosen = []

    ConversationListModel {
        id: conversations
        account: dialog.account
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        ListView {
            objectName: "forwardTargets"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: conversations
            delegate: CheckDelegate {
                id: target
                required property var conversationId
                required property string title
                width: ListView.view.width
                text: title
                checked: dialog.chosen.indexOf(conversationId) >= 0
                Accessible.name: title
                onToggled: {
                    const ids = dialog.chosen.filter((id) => id !== target.conversationId)
                    if (checked)
                        ids.push(target.conversationId)
                    dialog.chosen = ids
                }
            }
        }
        Button {
            objectName: "forwardSendButton"
            Layout.fillWidth: true
            text: qsTr("Send to %n chat(s)", "", dialog.chosen.length)
            highlighted: true
            enabled: dialog.chosen.length > 0 && dialog.chosen.length <= 20
            Accessible.name: text
            onClicked: {
                dialog.forwardRequested(dialog.seqs, dialog.chosen, dialog.merge)
                dialog.close()
            }
        }
    }
}
