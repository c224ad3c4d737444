// SPDX-License-Identifier: Apache-2.0
// Contacts: friends with a filter; a click opens the chat with that friend.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Rectangle {
    id: root
    required property Account account
    signal chatOpened(var conversationId)

    color: Theme.panel

    ContactListModel {
        id: contacts
        account: root.account
        filter: filterField.text
        onChatOpened: (conversationId) => root.chatOpened(conversationId)
        onChatFailed: (reason) => failure.text = reason
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: Theme.spacing

        TextField {
            id: filterField
            objectName: "contactFilter"
            Layout.fillWidth: true
            placeholderText: qsTr("Search contacts")
            Accessible.name: placeholderText
        }
        Label {
            id: failure
            visible: text.length > 0
            color: Theme.danger
        }
        ListView {
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
                required property string username
                required property string statusLine
                width: ListView.view.width
                height: 56
                Accessible.name: name
                contentItem: RowLayout {
                    spacing: 10
                    Avatar { name: contact.name; size: 36 }
                    ColumnLayout {
                        spacing: 0
                        Label { text: name; color: Theme.text }
                        Label {
                            text: statusLine.length > 0 ? statusLine : "@" + username
                            color: Theme.mutedText
                            font.pixelSize: Theme.smallFontSize
                        }
                    }
                }
                onClicked: contacts.openChat(userId)
            }
            Label {
                anchors.centerIn: parent
                visible: parent.count === 0
                text: filterField.text.length > 0 ? qsTr("No contact matches.") : qsTr("No contacts yet.")
                color: Theme.mutedText
            }
        }
    }
}
