// SPDX-License-Identifier: Apache-2.0
// An image at full size over the window: click or Esc closes it.
import QtQuick
import QtQuick.Controls

Popup {
    id: root
    property url source
    objectName: "imageViewer"
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: parent ? parent.width : 800
    height: parent ? parent.height : 600
    modal: true
    focus: true // Esc reaches it
    padding: 0
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    background: Rectangle { color: "#e0000000" }

    Image {
        id: image
        objectName: "viewerImage"
        anchors.fill: parent
        anchors.margins: 24
        source: root.source
        fillMode: Image.PreserveAspectFit
        asynchronous: true
        TapHandler { onTapped: root.close() }
    }
    BusyIndicator {
        anchors.centerIn: parent
        running: image.status === Image.Loading
    }
}
