// SPDX-License-Identifier: Apache-2.0
// Log in or sign up: server address, username, password (and a display name to sign up).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Rectangle {
    id: page
    property string defaultServer
    property bool signingUp: false
    property string error
    // What was typed for the last attempt, kept by the window: while an attempt runs the main
    // view shows, and a refused one brings back a new page that must look as it was left.
    property var draft: ({})

    color: Theme.window

    // Only after a failure of what this form submitted: opening a saved account fails too
    // (its cache), and must not bring back what was typed for another.
    function restoreDraft() {
        if (!draft.pending)
            return
        draft.pending = false
        serverField.text = draft.server
        usernameField.text = draft.username
        displayNameField.text = draft.displayName
        rememberBox.checked = draft.remember
        signingUp = draft.signingUp
    }

    Connections {
        target: AccountManager
        function onLoginFailed(message) {
            page.restoreDraft()
            page.error = message
        }
        function onSessionEnded(reason) { page.error = reason }
    }

    function submit() {
        error = ""
        draft.server = serverField.text
        draft.username = usernameField.text
        draft.displayName = displayNameField.text
        draft.signingUp = signingUp
        draft.remember = rememberBox.checked
        draft.pending = true
        if (signingUp)
            AccountManager.registerAccount(serverField.text, usernameField.text, passwordField.text,
                                           displayNameField.text, rememberBox.checked)
        else
            AccountManager.login(serverField.text, usernameField.text, passwordField.text,
                                 rememberBox.checked)
    }

    Pane {
        anchors.centerIn: parent
        width: 360
        padding: 24
        background: Rectangle { color: Theme.panel; radius: Theme.radius * 2 }

        ColumnLayout {
            anchors.fill: parent
            spacing: Theme.spacing

            Label {
                text: page.signingUp ? qsTr("Create your Tern account") : qsTr("Log in to Tern")
                font.pixelSize: 20
                font.bold: true
                color: Theme.text
                Layout.bottomMargin: Theme.spacing
            }
            Label { text: qsTr("Server"); color: Theme.mutedText }
            TextField {
                id: serverField
                objectName: "serverField"
                Layout.fillWidth: true
                text: AccountManager.lastServer.length > 0 ? AccountManager.lastServer : page.defaultServer
                placeholderText: qsTr("chat.example.org:8765")
                Accessible.name: qsTr("Server address")
                onAccepted: usernameField.forceActiveFocus()
            }
            Label { text: qsTr("Username"); color: Theme.mutedText }
            TextField {
                id: usernameField
                objectName: "usernameField"
                Layout.fillWidth: true
                focus: true
                Accessible.name: qsTr("Username")
                onAccepted: passwordField.forceActiveFocus()
            }
            Label { text: qsTr("Display name"); color: Theme.mutedText; visible: page.signingUp }
            TextField {
                id: displayNameField
                objectName: "displayNameField"
                Layout.fillWidth: true
                visible: page.signingUp
                placeholderText: qsTr("How others see you (optional)")
                Accessible.name: qsTr("Display name")
            }
            Label { text: qsTr("Password"); color: Theme.mutedText }
            TextField {
                id: passwordField
                objectName: "passwordField"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                Accessible.name: qsTr("Password")
                onAccepted: page.submit()
            }
            CheckBox {
                id: rememberBox
                objectName: "rememberBox"
                visible: AccountManager.keychainState === AccountManager.Unavailable
                text: qsTr("Remember me on this computer")
                Accessible.name: text
            }
            Label {
                visible: rememberBox.visible
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.mutedText
                font.pixelSize: Theme.smallFontSize
                text: rememberBox.checked
                      ? qsTr("No system keychain is available: your session key will be kept in a file only you can read.")
                      : qsTr("No system keychain is available: you will have to log in again next time.")
            }
            Label {
                objectName: "errorLabel"
                visible: page.error.length > 0
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.danger
                text: page.error
            }
            Button {
                objectName: "submitButton"
                Layout.fillWidth: true
                Layout.topMargin: Theme.spacing
                enabled: !AccountManager.busy
                text: AccountManager.busy ? qsTr("Connecting…")
                                          : page.signingUp ? qsTr("Sign up") : qsTr("Log in")
                highlighted: true
                Accessible.name: text
                onClicked: page.submit()
            }
            Button {
                objectName: "switchModeButton"
                Layout.fillWidth: true
                flat: true
                text: page.signingUp ? qsTr("I already have an account") : qsTr("Create an account")
                Accessible.name: text
                onClicked: { page.signingUp = !page.signingUp; page.error = "" }
            }

            // Accounts used on this computer: open one (its session resumes when it has one).
            Label {
                visible: AccountManager.savedAccounts.length > 0
                text: qsTr("Accounts on this computer")
                color: Theme.mutedText
                Layout.topMargin: Theme.spacing
            }
            // In a Column, not right in the layout: see SettingsPage's account list.
            Column {
                Layout.fillWidth: true
                visible: AccountManager.savedAccounts.length > 0
                Repeater {
                    objectName: "savedAccountList"
                    model: AccountManager.savedAccounts
                    delegate: Button {
                        id: savedAccount
                        required property var modelData
                        objectName: "savedAccountButton"
                        width: parent ? parent.width : 0
                        flat: true
                        text: modelData.username + " · " + modelData.server
                        Accessible.name: qsTr("Open %1").arg(text)
                        onClicked: {
                            page.error = ""
                            page.draft.pending = false
                            usernameField.text = modelData.username
                            AccountManager.switchTo(modelData.server, modelData.username)
                        }
                    }
                }
            }
        }
    }
}
