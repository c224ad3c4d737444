// SPDX-License-Identifier: Apache-2.0
// A strip under the title when the account is not online: "Connecting…", "Offline — retrying
// in 4 s" with a "Retry now" button; online, while catching up for more than a second, how
// many chats are still to fetch; and, until closed, that a damaged cache was set aside.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Rectangle {
    id: banner
    required property Account account
    // statusText counts down: the tick makes the binding read it again every second.
    property int tick: 0
    readonly property bool online: account !== null && account.status === Account.Online
    // A catch-up that lasts: short rounds (every reconnect has one) do not flash the strip.
    property bool longSync: false
    readonly property bool catchingUp: online && longSync && account.syncing
    // The cache could not be opened and was made anew (LocalCache::open): said once.
    property bool setAsideSeen: false
    readonly property bool cacheNotice: account !== null && account.cacheSetAside !== ""
                                        && !setAsideSeen
    onAccountChanged: setAsideSeen = false
    readonly property string text: tick >= 0 && account
                                   ? (cacheNotice && online && !catchingUp
                                      ? qsTr("This computer's copy of your chats was damaged: it was set aside and loaded again from the server.")
                                      : catchingUp ? (account.chatsToSync > 0
                                                    ? qsTr("Catching up: %n chat(s) to go", "", account.chatsToSync)
                                                    : qsTr("Catching up…"))
                                                 : account.statusText)
                                   : ""

    visible: account && (!online || catchingUp || cacheNotice)
    Timer {
        id: syncDelay
        interval: 1000
        running: banner.account !== null && banner.account.syncing
        onTriggered: banner.longSync = true
    }
    Connections {
        target: banner.account
        function onSyncingChanged() { if (!banner.account.syncing) banner.longSync = false }
    }
    implicitHeight: visible ? 32 : 0
    color: catchingUp ? Theme.selection : Theme.warningBanner

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
        BusyIndicator {
            visible: banner.catchingUp
            running: visible
            Layout.preferredHeight: 24
            Layout.preferredWidth: 24
        }
        Label {
            objectName: "statusText"
            text: banner.text
            color: Theme.text
            Layout.fillWidth: true
        }
        Button {
            objectName: "closeCacheNotice"
            visible: banner.cacheNotice && banner.online && !banner.catchingUp
            text: qsTr("Close")
            flat: true
            Accessible.name: text
            onClicked: banner.setAsideSeen = true
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
