// SPDX-License-Identifier: Apache-2.0
// Going to one message of the timeline (a quote's original, a search hit): older pages load
// until it is there (MessageModel.ensureLoaded), the view shows it as its current row, and it
// lights up for a moment (highlightedSeq). A message that cannot be shown (deleted, recalled,
// not in the history) is said to be so in `notice` for a few seconds. goFirstUnread goes the
// same way to the first message that was unread when the chat was opened; cancel() gives up
// on a message still loading (the user went to the newest instead).
import QtQuick
import Tern.Client

Item {
    id: jump
    required property ListView view
    required property MessageModel model
    // The message lit up; 0 when none.
    property var highlightedSeq: 0
    property string notice
    // What `notice` says when the message asked for cannot be shown.
    property string unavailableText
    // Asked for in a chat the model does not show yet: gone to once it does.
    property var pendingConversation: 0
    property var pendingSeq: 0
    // The view was moved to the message (again when rows coming in above shifted it).
    signal positioned()

    function go(seq, unavailableText) {
        jump.pendingSeq = 0
        jump.notice = ""
        jump.unavailableText = unavailableText
        jump.model.ensureLoaded(seq)
    }
    // The model finds that message again as older pages load (MessageModel.ensureFirstUnreadLoaded).
    function goFirstUnread(unavailableText) {
        jump.pendingSeq = 0
        jump.notice = ""
        jump.unavailableText = unavailableText
        jump.model.ensureFirstUnreadLoaded()
    }
    function goInChat(conversationId, seq, unavailableText) {
        if (jump.model.conversationId === conversationId) {
            jump.go(seq, unavailableText)
            return
        }
        jump.pendingConversation = conversationId
        jump.pendingSeq = seq
        jump.unavailableText = unavailableText
    }
    // The user went elsewhere (the newest message, the oldest): the message asked for, if it
    // is still loading, is not gone to, and the one lit up goes out (lit, it would pull the
    // view back to it as rows come in).
    function cancel() {
        jump.model.cancelEnsureLoaded()
        settle.stop()
        unlight.stop()
        jump.highlightedSeq = 0
    }
    function position() {
        const row = jump.model.rowOfSeq(jump.highlightedSeq)
        if (row < 0)
            return
        jump.view.currentIndex = row
        jump.view.positionViewAtIndex(row, ListView.Center)
        jump.positioned()
    }

    Connections {
        target: jump.model
        function onSeqLoaded(seq, row) {
            if (row < 0) {
                jump.notice = jump.unavailableText
                noticeTimer.restart()
                return
            }
            jump.highlightedSeq = seq
            jump.position()
            settle.restart() // again once the rows loaded above it are laid out
            unlight.restart()
        }
        function onConversationIdChanged() {
            jump.highlightedSeq = 0
            jump.notice = ""
            if (jump.pendingSeq && jump.model.conversationId === jump.pendingConversation)
                jump.go(jump.pendingSeq, jump.unavailableText)
        }
    }
    // Older pages coming in above (the view reached the top) move it down: kept in view while
    // lit, unless the user is scrolling. New messages below leave its row, and the view, alone.
    Connections {
        target: jump.view
        function onCountChanged() {
            if (jump.highlightedSeq && !jump.view.moving
                    && jump.model.rowOfSeq(jump.highlightedSeq) !== jump.view.currentIndex)
                settle.restart()
        }
    }
    Timer {
        id: settle
        interval: 0
        onTriggered: jump.position()
    }
    Timer {
        id: unlight
        interval: 2000
        onTriggered: jump.highlightedSeq = 0
    }
    Timer {
        id: noticeTimer
        interval: 4000
        onTriggered: jump.notice = ""
    }
}
