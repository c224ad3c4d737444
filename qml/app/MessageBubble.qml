// SPDX-License-Identifier: Apache-2.0
// One timeline row: a day separator when the day changes, then the message bubble (own on the
// right), its quote, file or picture, reactions and delivery state; group events and recalls
// as a centred line. The actions menu opens with a right click, the "more" button beside the
// bubble (shown on hover and keyboard focus), or openMenu() (the chat's Menu key, Shift+F10);
// clicking the quote asks to go to the quoted message. Links in the text open in the system's
// browser or mail program; right-clicked, one can be copied.
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
    required property string richText // the text with its links; "" when it has none
    required property var sentAtMs
    required property bool dayStarts
    required property int state
    required property string error
    required property bool edited
    required property var replyToSeq // 0 when the message quotes none
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
    // The quote was clicked: go to the message it quotes.
    signal quoteActivated(var seq)

    // Choosing messages: a check box on each that can be forwarded.
    property bool selecting: false
    property bool selected: false
    readonly property bool forwardable: seq > 0 && kind !== "event" && kind !== "recalled"

    readonly property bool centred: kind === "event" || kind === "recalled"
    readonly property bool hasFile: !centred && file !== undefined && file.name !== undefined
    implicitHeight: column.implicitHeight + 4

    // The chat's keyboard focus is on this message (ChatView); lit up after a jump to it.
    property bool keyboardFocus: false
    property bool highlighted: false
    readonly property alias menu: menu
    // The link the menu was opened on (a right click on it): the menu offers to copy it.
    property string menuLink: ""

    // Events and recalls have no actions.
    function openMenu() {
        if (!row.centred) {
            row.menuLink = ""
            menu.popup(bubble, 0, bubble.height)
        }
    }

    readonly property string centredText: row.kind === "recalled"
        ? (row.isMine ? qsTr("You recalled a message") : qsTr("%1 recalled a message").arg(row.senderName))
        : row.text
    // What a screen reader says for the row: who, when, what.
    Accessible.role: Accessible.ListItem
    Accessible.name: row.centred ? row.centredText
        : row.senderName + ", " + Qt.formatTime(new Date(row.sentAtMs), "hh:mm") + ": "
          + (row.text.length > 0 || !row.hasFile ? row.text : row.file.name)
    Accessible.description: row.isMine ? row.stateText() : ""
    Accessible.focusable: true
    Accessible.focused: row.keyboardFocus

    HoverHandler {
        id: hover
    }
    // Lit up, then fading: the message a quote or a search hit led to.
    Rectangle {
        anchors.fill: parent
        color: Theme.selection
        opacity: row.highlighted ? 1 : 0
        Behavior on opacity {
            NumberAnimation { duration: 300 }
        }
    }
    // The keyboard's focus.
    Rectangle {
        anchors.fill: parent
        visible: row.keyboardFocus
        color: "transparent"
        border.color: Theme.accent
        border.width: 2
        radius: Theme.radius
    }

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
            text: row.centredText
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

                    ColumnLayout {
                        id: bubbleColumn
                        x: 12
                        y: 8
                        width: bubble.width - 24
                        spacing: 4
                        Label {
                            objectName: "quote"
                            visible: row.replySummary.length > 0
                            Layout.fillWidth: true
                            text: "❝ " + row.replySummary
                            elide: Text.ElideRight
                            color: Theme.mutedText
                            font.pixelSize: Theme.smallFontSize
                            Accessible.role: Accessible.Button
                            Accessible.name: qsTr("Go to the quoted message: %1").arg(row.replySummary)
                            Accessible.onPressAction: row.quoteActivated(row.replyToSeq)
                            HoverHandler {
                                cursorShape: Qt.PointingHandCursor
                            }
                            TapHandler {
                                onTapped: row.quoteActivated(row.replyToSeq)
                            }
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
                        // Rich text only for a text with links (MessageModel's richText, escaped
                        // there); the others, most, stay plain text: cheaper, and shown as typed.
                        TextEdit {
                            id: body
                            objectName: "messageText"
                            visible: !row.hasFile || row.text.length > 0
                            Layout.fillWidth: true
                            textFormat: row.richText.length > 0 ? TextEdit.RichText : TextEdit.PlainText
                            text: row.richText.length > 0
                                  ? "<style>a { color: " + Theme.link + "; }</style>" + row.richText
                                  : row.text
                            readOnly: true
                            selectByMouse: true
                            wrapMode: Text.Wrap
                            color: Theme.text
                            font.pixelSize: Theme.fontSize
                            // The model makes only http(s) and mailto links.
                            onLinkActivated: (link) => Qt.openUrlExternally(link)
                            ToolTip.visible: body.hoveredLink.length > 0
                            ToolTip.text: body.hoveredLink
                            ToolTip.delay: 500
                            HoverHandler {
                                cursorShape: body.hoveredLink.length > 0 ? Qt.PointingHandCursor : Qt.IBeamCursor
                            }
                        }
                    }
                    TapHandler {
                        acceptedButtons: Qt.RightButton
                        onTapped: (eventPoint) => {
                            const at = bubble.mapToItem(body, eventPoint.position.x, eventPoint.position.y)
                            row.menuLink = body.visible ? body.linkAt(at.x, at.y) : ""
                            menu.popup()
                        }
                    }
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
                        // The text as it was written, not the rich text the bubble shows.
                        MenuItem {
                            text: qsTr("Copy")
                            onTriggered: if (row.text.length > 0) Clipboard.setText(row.text)
                        }
                        MenuItem {
                            objectName: "copyLinkItem"
                            text: qsTr("Copy link")
                            visible: row.menuLink.length > 0
                            height: visible ? implicitHeight : 0
                            onTriggered: Clipboard.setText(row.menuLink)
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
            // The same menu for the left button, the keyboard's user and screen readers. Kept in
            // the layout while hidden, so that nothing moves when it shows.
            ToolButton {
                id: moreButton
                objectName: "moreButton"
                Layout.alignment: Qt.AlignVCenter
                text: "⋯"
                focusPolicy: Qt.NoFocus // the keyboard opens the menu from the message itself
                opacity: hover.hovered || moreButton.hovered || row.keyboardFocus || menu.opened ? 1 : 0
                Accessible.name: qsTr("Actions for this message")
                ToolTip.visible: hovered
                ToolTip.text: Accessible.name
                onClicked: {
                    row.menuLink = ""
                    menu.popup(moreButton, 0, moreButton.height)
                }
            }
            Item { Layout.fillWidth: true }
        }
    }
}
