// SPDX-License-Identifier: Apache-2.0
// A group's info: name and announcement, the user's nickname, settings, join requests, the
// members with what the user's role allows to do to each, invite, leave and dissolve. Actions
// the role does not allow are not shown; the server checks every one again.
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Tern.Client

Rectangle {
    id: root
    required property Account account
    required property GroupInfo group
    readonly property alias members: members
    readonly property alias inviteDialog: invite
    readonly property alias leaveDialog: leaveConfirm
    readonly property alias dissolveDialog: dissolveConfirm
    property string error

    color: Theme.panel

    GroupMemberModel {
        id: members
        account: root.account
        groupId: root.group.groupId
        onActionFailed: (message) => root.error = message
    }
    Connections {
        target: root.group
        function onActionFailed(message) { root.error = message }
    }
    // The requests waiting now, once this user may review them: on opening, or when made an
    // admin while the pane is open (pushes then bring new ones).
    readonly property bool mayReview: group.canReviewApplications
    onMayReviewChanged: if (mayReview) group.refreshApplications()
    Component.onCompleted: {
        if (mayReview)
            group.refreshApplications()
    }

    function roleText(role) {
        return role === GroupInfo.Owner ? qsTr("Owner") : role === GroupInfo.Admin ? qsTr("Admin") : ""
    }

    InviteDialog {
        id: invite
        objectName: "inviteDialog"
        account: root.account
        group: root.group
        members: members
        anchors.centerIn: parent
    }

    // A refusal shows above the list, where the action was, not below thousands of members.
    RowLayout {
        id: errorBar
        visible: root.error.length > 0
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: visible ? 8 : 0
        height: visible ? implicitHeight : 0
        Label {
            objectName: "groupInfoError"
            text: root.error
            color: Theme.danger
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Layout.leftMargin: 8
        }
        ToolButton {
            text: "✕"
            Accessible.name: qsTr("Dismiss")
            onClicked: root.error = ""
        }
    }

    ListView {
        id: memberList
        objectName: "memberList"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.top: errorBar.visible ? errorBar.bottom : parent.top
        clip: true
        // Settings above the members, leave/dissolve below: one scrolling list, so
        // that only visible member rows are made (groups have thousands).
        header: ColumnLayout {
            width: ListView.view.width
            spacing: Theme.spacing
            Connections {
                target: root.group
                function onChanged() {
                    if (!nameField.activeFocus) nameField.text = root.group.name
                    if (!announcementField.activeFocus) announcementField.text = root.group.announcement
                    if (!nicknameField.activeFocus) nicknameField.text = root.group.myNickname
                }
                // A refused setting: the controls show the group's again, not what was asked.
                function onActionFailed() {
                    joinPolicyBox.currentIndex = Qt.binding(() => root.group.joinPolicy - 1)
                    muteAllSwitch.checked = Qt.binding(() => root.group.muteAll)
                }
            }
            Component.onCompleted: {
                nameField.text = root.group.name
                announcementField.text = root.group.announcement
                nicknameField.text = root.group.myNickname
            }

            Label {
                objectName: "groupState"
                visible: root.group.known && !root.group.isMember
                Layout.fillWidth: true
                Layout.margins: 16
                wrapMode: Text.Wrap
                color: Theme.danger
                text: root.group.dissolved ? qsTr("This group was dissolved.")
                                           : qsTr("You are no longer a member of this group.")
            }

            // Name: editable by owner and admins.
            RowLayout {
                Layout.margins: 16
                Layout.bottomMargin: 0
                spacing: 12
                Avatar {
                    objectName: "groupAvatar"
                    name: root.group.name
                    fileId: root.group.avatarFileId
                    size: 56
                    TapHandler {
                        enabled: root.group.canEditSettings
                        onTapped: groupPicturePicker.open()
                    }
                    ToolTip.visible: root.group.canEditSettings && groupAvatarHover.hovered
                    ToolTip.text: qsTr("Change the group's picture")
                    HoverHandler { id: groupAvatarHover }
                }
                FileDialog {
                    id: groupPicturePicker
                    title: qsTr("Group picture")
                    nameFilters: [qsTr("Pictures (*.png *.jpg *.jpeg *.webp *.bmp *.gif)")]
                    onAccepted: root.group.setAvatar(selectedFile)
                }
                ColumnLayout {
                    spacing: 2
                    Label {
                        objectName: "groupInfoName"
                        text: root.group.name
                        font.pixelSize: 18
                        font.bold: true
                        color: Theme.text
                    }
                    Label {
                        text: qsTr("%n member(s)", "", root.group.memberCount)
                        color: Theme.mutedText
                    }
                }
            }
            // Under approval anyone may ask to join with the group's number: members pass it on.
            RowLayout {
                visible: root.group.isMember && root.group.joinPolicy === GroupInfo.Approval
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                Label { text: qsTr("Group number"); color: Theme.text }
                TextField {
                    objectName: "groupNumberField"
                    Layout.fillWidth: true
                    readOnly: true
                    selectByMouse: true
                    text: root.group.groupId > 0 ? root.group.groupId.toFixed(0) : ""
                    Accessible.name: qsTr("Group number, for asking to join")
                }
            }
            RowLayout {
                visible: root.group.canEditSettings
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                TextField {
                    id: nameField
                    objectName: "groupNameEdit"
                    Layout.fillWidth: true
                    maximumLength: 64
                    placeholderText: qsTr("Group name")
                    Accessible.name: placeholderText
                }
                Button {
                    objectName: "renameGroupButton"
                    text: qsTr("Rename")
                    enabled: nameField.text.trim().length > 0 && nameField.text.trim() !== root.group.name
                    Accessible.name: qsTr("Rename the group")
                    onClicked: root.group.rename(nameField.text)
                }
            }

            Label { text: qsTr("Announcement"); font.bold: true; color: Theme.mutedText; Layout.leftMargin: 16 }
            Label {
                objectName: "announcementText"
                visible: !root.group.canEditSettings
                Layout.fillWidth: true
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                wrapMode: Text.Wrap
                color: root.group.announcement.length > 0 ? Theme.text : Theme.mutedText
                text: root.group.announcement.length > 0 ? root.group.announcement : qsTr("No announcement.")
            }
            TextArea {
                id: announcementField
                objectName: "announcementEdit"
                visible: root.group.canEditSettings
                Layout.fillWidth: true
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                wrapMode: TextEdit.Wrap
                placeholderText: qsTr("Tell every member something")
                Accessible.name: qsTr("Group announcement")
            }
            Button {
                objectName: "saveAnnouncementButton"
                visible: root.group.canEditSettings
                Layout.leftMargin: 16
                text: qsTr("Post announcement")
                enabled: announcementField.text.trim() !== root.group.announcement && announcementField.length <= 2000
                Accessible.name: text
                onClicked: root.group.setAnnouncement(announcementField.text)
            }

            Label { text: qsTr("My nickname in this group"); font.bold: true; color: Theme.mutedText; Layout.leftMargin: 16; visible: root.group.isMember }
            RowLayout {
                visible: root.group.isMember
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                TextField {
                    id: nicknameField
                    objectName: "groupNicknameField"
                    Layout.fillWidth: true
                    maximumLength: 32
                    placeholderText: qsTr("Shown to the group instead of your name")
                    Accessible.name: qsTr("My nickname in this group")
                }
                Button {
                    text: qsTr("Save")
                    enabled: nicknameField.text.trim() !== root.group.myNickname
                    Accessible.name: qsTr("Save nickname")
                    onClicked: root.group.setMyNickname(nicknameField.text)
                }
            }

            // Settings: owner and admins.
            Label { text: qsTr("Settings"); font.bold: true; color: Theme.mutedText; Layout.leftMargin: 16; visible: root.group.canEditSettings }
            RowLayout {
                visible: root.group.canEditSettings
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                Label { text: qsTr("Who can join"); color: Theme.text; Layout.fillWidth: true }
                ComboBox {
                    id: joinPolicyBox
                    objectName: "joinPolicyBox"
                    model: [qsTr("By invitation"), qsTr("Admins approve requests"), qsTr("Anyone with the code")]
                    currentIndex: root.group.joinPolicy - 1
                    Accessible.name: qsTr("Who can join")
                    onActivated: (index) => root.group.setJoinPolicy(index + 1)
                }
            }
            RowLayout {
                visible: root.group.canEditSettings && root.group.joinPolicy === GroupInfo.Open
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                Label { text: qsTr("Invite code"); color: Theme.text }
                TextField {
                    objectName: "inviteCodeField"
                    Layout.fillWidth: true
                    readOnly: true
                    selectByMouse: true
                    text: root.group.inviteCode
                    Accessible.name: qsTr("Invite code")
                }
                Button {
                    text: qsTr("New code")
                    Accessible.name: qsTr("Replace the invite code")
                    onClicked: root.group.resetInviteCode()
                }
            }
            Switch {
                id: muteAllSwitch
                objectName: "muteAllSwitch"
                visible: root.group.canEditSettings
                Layout.leftMargin: 16
                text: qsTr("Only owner and admins may post")
                checked: root.group.muteAll
                Accessible.name: text
                onToggled: root.group.setMuteAll(checked)
            }

            // Join requests: owner and admins.
            Label {
                visible: root.group.canReviewApplications && root.group.applications.length > 0
                text: qsTr("Requests to join")
                font.bold: true
                color: Theme.mutedText
                Layout.leftMargin: 16
            }
            // In a Column, not right in the layout: see SettingsPage's account list.
            Column {
                Layout.fillWidth: true
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                visible: applicationRepeater.count > 0
                spacing: Theme.spacing
                Repeater {
                    id: applicationRepeater
                    objectName: "applicationList"
                    model: root.group.canReviewApplications ? root.group.applications : []
                    delegate: RowLayout {
                        id: application
                        required property var modelData
                        width: parent ? parent.width : 0
                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: 0
                            Label { text: application.modelData.name; color: Theme.text }
                            Label {
                                text: application.modelData.message.length > 0 ? application.modelData.message : "@" + application.modelData.username
                                color: Theme.mutedText
                                font.pixelSize: Theme.smallFontSize
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }
                        }
                        Button {
                            objectName: "approveButton"
                            text: qsTr("Approve")
                            highlighted: true
                            Accessible.name: qsTr("Let %1 join").arg(application.modelData.name)
                            onClicked: root.group.answerApplication(application.modelData.applicationId, true)
                        }
                        Button {
                            text: qsTr("Decline")
                            Accessible.name: qsTr("Decline %1's request").arg(application.modelData.name)
                            onClicked: root.group.answerApplication(application.modelData.applicationId, false)
                        }
                    }
                }
            }

            RowLayout {
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                Label {
                    text: qsTr("Members")
                    font.bold: true
                    color: Theme.mutedText
                    Layout.fillWidth: true
                }
                Button {
                    objectName: "inviteButton"
                    visible: root.group.canInvite
                    text: qsTr("Invite")
                    Accessible.name: qsTr("Invite friends to this group")
                    onClicked: invite.open()
                }
            }
        }
        footer: ColumnLayout {
            width: ListView.view.width
            spacing: Theme.spacing

            RowLayout {
                Layout.margins: 16
                spacing: Theme.spacing
                Button {
                    objectName: "leaveGroupButton"
                    visible: root.group.isMember && !root.group.isOwner
                    text: qsTr("Leave group")
                    Accessible.name: text
                    onClicked: leaveConfirm.open()
                }
                Button {
                    objectName: "dissolveGroupButton"
                    visible: root.group.isOwner
                    text: qsTr("Dissolve group")
                    Accessible.name: text
                    onClicked: dissolveConfirm.open()
                }
            }
        }
        model: members
        Accessible.name: qsTr("Members")
        delegate: ItemDelegate {
            id: member
            required property var userId
            required property string avatarFileId
            required property string name
            required property string username
            required property int memberRole
            required property bool isMe
            required property bool online
            required property bool canRemove
            required property bool canSetAdmin
            required property bool canTransfer
            width: ListView.view.width
            height: 48
            Accessible.name: name + (root.roleText(memberRole).length > 0 ? ", " + root.roleText(memberRole) : "")
            contentItem: RowLayout {
                spacing: 10
                Avatar { name: member.name; fileId: member.avatarFileId; size: 32; online: member.online }
                Label {
                    text: member.isMe ? qsTr("%1 (you)").arg(member.name) : member.name
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.text
                    elide: Text.ElideRight
                }
                Label {
                    objectName: "roleTag"
                    visible: text.length > 0
                    text: root.roleText(member.memberRole)
                    color: Theme.accent
                    font.pixelSize: Theme.smallFontSize
                }
                ToolButton {
                    objectName: "memberMenuButton"
                    visible: member.canRemove || member.canSetAdmin || member.canTransfer
                    text: "⋯"
                    Accessible.name: qsTr("Actions for %1").arg(member.name)
                    onClicked: root.openMemberMenu(member)
                }
            }
        }
    }

    // What the user may do to a member: the owner anything, an admin only remove plain
    // members. Two menus rather than hidden items, which would leave gaps.
    property var menuTarget: ({userId: 0, name: "", memberRole: 0})
    readonly property alias ownerMenu: ownerMenu
    readonly property alias adminMenu: adminMenu
    function openMemberMenu(member) {
        menuTarget = {userId: member.userId, name: member.name, memberRole: member.memberRole}
        if (member.canSetAdmin)
            ownerMenu.popup()
        else
            adminMenu.popup()
    }
    Menu {
        id: ownerMenu
        MenuItem {
            text: root.menuTarget.memberRole === GroupInfo.Admin ? qsTr("Remove as admin") : qsTr("Make admin")
            onTriggered: members.setAdmin(root.menuTarget.userId, root.menuTarget.memberRole !== GroupInfo.Admin)
        }
        MenuItem {
            text: qsTr("Make owner")
            onTriggered: {
                transferConfirm.target = root.menuTarget.userId
                transferConfirm.targetName = root.menuTarget.name
                transferConfirm.open()
            }
        }
        MenuItem {
            text: qsTr("Remove from group")
            onTriggered: members.remove(root.menuTarget.userId)
        }
    }
    Menu {
        id: adminMenu
        MenuItem {
            text: qsTr("Remove from group")
            onTriggered: members.remove(root.menuTarget.userId)
        }
    }

    Dialog {
        id: leaveConfirm
        objectName: "leaveConfirm"
        anchors.centerIn: parent
        width: Math.min(360, root.width - 20)
        modal: true
        title: qsTr("Leave group")
        standardButtons: Dialog.Ok | Dialog.Cancel
        Label { width: leaveConfirm.availableWidth; wrapMode: Text.Wrap; text: qsTr("Leave %1? You can read its history up to now.").arg(root.group.name) }
        onAccepted: root.group.leave()
    }
    Dialog {
        id: dissolveConfirm
        objectName: "dissolveConfirm"
        anchors.centerIn: parent
        width: Math.min(360, root.width - 20)
        modal: true
        title: qsTr("Dissolve group")
        standardButtons: Dialog.Ok | Dialog.Cancel
        Label { width: dissolveConfirm.availableWidth; wrapMode: Text.Wrap; text: qsTr("Dissolve %1 for every member? This cannot be undone.").arg(root.group.name) }
        onAccepted: root.group.dissolve()
    }
    Dialog {
        id: transferConfirm
        property var target: 0
        property string targetName
        anchors.centerIn: parent
        width: Math.min(360, root.width - 20)
        modal: true
        title: qsTr("Make owner")
        standardButtons: Dialog.Ok | Dialog.Cancel
        Label { width: transferConfirm.availableWidth; wrapMode: Text.Wrap; text: qsTr("Make %1 the owner? You will be an admin.").arg(transferConfirm.targetName) }
        onAccepted: members.transferOwnership(target)
    }
}
