// SPDX-License-Identifier: Apache-2.0
// The message editor: Enter sends, Shift+Enter breaks the line; shows the quoted message.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: root
    property var replyTo: null
    property var editing: null // {seq, text}: the editor holds that message's text
    signal send(string text)
    signal cancelReply()
    // The user started (true) or stopped (false) writing: typing notices for the others.
    signal typingChanged(bool typing)

    implicitHeight: layout.implicitHeight + 16
    color: Theme.panel

    onEditingChanged: if (editing) { input.text = editing.text; input.forceActiveFocus() }

    function submit() {
        if (input.text.trim().length === 0)
            return
        root.send(input.text)
        input.clear()
        root.typingChanged(false)
    }

    Rectangle { anchors.top: parent.top; width: parent.width; height: 1; color: Theme.divider }

    ColumnLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: 8

        RowLayout {
            visible: root.replyTo !== null || root.editing !== null
            Label {
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
                    onTextChanged: if (activeFocus && !root.editing) root.typingChanged(text.length > 0)
                    Keys.onReturnPressed: (event) => {
                        if (event.modifiers & Qt.ShiftModifier)
                            event.accepted = false
                        else
                            root.submit()
                    }
                }
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
