// SPDX-License-Identifier: Apache-2.0
// The window: the login page until an account is online (or cached), then the main view.
import QtQuick
import QtQuick.Controls
import Tern.Client

ApplicationWindow {
    id: window
    property string defaultServer

    // The size of a first start; main() then puts the window where it was left (WindowState)
    // and shows it, so that it does not appear here first and jump.
    width: 1080
    height: 720
    minimumWidth: 720
    minimumHeight: 480
    visible: false
    // "(3) Alice — Tern" with unread messages: the taskbar shows it, also on desktops without a
    // tray (where the tray icon's count is not seen).
    title: (unreadTotal > 0 ? "(" + unreadTotal + ") " : "")
           + (AccountManager.current && AccountManager.current.status !== Account.LoggedOut
              ? qsTr("%1 — Tern").arg(AccountManager.current.displayName) : qsTr("Tern"))
    color: Theme.window
    // The controls' colours follow the theme.
    palette.window: Theme.window
    palette.windowText: Theme.text
    palette.base: Theme.panel
    palette.alternateBase: Theme.window
    palette.text: Theme.text
    palette.button: Theme.dark ? "#2c3036" : "#e9ebee"
    palette.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.accentText
    palette.placeholderText: Theme.mutedText
    palette.mid: Theme.divider

    readonly property bool signedIn: AccountManager.current !== null
                                     && AccountManager.current.status !== Account.LoggedOut

    // The chat on screen, read by the tray's notifications (not notified while active).
    property var viewedConversation: 0
    onSignedInChanged: if (!signedIn) viewedConversation = 0

    // The signed-in view (null on the login page).
    readonly property MainView signedInView: pageLoader.item as MainView
    // Unread messages but in muted chats: the chat list's count, as on the tray icon.
    readonly property int unreadTotal: signedInView ? signedInView.totalUnread : 0

    // A desktop notification was clicked (the tray has brought this window forward): a
    // message's opens its chat, a friend request's or group invitation's Contacts, a call's
    // puts the call window in front.
    Connections {
        target: NotificationClicks
        function onOpenConversation(conversationId) {
            if (window.signedInView)
                window.signedInView.openChat(conversationId)
        }
        function onOpenContacts() {
            if (window.signedInView)
                window.signedInView.page = 1
        }
        function onShowCall() {
            if (window.callWindow && window.callWindow.visible) {
                window.callWindow.raise()
                window.callWindow.requestActivate()
            }
        }
    }

    // The login form's fields, kept across the pages a failed attempt replaces; an attempt
    // that got in has nothing left to restore.
    property var loginDraft: ({})
    Connections {
        target: AccountManager
        function onBusyChanged() {
            if (!AccountManager.busy && AccountManager.current
                    && AccountManager.current.status === Account.Online)
                window.loginDraft.pending = false
        }
    }

    Loader {
        id: pageLoader
        anchors.fill: parent
        sourceComponent: window.signedIn ? mainView : loginPage
    }

    // Calls of the account in use, in a window of their own. Made without a parent: a window
    // declared inside this one would be its transient child, which is not shown while this
    // one is hidden (in the tray) - exactly when an incoming call must still show.
    property CallWindow callWindow: null
    Component {
        id: callWindowComponent
        CallWindow {}
    }
    Component.onCompleted: {
        callWindow = callWindowComponent.createObject(null, { objectName: "callWindow" })
    }
    Component.onDestruction: if (callWindow) callWindow.destroy()

    Component {
        id: loginPage
        LoginPage {
            defaultServer: window.defaultServer
            draft: window.loginDraft
        }
    }
    Component {
        id: mainView
        MainView {
            objectName: "mainView"
            account: AccountManager.current
            onViewedConversationChanged: window.viewedConversation = viewedConversation
        }
    }
}
