// SPDX-License-Identifier: Apache-2.0
// One timeline row: a day separator when the day changes, then the message bubble (own on the
// right), its quote, file or picture, reactions and delivery state; group events and recalls
// as a centred line.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Item {
    id: row
    required property var seq
    required property string clientMsgId
    required property string senderName
    required property bool isMine
    required property string kind
    required property string text
    required property var sentAtMs
    required property bool dayStarts
    required property int state
    required property string error
    required property bool edited
    required property string replySummary
    required property var reactions
    required property string myReaction // "" for none
    required property var file // messagefile.h; empty for messages without a file
    required property string senderAvatarFileId

    signal replyRequested(var seq, string summary)
    signal retryRequested(string clientMsgId)
    signal recallRequested(var seq)
    signal editRequested(var seq, string text)
    signal deleteRequested(var seq)
    // Choosing the reaction one already has takes it back (MessageModel.react).
    signal reactRequested(var seq, string emoji)
    signal discardRequested(string clientMsgId)
    signal forwardRequested(var seq)
    // Start choosing several messages (to forward them as one), with this one chosen.
    signal selectRequested(var seq)
    signal selectionToggled(var seq)
    // The file of this message: save it, steer its transfer, or view the picture.
    signal downloadRequested(var seq)
    signal pauseTransferRequested(string transferId)
    signal resumeTransferRequested(string transferId)
    signal cancelTransferRequested(string transferId)
    signal imageViewRequested(url source)
    signal voiceFetchRequested(var seq)

    // Choosing messages: a check box on each that can be forwarded.
    property bool selecting: false
    property bool selected: false
    readonly property bool forwardable: seq > 0 && kind !== "event" && kind !== "recalled"

    readonly property bool centred: kind === "event" || kind === "recalled"
    readonly property bool hasFile: !centred && file !== undefined && file.name !== undefined
    implicitHeight: column.implicitHeight + 4

    function stateText() {
        switch (row.state) {
        case MessageModel.Sending: return qsTr("Sending…")
        case MessageModel.Failed: return qsTr("Not sent")
        case MessageModel.Sent: return qsTr("Sent")
        case MessageModel.Delivered: return qsTr("Delivered")
        case MessageModel.Read: return qsTr("Read")
        }
        return ""
    }

    ColumnLayout {
        id: column
        width: parent.width
        spacing: 4

        Label {
            visible: row.dayStarts
            Layout.alignment: Qt.AlignHCenter
            Layout.topMargin: 8
            text: new Date(row.sentAtMs).toLocaleDateString(Qt.locale(Preferences.language), Locale.LongFormat)
            color: Theme.mutedText
            font.pixelSize: Theme.smallFontSize
        }

        Label {
            visible: row.centred
            Layout.alignment: Qt.AlignHCenter
            text: row.kind === "recalled"
                  ? (row.isMine ? qsTr("You recalled a message") : qsTr("%1 recalled a message").arg(row.senderName))
                  : row.text
            color: Theme.mutedText
            font.pixelSize: Theme.smallFontSize
        }

        RowLayout {
            visible: !row.centred
            Layout.fillWidth: true
            Layout.leftMargin: 12
            Layout.rightMargin: 12
            layoutDirection: row.isMine ? Qt.RightToLeft : Qt.LeftToRight
            spacing: 8

            CheckBox {
                objectName: "selectBox"
                visible: row.selecting && row.forwardable
                checked: row.selected
                Accessible.name: qsTr("Select this message")
                onToggled: row.selectionToggled(row.seq)
            }

            Avatar {
                Layout.alignment: Qt.AlignTop
                name: row.senderName
                fileId: row.senderAvatarFileId
                size: 32
            }

            ColumnLayout {
                spacing: 2
                Layout.maximumWidth: row.width * 0.65

                Label {
                    visible: !row.isMine
                    text: row.senderName
                    color: Theme.mutedText
                    font.pixelSize: Theme.smallFontSize
                }
                Rectangle {
                    id: bubble
                    Layout.alignment: row.isMine ? Qt.AlignRight : Qt.AlignLeft
                    implicitWidth: Math.min(Math.max(body.visible ? body.implicitWidth : 0,
                                                     attachment.visible ? attachment.implicitWidth : 0),
                                            row.width * 0.65 - 24) + 24
                    implicitHeight: bubbleColumn.implicitHeight + 16
                    radius: Theme.radius * 2
                    color: row.isMine ? Theme.ownBubble : Theme.otherBubble
                    Accessible.role: Accessible.StaticText
                    Accessible.name: row.senderName + ": " + row.text

                    ColumnLayout {
                        id: bubbleColumn
                        x: 12
                        y: 8
                        width: bubble.width - 24
                        spacing: 4
                        Label {
                            visible: row.replySummary.length > 0
                            Layout.fillWidth: true
                            text: "❝ " + row.replySummary
                            elide: Text.ElideRight
                            color: Theme.mutedText
                            font.pixelSize: Theme.smallFontSize
                        }
                        // Only messages with a file make one (most rows are text).
                        Loader {
                            id: attachment
                            objectName: "attachment"
                            active: row.hasFile
                            visible: active
                            Layout.fillWidth: true
                            sourceComponent: FileAttachment {
                                file: row.file
                                isImage: row.kind === "image"
                                isVoice: row.kind === "voice"
                                onFetchRequested: row.voiceFetchRequested(row.seq)
                                maxWidth: row.width * 0.65 - 24
                                onDownloadRequested: row.downloadRequested(row.seq)
                                onPauseRequested: (id) => row.pauseTransferRequested(id)
                                onResumeRequested: (id) => row.resumeTransferRequested(id)
                                onCancelRequested: (id) => row.cancelTransferRequested(id)
                                onViewRequested: (source) => row.imageViewRequested(source)
                            }
                        }
                        TextEdit {
                            id: body
                            objectName: "messageText"
                            visible: !row.hasFile || row.text.length > 0
                            Layout.fillWidth: true
                            text: row.text
                            readOnly: true
                            selectByMouse: true
                            wrapMode: Text.Wrap
                            color: Theme.text
                            font.pixelSize: Theme.fontSize
                        }
                    }
                    TapHandler {
                        acceptedButtons: Qt.RightButton
                        onTapped: menu.popup()
                    }
                    // Open with a right click, or from code (tests, keyboard).
                    function openMenu() { menu.popup() }
                    objectName: "bubble"
                    Menu {
                        id: menu
                        objectName: "messageMenu"
                        MenuItem {
                            text: qsTr("Reply")
                            enabled: row.seq > 0
                            onTriggered: row.replyRequested(row.seq, row.text)
                        }
                        MenuItem {
                            objectName: "forwardItem"
                            text: qsTr("Forward…")
                            enabled: row.forwardable
                            onTriggered: row.forwardRequested(row.seq)
                        }
                        MenuItem {
                            text: qsTr("Select…")
                            enabled: row.forwardable
                            onTriggered: row.selectRequested(row.seq)
                        }
                        MenuItem {
                            text: qsTr("Copy")
                            onTriggered: { body.selectAll(); body.copy(); body.deselect() }
                        }
                        Menu {
                            title: qsTr("React")
                            enabled: row.seq > 0
                            Repeater {
                                model: ["👍", "❤️", "😂", "😮", "🙏"]
                                delegate: MenuItem {
                                    required property string modelData
                                    text: modelData
                                    checkable: true
                                    checked: modelData === row.myReaction
                                    onTriggered: row.reactRequested(row.seq, modelData)
                                }
                            }
                        }
                        MenuItem {
                            objectName: "editItem"
                            text: qsTr("Edit")
                            visible: row.isMine && row.seq > 0 && row.kind === "text"
                            height: visible ? implicitHeight : 0
                            onTriggered: row.editRequested(row.seq, row.text)
                        }
                        MenuItem {
                            objectName: "recallItem"
                            text: qsTr("Recall")
                            visible: row.isMine && row.seq > 0
                            height: visible ? implicitHeight : 0
                            onTriggered: row.recallRequested(row.seq)
                        }
                        MenuItem {
                            text: qsTr("Delete for me")
                            visible: row.seq > 0
                            height: visible ? implicitHeight : 0
                            onTriggered: row.deleteRequested(row.seq)
                        }
                        MenuItem {
                            text: qsTr("Retry")
                            visible: row.state === MessageModel.Failed
                            height: visible ? implicitHeight : 0
                            onTriggered: row.retryRequested(row.clientMsgId)
                        }
                        MenuItem {
                            text: qsTr("Discard")
                            visible: row.state === MessageModel.Failed
                            height: visible ? implicitHeight : 0
                            onTriggered: row.discardRequested(row.clientMsgId)
                        }
                    }
                }
                Flow {
                    visible: row.reactions.length > 0
                    spacing: 4
                    Repeater {
                        model: row.reactions
                        delegate: Label {
                            id: chip
                            required property var modelData
                            objectName: modelData.mine ? "ownReactionChip" : "reactionChip"
                            text: modelData.emoji + " " + modelData.count
                            font.pixelSize: Theme.smallFontSize
                            padding: 2
                            background: Rectangle {
                                radius: 8
                                color: modelData.mine ? Theme.selection : Theme.divider
                            }
                            // One's own reaction: clicked, it is taken back.
                            Accessible.role: modelData.mine ? Accessible.Button : Accessible.StaticText
                            Accessible.name: modelData.mine ? qsTr("Remove your reaction %1").arg(modelData.emoji)
                                                            : text
                            Accessible.onPressAction: if (chip.modelData.mine) row.reactRequested(row.seq, chip.modelData.emoji)
                            HoverHandler {
                                enabled: chip.modelData.mine
                                cursorShape: Qt.PointingHandCursor
                            }
                            TapHandler {
                                enabled: chip.modelData.mine
                                onTapped: row.reactRequested(row.seq, chip.modelData.emoji)
                            }
                        }
                    }
                }
                Label {
                    Layout.alignment: row.isMine ? Qt.AlignRight : Qt.AlignLeft
                    text: Qt.formatTime(new Date(row.sentAtMs), "hh:mm")
                          + (row.edited ? " · " + qsTr("edited") : "")
                          + (row.isMine ? " · " + row.stateText() : "")
                          + (row.error.length > 0 ? " — " + row.error : "")
                    color: row.state === MessageModel.Failed ? Theme.danger : Theme.mutedText
                    font.pixelSize: 11
                }
            }
            Item { Layout.fillWidth: true }
        }
    }
}
