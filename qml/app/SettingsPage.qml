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
        Button {
            objectName: "logoutButton"
            text: qsTr("Log out")
            Accessible.name: text
            onClicked: AccountManager.logout()
        }
    }
}
