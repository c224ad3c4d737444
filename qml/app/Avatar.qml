// SPDX-License-Identifier: Apache-2.0
// A round avatar: the first letter of the name on a colour derived from the name, with a
// green dot while the person is online.
import QtQuick

Rectangle {
    id: root
    property string name
    property int size: 40
    property bool online: false
    width: size
    height: size
    radius: size / 2
    color: Qt.hsla((Math.abs(hash(name)) % 360) / 360, 0.45, 0.55, 1)
    Accessible.ignored: true

    function hash(s) {
        let h = 0
        for (let i = 0; i < s.length; ++i)
            h = (h * 31 + s.charCodeAt(i)) | 0
        return h
    }

    Text {
        anchors.centerIn: parent
        text: root.name.length > 0 ? root.name.charAt(0).toUpperCase() : "?"
        color: "white"
        font.pixelSize: root.size * 0.45
        font.bold: true
    }

    Rectangle {
        objectName: "presenceDot"
        visible: root.online
        width: Math.max(8, root.size * 0.28)
        height: width
        radius: width / 2
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        color: Theme.online
        border.width: 2
        border.color: Theme.panel
    }
}
