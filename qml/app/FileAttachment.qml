// SPDX-License-Identifier: Apache-2.0
// A message's file inside its bubble: an image's preview (click to view), a voice note's play
// button and length, or a card with the name and size; while it moves, a progress bar with
// speed and time left and pause / resume / cancel; once here, Open and Show in folder.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtMultimedia

ColumnLayout {
    id: root
    // MessageModel's "file" map (see client/models/messagefile.h).
    required property var file
    required property bool isImage
    property bool isVoice: false
    property real maxWidth: 320

    signal downloadRequested()
    signal pauseRequested(string transferId)
    signal resumeRequested(string transferId)
    signal cancelRequested(string transferId)
    signal viewRequested(url source)
    // A voice note not on this device yet: fetch it to play it.
    signal fetchRequested()

    readonly property string transferState: file ? file.transferState : ""
    readonly property bool moving: transferState === "queued" || transferState === "running"
                                   || transferState === "paused" || transferState === "failed"
    readonly property bool here: file && file.localUrl.length > 0 && transferState !== "queued"
                                 && transferState !== "running" && transferState !== "paused"
    spacing: 4
    readonly property alias player: player

    // "0:07" for 7000 ms.
    function clock(ms) {
        const s = Math.round(ms / 1000)
        return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0")
    }

    Image {
        id: preview
        objectName: "thumbnail"
        visible: root.isImage
        Layout.preferredWidth: {
            const w = root.file.width > 0 ? root.file.width : 240
            const h = root.file.height > 0 ? root.file.height : 180
            return Math.min(root.maxWidth, w, 240 * w / Math.max(h, 1))
        }
        Layout.preferredHeight: {
            const w = root.file.width > 0 ? root.file.width : 240
            const h = root.file.height > 0 ? root.file.height : 180
            return Layout.preferredWidth * h / Math.max(w, 1)
        }
        fillMode: Image.PreserveAspectCrop
        asynchronous: true
        // The local copy once this device has it; the preview that came with the message.
        source: root.here && root.isImage ? root.file.localUrl : root.file.thumbnail
        // A local original is decoded at the size shown (sharp, not the whole photo in memory);
        // previews are small already.
        sourceSize.width: root.here ? 480 : 0
        Accessible.role: Accessible.Graphic
        Accessible.name: root.file.name
        TapHandler {
            onTapped: root.viewRequested(preview.source)
        }
        Rectangle {
            anchors.fill: parent
            visible: preview.status !== Image.Ready
            color: Theme.divider
            Label {
                anchors.centerIn: parent
                text: "🖼"
                font.pixelSize: 32
            }
        }
    }

    // Voice note: play / pause, position and length.
    RowLayout {
        visible: root.isVoice
        spacing: 8
        property bool playWhenHere: false
        id: voiceRow
        ToolButton {
            objectName: "playButton"
            text: player.playbackState === MediaPlayer.PlayingState ? "⏸" : "▶"
            font.pixelSize: 18
            Accessible.name: player.playbackState === MediaPlayer.PlayingState ? qsTr("Pause") : qsTr("Play voice message")
            onClicked: {
                if (player.playbackState === MediaPlayer.PlayingState) {
                    player.pause()
                } else if (root.here) {
                    player.play()
                } else {
                    voiceRow.playWhenHere = true
                    root.fetchRequested()
                }
            }
        }
        ProgressBar {
            Layout.preferredWidth: 120
            from: 0
            to: Math.max(1, root.file.durationMs)
            value: player.position // qmllint disable
        }
        Label {
            objectName: "voiceDuration"
            text: root.clock(player.playbackState === MediaPlayer.StoppedState ? root.file.durationMs : player.position) // qmllint disable
            color: Theme.mutedText
            font.pixelSize: Theme.smallFontSize
        }
        MediaPlayer {
            id: player
            objectName: "voicePlayer"
            source: root.isVoice && root.here ? root.file.localUrl : ""
            audioOutput: AudioOutput {}
            onSourceChanged: if (voiceRow.playWhenHere && String(source).length > 0) {
                voiceRow.playWhenHere = false
                play()
            }
        }
    }

    RowLayout {
        visible: !root.isImage && !root.isVoice
        spacing: 8
        Label {
            text: "📄"
            font.pixelSize: 28
        }
        ColumnLayout {
            spacing: 0
            Label {
                objectName: "fileName"
                Layout.maximumWidth: root.maxWidth - 48
                text: root.file.name
                elide: Text.ElideMiddle
                color: Theme.text
                font.bold: true
            }
            Label {
                text: root.file.sizeText
                color: Theme.mutedText
                font.pixelSize: Theme.smallFontSize
            }
        }
    }

    ColumnLayout {
        visible: root.moving
        Layout.fillWidth: true
        spacing: 2
        ProgressBar {
            objectName: "transferProgress"
            Layout.fillWidth: true
            Layout.minimumWidth: 180
            from: 0
            to: 1
            value: root.file.progress
            indeterminate: root.transferState === "queued"
        }
        RowLayout {
            Label {
                objectName: "transferText"
                Layout.fillWidth: true
                text: root.transferState === "failed" ? root.file.transferError
                      : root.transferState === "paused" ? qsTr("Paused · %1").arg(root.file.progressText)
                      : root.transferState === "queued" ? qsTr("Waiting…")
                      : root.file.progressText
                color: root.transferState === "failed" ? Theme.danger : Theme.mutedText
                font.pixelSize: Theme.smallFontSize
                wrapMode: Text.Wrap
            }
            ToolButton {
                objectName: "pauseButton"
                visible: root.transferState === "running" || root.transferState === "queued"
                text: "⏸"
                Accessible.name: qsTr("Pause")
                onClicked: root.pauseRequested(root.file.transferId)
            }
            ToolButton {
                objectName: "resumeButton"
                visible: root.transferState === "paused" || root.transferState === "failed"
                text: "▶"
                Accessible.name: root.transferState === "failed" ? qsTr("Try again") : qsTr("Resume")
                onClicked: root.resumeRequested(root.file.transferId)
            }
            ToolButton {
                objectName: "cancelTransferButton"
                text: "✕"
                Accessible.name: qsTr("Cancel")
                onClicked: root.cancelRequested(root.file.transferId)
            }
        }
    }

    RowLayout {
        visible: !root.moving
        spacing: 4
        Button {
            objectName: "downloadButton"
            visible: !root.here && root.file.fileId.length > 0 && !root.isVoice
            flat: true
            text: root.isImage ? qsTr("Download original") : qsTr("Download")
            Accessible.name: qsTr("Download %1").arg(root.file.name)
            onClicked: root.downloadRequested()
        }
        Button {
            objectName: "openButton"
            visible: root.here && !root.isVoice
            flat: true
            text: qsTr("Open")
            Accessible.name: qsTr("Open %1").arg(root.file.name)
            onClicked: Qt.openUrlExternally(root.file.localUrl)
        }
        Button {
            visible: root.here && !root.isVoice
            flat: true
            text: qsTr("Show in folder")
            onClicked: {
                const url = root.file.localUrl
                Qt.openUrlExternally(url.substring(0, url.lastIndexOf("/")))
            }
        }
    }
}
