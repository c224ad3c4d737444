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
    // Unread messages in all chats but muted ones (the window title shows it, as the tray icon).
    readonly property int totalUnread: conversations.totalUnread

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

    // Something is typed in the search field: the matching chats and the message search show
    // instead of the list.
    readonly property bool searching: searchField.text.trim().length > 0
    // The keyboard's place in what the search shows, the focus staying in the field so that
    // typing goes on: -1 the field itself, then the matching chats, then "Search messages
    // for …", then the message hits.
    property int searchCursor: -1
    function moveSearchCursor(step) {
        const last = chatMatches.count + resultList.count
        searchCursor = Math.max(-1, Math.min(last, searchCursor + step))
        const hit = searchCursor - chatMatches.count - 1
        if (hit >= 0)
            resultList.positionViewAtIndex(hit, ListView.Contain)
        else if (searchCursor < 0)
            resultList.contentY = resultList.originY
    }
    // Enter in the search field: what the cursor is on, else the message search.
    function activateSearchCursor() {
        const chats = chatMatches.count
        const hit = searchCursor - chats - 1
        if (searchCursor >= 0 && searchCursor < chats) {
            openMatch(searchCursor)
        } else if (hit >= 0 && hit < resultList.count) {
            resultList.positionViewAtIndex(hit, ListView.Contain)
            const item = resultList.itemAtIndex(hit)
            if (item)
                openHit(item.conversationId, item.seq)
        } else {
            searchMessages()
        }
    }
    function searchMessages() {
        searchField.searchedText = searchField.text
        searchResults.search(searchField.text)
    }
    // A matching chat opens as if picked in the list, ready to write in; the search is done.
    function openMatch(row) {
        const id = chatMatches.idAt(row)
        if (!id)
            return
        searchField.text = ""
        root.open(id)
        list.positionViewAtIndex(conversations.rowOf(id), ListView.Contain)
        chatView.focusComposer()
    }
    // A message hit: the chat opens scrolled to it, lit up.
    function openHit(conversationId, seq) {
        root.open(conversationId)
        chatView.showMessage(conversationId, seq)
        searchField.text = ""
    }
    // Scrolls the search results so that `item` (in their header) is in view.
    function showInResults(item) {
        const y = item.mapToItem(resultList.contentItem, 0, 0).y
        if (y < resultList.contentY)
            resultList.contentY = y
        else if (y + item.height > resultList.contentY + resultList.height)
            resultList.contentY = y + item.height - resultList.height
    }

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
    // The chat open when this account was last used opens again (if it is still listed).
    LastOpenChat {
        account: root.account
        current: root.currentConversation
        onReopen: (conversationId) => root.open(conversationId)
    }
    MessageSearchModel {
        id: searchResults
        account: root.account
    }
    // The chats whose name matches what is typed, as it is typed.
    ChatFilterModel {
        id: chatMatches
        sourceModel: conversations
        query: searchField.text
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
                        placeholderText: qsTr("Search")
                        Accessible.name: placeholderText
                        // What the message hits below are for: editing the query makes them
                        // stale.
                        property string searchedText: ""
                        onTextChanged: {
                            if (text !== searchedText)
                                searchResults.clear()
                            root.searchCursor = -1
                        }
                        onAccepted: root.activateSearchCursor()
                        Keys.onDownPressed: (event) => {
                            if (root.searching)
                                root.moveSearchCursor(1)
                            else
                                event.accepted = false
                        }
                        Keys.onUpPressed: (event) => {
                            if (root.searching)
                                root.moveSearchCursor(-1)
                            else
                                event.accepted = false
                        }
                        Keys.onEscapePressed: (event) => {
                            if (text.length > 0)
                                text = ""
                            else
                                event.accepted = false
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
                visible: !root.searching
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
                // Above the message hits: the chats found by name, then the message search.
                header: Column {
                    width: ListView.view.width
                    Label {
                        visible: chatMatches.count > 0
                        width: parent.width
                        padding: 8
                        bottomPadding: 4
                        text: qsTr("Chats")
                        color: Theme.mutedText
                        font.pixelSize: Theme.smallFontSize
                    }
                    Repeater {
                        objectName: "chatMatches"
                        model: chatMatches
                        delegate: ConversationDelegate {
                            id: match
                            width: resultList.width
                            selected: conversationId === root.currentConversation
                            highlighted: index === root.searchCursor
                            onHighlightedChanged: if (highlighted) root.showInResults(match)
                            onClicked: root.openMatch(index)
                        }
                    }
                    Label {
                        width: parent.width
                        padding: 8
                        bottomPadding: 4
                        text: qsTr("Messages")
                        color: Theme.mutedText
                        font.pixelSize: Theme.smallFontSize
                    }
                    ItemDelegate {
                        id: searchMessagesEntry
                        objectName: "searchMessagesButton"
                        width: parent.width
                        focusPolicy: Qt.NoFocus // the keyboard stays in the search field
                        highlighted: root.searchCursor === chatMatches.count
                        onHighlightedChanged: if (highlighted) root.showInResults(searchMessagesEntry)
                        Accessible.name: entryTitle.text
                        background: Rectangle {
                            color: searchMessagesEntry.highlighted || searchMessagesEntry.down
                                   ? Theme.selection : "transparent"
                        }
                        contentItem: ColumnLayout {
                            spacing: 2
                            Label {
                                id: entryTitle
                                Layout.fillWidth: true
                                text: qsTr("Search messages for “%1”").arg(searchField.text.trim())
                                color: Theme.accent
                                elide: Text.ElideRight
                            }
                            Label {
                                objectName: "searchStatus"
                                Layout.fillWidth: true
                                visible: resultList.count === 0
                                color: Theme.mutedText
                                wrapMode: Text.Wrap
                                font.pixelSize: Theme.smallFontSize
                                text: searchField.text !== searchField.searchedText ? qsTr("Press Enter to search")
                                    : searchResults.searchingServer ? qsTr("Searching…")
                                    : searchResults.serverError !== "" ? searchResults.serverError
                                    : searchResults.searched ? qsTr("No messages found.")
                                    : qsTr("Press Enter to search")
                            }
                        }
                        onClicked: root.searchMessages()
                    }
                }
                delegate: ItemDelegate {
                    id: hit
                    required property int index
                    required property var conversationId
                    required property var seq
                    required property string snippet
                    required property string senderName
                    required property string chatTitle
                    width: ListView.view.width
                    height: 56
                    highlighted: index === root.searchCursor - chatMatches.count - 1
                    Accessible.name: chatTitle + ": " + snippet
                    background: Rectangle {
                        color: hit.highlighted || hit.down ? Theme.selection : "transparent"
                    }
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
                    onClicked: root.openHit(conversationId, seq)
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
