// SPDX-License-Identifier: Apache-2.0
// A person's profile: name, @username, status line, presence; the remark only this user sees;
// send a message, block or unblock, remove from friends. Used by Contacts and the chat's info.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Rectangle {
    id: root
    required property Account account
    property alias userId: profile.userId
    readonly property alias profile: profile
    property bool showMessageButton: true
    signal messageRequested(var userId)

    color: Theme.panel

    ContactProfile {
        id: profile
        account: root.account
        onUserIdChanged: { refresh(); remarkField.text = remark; failure.text = "" }
        onActionFailed: (message) => failure.text = message
    }

    Label {
        anchors.centerIn: parent
        visible: !profile.userId
        text: qsTr("Select a contact to see their profile")
        color: Theme.mutedText
    }

    ColumnLayout {
        visible: profile.userId
        anchors.fill: parent
        anchors.margins: 20
        spacing: Theme.spacing

        RowLayout {
            spacing: 14
            Avatar { objectName: "profileAvatar"; name: profile.name; fileId: profile.avatarFileId; size: 64; online: profile.online }
            ColumnLayout {
                spacing: 2
                Label {
                    objectName: "profileName"
                    text: profile.name
                    font.pixelSize: 20
                    font.bold: true
                    color: Theme.text
                }
                Label {
                    visible: profile.remark.length > 0 && profile.displayName.length > 0
                    text: qsTr("Name: %1").arg(profile.displayName)
                    color: Theme.mutedText
                }
                Label {
                    objectName: "profileUsername"
                    text: "@" + profile.username
                    color: Theme.mutedText
                }
                Label {
                    objectName: "profilePresence"
                    visible: text.length > 0
                    text: profile.presenceText
                    color: profile.online ? Theme.accent : Theme.mutedText
                    font.pixelSize: Theme.smallFontSize
                }
            }
        }
        Label {
            objectName: "profileStatusLine"
            visible: profile.statusLine.length > 0
            Layout.fillWidth: true
            text: profile.statusLine
            wrapMode: Text.Wrap
            color: Theme.text
        }
        Label {
            visible: profile.blocked
            text: qsTr("You blocked this person. They cannot message or call you.")
            color: Theme.danger
            Layout.fillWidth: true
            wrapMode: Text.Wrap
        }

        Label { text: qsTr("Remark"); font.bold: true; color: Theme.mutedText; Layout.topMargin: 8 }
        RowLayout {
            TextField {
                id: remarkField
                objectName: "remarkField"
                Layout.fillWidth: true
                maximumLength: 64
                placeholderText: qsTr("A name only you see")
                Accessible.name: qsTr("Remark for this contact")
                onAccepted: profile.setRemark(text)
            }
            Button {
                objectName: "saveRemarkButton"
                text: qsTr("Save")
                enabled: remarkField.text.trim() !== profile.remark
                Accessible.name: qsTr("Save remark")
                onClicked: profile.setRemark(remarkField.text)
            }
        }

        Label {
            id: failure
            objectName: "profileError"
            visible: text.length > 0
            color: Theme.danger
            Layout.fillWidth: true
            wrapMode: Text.Wrap
        }

        RowLayout {
            Layout.topMargin: 8
            spacing: Theme.spacing
            Button {
                objectName: "messageButton"
                visible: root.showMessageButton && profile.isFriend
                text: qsTr("Send message")
                highlighted: true
                Accessible.name: text
                onClicked: root.messageRequested(profile.userId)
            }
            Button {
                objectName: "blockButton"
                text: profile.blocked ? qsTr("Unblock") : qsTr("Block")
                Accessible.name: profile.blocked ? qsTr("Unblock %1").arg(profile.name)
                                                 : qsTr("Block %1").arg(profile.name)
                onClicked: profile.setBlocked(!profile.blocked)
            }
            Button {
                objectName: "removeFriendButton"
                visible: profile.isFriend
                text: qsTr("Remove friend")
                Accessible.name: qsTr("Remove %1 from friends").arg(profile.name)
                onClicked: confirmRemove.open()
            }
        }
        Item { Layout.fillHeight: true }
    }

    Dialog {
        id: confirmRemove
        objectName: "confirmRemoveFriend"
        anchors.centerIn: parent
        modal: true
        width: Math.min(380, root.width - 40)
        title: qsTr("Remove friend")
        standardButtons: Dialog.Ok | Dialog.Cancel
        Label {
            width: confirmRemove.availableWidth
            text: qsTr("Remove %1 from your friends? Your chat history stays.").arg(profile.name)
            wrapMode: Text.Wrap
        }
        onAccepted: profile.removeFriend()
    }
    Connections {
        target: profile
        function onChanged() { if (!remarkField.activeFocus) remarkField.text = profile.remark }
    }
}
