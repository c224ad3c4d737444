// SPDX-License-Identifier: Apache-2.0
// One conversation: title bar, the timeline (older pages load when scrolled to the top; the
// view stays at the bottom while new messages arrive), and the composer. Files dropped on the
// chat, picked with the clip button or pasted are sent as messages. The messages take keyboard
// focus (Up in the empty composer, Tab): Up and Down go from one to the next, the Menu key or
// Shift+F10 opens the focused one's actions, Escape goes back to the composer, End (or
// Ctrl+End) goes to the newest and Home (or Ctrl+Home) to the oldest loaded. A quote, or a
// search hit (showMessage), goes to the message it names. A chat opened with unread messages
// that begin above the view shows a pill at the top that goes to the first of them. Scrolled
// up, the view no longer follows new messages: a round ↓ button at the bottom right goes back
// to the newest, with how many came in from others since.
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Tern.Client

Rectangle {
    id: root
    required property Account account
    property var conversationId: 0
    property string title
    property bool pinned
    property bool muted
    property var peerUserId: 0 // direct chats
    property var groupId: 0 // group chats
    // {seq, summary} or null: kept by the composer, with the chat's draft.
    property alias replyTo: composer.replyTo
    property var editing: null // {seq, text}
    property string actionError
    // Choosing messages to forward as one.
    property bool selecting: false
    property var selectedSeqs: []
    readonly property alias forwardDialog: forwardDialog
    readonly property alias imageViewer: imageViewer
    // The chat's messages, for tests (sendFiles, transfers).
    readonly property alias messages: messages
    // Not in a group it cannot post to (left, dissolved, only admins post): no composer, and
    // dropped files are not taken either.
    readonly property bool canPost: !root.groupId || groupInfo.canPost

    function toggleSelected(seq) {
        const rest = selectedSeqs.filter((s) => s !== seq)
        selectedSeqs = rest.length === selectedSeqs.length ? rest.concat([seq]) : rest
    }
    // Read is what the user can see: this chat on screen, its newest message in view, the
    // window in front. Called when any of the three becomes true and when messages arrive.
    function markReadIfSeen() {
        if (root.conversationId && root.visible && timeline.pinnedToBottom && root.Window.active)
            messages.markAllRead()
    }
    // The first message unread at opening is on screen: the pill that leads there goes.
    function noteFirstUnreadShown() {
        const row = messages.rowOfSeq(messages.firstUnreadSeq)
        if (row >= 0 && root.rowInView(row))
            messages.dismissFirstUnread()
    }
    function forward(seqs, merge) {
        forwardDialog.seqs = seqs
        forwardDialog.merge = merge
        forwardDialog.open()
    }
    // A search hit: the chat it is in opens (ChatsPage) scrolled to it, lit up.
    function showMessage(conversationId, seq) {
        jump.goInChat(conversationId, seq, qsTr("This message is not available"))
    }
    // A chat picked from the search: the keyboard goes to its message field, or to its
    // messages where the user may not post.
    function focusComposer() {
        if (composer.visible)
            composer.input.forceActiveFocus()
        else
            focusMessages(true)
    }

    // The keyboard is on the messages themselves, not in a message's text (clicked to select
    // some): the current row shows it. A function too, for handlers that run before the
    // binding has caught up.
    function keyboardOnMessages() {
        const focusItem = timeline.Window.activeFocusItem
        return timeline.activeFocus && (focusItem === timeline || focusItem === timeline.currentItem)
    }
    readonly property bool messagesFocused: keyboardOnMessages()
    function rowInView(row) {
        const item = timeline.itemAtIndex(row)
        return item !== null && item.y < timeline.contentY + timeline.height
               && item.y + item.height > timeline.contentY
    }
    // The messages take the focus at the newest one on screen (newest), or where the current
    // row is if that is on screen.
    function focusMessages(newest) {
        if (timeline.count === 0)
            return
        if (newest || !rowInView(timeline.currentIndex)) {
            const row = timeline.indexAt(timeline.width / 2, timeline.contentY + timeline.height - 2)
            timeline.currentIndex = row >= 0 ? row : timeline.count - 1
        }
        timeline.forceActiveFocus()
    }
    // The newest message, as the current row, and the view follows new ones again (the ↓
    // button, End). A message still being gone to (a quote far back) is not gone to after all.
    function goToNewest() {
        if (timeline.count === 0)
            return
        jump.cancel()
        timeline.currentIndex = timeline.count - 1
        timeline.positionViewAtEnd() // (ends a flick under way: set pinned after it)
        timeline.pinnedToBottom = true
        scrollToEnd.restart() // again once the rows near the end are laid out
        root.markReadIfSeen()
    }
    // The oldest message loaded (Home): the view is at the top, so the page above it loads.
    function goToOldest() {
        if (timeline.count === 0)
            return
        jump.cancel()
        scrollToEnd.stop()
        timeline.currentIndex = 0
        timeline.positionViewAtBeginning()
        timeline.pinnedToBottom = timeline.atYEnd
        root.noteFirstUnreadShown()
    }

    FileDialog {
        id: filePicker
        title: qsTr("Send files")
        fileMode: FileDialog.OpenFiles
        onAccepted: messages.sendFiles(selectedFiles)
    }

    ImageViewer {
        id: imageViewer
    }

    VoiceRecorder {
        id: voiceRecorder
        folder: root.account ? root.account.mediaFolder : ""
        onErrorChanged: if (error.length > 0) root.actionError = error
    }

    DropArea {
        id: dropArea
        objectName: "fileDropArea"
        anchors.fill: parent
        z: 10
        enabled: root.canPost
        keys: ["text/uri-list"]
        onDropped: (drop) => {
            if (drop.hasUrls && root.conversationId && root.canPost) {
                messages.sendFiles(drop.urls)
                drop.accept()
            }
        }
        Rectangle {
            anchors.fill: parent
            visible: dropArea.containsDrag
            color: "#402f9e5b"
            border.color: Theme.accent
            border.width: 2
            Label {
                anchors.centerIn: parent
                text: qsTr("Drop files to send them")
                color: Theme.text
                font.pixelSize: 18
            }
        }
    }

    ForwardDialog {
        id: forwardDialog
        objectName: "forwardDialog"
        account: root.account
        anchors.centerIn: parent
        onForwardRequested: (seqs, targets, merge) => {
            root.actionError = ""
            messages.forward(seqs, targets, merge)
            root.selecting = false
            root.selectedSeqs = []
        }
    }

    color: Theme.window

    ContactProfile {
        id: peer
        account: root.account
        userId: root.peerUserId
        onUserIdChanged: refresh()
    }

    GroupInfo {
        id: groupInfo
        account: root.account
        groupId: root.groupId
    }

    // For @-completion (the info page has its own list).
    GroupMemberModel {
        id: groupMembers
        account: root.account
        groupId: root.groupId
    }

    MessageModel {
        id: messages
        account: root.account
        conversationId: root.conversationId
        // Away from the newest, it counts what comes in below (the ↓ button's "N new").
        followingNewest: timeline.pinnedToBottom
    }

    TimelineJump {
        id: jump
        view: timeline
        model: messages
        // Left where the message is, the view follows new messages only if that is the end.
        onPositioned: {
            scrollToEnd.stop()
            timeline.pinnedToBottom = timeline.atYEnd
            root.markReadIfSeen()
            root.noteFirstUnreadShown()
        }
    }

    Label {
        anchors.centerIn: parent
        visible: !root.conversationId
        text: qsTr("Select a chat to start messaging")
        color: Theme.mutedText
    }

    ColumnLayout {
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.right: infoDrawer.left
        spacing: 0
        visible: root.conversationId

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 52
            color: Theme.panel
            ColumnLayout {
                anchors.verticalCenter: parent.verticalCenter
                anchors.left: parent.left
                anchors.leftMargin: 16
                spacing: 0
                Label {
                    objectName: "chatTitle"
                    text: root.title
                    font.pixelSize: 16
                    font.bold: true
                    color: Theme.text
                }
                Label {
                    objectName: "typingText"
                    visible: text.length > 0
                    text: messages.typingText
                    color: Theme.accent
                    font.pixelSize: Theme.smallFontSize
                }
                Label {
                    objectName: "peerPresence"
                    visible: messages.typingText.length === 0 && text.length > 0
                    text: root.peerUserId ? peer.presenceText : ""
                    color: peer.online ? Theme.accent : Theme.mutedText
                    font.pixelSize: Theme.smallFontSize
                }
            }
            Row {
                anchors.right: parent.right
                anchors.rightMargin: 8
                anchors.verticalCenter: parent.verticalCenter
                // Calls: direct chats only (friends; the server says so otherwise).
                ToolButton {
                    objectName: "voiceCallButton"
                    visible: root.peerUserId !== 0
                    text: qsTr("Call")
                    Accessible.name: qsTr("Voice call with %1").arg(root.title)
                    onClicked: root.account.calls.startCall(root.peerUserId, false)
                }
                ToolButton {
                    objectName: "videoCallButton"
                    visible: root.peerUserId !== 0
                    text: qsTr("Video")
                    Accessible.name: qsTr("Video call with %1").arg(root.title)
                    onClicked: root.account.calls.startCall(root.peerUserId, true)
                }
                ToolButton {
                    objectName: "pinButton"
                    text: root.pinned ? qsTr("Unpin") : qsTr("Pin")
                    Accessible.name: root.pinned ? qsTr("Unpin this chat") : qsTr("Pin this chat to the top")
                    onClicked: root.account.setConversationPinned(root.conversationId, !root.pinned)
                }
                ToolButton {
                    objectName: "muteButton"
                    text: root.muted ? qsTr("Unmute") : qsTr("Mute")
                    Accessible.name: root.muted ? qsTr("Turn notifications for this chat back on")
                                                : qsTr("Mute notifications for this chat")
                    onClicked: root.account.setConversationMuted(root.conversationId, !root.muted)
                }
                ToolButton {
                    objectName: "infoButton"
                    text: qsTr("Info")
                    Accessible.name: root.groupId ? qsTr("Group info") : qsTr("Profile of %1").arg(root.title)
                    highlighted: infoDrawer.opened
                    onClicked: infoDrawer.opened ? infoDrawer.close() : infoDrawer.open()
                }
            }
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.divider }
        }

        ListView {
            id: timeline
            objectName: "timeline"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: messages
            spacing: 4
            verticalLayoutDirection: ListView.TopToBottom
            Accessible.name: qsTr("Messages")
            // Stay pinned to the newest message unless the user scrolled up to read.
            property bool pinnedToBottom: true
            // Positioned since the chat was set: the rows in view are what the user sees (right
            // after the switch the view is still at the top for a moment).
            property bool settled: false
            onMovementEnded: {
                pinnedToBottom = atYEnd
                root.markReadIfSeen()
                root.noteFirstUnreadShown()
            }
            onCountChanged: if (pinnedToBottom) scrollToEnd.restart()
            // After the new rows are laid out.
            Timer {
                id: scrollToEnd
                interval: 0
                onTriggered: {
                    timeline.positionViewAtEnd()
                    root.noteFirstUnreadShown()
                    timeline.settled = true
                }
            }
            onAtYBeginningChanged: if (atYBeginning && count > 0 && !messages.atBeginning) messages.fetchOlder()
            // Keyboard: Up and Down are the view's own (they move the current row).
            activeFocusOnTab: true
            onActiveFocusChanged: if (root.keyboardOnMessages()) root.focusMessages(false)
            // Stepping to the newest message follows new ones again, as scrolling there does.
            onCurrentIndexChanged: if (root.keyboardOnMessages()) pinnedToBottom = currentIndex === count - 1
            Keys.onPressed: (event) => {
                // Home and End, alone or with Ctrl.
                const plainOrCtrl = (event.modifiers & ~Qt.KeypadModifier & ~Qt.ControlModifier) === 0
                if ((event.key === Qt.Key_End || event.key === Qt.Key_Home) && plainOrCtrl) {
                    if (event.key === Qt.Key_End)
                        root.goToNewest()
                    else
                        root.goToOldest()
                    event.accepted = true
                } else if (event.key === Qt.Key_Menu
                        || (event.key === Qt.Key_F10 && (event.modifiers & Qt.ShiftModifier))) {
                    const bubble = timeline.currentItem as MessageBubble
                    if (bubble)
                        bubble.openMenu()
                    event.accepted = true
                } else if (event.key === Qt.Key_Escape && composer.visible) {
                    composer.input.forceActiveFocus()
                    event.accepted = true
                }
            }
            header: Item {
                width: ListView.view.width
                height: messages.loadingOlder ? 32 : 8
                BusyIndicator {
                    anchors.centerIn: parent
                    running: messages.loadingOlder
                    height: 24
                }
            }
            delegate: MessageBubble {
                width: ListView.view.width
                onReplyRequested: (seq, summary) => {
                    root.replyTo = {seq: seq, summary: summary}
                    composer.input.forceActiveFocus()
                }
                onRetryRequested: (clientMsgId) => messages.retry(clientMsgId)
                onDiscardRequested: (clientMsgId) => messages.discard(clientMsgId)
                onRecallRequested: (seq) => messages.recall(seq)
                onDeleteRequested: (seq) => messages.deleteForMe(seq)
                onReactRequested: (seq, emoji) => messages.react(seq, emoji)
                // (The composer puts the reply aside with the draft, and back when the edit ends.)
                onEditRequested: (seq, text) => { root.editing = {seq: seq, text: text} }
                onForwardRequested: (seq) => root.forward([seq], false)
                onSelectRequested: (seq) => { root.selecting = true; root.selectedSeqs = [seq] }
                onSelectionToggled: (seq) => root.toggleSelected(seq)
                onDownloadRequested: (seq) => messages.download(seq, Preferences.downloadFolder)
                onPauseTransferRequested: (id) => messages.pauseTransfer(id)
                onResumeTransferRequested: (id) => messages.resumeTransfer(id)
                onCancelTransferRequested: (id) => messages.cancelTransfer(id)
                onImageViewRequested: (source) => { imageViewer.source = source; imageViewer.open() }
                onVoiceFetchRequested: (seq) => messages.download(seq, root.account.mediaFolder)
                onQuoteActivated: (seq) => jump.go(seq, qsTr("The original message is not available"))
                selecting: root.selecting
                selected: root.selectedSeqs.indexOf(seq) >= 0
                keyboardFocus: ListView.isCurrentItem && root.messagesFocused
                highlighted: jump.highlightedSeq !== 0 && jump.highlightedSeq === seq
            }
            Component.onCompleted: positionViewAtEnd()
        }

        Label {
            objectName: "actionError"
            visible: root.actionError.length > 0
            Layout.fillWidth: true
            Layout.margins: 4
            text: root.actionError
            color: Theme.danger
            wrapMode: Text.Wrap
        }

        Label {
            objectName: "composerNotice"
            visible: !root.canPost
            Layout.fillWidth: true
            Layout.margins: 8
            horizontalAlignment: Text.AlignHCenter
            color: Theme.mutedText
            text: groupInfo.dissolved ? qsTr("This group was dissolved.")
                  : !groupInfo.isMember ? qsTr("You are no longer a member of this group.")
                  : qsTr("Only the owner and admins may post in this group.")
        }

        // While choosing messages: what to do with them, instead of the composer.
        Rectangle {
            visible: root.selecting
            Layout.fillWidth: true
            implicitHeight: 52
            color: Theme.panel
            RowLayout {
                anchors.fill: parent
                anchors.margins: 8
                Label {
                    objectName: "selectionCount"
                    text: qsTr("%n selected", "", root.selectedSeqs.length)
                    color: Theme.text
                    Layout.fillWidth: true
                }
                Button {
                    objectName: "forwardMergedButton"
                    text: qsTr("Forward as chat history")
                    highlighted: true
                    enabled: root.selectedSeqs.length > 0 && root.selectedSeqs.length <= 100
                    Accessible.name: text
                    onClicked: root.forward(root.selectedSeqs, true)
                }
                Button {
                    text: qsTr("Cancel")
                    Accessible.name: qsTr("Stop selecting messages")
                    onClicked: { root.selecting = false; root.selectedSeqs = [] }
                }
            }
        }

        Composer {
            id: composer
            objectName: "composer"
            Layout.fillWidth: true
            visible: !root.selecting && root.canPost
            enabled: root.conversationId
            editing: root.editing
            draftKey: root.conversationId
            account: root.account
            onCancelReply: { root.replyTo = null; root.editing = null }
            onTypingChanged: (typing) => messages.setTyping(typing)
            members: root.groupId ? groupMembers : null
            canMentionAll: groupInfo.canEditSettings
            onUpOnEmpty: root.focusMessages(true)
            pasteFiles: () => messages.pasteFromClipboard()
            onAttachRequested: filePicker.open()
            recorder: voiceRecorder
            onVoiceNoteRecorded: (file, durationMs) => {
                root.actionError = ""
                messages.sendVoiceNote(file, durationMs)
                timeline.pinnedToBottom = true
            }
            onSend: (text, mentionIds, mentionAll) => {
                root.actionError = ""
                if (root.editing) {
                    if (!messages.edit(root.editing.seq, text)) {
                        composer.restore(text) // too long: the reason is in actionError
                        return
                    }
                } else if (!messages.sendText(text, root.replyTo ? root.replyTo.seq : 0,
                                              mentionIds, mentionAll)) {
                    composer.restore(text) // the reason is in actionError
                    return
                }
                root.replyTo = null
                root.editing = null
                timeline.pinnedToBottom = true
            }
        }
    }

    // Over the top of the timeline: the unread messages the chat was opened with begin above
    // what it shows (or are not loaded yet); clicked, it goes to the first of them.
    Button {
        id: unreadPill
        objectName: "firstUnreadPill"
        parent: timeline
        z: 1
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.top: parent.top
        anchors.topMargin: 8
        visible: messages.firstUnreadSeq !== 0 && timeline.settled
        text: qsTr("↑ %n new message(s)", "", messages.unreadAtOpen)
        leftPadding: 14
        rightPadding: 14
        topPadding: 6
        bottomPadding: 6
        contentItem: Label {
            text: unreadPill.text
            color: Theme.accentText
            font.pixelSize: Theme.smallFontSize
            font.bold: true
        }
        background: Rectangle {
            radius: height / 2
            color: unreadPill.down ? Qt.darker(Theme.accent, 1.15) : Theme.accent
        }
        Accessible.name: qsTr("Go to the first of %n new message(s)", "", messages.unreadAtOpen)
        onClicked: jump.goFirstUnread(qsTr("The first new message is no longer available"))
    }

    // Over the bottom right of the timeline while it neither follows new messages nor shows
    // the end (the keyboard on a row just above the newest leaves the end in view): goes to the
    // newest, and says how many messages came in from others since the view left it.
    RoundButton {
        id: newestButton
        objectName: "jumpToNewestButton"
        parent: timeline
        z: 1
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.rightMargin: 16
        anchors.bottomMargin: 12
        width: 40
        height: 40
        visible: timeline.settled && !timeline.pinnedToBottom && !timeline.atYEnd
                 && timeline.count > 0
        focusPolicy: Qt.NoFocus // the keyboard has End
        text: "↓"
        font.pixelSize: 18
        contentItem: Label {
            text: newestButton.text
            font: newestButton.font
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
        }
        background: Rectangle {
            radius: width / 2
            color: newestButton.down ? Theme.selection : Theme.panel
            border.color: Theme.divider
        }
        Accessible.name: qsTr("Jump to the newest message")
        Accessible.description: messages.newBelow > 0
                                ? qsTr("%n new message(s) below", "", messages.newBelow) : ""
        ToolTip.visible: newestButton.hovered
        ToolTip.text: newestButton.Accessible.name
        onClicked: root.goToNewest()
        Label {
            objectName: "jumpToNewestCount"
            visible: messages.newBelow > 0
            anchors.horizontalCenter: parent.horizontalCenter
            anchors.bottom: parent.top
            anchors.bottomMargin: -6
            text: qsTr("%n new", "", messages.newBelow)
            color: Theme.accentText
            font.pixelSize: Theme.smallFontSize
            font.bold: true
            leftPadding: 6
            rightPadding: 6
            topPadding: 1
            bottomPadding: 1
            background: Rectangle {
                radius: height / 2
                color: Theme.accent
            }
        }
    }

    // Over the bottom of the timeline, for a few seconds: a message that cannot be shown.
    Label {
        objectName: "timelineNotice"
        parent: timeline
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 12
        visible: jump.notice.length > 0
        text: jump.notice
        padding: 8
        color: Theme.text
        background: Rectangle {
            color: Theme.panel
            border.color: Theme.divider
            radius: Theme.radius
        }
        Accessible.role: Accessible.AlertMessage
        Accessible.name: text
    }

    readonly property alias infoDrawer: infoDrawer
    readonly property alias infoItem: infoLoader.item
    // Beside the chat (like the right column of the big desktop messengers): the peer's
    // profile, or the group's members and settings.
    Rectangle {
        id: infoDrawer
        objectName: "infoDrawer"
        property bool opened: false
        function open() { opened = true }
        function close() { opened = false }
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.right: parent.right
        width: opened ? Math.min(380, root.width * 0.45) : 0
        visible: opened
        color: Theme.panel
        Rectangle { width: 1; height: parent.height; color: Theme.divider }
        Loader {
            id: infoLoader
            anchors.fill: parent
            anchors.leftMargin: 1
            active: infoDrawer.opened
            sourceComponent: root.groupId ? groupInfoComponent : profileComponent
        }
    }
    Component {
        id: profileComponent
        ProfilePane {
            account: root.account
            userId: root.peerUserId
            showMessageButton: false
        }
    }
    Component {
        id: groupInfoComponent
        GroupInfoPane {
            objectName: "groupInfoPane"
            account: root.account
            group: groupInfo
        }
    }

    onConversationIdChanged: {
        infoDrawer.close()
        selecting = false
        selectedSeqs = []
        editing = null // (the reply is the composer's: it shows the new chat's draft)
        actionError = ""
        timeline.pinnedToBottom = true
        timeline.settled = false
        scrollToEnd.restart()
    }
    Connections {
        target: messages
        // The model has switched (bindings update in no fixed order: wait for its signal).
        function onConversationIdChanged() { messages.markAllRead() }
        function onActionFailed(message) { root.actionError = message }
        // The edited text comes back to the composer, to be fixed or cancelled.
        function onEditRefused(seq, text) { root.editing = {seq: seq, text: text} }
        // (Window.active read here, in a Connections, would be null: only Items have a window.)
        function onRowsInserted() { root.markReadIfSeen() }
    }
    Connections {
        target: root.Window
        function onActiveChanged() { root.markReadIfSeen() }
    }
    onVisibleChanged: markReadIfSeen()
    Connections {
        target: root.account
        function onConversationSettingsFailed(conversationId, message) {
            if (conversationId === root.conversationId)
                root.actionError = message
        }
    }
    Connections {
        target: root.account ? root.account.calls : null
        function onActionFailed(message) { root.actionError = message }
    }
}
