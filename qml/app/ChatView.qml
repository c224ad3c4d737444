// SPDX-License-Identifier: Apache-2.0
// One conversation: title bar, the timeline (older pages load when scrolled to the top; the
// view stays at the bottom while new messages arrive), and the composer.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Rectangle {
    id: root
    required property Account account
    property var conversationId: 0
    property string title
    property bool pinned
    property bool muted
    property var replyTo: null // {seq, summary}
    property var editing: null // {seq, text}
    property string actionError

    color: Theme.window

    MessageModel {
        id: messages
        account: root.account
        conversationId: root.conversationId
    }

    Label {
        anchors.centerIn: parent
        visible: !root.conversationId
        text: qsTr("Select a chat to start messaging")
        color: Theme.mutedText
    }

    ColumnLayout {
        anchors.fill: parent
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
            }
            Row {
                anchors.right: parent.right
                anchors.rightMargin: 8
                anchors.verticalCenter: parent.verticalCenter
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
            onMovementEnded: pinnedToBottom = atYEnd
            onCountChanged: if (pinnedToBottom) scrollToEnd.restart()
            // After the new rows are laid out.
            Timer {
                id: scrollToEnd
                interval: 0
                onTriggered: timeline.positionViewAtEnd()
            }
            onAtYBeginningChanged: if (atYBeginning && count > 0 && !messages.atBeginning) messages.fetchMore(null)
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
                onReplyRequested: (seq, summary) => root.replyTo = {seq: seq, summary: summary}
                onRetryRequested: (clientMsgId) => messages.retry(clientMsgId)
                onDiscardRequested: (clientMsgId) => messages.discard(clientMsgId)
                onRecallRequested: (seq) => messages.recall(seq)
                onDeleteRequested: (seq) => messages.deleteForMe(seq)
                onReactRequested: (seq, emoji) => messages.react(seq, emoji)
                onEditRequested: (seq, text) => { root.replyTo = null; root.editing = {seq: seq, text: text} }
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

        Composer {
            Layout.fillWidth: true
            enabled: root.conversationId
            replyTo: root.replyTo
            editing: root.editing
            onCancelReply: { root.replyTo = null; root.editing = null }
            onTypingChanged: (typing) => messages.setTyping(typing)
            onSend: (text) => {
                root.actionError = ""
                if (root.editing)
                    messages.edit(root.editing.seq, text)
                else
                    messages.sendText(text, root.replyTo ? root.replyTo.seq : 0)
                root.replyTo = null
                root.editing = null
                timeline.pinnedToBottom = true
            }
        }
    }

    onConversationIdChanged: {
        replyTo = null
        editing = null
        actionError = ""
        timeline.pinnedToBottom = true
        scrollToEnd.restart()
    }
    Connections {
        target: messages
        // The model has switched (bindings update in no fixed order: wait for its signal).
        function onConversationIdChanged() { messages.markAllRead() }
        function onActionFailed(message) { root.actionError = message }
        function onRowsInserted() {
            if (timeline.pinnedToBottom && Window.window && Window.window.active)
                messages.markAllRead()
        }
    }
}
