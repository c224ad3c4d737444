// SPDX-License-Identifier: Apache-2.0
// One row of the chat list: avatar, title, preview (or the draft left there), time, unread
// badge, pinned/muted marks.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ItemDelegate {
    id: row
    required property int index
    required property var conversationId
    required property bool isGroup
    required property string title
    required property string preview
    required property int unreadCount
    required property bool muted
    required property bool pinned
    required property bool mentioned
    required property var lastActivityMs
    required property bool online
    required property string avatarFileId
    required property string draft
    property bool selected: false // the open chat; `highlighted`: the keyboard's place in a search
    // A chat left with an unsent text says so instead of its last message, as the big
    // messengers do: not the open chat (its text is in the composer), nor one where the user
    // was mentioned (that is news).
    readonly property bool showsDraft: draft.length > 0 && !selected && !mentioned

    height: 64
    Accessible.name: title + (unreadCount > 0 ? ", " + qsTr("%n unread", "", unreadCount) : "")
                     + (showsDraft ? ", " + qsTr("Draft: %1").arg(draft) : "")
    background: Rectangle {
        color: row.selected || row.highlighted ? Theme.selection : row.pinned ? Qt.darker(Theme.panel, 1.03) : Theme.panel
    }

    function timeText(ms) {
        if (!ms)
            return ""
        const d = new Date(ms)
        const now = new Date()
        return d.toDateString() === now.toDateString() ? Qt.formatTime(d, "hh:mm")
                                                        : Qt.formatDate(d, "yyyy-MM-dd")
    }

    contentItem: RowLayout {
        spacing: 10
        Avatar {
            name: row.title
            fileId: row.avatarFileId
            size: 40
            online: row.online
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            RowLayout {
                Label {
                    text: row.title
                    color: Theme.text
                    font.bold: row.unreadCount > 0
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Label {
                    text: row.timeText(row.lastActivityMs)
                    color: Theme.mutedText
                    font.pixelSize: Theme.smallFontSize
                }
            }
            RowLayout {
                Label {
                    objectName: "draftMark"
                    visible: row.showsDraft
                    text: qsTr("[Draft]")
                    color: Theme.danger
                    font.pixelSize: Theme.smallFontSize
                }
                Label {
                    text: row.showsDraft ? row.draft : (row.mentioned ? qsTr("[@me] ") : "") + row.preview
                    color: Theme.mutedText
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                    font.pixelSize: Theme.smallFontSize
                }
                Label {
                    visible: row.pinned
                    text: "📌"
                    font.pixelSize: Theme.smallFontSize
                    Accessible.name: qsTr("Pinned")
                }
                Label {
                    visible: row.muted
                    text: "🔕"
                    font.pixelSize: Theme.smallFontSize
                    Accessible.name: qsTr("Muted")
                }
                Badge {
                    count: row.unreadCount
                    muted: row.muted
                }
            }
        }
    }
}
