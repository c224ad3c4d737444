// SPDX-License-Identifier: Apache-2.0
// A count in a small pill: a chat's unread messages, what waits in Contacts. "99+" above 99;
// hidden at 0.
import QtQuick
import QtQuick.Controls

Rectangle {
    id: badge
    property int count: 0
    // Grey instead of red: a muted chat's unread messages.
    property bool muted: false

    visible: count > 0
    implicitWidth: Math.max(18, badgeText.implicitWidth + 8)
    implicitHeight: 18
    radius: 9
    color: muted ? Theme.mutedText : Theme.badge
    Label {
        id: badgeText
        anchors.centerIn: parent
        text: badge.count > 99 ? "99+" : badge.count
        color: "white"
        font.pixelSize: 11
    }
}
