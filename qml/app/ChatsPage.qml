// SPDX-License-Identifier: Apache-2.0
// Chats: the conversation list on the left, the open conversation on the right.
import QtQuick
import QtQuick.Controls
import Tern.Client

Item {
    id: root
    required property Account account
    property var currentConversation: 0
    property string currentTitle

    function open(conversationId) {
        currentConversation = conversationId
        const row = conversations.rowOf(conversationId)
        list.currentIndex = row
        currentTitle = row >= 0 ? conversations.titleAt(row) : ""
    }

    ConversationListModel {
        id: conversations
        account: root.account
    }

    SplitView {
        anchors.fill: parent

        Rectangle {
            SplitView.preferredWidth: 300
            SplitView.minimumWidth: 220
            color: Theme.panel

            ListView {
                id: list
                objectName: "conversationList"
                anchors.fill: parent
                clip: true
                model: conversations
                currentIndex: -1
                keyNavigationEnabled: true
                Accessible.name: qsTr("Conversations")
                delegate: ConversationDelegate {
                    width: ListView.view.width
                    selected: ListView.isCurrentItem
                    onClicked: {
                        list.currentIndex = index
                        root.currentConversation = conversationId
                        root.currentTitle = title
                    }
                }
                Label {
                    anchors.centerIn: parent
                    visible: list.count === 0
                    color: Theme.mutedText
                    text: qsTr("No chats yet.\nOpen Contacts to start one.")
                    horizontalAlignment: Text.AlignHCenter
                }
            }
        }

        ChatView {
            SplitView.fillWidth: true
            account: root.account
            conversationId: root.currentConversation
            title: root.currentTitle
        }
    }
}
