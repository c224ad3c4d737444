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
        list.currentIndex = conversations.rowOf(conversationId)
        refreshTitle()
    }

    readonly property alias newGroupDialog: newGroup

    // The open chat's title follows the list (names arrive after the conversation does).
    function refreshTitle() {
        const row = conversations.rowOf(currentConversation)
        if (row >= 0)
            currentTitle = conversations.titleAt(row)
    }
    Connections {
        target: conversations
        function onDataChanged() { root.refreshTitle() }
        function onRowsInserted() { root.refreshTitle() }
        function onModelReset() { root.refreshTitle() }
        function onRowsMoved() { root.refreshTitle() }
    }

    ConversationListModel {
        id: conversations
        account: root.account
    }

    NewGroupDialog {
        id: newGroup
        account: root.account
        anchors.centerIn: parent
    }
    Connections {
        target: root.account
        function onGroupCreated(conversationId) { root.open(conversationId) }
    }

    SplitView {
        anchors.fill: parent

        Rectangle {
            SplitView.preferredWidth: 300
            SplitView.minimumWidth: 220
            color: Theme.panel

            Rectangle {
                id: listHeader
                width: parent.width
                height: 48
                color: Theme.panel
                ToolButton {
                    objectName: "newGroupButton"
                    anchors.right: parent.right
                    anchors.rightMargin: 8
                    anchors.verticalCenter: parent.verticalCenter
                    text: qsTr("New group")
                    Accessible.name: text
                    onClicked: newGroup.open()
                }
                Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.divider }
            }

            ListView {
                id: list
                objectName: "conversationList"
                anchors.top: listHeader.bottom
                anchors.bottom: parent.bottom
                width: parent.width
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
