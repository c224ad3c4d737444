// SPDX-License-Identifier: Apache-2.0
// The message editor: Enter sends, Shift+Enter breaks the line; shows the quoted message,
// which is kept with the chat's draft like the text. Esc cancels an edit, or else the reply,
// as the ✕ on their bar does.
// In groups "@" completes members' names (Up/Down, Enter or Tab to pick, Esc to close) and
// the mentioned people are sent along; the emoji button inserts at the cursor. The clip
// button picks files to send; pasting files or a picture sends them (pasteFiles). The
// microphone button records a voice note (Send or Cancel while recording).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Rectangle {
    id: root
    // {seq, summary}: the message being answered (the reply bar), or null. Part of the draft:
    // set, cancelled or sent, it is saved like typing, and it comes back with its chat.
    property var replyTo: null
    property var editing: null // {seq, text}: the editor holds that message's text
    property Account account: null // where drafts are kept
    property GroupMemberModel members: null // a group's members: @-completion
    property bool canMentionAll: false
    // Mentions picked so far: [{userId, name}]; only those still in the text are sent.
    property var mentions: []
    readonly property alias input: input
    readonly property alias mentionPopup: mentionPopup
    readonly property alias emojiPicker: emojiPicker
    // Called on Ctrl+V: true when it sent the clipboard as files (then no text is pasted).
    property var pasteFiles: null
    signal send(string text, var mentionIds, bool mentionAll)
    signal attachRequested()
    property VoiceRecorder recorder: null
    signal voiceNoteRecorded(url file, int durationMs)
    Connections {
        target: root.recorder
        function onFinished(file, durationMs) { root.voiceNoteRecorded(file, durationMs) }
    }
    signal cancelReply()
    // The user started (true) or stopped (false) writing: typing notices for the others.
    signal typingChanged(bool typing)
    // Up with nothing written (the chat moves the keyboard to the messages).
    signal upOnEmpty()

    implicitHeight: layout.implicitHeight + 16
    color: Theme.panel

    // The conversation typed in: each keeps its own draft (text, picked mentions and the reply)
    // in the account's cache, so that neither switching chats nor quitting loses a text, and
    // no text goes to someone else.
    property var draftKey: 0
    property var shownKey: 0
    // The draft put aside while a message is being edited, its reply too; back when the edit
    // ends.
    property var draftBeforeEdit: null
    property bool settingText: false

    ComposerDrafts {
        id: drafts
        account: root.account
    }
    // What the user changed is the draft of the chat it is shown in; not while a sent message
    // is edited (the draft put aside stays as it was saved).
    function saveDraft() {
        if (!root.editing)
            drafts.update(root.shownKey, input.text, root.mentions,
                          root.replyTo ? root.replyTo : {})
    }
    // Choosing Reply, its ✕ and sending change the draft as typing does.
    onReplyToChanged: {
        if (!root.settingText)
            root.saveDraft()
    }

    // A text and the reply it goes with, put back: a draft, or a message to edit. Not the user
    // typing: no typing notice, and nothing to save again.
    function setText(text, replyTo) {
        settingText = true
        root.replyTo = replyTo ? replyTo : null
        input.text = text
        input.cursorPosition = input.length
        settingText = false
    }
    onDraftKeyChanged: {
        if (root.recorder && root.recorder.recording)
            root.recorder.cancel() // a note recorded for one chat is not sent to another
        mentionPopup.close()
        drafts.flush() // the chat left keeps what was typed in it
        root.draftBeforeEdit = null
        const next = drafts.draft(root.draftKey)
        root.shownKey = root.draftKey
        root.mentions = next.mentions
        setText(next.text, next.replyTo) // a reply to a message recalled since: see draft()
    }
    onEditingChanged: {
        if (editing) {
            if (!root.draftBeforeEdit)
                root.draftBeforeEdit = {text: input.text, mentions: root.mentions,
                                        replyTo: root.replyTo}
            root.mentions = []
            setText(editing.text, null) // the bar says "Editing" instead
            input.forceActiveFocus()
        } else if (root.draftBeforeEdit) {
            const draft = root.draftBeforeEdit
            root.draftBeforeEdit = null
            root.mentions = draft.mentions
            setText(draft.text, draft.replyTo)
        }
    }

    function submit() {
        if (input.text.trim().length === 0)
            return
        const text = input.text
        const ids = root.mentions.filter((m) => text.indexOf("@" + m.name) >= 0).map((m) => m.userId)
        const all = root.canMentionAll && /(^|\s)@all(\s|$)/.test(text)
        // Cleared before the signal, so that a handler refusing the text can restore() it.
        input.clear()
        mentionPopup.close()
        root.send(text, ids, all)
        if (input.text.length === 0) {
            root.mentions = []
            root.typingChanged(false)
        }
    }

    // Puts back a text that was not sent, so that nothing typed is lost.
    function restore(text) {
        input.text = text
        input.cursorPosition = input.length
        input.forceActiveFocus()
    }

    // The "@prefix" just before the cursor, or null.
    function mentionPrefix() {
        const before = input.text.substring(0, input.cursorPosition)
        const match = /(^|\s)@([^\s@]*)$/.exec(before)
        return match ? match[2] : null
    }
    function updateMentionPopup() {
        const prefix = root.members ? mentionPrefix() : null
        if (prefix === null) {
            mentionPopup.close()
            return
        }
        const candidates = root.members.matching(prefix, 8, root.canMentionAll)
        mentionList.model = candidates
        mentionList.currentIndex = 0
        if (candidates.length > 0)
            mentionPopup.open()
        else
            mentionPopup.close()
    }
    function pickMention(candidate) {
        const prefix = mentionPrefix()
        if (prefix === null)
            return
        const at = input.cursorPosition - prefix.length - 1
        input.remove(at, input.cursorPosition)
        input.insert(at, "@" + candidate.name + " ")
        if (candidate.userId) {
            root.mentions = root.mentions.concat([{userId: candidate.userId, name: candidate.name}])
            root.saveDraft()
        }
        mentionPopup.close()
    }

    EmojiPicker {
        id: emojiPicker
        objectName: "emojiPicker"
        y: -height
        onPicked: (emoji) => { input.insert(input.cursorPosition, emoji); input.forceActiveFocus() }
    }

    Popup {
        id: mentionPopup
        objectName: "mentionPopup"
        y: -height
        x: 8
        width: 260
        height: Math.min(mentionList.contentHeight, 8 * 36) + 2 * padding
        padding: 4
        closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
        ListView {
            id: mentionList
            objectName: "mentionList"
            anchors.fill: parent
            clip: true
            highlight: Rectangle { color: Theme.selection }
            delegate: ItemDelegate {
                required property var modelData
                required property int index
                width: ListView.view.width
                height: 36
                text: "@" + modelData.name
                      + (modelData.remark ? " (" + modelData.remark + ")" : "")
                      + "  " + modelData.username
                Accessible.name: qsTr("Mention %1").arg(modelData.name)
                onClicked: root.pickMention(modelData)
            }
        }
    }

    Rectangle { anchors.top: parent.top; width: parent.width; height: 1; color: Theme.divider }

    ColumnLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: 8

        // While recording a voice note: how long, how loud, and Send / Cancel.
        RowLayout {
            objectName: "recordingBar"
            visible: root.recorder !== null && root.recorder.recording
            Label {
                text: "● " + (root.recorder ? Math.floor(root.recorder.durationMs / 60000) + ":"
                                              + String(Math.floor(root.recorder.durationMs / 1000) % 60).padStart(2, "0") : "")
                color: Theme.danger
            }
            ProgressBar {
                Layout.fillWidth: true
                from: 0
                to: 1
                value: root.recorder ? root.recorder.level : 0
                Accessible.name: qsTr("Microphone level")
            }
            Button {
                objectName: "sendVoiceButton"
                text: qsTr("Send")
                highlighted: true
                Accessible.name: qsTr("Send the voice message")
                onClicked: root.recorder.stop()
            }
            Button {
                text: qsTr("Cancel")
                Accessible.name: qsTr("Discard the recording")
                onClicked: root.recorder.cancel()
            }
        }
        RowLayout {
            objectName: "replyBar"
            visible: root.replyTo !== null || root.editing !== null
            Label {
                objectName: "replyBarText"
                Layout.fillWidth: true
                text: root.editing ? qsTr("Editing your message")
                      : root.replyTo ? qsTr("Replying to: %1").arg(root.replyTo.summary) : ""
                elide: Text.ElideRight
                color: Theme.mutedText
            }
            ToolButton {
                text: "✕"
                Accessible.name: root.editing ? qsTr("Cancel editing") : qsTr("Cancel reply")
                onClicked: root.cancelReply()
            }
        }
        RowLayout {
            ScrollView {
                Layout.fillWidth: true
                Layout.maximumHeight: 160
                TextArea {
                    id: input
                    objectName: "composerInput"
                    placeholderText: qsTr("Write a message…")
                    wrapMode: TextEdit.Wrap
                    Accessible.name: qsTr("Message")
                    onTextChanged: {
                        if (root.settingText)
                            return // a draft or an edited text put back: not typed now
                        root.saveDraft()
                        if (activeFocus && !root.editing)
                            root.typingChanged(text.length > 0)
                        root.updateMentionPopup()
                    }
                    Keys.onPressed: (event) => {
                        if (event.matches(StandardKey.Paste) && root.pasteFiles && root.pasteFiles()) {
                            event.accepted = true
                            return
                        }
                        if (event.key === Qt.Key_Up && input.length === 0 && !mentionPopup.opened) {
                            root.upOnEmpty()
                            event.accepted = true
                            return
                        }
                        if (event.key === Qt.Key_Escape && !mentionPopup.opened) {
                            // An edit first (the draft and its reply come back), then the reply.
                            if (root.editing || root.replyTo) {
                                root.cancelReply()
                                event.accepted = true
                            }
                            return
                        }
                        if (!mentionPopup.opened)
                            return
                        if (event.key === Qt.Key_Down) {
                            mentionList.incrementCurrentIndex()
                            event.accepted = true
                        } else if (event.key === Qt.Key_Up) {
                            mentionList.decrementCurrentIndex()
                            event.accepted = true
                        } else if (event.key === Qt.Key_Tab) {
                            root.pickMention(mentionList.model[mentionList.currentIndex])
                            event.accepted = true
                        } else if (event.key === Qt.Key_Escape) {
                            mentionPopup.close()
                            event.accepted = true
                        }
                    }
                    Keys.onReturnPressed: (event) => {
                        if (mentionPopup.opened)
                            root.pickMention(mentionList.model[mentionList.currentIndex])
                        else if (event.modifiers & Qt.ShiftModifier)
                            event.accepted = false
                        else
                            root.submit()
                    }
                }
            }
            ToolButton {
                objectName: "voiceButton"
                visible: root.recorder !== null && !root.recorder.recording
                text: "🎤"
                font.pixelSize: 18
                Accessible.name: qsTr("Record a voice message")
                ToolTip.visible: hovered
                ToolTip.text: Accessible.name
                onClicked: root.recorder.start()
            }
            ToolButton {
                objectName: "attachButton"
                text: "📎"
                font.pixelSize: 18
                Accessible.name: qsTr("Send a file or picture")
                ToolTip.visible: hovered
                ToolTip.text: Accessible.name
                onClicked: root.attachRequested()
            }
            ToolButton {
                objectName: "emojiButton"
                text: "😊"
                font.pixelSize: 18
                Accessible.name: qsTr("Insert emoji")
                onClicked: emojiPicker.opened ? emojiPicker.close() : emojiPicker.open()
            }
            Button {
                objectName: "sendButton"
                text: root.editing ? qsTr("Save") : qsTr("Send")
                highlighted: true
                enabled: input.text.trim().length > 0
                Accessible.name: text
                onClicked: root.submit()
            }
        }
    }
}
