// SPDX-License-Identifier: Apache-2.0
// The signed-in window: a navigation rail (Chats, Contacts, Settings) and the current page.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Item {
    id: root
    required property Account account
    property int page: 0

    // Ctrl+1/2/3 switch pages, like the big desktop messengers.
    Shortcut { sequence: "Ctrl+1"; onActivated: root.page = 0 }
    Shortcut { sequence: "Ctrl+2"; onActivated: root.page = 1 }
    Shortcut { sequence: "Ctrl+3"; onActivated: root.page = 2 }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        Rectangle {
            Layout.fillHeight: true
            implicitWidth: 64
            color: Theme.sidebar

            ColumnLayout {
                anchors.fill: parent
                anchors.topMargin: 16
                spacing: 12

                Avatar {
                    Layout.alignment: Qt.AlignHCenter
                    name: root.account.displayName
                    size: 36
                }
                Repeater {
                    model: [qsTr("Chats"), qsTr("Contacts"), qsTr("Settings")]
                    delegate: ToolButton {
                        required property string modelData
                        required property int index
                        objectName: "nav" + index
                        Layout.alignment: Qt.AlignHCenter
                        Layout.preferredWidth: 56
                        checkable: true
                        checked: root.page === index
                        text: modelData
                        font.pixelSize: 11
                        palette.buttonText: checked ? Theme.accent : Theme.sidebarText
                        Accessible.name: modelData
                        onClicked: root.page = index
                    }
                }
                Item { Layout.fillHeight: true }
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            StatusBanner {
                Layout.fillWidth: true
                account: root.account
            }
            StackLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                currentIndex: root.page

                ChatsPage {
                    id: chats
                    account: root.account
                }
                ContactsPage {
                    account: root.account
                    onChatOpened: (conversationId) => {
                        chats.open(conversationId)
                        root.page = 0
                    }
                }
                SettingsPage {
                    account: root.account
                }
            }
        }
    }
}
