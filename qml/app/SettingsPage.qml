// SPDX-License-Identifier: Apache-2.0
// Settings: who is signed in where, theme, log out.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Rectangle {
    id: root
    required property Account account
    color: Theme.panel
    onVisibleChanged: if (visible) devices.refresh()

    ColumnLayout {
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.margins: 24
        width: Math.min(parent.width - 48, 480)
        spacing: 12

        Label { text: qsTr("Settings"); font.pixelSize: 20; font.bold: true; color: Theme.text }
        RowLayout {
            spacing: 12
            Avatar { name: root.account.displayName; size: 48 }
            ColumnLayout {
                spacing: 0
                Label { text: root.account.displayName; font.bold: true; color: Theme.text }
                Label {
                    text: "@" + root.account.username + " · " + root.account.server
                    color: Theme.mutedText
                }
            }
        }
        Label { text: qsTr("Profile"); font.bold: true; color: Theme.mutedText; Layout.topMargin: 8 }
        TextField {
            id: displayNameField
            objectName: "profileNameField"
            Layout.fillWidth: true
            text: root.account.displayName
            maximumLength: 64
            placeholderText: qsTr("Display name")
            Accessible.name: placeholderText
        }
        TextField {
            id: statusField
            objectName: "statusLineField"
            Layout.fillWidth: true
            text: root.account.statusLine
            placeholderText: qsTr("What's up? (shown to friends)")
            Accessible.name: qsTr("Status line")
        }
        RowLayout {
            Button {
                objectName: "saveProfileButton"
                text: qsTr("Save profile")
                enabled: displayNameField.text.trim().length > 0
                         && (displayNameField.text !== root.account.displayName
                             || statusField.text !== root.account.statusLine)
                Accessible.name: text
                onClicked: { profileError.text = ""; root.account.updateProfile(displayNameField.text, statusField.text) }
            }
            Label { id: profileError; color: Theme.danger; Layout.fillWidth: true; wrapMode: Text.Wrap }
        }
        Connections {
            target: root.account
            function onActionFailed(message) { profileError.text = message }
        }

        Label { text: qsTr("Appearance"); font.bold: true; color: Theme.mutedText; Layout.topMargin: 8 }
        Switch {
            objectName: "darkSwitch"
            text: qsTr("Dark theme")
            checked: Preferences.darkTheme
            onToggled: Preferences.darkTheme = checked
            Accessible.name: text
        }
        RowLayout {
            Label { text: qsTr("Language"); color: Theme.text }
            ComboBox {
                id: languageBox
                objectName: "languageBox"
                // "" = follow the system, then each shipped language (Preferences.languages) in its own name.
                readonly property var codes: ["", "en", "zh_CN"]
                model: codes.map((code) => Preferences.languageName(code))
                currentIndex: Math.max(0, codes.indexOf(Preferences.language))
                Accessible.name: qsTr("Language")
                onActivated: (index) => Preferences.language = codes[index]
            }
        }
        Label { text: qsTr("Devices"); font.bold: true; color: Theme.mutedText; Layout.topMargin: 8 }
        DeviceListModel {
            id: devices
            account: root.account
        }
        Label { visible: devices.error.length > 0; text: devices.error; color: Theme.danger }
        ListView {
            id: deviceList
            objectName: "deviceList"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 220)
            clip: true
            model: devices
            delegate: RowLayout {
                id: device
                required property var sessionId
                required property string deviceName
                required property string client
                required property var lastSeenMs
                required property string address
                required property bool current
                width: ListView.view.width
                height: 48
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 0
                    Label {
                        text: device.current ? qsTr("%1 (this device)").arg(device.deviceName) : device.deviceName
                        color: Theme.text
                    }
                    Label {
                        text: device.client + " · " + new Date(device.lastSeenMs).toLocaleString(Qt.locale(Preferences.language), Locale.ShortFormat)
                              + (device.address.length > 0 ? " · " + device.address : "")
                        color: Theme.mutedText
                        font.pixelSize: Theme.smallFontSize
                    }
                }
                Button {
                    objectName: "revokeButton"
                    visible: !device.current
                    text: qsTr("Log out device")
                    Accessible.name: qsTr("Log out %1").arg(device.deviceName)
                    onClicked: devices.revoke(device.sessionId)
                }
            }
        }

        Button {
            objectName: "logoutButton"
            text: qsTr("Log out")
            Accessible.name: text
            onClicked: AccountManager.logout()
        }
    }
}
