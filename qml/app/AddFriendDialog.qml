// SPDX-License-Identifier: Apache-2.0
// Find someone by username (or display name) and send them a friend request with a greeting.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tern.Client

Dialog {
    id: dialog
    required property Account account

    title: qsTr("Add friend")
    modal: true
    width: 420
    height: 440
    standardButtons: Dialog.Close

    UserSearchModel {
        id: results
        account: dialog.account
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing

        RowLayout {
            TextField {
                id: query
                objectName: "userSearchField"
                Layout.fillWidth: true
                placeholderText: qsTr("Username or name")
                Accessible.name: qsTr("Find people")
                onAccepted: results.search(text)
            }
            Button {
                objectName: "userSearchButton"
                text: qsTr("Search")
                enabled: query.text.trim().length > 0 && !results.searching
                Accessible.name: text
                onClicked: results.search(query.text)
            }
        }
        TextField {
            id: greeting
            objectName: "greetingField"
            Layout.fillWidth: true
            maximumLength: 200
            placeholderText: qsTr("Say hello (optional)")
            Accessible.name: qsTr("Greeting")
        }
        Label {
            visible: results.error.length > 0
            text: results.error
            color: Theme.danger
            Layout.fillWidth: true
            wrapMode: Text.Wrap
        }
        ListView {
            objectName: "userSearchResults"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: results
            delegate: ItemDelegate {
                id: person
                required property var userId
                required property string name
                required property string username
                required property bool isFriend
                required property bool requestSent
                width: ListView.view.width
                height: 52
                contentItem: RowLayout {
                    Avatar { name: person.name; size: 32 }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 0
                        Label { text: person.name; color: Theme.text }
                        Label { text: "@" + person.username; color: Theme.mutedText; font.pixelSize: Theme.smallFontSize }
                    }
                    Button {
                        objectName: "sendRequestButton"
                        enabled: !person.isFriend && !person.requestSent
                        text: person.isFriend ? qsTr("Friends") : person.requestSent ? qsTr("Sent") : qsTr("Add")
                        Accessible.name: qsTr("Send a friend request to %1").arg(person.name)
                        onClicked: results.sendRequest(person.userId, greeting.text)
                    }
                }
            }
        }
    }
}
