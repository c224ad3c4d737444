// SPDX-License-Identifier: Apache-2.0
// The call, in a window of its own, so that it shows even while the main window is hidden in
// the tray: an incoming call (accept with or without video, decline), an outgoing call while
// it rings, and the call itself (the other side's video, the own camera picture-in-picture,
// duration, quality, mute, camera, full screen, hang up). It closes itself a moment after the
// call ended.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Window
import Tern.Client

Window {
    id: root
    // The calls of the account in use (tests give their own).
    property Calls calls: AccountManager.current && AccountManager.current.status !== Account.LoggedOut
                          ? AccountManager.current.calls : null
    readonly property int state: calls ? calls.state : Calls.Idle
    readonly property bool ringing: state === Calls.Ringing
    readonly property bool inCall: state === Calls.Connecting || state === Calls.Connected
    readonly property bool showsVideo: calls !== null && calls.video && inCall
    // The video surfaces are on screen from the start of a video call, so that they are ready
    // (drawn once) before the first picture arrives.
    readonly property bool videoCall: calls !== null && calls.video && state !== Calls.Idle
    property double now: Date.now()

    width: showsVideo ? 800 : 380
    height: showsVideo ? 540 : 420
    minimumWidth: 320
    minimumHeight: 360
    visible: state !== Calls.Idle
    flags: ringing ? (Qt.Window | Qt.WindowStaysOnTopHint) : Qt.Window
    title: ringing ? qsTr("Incoming call") : qsTr("Call with %1").arg(peerName)
    color: "#1b1d21"

    readonly property string peerName: calls && calls.peerName.length > 0 ? calls.peerName : qsTr("Someone")

    function durationText(ms) {
        const s = Math.max(0, Math.floor(ms / 1000))
        const m = Math.floor(s / 60)
        const h = Math.floor(m / 60)
        const two = (n) => (n < 10 ? "0" : "") + n
        return h > 0 ? h + ":" + two(m % 60) + ":" + two(s % 60) : m + ":" + two(s % 60)
    }
    function statusText() {
        switch (state) {
        case Calls.Calling: return qsTr("Calling…")
        case Calls.Ringing: return calls.video ? qsTr("Incoming video call") : qsTr("Incoming voice call")
        case Calls.Connecting: return qsTr("Connecting…")
        case Calls.Connected: return durationText(now - calls.connectedAtMs)
        case Calls.Ended: return calls.endedText
        }
        return ""
    }
    function qualityText(q) {
        return q === 3 ? qsTr("Good connection") : q === 2 ? qsTr("Fair connection")
             : q === 1 ? qsTr("Poor connection") : ""
    }
    function attachVideo() {
        if (calls && remoteVideo.ready && (localVideo.ready || !localVideo.visible))
            calls.setVideoItems(remoteVideo.surface, localVideo.ready ? localVideo.surface : null)
    }

    onRingingChanged: if (ringing) { raise(); requestActivate() }
    onStateChanged: {
        if (state === Calls.Idle && visibility === Window.FullScreen)
            showNormal()
        attachVideo()
    }

    Timer {
        interval: 1000
        repeat: true
        running: root.state === Calls.Connected
        onTriggered: root.now = Date.now()
    }
    // The ended call stays on screen for a moment, then the window goes.
    Timer {
        interval: 2500
        running: root.state === Calls.Ended
        onTriggered: root.calls.dismiss()
    }

    // The other side's video, filling the window; the own camera in a corner.
    VideoSurface {
        id: remoteVideo
        objectName: "remoteVideo"
        anchors.fill: parent
        visible: root.videoCall
        available: root.calls !== null && root.calls.videoAvailable
        onReadyChanged: root.attachVideo()
    }
    Rectangle {
        anchors.right: parent.right
        anchors.bottom: controls.top
        anchors.margins: 12
        width: 176
        height: 99
        // From the ring on (so that it is ready when the camera starts), then while sending.
        visible: root.videoCall && root.state !== Calls.Ended
                 && (root.calls.sendingVideo || !root.inCall)
        color: "black"
        border.color: "#80ffffff"
        border.width: 1
        VideoSurface {
            id: localVideo
            objectName: "localVideo"
            anchors.fill: parent
            anchors.margins: 1
            available: root.calls !== null && root.calls.videoAvailable
            onReadyChanged: root.attachVideo()
        }
    }

    // Who and what, over the video or in the middle of the window.
    ColumnLayout {
        anchors.horizontalCenter: parent.horizontalCenter
        y: root.showsVideo ? 16 : parent.height * 0.14
        spacing: 10
        Avatar {
            Layout.alignment: Qt.AlignHCenter
            visible: !root.showsVideo
            size: 96
            name: root.peerName
        }
        Label {
            objectName: "callPeerName"
            Layout.alignment: Qt.AlignHCenter
            text: root.peerName
            color: "white"
            font.pixelSize: 22
            font.bold: true
            style: Text.Outline
            styleColor: "#60000000"
        }
        Label {
            objectName: "callStatus"
            Layout.alignment: Qt.AlignHCenter
            text: root.statusText()
            color: "#e0e0e0"
            style: Text.Outline
            styleColor: "#60000000"
        }
        Row {
            Layout.alignment: Qt.AlignHCenter
            visible: root.state === Calls.Connected && root.calls.quality > 0
            spacing: 3
            Accessible.name: root.qualityText(root.calls ? root.calls.quality : 0)
            Repeater {
                model: 3
                Rectangle {
                    required property int index
                    anchors.bottom: parent.bottom
                    width: 5
                    height: 6 + index * 5
                    radius: 1
                    color: root.calls && index < root.calls.quality
                           ? (root.calls.quality === 1 ? "#e5484d" : root.calls.quality === 2 ? "#f0b429" : "#35c46a")
                           : "#60ffffff"
                }
            }
            Label {
                objectName: "callQuality"
                text: " " + root.qualityText(root.calls ? root.calls.quality : 0)
                color: "#e0e0e0"
                font.pixelSize: 12
            }
        }
        // Missing microphone or camera: the call goes on, receiving only. (In a Column, not
        // right in the layout: see SettingsPage's account list.)
        Column {
            Layout.alignment: Qt.AlignHCenter
            visible: noticeRepeater.count > 0
            Repeater {
                id: noticeRepeater
                model: root.calls && root.inCall ? root.calls.notices : []
                Label {
                    required property string modelData
                    anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
                    width: Math.min(implicitWidth, root.width - 40)
                    horizontalAlignment: Text.AlignHCenter
                    text: modelData
                    wrapMode: Text.Wrap
                    color: "#f0b429"
                    font.pixelSize: 12
                }
            }
        }
    }

    // Accept / decline while it rings here; the in-call controls otherwise.
    RowLayout {
        id: controls
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 24
        spacing: 14

        RoundButton {
            objectName: "declineButton"
            visible: root.ringing
            text: qsTr("Decline")
            palette.button: "#d64545"
            palette.buttonText: "white"
            onClicked: root.calls.decline()
        }
        RoundButton {
            objectName: "acceptAudioButton"
            visible: root.ringing
            text: root.calls && root.calls.video ? qsTr("Answer without video") : qsTr("Answer")
            palette.button: "#2f9e5b"
            palette.buttonText: "white"
            onClicked: root.calls.accept(false)
        }
        RoundButton {
            objectName: "acceptVideoButton"
            visible: root.ringing && root.calls.video
            text: qsTr("Answer with video")
            palette.button: "#2f9e5b"
            palette.buttonText: "white"
            onClicked: root.calls.accept(true)
        }

        RoundButton {
            objectName: "muteButton"
            visible: root.inCall
            checkable: true
            checked: root.calls !== null && root.calls.microphoneMuted
            text: checked ? qsTr("Microphone on") : qsTr("Microphone off")
            Accessible.name: checked ? qsTr("Turn the microphone back on") : qsTr("Turn the microphone off")
            onToggled: root.calls.microphoneMuted = checked
        }
        RoundButton {
            objectName: "cameraButton"
            visible: root.inCall && root.calls.video
            checkable: true
            checked: root.calls !== null && !root.calls.cameraEnabled
            text: checked ? qsTr("Camera on") : qsTr("Camera off")
            onToggled: root.calls.cameraEnabled = !checked
        }
        RoundButton {
            objectName: "fullScreenButton"
            visible: root.showsVideo
            text: root.visibility === Window.FullScreen ? qsTr("Exit full screen") : qsTr("Full screen")
            onClicked: root.visibility === Window.FullScreen ? root.showNormal() : root.showFullScreen()
        }
        RoundButton {
            objectName: "hangUpButton"
            visible: root.state === Calls.Calling || root.inCall
            text: root.state === Calls.Calling ? qsTr("Cancel") : qsTr("Hang up")
            palette.button: "#d64545"
            palette.buttonText: "white"
            onClicked: root.calls.hangUp()
        }
        RoundButton {
            objectName: "closeCallButton"
            visible: root.state === Calls.Ended
            text: qsTr("Close")
            onClicked: root.calls.dismiss()
        }
    }

    Shortcut {
        sequence: "Esc"
        enabled: root.visibility === Window.FullScreen
        onActivated: root.showNormal()
    }
    onClosing: (close) => {
        // Closing the window ends the call, like hanging up (or declining).
        if (root.calls && root.state !== Calls.Idle && root.state !== Calls.Ended)
            root.calls.hangUp()
        else if (root.calls)
            root.calls.dismiss()
    }
}
