// SPDX-License-Identifier: Apache-2.0
// A round avatar: the person's or group's picture once this device has it (fileId), else the
// first letter of the name on a colour derived from the name; a green dot while online.
import QtQuick
import Tern.Client

Rectangle {
    id: root
    property string name
    property string fileId // the avatar's file id ("" = none)
    property int size: 40
    property bool online: false
    readonly property Account account: AccountManager.current
    // Large pictures for large avatars; avatarRevision makes this look again once one arrived.
    readonly property string source: fileId.length > 0 && account
                                     ? account.avatarUrl(fileId, size > 64, account.avatarRevision) : ""
    width: size
    height: size
    radius: size / 2
    color: picture.status === Image.Ready ? "transparent"
                                          : Qt.hsla((Math.abs(hash(name)) % 360) / 360, 0.45, 0.55, 1)
    Accessible.ignored: true

    function hash(s) {
        let h = 0
        for (let i = 0; i < s.length; ++i)
            h = (h * 31 + s.charCodeAt(i)) | 0
        return h
    }

    Text {
        anchors.centerIn: parent
        visible: picture.status !== Image.Ready
        text: root.name.length > 0 ? root.name.charAt(0).toUpperCase() : "?"
        color: "white"
        font.pixelSize: root.size * 0.45
        font.bold: true
    }

    // Already round (AvatarCache keeps round PNGs).
    Image {
        id: picture
        objectName: "avatarPicture"
        anchors.fill: parent
        source: root.source
        sourceSize.width: root.size * 2
        sourceSize.height: root.size * 2
        asynchronous: true
        smooth: true
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
