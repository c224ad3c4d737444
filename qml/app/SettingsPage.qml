// SPDX-License-Identifier: Apache-2.0
// Settings: profile, privacy and blocked people, notifications, downloads, appearance and
// language, password, signed-in devices, log out.
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Tern.Client

Rectangle {
    id: root
    required property Account account
    readonly property alias logoutDialog: logoutConfirm
    color: Theme.panel
    onVisibleChanged: if (visible) devices.refresh()

    // Scrolls so that `item` (anywhere on the page) is in view.
    function reveal(item) {
        const y = item.mapToItem(settingsColumn, 0, 0).y + settingsColumn.y
        if (y < flick.contentY || y + item.height > flick.contentY + flick.height)
            flick.contentY = Math.max(0, Math.min(y - 24, flick.contentHeight - flick.height))
    }

    Flickable {
        id: flick
        anchors.fill: parent
        contentWidth: width
        contentHeight: settingsColumn.implicitHeight + 48 // with the margins
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar {}
        ColumnLayout {
            id: settingsColumn
            x: 24
            y: 24
            width: Math.min(flick.width - 48, 480)
            spacing: 12

            Label { text: qsTr("Settings"); font.pixelSize: 20; font.bold: true; color: Theme.text }
            RowLayout {
                spacing: 12
                Avatar {
                    objectName: "ownAvatar"
                    name: root.account.displayName
                    fileId: root.account.avatarFileId
                    size: 72
                }
                ColumnLayout {
                    spacing: 0
                    Label { text: root.account.displayName; font.bold: true; color: Theme.text }
                    Label {
                        text: "@" + root.account.username + " · " + root.account.server
                        color: Theme.mutedText
                    }
                    RowLayout {
                        Button {
                            objectName: "changeAvatarButton"
                            text: qsTr("Change photo…")
                            Accessible.name: qsTr("Change your photo")
                            onClicked: picturePicker.open()
                        }
                        Button {
                            visible: root.account.avatarFileId.length > 0
                            text: qsTr("Remove photo")
                            onClicked: root.account.removeAvatar()
                        }
                    }
                }
            }
            FileDialog {
                id: picturePicker
                title: qsTr("Your photo")
                nameFilters: [qsTr("Pictures (*.png *.jpg *.jpeg *.webp *.bmp *.gif)")]
                onAccepted: root.account.setAvatar(selectedFile)
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
                maximumLength: 140 // the server's limit (limits.h), not announced in Welcome
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
                function onActionFailed(message) {
                    profileError.text = message
                    // A refused privacy choice: the boxes show the account's settings again,
                    // not what was asked (choosing broke their bindings).
                    searchableBox.currentIndex = Qt.binding(() => Math.max(0, root.account.searchableBy - 1))
                    presenceBox.currentIndex = Qt.binding(() => Math.max(0, root.account.presenceVisibleTo - 1))
                    groupAddersBox.currentIndex = Qt.binding(() => Math.max(0, root.account.groupAdders - 1))
                }
            }

            // How this device shows me to those who may see my presence (Privacy below); kept
            // for the account on this computer. Choices (Account.presenceChoice): 0 online,
            // away by itself after ten minutes without input; 1 away; 2 invisible.
            Label { text: qsTr("Status"); font.bold: true; color: Theme.mutedText; Layout.topMargin: 8 }
            RowLayout {
                spacing: 12
                ComboBox {
                    id: presenceChoiceBox
                    objectName: "presenceChoiceBox"
                    model: [qsTr("Online"), qsTr("Away"), qsTr("Invisible")]
                    currentIndex: root.account.presenceChoice
                    Accessible.name: qsTr("Status")
                    onActivated: (index) => root.account.presenceChoice = index
                }
                Label {
                    objectName: "presenceChoiceHint"
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: Theme.mutedText
                    font.pixelSize: Theme.smallFontSize
                    text: [qsTr("Shown as away after 10 minutes without using Tern"),
                           qsTr("Shown as away until you choose Online"),
                           qsTr("Appear offline to everyone")][presenceChoiceBox.currentIndex] ?? ""
                }
            }

            Label { text: qsTr("Accounts"); font.bold: true; color: Theme.mutedText; Layout.topMargin: 8 }
        // Qt 6.4: a Repeater right in a Quick Layout whose model changes (an account added
        // while the page is hidden) can leave the layout with a freed delegate; in a Column
        // it cannot.
        Column {
            Layout.fillWidth: true
            spacing: 12
            Repeater {
                objectName: "accountList"
                model: AccountManager.savedAccounts
                delegate: RowLayout {
                    id: saved
                    required property var modelData
                    readonly property bool current: root.account !== null
                                                    && modelData.server === root.account.server.toString()
                                                    && modelData.username.toLowerCase() === root.account.username.toLowerCase()
                    width: parent ? parent.width : 0
                    Label {
                        Layout.fillWidth: true
                        text: saved.modelData.username + " · " + saved.modelData.server
                              + (saved.current ? " " + qsTr("(this window)") : "")
                        color: Theme.text
                        elide: Text.ElideMiddle
                    }
                    Button {
                        objectName: "switchAccountButton"
                        visible: !saved.current
                        text: qsTr("Switch")
                        Accessible.name: qsTr("Switch to %1").arg(saved.modelData.username)
                        onClicked: AccountManager.switchTo(saved.modelData.server, saved.modelData.username)
                    }
                }
            }
        }
        Button {
            objectName: "addAccountButton"
            text: qsTr("Add another account")
            Accessible.name: text
            onClicked: AccountManager.addAnother()
        }

        Label { text: qsTr("Privacy"); font.bold: true; color: Theme.mutedText; Layout.topMargin: 8 }
            GridLayout {
                columns: 2
                columnSpacing: 12
                // Audience numbers: 1 everyone, 2 friends, 3 nobody (0 = unchanged / not known).
                Label { text: qsTr("Who can find me by name"); color: Theme.text; Layout.fillWidth: true }
                ComboBox {
                    id: searchableBox
                    objectName: "searchableBox"
                    model: [qsTr("Everyone"), qsTr("Friends"), qsTr("Nobody")]
                    currentIndex: Math.max(0, root.account.searchableBy - 1)
                    Accessible.name: qsTr("Who can find me by name")
                    onActivated: (index) => root.account.setPrivacy(index + 1, 0, 0)
                }
                Label { text: qsTr("Who sees when I am online"); color: Theme.text; Layout.fillWidth: true }
                ComboBox {
                    id: presenceBox
                    objectName: "presenceBox"
                    model: [qsTr("Everyone"), qsTr("Friends"), qsTr("Nobody")]
                    currentIndex: Math.max(0, root.account.presenceVisibleTo - 1)
                    Accessible.name: qsTr("Who sees when I am online")
                    onActivated: (index) => root.account.setPrivacy(0, index + 1, 0)
                }
                Label { text: qsTr("Who can add me to groups"); color: Theme.text; Layout.fillWidth: true }
                ComboBox {
                    id: groupAddersBox
                    objectName: "groupAddersBox"
                    model: [qsTr("Everyone"), qsTr("Friends"), qsTr("Nobody (I accept invitations)")]
                    currentIndex: Math.max(0, root.account.groupAdders - 1)
                    Accessible.name: qsTr("Who can add me to groups")
                    onActivated: (index) => root.account.setPrivacy(0, 0, index + 1)
                }
                Label {
                    text: qsTr("Share read receipts (off: others do not see when I read, and I stop seeing when they read)")
                    color: Theme.text
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                Switch {
                    id: readReceiptsSwitch
                    objectName: "readReceiptsSwitch"
                    // Follows the account's setting, a refusal included (the account tells
                    // it again then).
                    checked: root.account.readReceipts
                    Accessible.name: qsTr("Read receipts")
                    onToggled: root.account.setReadReceipts(checked)
                }
            }
            Label { text: qsTr("Blocked people"); color: Theme.text }
            ContactListModel {
                id: blockedPeople
                account: root.account
                blockedOnly: true
                onActionFailed: (message) => profileError.text = message
            }
            Label {
                visible: blockedList.count === 0
                text: qsTr("You have not blocked anyone.")
                color: Theme.mutedText
            }
            ListView {
                id: blockedList
                objectName: "blockedList"
                Layout.fillWidth: true
                Layout.preferredHeight: Math.min(contentHeight, 200)
                clip: true
                model: blockedPeople
                delegate: RowLayout {
                    id: blockedPerson
                    required property var userId
                    required property string name
                    width: ListView.view.width
                    height: 40
                    Label { text: blockedPerson.name; color: Theme.text; Layout.fillWidth: true }
                    Button {
                        objectName: "unblockButton"
                        text: qsTr("Unblock")
                        Accessible.name: qsTr("Unblock %1").arg(blockedPerson.name)
                        onClicked: blockedPeople.unblock(blockedPerson.userId)
                    }
                }
            }

            Label { text: qsTr("Notifications"); font.bold: true; color: Theme.mutedText; Layout.topMargin: 8 }
            Switch {
                objectName: "notificationsSwitch"
                text: qsTr("Desktop notifications for new messages")
                checked: Preferences.notificationsEnabled
                onToggled: Preferences.notificationsEnabled = checked
                Accessible.name: text
            }
            Switch {
                objectName: "previewSwitch"
                enabled: Preferences.notificationsEnabled
                text: qsTr("Show the message text in notifications")
                checked: Preferences.notificationPreview
                onToggled: Preferences.notificationPreview = checked
                Accessible.name: text
            }
            // The ringtone and ringback of calls, and a pop for each notified message.
            Switch {
                objectName: "soundsSwitch"
                text: qsTr("Play sounds for calls and messages")
                checked: Preferences.sounds
                onToggled: Preferences.sounds = checked
                Accessible.name: text
            }

            Label { text: qsTr("Downloads"); font.bold: true; color: Theme.mutedText; Layout.topMargin: 8 }
            RowLayout {
                Label {
                    objectName: "downloadFolderLabel"
                    Layout.fillWidth: true
                    text: Preferences.downloadFolder
                    elide: Text.ElideMiddle
                    color: Theme.text
                }
                Button {
                    text: qsTr("Change…")
                    Accessible.name: qsTr("Change the download folder")
                    onClicked: folderPicker.open()
                }
            }
            FolderDialog {
                id: folderPicker
                title: qsTr("Save downloads in")
                currentFolder: "file://" + Preferences.downloadFolder
                onAccepted: Preferences.downloadFolder = String(selectedFolder)
            }

            // Calls: the devices by name; "System default" follows the system's choice.
            Label { text: qsTr("Calls"); font.bold: true; color: Theme.mutedText; Layout.topMargin: 8 }
            CallDevices { id: callDevices }
            GridLayout {
                columns: 2
                columnSpacing: 12
                Repeater {
                    model: [
                        { label: qsTr("Microphone"), kind: CallDevices.Microphone, key: "callMicrophone" },
                        { label: qsTr("Camera"), kind: CallDevices.Camera, key: "callCamera" },
                        { label: qsTr("Speaker"), kind: CallDevices.Speaker, key: "callSpeaker" }
                    ]
                    delegate: RowLayout {
                        id: deviceRow
                        required property var modelData
                        Layout.columnSpan: 2
                        // Looked up when the page opens (headsets come and go).
                        readonly property var names: callDevices.names(modelData.kind)
                        readonly property var choices: {
                            const list = [qsTr("System default")]
                            for (let i = 0; i < names.length; ++i)
                                list.push(names[i])
                            return list
                        }
                        Label { text: deviceRow.modelData.label; color: Theme.text; Layout.preferredWidth: 110 }
                        ComboBox {
                            objectName: deviceRow.modelData.key + "Box"
                            Layout.preferredWidth: 320
                            model: deviceRow.choices
                            currentIndex: Math.max(0, deviceRow.names.indexOf(Preferences[deviceRow.modelData.key]) + 1)
                            Accessible.name: deviceRow.modelData.label
                            onActivated: (index) => Preferences[deviceRow.modelData.key] = index === 0 ? "" : deviceRow.names[index - 1]
                        }
                    }
                }
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
            Label { text: qsTr("Password"); font.bold: true; color: Theme.mutedText; Layout.topMargin: 8 }
            TextField {
                id: oldPassword
                objectName: "oldPasswordField"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                placeholderText: qsTr("Current password")
                Accessible.name: placeholderText
            }
            TextField {
                id: newPassword
                objectName: "newPasswordField"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                placeholderText: qsTr("New password (at least %n characters)", "",
                                      root.account ? root.account.minPasswordLength : 8)
                Accessible.name: qsTr("New password")
            }
            TextField {
                id: repeatPassword
                objectName: "repeatPasswordField"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                placeholderText: qsTr("New password again")
                Accessible.name: placeholderText
            }
            RowLayout {
                Button {
                    objectName: "changePasswordButton"
                    text: qsTr("Change password")
                    // The server's rules for the new one are checked on click, with their reason.
                    enabled: oldPassword.text.length > 0 && newPassword.text.length > 0
                             && newPassword.text === repeatPassword.text
                    Accessible.name: text
                    onClicked: {
                        passwordResult.text = ""
                        root.account.changePassword(oldPassword.text, newPassword.text)
                    }
                }
                Label {
                    id: passwordResult
                    objectName: "passwordResult"
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: passwordResult.ok ? Theme.accent : Theme.danger
                    property bool ok: false
                    text: newPassword.text.length > 0 && repeatPassword.text.length > 0
                          && newPassword.text !== repeatPassword.text ? qsTr("The new passwords differ.") : ""
                }
            }
            Connections {
                target: root.account
                function onPasswordChanged(others) {
                    oldPassword.clear(); newPassword.clear(); repeatPassword.clear()
                    passwordResult.ok = true
                    passwordResult.text = qsTr("Password changed. %n other device(s) logged out.", "", others)
                    devices.refresh()
                }
                function onPasswordChangeFailed(message) {
                    passwordResult.ok = false
                    passwordResult.text = message
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
                onClicked: logoutConfirm.open()
            }
        }
    }

    // As in other messengers, logging out removes what the account keeps on this computer
    // unless the user unticks it; files saved to the downloads folder are the user's and stay.
    Dialog {
        id: logoutConfirm
        objectName: "logoutConfirm"
        anchors.centerIn: parent
        width: Math.min(420, root.width - 20)
        modal: true
        title: qsTr("Log out")
        standardButtons: Dialog.Ok | Dialog.Cancel
        onAboutToShow: removeDataBox.checked = true // asked afresh each time
        onAccepted: AccountManager.logout(removeDataBox.checked)
        ColumnLayout {
            width: logoutConfirm.availableWidth
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: qsTr("Log out of %1 on this computer?").arg(root.account ? root.account.username : "")
            }
            CheckBox {
                id: removeDataBox
                objectName: "removeDataBox"
                Layout.fillWidth: true
                checked: true
                text: qsTr("Also remove this account's messages and files from this computer")
                Accessible.name: text
                // Wrapped: the default label would cut the sentence short.
                contentItem: Label {
                    leftPadding: removeDataBox.indicator.width + removeDataBox.spacing
                    verticalAlignment: Text.AlignVCenter
                    wrapMode: Text.Wrap
                    text: removeDataBox.text
                }
            }
            Label {
                visible: removeDataBox.checked
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.mutedText
                font.pixelSize: Theme.smallFontSize
                text: qsTr("Files you saved to your downloads folder stay.")
            }
        }
    }
}
