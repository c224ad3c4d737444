// SPDX-License-Identifier: Apache-2.0
// Chats: the conversation list on the left, the open conversation on the right.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Item {
    id: root
    required property Account account
    property var currentConversation: 0
    property string currentTitle
    property bool currentPinned
    property bool currentMuted
    property var currentPeer: 0
    property var currentGroup: 0

    // The open chat is the list's selection, by id: a row number would go stale when the
    // list is reset, and a chat opened elsewhere may not have its row yet.
    function open(conversationId) {
        currentConversation = conversationId
        refreshTitle()
    }
    // Up and Down in the list open the chat above or below the open one.
    function openRow(row) {
        if (row < 0 || row >= list.count)
            return
        open(conversations.idAt(row))
        list.positionViewAtIndex(row, ListView.Contain)
    }

    readonly property alias newGroupDialog: newGroup

    // The open chat's title follows the list (names arrive after the conversation does).
    function refreshTitle() {
        const row = conversations.rowOf(currentConversation)
        if (row >= 0) {
            const values = conversations.get(row)
            currentTitle = values.title
            currentPinned = values.pinned
            currentMuted = values.muted
            currentPeer = values.peerUserId
            currentGroup = values.groupId
        }
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
    MessageSearchModel {
        id: searchResults
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
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 8
                    anchors.rightMargin: 8
                    TextField {
                        id: searchField
                        objectName: "messageSearchField"
                        Layout.fillWidth: true
                        placeholderText: qsTr("Search messages")
                        Accessible.name: placeholderText
                        // What the results below are for: editing the query makes them stale.
                        property string searchedText: ""
                        onTextChanged: if (text !== searchedText) searchResults.clear()
                        onAccepted: {
                            searchedText = text
                            searchResults.search(text)
                        }
                    }
                    ToolButton {
                        objectName: "newGroupButton"
                        text: qsTr("New group")
                        Accessible.name: text
                        onClicked: newGroup.open()
                    }
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
                // Not the view's own Up/Down: that moves a current row, which opens nothing.
                keyNavigationEnabled: false
                activeFocusOnTab: true
                Keys.onUpPressed: root.openRow(conversations.rowOf(root.currentConversation) - 1)
                Keys.onDownPressed: root.openRow(conversations.rowOf(root.currentConversation) + 1)
                Accessible.name: qsTr("Conversations")
                delegate: ConversationDelegate {
                    width: ListView.view.width
                    selected: conversationId === root.currentConversation
                    onClicked: root.open(conversationId)
                }
                visible: searchField.text.trim().length === 0
                Label {
                    anchors.centerIn: parent
                    visible: list.count === 0
                    color: Theme.mutedText
                    text: qsTr("No chats yet.\nOpen Contacts to start one.")
                    horizontalAlignment: Text.AlignHCenter
                }
            }

            ListView {
                id: resultList
                objectName: "searchResults"
                anchors.top: listHeader.bottom
                anchors.bottom: parent.bottom
                width: parent.width
                clip: true
                visible: !list.visible
                model: searchResults
                Accessible.name: qsTr("Search results")
                delegate: ItemDelegate {
                    id: hit
                    required property var conversationId
                    required property var seq
                    required property string snippet
                    required property string senderName
                    required property string chatTitle
                    width: ListView.view.width
                    height: 56
                    Accessible.name: chatTitle + ": " + snippet
                    contentItem: ColumnLayout {
                        spacing: 0
                        Label { text: hit.chatTitle; color: Theme.text; font.bold: true }
                        Label {
                            Layout.fillWidth: true
                            text: hit.senderName + ": " + hit.snippet
                            elide: Text.ElideRight
                            color: Theme.mutedText
                            font.pixelSize: Theme.smallFontSize
                        }
                    }
                    // The chat opens scrolled to the hit, lit up.
                    onClicked: {
                        root.open(conversationId)
                        chatView.showMessage(conversationId, seq)
                        searchField.text = ""
                    }
                }
                Label {
                    objectName: "searchStatus"
                    anchors.centerIn: parent
                    width: parent.width - 32
                    visible: resultList.count === 0
                    color: Theme.mutedText
                    wrapMode: Text.Wrap
                    horizontalAlignment: Text.AlignHCenter
                    text: searchField.text !== searchField.searchedText ? qsTr("Press Enter to search")
                        : searchResults.searchingServer ? qsTr("Searching…")
                        : searchResults.serverError !== "" ? searchResults.serverError
                        : searchResults.searched ? qsTr("No messages found.")
                        : qsTr("Press Enter to search")
                }
                // Local results shown, the server's part failed: say so below them.
                footer: Label {
                    width: ListView.view.width
                    visible: resultList.count > 0 && searchResults.serverError !== ""
                    height: visible ? implicitHeight + 16 : 0
                    padding: 8
                    wrapMode: Text.Wrap
                    color: Theme.mutedText
                    font.pixelSize: Theme.smallFontSize
                    text: searchResults.serverError
                }
            }
        }

        ChatView {
            id: chatView
            objectName: "chatView"
            SplitView.fillWidth: true
            account: root.account
            conversationId: root.currentConversation
            title: root.currentTitle
            pinned: root.currentPinned
            muted: root.currentMuted
            peerUserId: root.currentPeer
            groupId: root.currentGroup
        }
    }
}
