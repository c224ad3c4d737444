// SPDX-License-Identifier: Apache-2.0
// A grid of common emoji; picking one hands it to the composer and closes.
import QtQuick
import QtQuick.Controls

Popup {
    id: root
    signal picked(string emoji)

    width: 8 * 36 + 2 * padding
    height: 5 * 36 + 2 * padding
    padding: 6

    readonly property var emoji: [
        "😀", "😁", "😂", "🤣", "😊", "😍", "😘", "😎",
        "🤔", "😅", "😉", "🙂", "🙃", "😢", "😭", "😡",
        "😱", "😴", "🤗", "🤝", "👍", "👎", "👏", "🙏",
        "💪", "👌", "✌️", "🎉", "🔥", "❤️", "💔", "⭐",
        "✅", "❌", "☕", "🍺", "🌹", "🎂", "🐶", "🐱"
    ]

    GridView {
        objectName: "emojiGrid"
        anchors.fill: parent
        cellWidth: 36
        cellHeight: 36
        clip: true
        model: root.emoji
        delegate: ToolButton {
            required property string modelData
            width: 36
            height: 36
            text: modelData
            font.pixelSize: 20
            Accessible.name: qsTr("Insert %1").arg(modelData)
            onClicked: { root.picked(modelData); root.close() }
        }
    }
}
