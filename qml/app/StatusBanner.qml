// SPDX-License-Identifier: Apache-2.0
// A strip under the title when the account is not online: "Connecting…", "Offline — retrying
// in 4 s" with a "Retry now" button.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Rectangle {
    id: banner
    required property Account account
    // statusText counts down: the tick makes the binding read it again every second.
    property int tick: 0
    readonly property string text: tick >= 0 && account ? account.statusText : ""

    visible: account && account.status !== Account.Online
    implicitHeight: visible ? 32 : 0
    color: Theme.warningBanner

    Timer {
        interval: 1000
        repeat: true
        running: banner.visible
        onTriggered: banner.tick++
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        Label {
            objectName: "statusText"
            text: banner.text
            color: Theme.text
            Layout.fillWidth: true
        }
        Button {
            visible: banner.account && banner.account.status === Account.WaitingToRetry
            text: qsTr("Retry now")
            flat: true
            Accessible.name: text
            onClicked: banner.account.retryNow()
        }
    }
}
