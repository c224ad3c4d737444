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
    // The chat on screen (0: none), for notifications.
    readonly property var viewedConversation: page === 0 ? chats.currentConversation : 0
    // Unread messages but in muted chats, for the window title.
    readonly property int totalUnread: chats.totalUnread

    // Opens a chat from outside the Chats page (Contacts, a notification clicked).
    function openChat(conversationId) {
        chats.open(conversationId)
        page = 0
    }

    // Ctrl+1/2/3 switch pages, like the big desktop messengers.
    component NavButton: ToolButton {
        id: nav
        property int page
        // What waits on the page (0: nothing), in a badge in the corner.
        property int badge: 0
        Layout.alignment: Qt.AlignHCenter
        Layout.preferredWidth: 68
        Layout.preferredHeight: 36
        // Not checkable: a click must not break the binding to the current page.
        checked: root.page === page
        font.pixelSize: 11
        palette.buttonText: checked ? Theme.accent : Theme.sidebarText
        background: Rectangle {
            radius: Theme.radius
            color: nav.checked ? Qt.rgba(1, 1, 1, 0.12) : nav.hovered ? Qt.rgba(1, 1, 1, 0.06) : "transparent"
        }
        contentItem: Text {
            text: nav.text
            font: nav.font
            color: nav.checked ? Theme.accent : Theme.sidebarText
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
            elide: Text.ElideRight
        }
        Badge {
            objectName: nav.objectName + "Badge"
            count: nav.badge
            anchors.top: parent.top
            anchors.right: parent.right
            // Above the label, in the rail's margin and the gap to the button above.
            anchors.topMargin: -6
            anchors.rightMargin: -4
        }
        Accessible.name: badge > 0 ? text + ", " + qsTr("%n waiting", "", badge) : text
        onClicked: root.page = page
    }

    Shortcut { sequence: "Ctrl+1"; onActivated: root.page = 0 }
    Shortcut { sequence: "Ctrl+2"; onActivated: root.page = 1 }
    Shortcut { sequence: "Ctrl+3"; onActivated: root.page = 2 }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        Rectangle {
            Layout.fillHeight: true
            implicitWidth: 76
            color: Theme.sidebar

            ColumnLayout {
                anchors.fill: parent
                anchors.topMargin: 16
                spacing: 12

                Avatar {
                    objectName: "sidebarAvatar"
                    Layout.alignment: Qt.AlignHCenter
                    name: root.account.displayName
                    fileId: root.account.avatarFileId
                    size: 36
                }
                NavButton { objectName: "nav0"; text: qsTr("Chats"); page: 0 }
                NavButton {
                    objectName: "nav1"
                    text: qsTr("Contacts")
                    page: 1
                    badge: contacts.waitingCount
                }
                NavButton { objectName: "nav2"; text: qsTr("Settings"); page: 2 }
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
                    objectName: "chatsPage"
                    account: root.account
                }
                ContactsPage {
                    id: contacts
                    objectName: "contactsPage"
                    account: root.account
                    onChatOpened: (conversationId) => root.openChat(conversationId)
                }
                SettingsPage {
                    objectName: "settingsPage"
                    account: root.account
                }
            }
        }
    }
}
