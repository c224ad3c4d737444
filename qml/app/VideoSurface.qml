// SPDX-License-Identifier: Apache-2.0
// One video picture that GStreamer draws on the GPU (qml6glsink's GstGLQt6VideoItem). The type
// exists only once GStreamer's plugin is loaded (Calls.videoAvailable), so it is made at run
// time; without it the surface stays empty and the call goes on with sound.
import QtQuick

Item {
    id: root
    property bool available: false
    // The GstGLQt6VideoItem, once made.
    property var surface: null
    // GStreamer may draw into it (it has been on screen once).
    readonly property bool ready: surface !== null && surface.itemInitialized === true

    Component.onCompleted: {
        if (available)
            surface = Qt.createQmlObject(
                        "import org.freedesktop.gstreamer.Qt6GLVideoItem\n"
                        + "GstGLQt6VideoItem { anchors.fill: parent }", root, "VideoSurface")
    }
}
