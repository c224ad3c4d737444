// SPDX-License-Identifier: Apache-2.0
// The main flow through the real window: sign up on the login page, befriend a second client,
// see its message arrive in the chat list and the timeline, answer it from the composer and
// see the answer reach the other client; then open the chat from Contacts and log out.
import QtQuick
import QtQuick.Controls
import QtTest
import Tern.App
import Tern.Client
import Tern.Test

TestCase {
    id: test
    name: "ChatFlow"
    when: windowShown
    width: 1000
    height: 700

    property var window: null

    function find(objectName) {
        const item = findChild(window.contentItem, objectName)
        verify(item, "no item named " + objectName)
        return item
    }

    function initTestCase() {
        // One window for the whole flow (temporary objects die after each test function).
        window = mainComponent.createObject(test)
        verify(window)
        window.show()
        waitForRendering(window.contentItem)
    }

    function cleanupTestCase() {
        window.destroy()
    }

    Component {
        id: mainComponent
        Main { defaultServer: testServer }
    }

    function test_1_signUpAndChat() {
        verify(peer.registerAs("uipeer"))

        // The login page: switch to sign-up, fill in, submit.
        mouseClick(find("switchModeButton"))
        find("serverField").text = testServer
        find("usernameField").text = "uiuser"
        find("displayNameField").text = "UI User"
        // A password the server's rules refuse is explained, and nothing is signed up.
        find("passwordField").text = "short"
        mouseClick(find("submitButton"))
        tryVerify(() => {
            const label = findChild(window.contentItem, "errorLabel")
            return label && label.text === "password must be 8 to 256 characters long"
        }, 15000)
        verify(!window.signedIn)
        // The page the refusal brought back is the form as it was left, but for the password.
        compare(find("usernameField").text, "uiuser")
        compare(find("displayNameField").text, "UI User")
        verify(find("displayNameField").visible)
        find("passwordField").text = "ui password 1"
        mouseClick(find("submitButton"))
        tryVerify(() => window.signedIn && AccountManager.current.status === Account.Online, 15000)

        // A friend writes: the chat appears in the list with an unread badge and preview.
        verify(peer.befriend("uiuser", "ui password 1"))
        verify(peer.sendText("你好 from the peer"))
        const list = find("conversationList")
        tryCompare(list, "count", 1, 10000)
        tryVerify(() => list.itemAtIndex(0) && list.itemAtIndex(0).preview === "你好 from the peer", 10000)
        compare(list.itemAtIndex(0).unreadCount, 1)
        tryCompare(list.itemAtIndex(0), "title", "uipeer", 10000)

        // Open it: the timeline shows the message; reading clears the badge.
        mouseClick(list.itemAtIndex(0))
        const timeline = find("timeline")
        tryCompare(timeline, "count", 1, 10000)
        tryCompare(list.itemAtIndex(0), "unreadCount", 0, 10000)
        compare(find("chatTitle").text, "uipeer")

        // Answer from the composer with Enter; the peer receives it; the bubble says "Sent".
        const input = find("composerInput")
        input.forceActiveFocus()
        input.text = "hello back"
        keyClick(Qt.Key_Return)
        compare(input.text, "")
        tryCompare(timeline, "count", 2, 10000)
        compare(peer.nextReceivedText(), "hello back")
        tryVerify(() => timeline.itemAtIndex(1) && timeline.itemAtIndex(1).state >= MessageModel.Sent, 10000)
        compare(timeline.itemAtIndex(1).text, "hello back")
        verify(timeline.itemAtIndex(1).isMine)

        // A text over the server's limit is refused here, says why, and stays in the composer.
        const tooLong = "x".repeat(5001)
        input.text = tooLong
        keyClick(Qt.Key_Return)
        compare(input.text, tooLong)
        verify(find("actionError").text.indexOf("5000") >= 0, find("actionError").text)
        wait(300)
        compare(timeline.count, 2)
        input.text = ""
    }

    function test_2_contactProfile() {
        mouseClick(find("nav1"))
        const contacts = find("contactList")
        tryCompare(contacts, "count", 1, 10000)
        find("contactFilter").text = "nobody-like-this"
        tryCompare(contacts, "count", 0)
        find("contactFilter").text = "uip"
        tryCompare(contacts, "count", 1)
        tryVerify(() => contacts.itemAtIndex(0) && contacts.itemAtIndex(0).height > 0)
        // The friend is connected: a presence dot in the list, "online" on the profile.
        tryVerify(() => contacts.itemAtIndex(0).online, 10000)
        mouseClick(contacts.itemAtIndex(0))
        tryCompare(find("profileName"), "text", "uipeer", 10000)
        compare(find("profileUsername").text, "@uipeer")
        tryCompare(find("profilePresence"), "text", "online", 10000)

        // A remark renames them for this user only, in the list too; clearing it restores.
        find("remarkField").text = "Peer 同事"
        mouseClick(find("saveRemarkButton"))
        tryCompare(find("profileName"), "text", "Peer 同事", 10000)
        tryCompare(contacts.itemAtIndex(0), "name", "Peer 同事", 10000)
        find("remarkField").text = ""
        mouseClick(find("saveRemarkButton"))
        tryCompare(find("profileName"), "text", "uipeer", 10000)

        // Blocked, they cannot write; the settings list them; unblocked there, they can again.
        mouseClick(find("blockButton"))
        tryCompare(find("blockButton"), "text", "Unblock", 10000)
        verify(!peer.sendText("can you read this?"))
        mouseClick(find("nav2"))
        const blocked = find("blockedList")
        tryCompare(blocked, "count", 1, 10000)
        tryVerify(() => blocked.itemAtIndex(0) && blocked.itemAtIndex(0).height > 0)
        find("settingsPage").reveal(blocked)
        mouseClick(findChild(blocked.itemAtIndex(0), "unblockButton"))
        tryCompare(blocked, "count", 0, 10000)
        mouseClick(find("nav1"))
        tryCompare(find("blockButton"), "text", "Block", 10000)
        verify(peer.sendText("and now?"))
        compare(find("profileError").text, "")

        // "Send message" opens the chat on the Chats page.
        mouseClick(find("messageButton"))
        tryCompare(find("mainView"), "page", 0, 10000)
        tryCompare(find("chatTitle"), "text", "uipeer", 10000)
        tryCompare(find("timeline"), "count", 3, 10000)
        tryCompare(find("peerPresence"), "text", "online", 10000)
    }

    TestPeer { id: asker }
    TestPeer { id: asked }

    function test_3_friendRequests() {
        mouseClick(find("nav1"))
        compare(find("mainView").page, 1)
        find("contactFilter").text = ""
        const friends = find("contactList")
        tryCompare(friends, "count", 1, 10000)

        // Someone asks: the request shows with its greeting; accepting makes a friend.
        verify(asker.registerAs("uiasker"))
        verify(asker.requestFriendship("uiuser", "we met at the conference"))
        const requestList = find("requestList")
        tryCompare(requestList, "count", 1, 10000)
        tryVerify(() => requestList.itemAtIndex(0).incoming
                        && requestList.itemAtIndex(0).greeting === "we met at the conference", 10000)
        // Laid out (the list grows with its rows) before a person could click it.
        tryVerify(() => requestList.height > 0 && requestList.height >= requestList.contentHeight)
        mouseClick(findChild(requestList.itemAtIndex(0), "acceptButton"))
        tryCompare(requestList, "count", 0, 10000)
        tryCompare(friends, "count", 2, 10000)

        // Asking someone: search by username, send with a greeting; they accept elsewhere.
        verify(asked.registerAs("uiasked"))
        mouseClick(find("addFriendButton"))
        const dialog = find("contactsPage").addFriendDialog
        tryCompare(dialog, "opened", true)
        const search = findChild(dialog.contentItem, "userSearchField")
        search.text = "uiasked"
        mouseClick(findChild(dialog.contentItem, "userSearchButton"))
        const results = findChild(dialog.contentItem, "userSearchResults")
        tryCompare(results, "count", 1, 10000)
        findChild(dialog.contentItem, "greetingField").text = "hello from the app"
        tryVerify(() => results.itemAtIndex(0).height > 0)
        mouseClick(findChild(results.itemAtIndex(0), "sendRequestButton"))
        tryVerify(() => results.itemAtIndex(0).requestSent, 10000)
        // The outgoing request is listed until answered.
        tryCompare(requestList, "count", 1, 10000)
        compare(requestList.itemAtIndex(0).incoming, false)
        compare(asked.acceptIncoming(), 1)
        tryCompare(friends, "count", 3, 10000)
        tryCompare(requestList, "count", 0, 10000)
        dialog.close()
        tryCompare(dialog, "visible", false)
    }

    // ---- Notifications: the unread count in the window title, the Contacts badge, where a
    // clicked notification leads (NotificationClicks, which the tray drives in the app). ----
    TestPeer { id: badgePeer }

    function test_3a_titleBadgeAndNotificationClicks() {
        const main = find("mainView")
        const chats = find("chatsPage")
        const chat = chats.currentConversation
        verify(chat)
        const plain = AccountManager.current.displayName + " — Tern"
        const titleWith = (unread) => unread > 0 ? "(" + unread + ") " + plain : plain
        const before = window.unreadTotal
        compare(window.title, titleWith(before))

        // A message while no chat is open: the title counts it; its notification clicked opens
        // the chat, which reads it.
        mouseClick(find("nav1"))
        chats.open(0)
        verify(peer.sendText("counted in the title"))
        tryCompare(window, "title", titleWith(before + 1), 10000)
        NotificationClicks.openConversation(chat)
        compare(main.page, 0)
        compare(chats.currentConversation, chat)
        tryCompare(window, "title", titleWith(before), 10000)

        // A friend request: a badge on Contacts until answered; its notification leads there.
        const badge = find("nav1Badge")
        compare(badge.count, 0)
        verify(!badge.visible)
        verify(badgePeer.registerAs("uibadger"))
        verify(badgePeer.requestFriendship("uiuser", ""))
        tryCompare(badge, "count", 1, 10000)
        verify(badge.visible)
        NotificationClicks.openContacts()
        compare(main.page, 1)
        const requestList = find("requestList")
        tryCompare(requestList, "count", 1, 10000)
        tryVerify(() => requestList.itemAtIndex(0) && requestList.height > 0
                        && requestList.height >= requestList.contentHeight)
        mouseClick(findChild(requestList.itemAtIndex(0), "declineButton"))
        tryCompare(badge, "count", 0, 10000)
        verify(!badge.visible)
    }
    // ---- end of notifications ----

    function test_4_createGroup() {
        mouseClick(find("nav0"))
        const dialog = find("chatsPage").newGroupDialog
        mouseClick(find("newGroupButton"))
        tryCompare(dialog, "opened", true)
        findChild(dialog.contentItem, "groupNameField").text = "UI team"
        const choices = findChild(dialog.contentItem, "groupMemberChoices")
        tryCompare(choices, "count", 3, 10000)
        tryVerify(() => choices.itemAtIndex(0).height > 0)
        // Tick uipeer and uiasker.
        for (let i = 0; i < choices.count; ++i) {
            const name = choices.itemAtIndex(i).name
            if (name === "uipeer" || name === "uiasker")
                mouseClick(choices.itemAtIndex(i))
        }
        compare(dialog.chosen.length, 2)
        // Double-clicked (an impatient user): one group, not two.
        mouseDoubleClickSequence(findChild(dialog.contentItem, "createGroupButton"))
        tryCompare(dialog, "visible", false, 10000)

        // The group's chat is open, titled with its name, starting with its creation; a
        // message reaches a member.
        tryCompare(find("chatTitle"), "text", "UI team", 10000)
        const timeline = find("timeline")
        tryVerify(() => timeline.itemAtIndex(0) && timeline.itemAtIndex(0).text === "You created the group", 10000)
        const input = find("composerInput")
        input.forceActiveFocus()
        input.text = "hello team"
        keyClick(Qt.Key_Return)
        compare(peer.nextReceivedText(), "hello team")
        const list = find("conversationList")
        tryVerify(() => list.itemAtIndex(0) && list.itemAtIndex(0).title === "UI team"
                        && list.itemAtIndex(0).isGroup, 10000)
        // The list selects the chat that opened with it (its row came after it opened).
        compare(selectedTitles(list), ["UI team"])
        wait(300) // a second group would be listed by now
        let teams = 0
        for (let i = 0; i < list.count; ++i)
            if (list.itemAtIndex(i) && list.itemAtIndex(i).title === "UI team") ++teams
        compare(teams, 1)
    }

    // The titles of the chat list's selected rows.
    function selectedTitles(list) {
        const titles = []
        for (let i = 0; i < list.count; ++i)
            if (list.itemAtIndex(i) && list.itemAtIndex(i).selected) titles.push(list.itemAtIndex(i).title)
        return titles
    }

    // Rows of the member list by name (the list sorts owner, admins, members).
    function memberRow(list, who) {
        list.positionViewAtEnd() // the rows come after the group's settings
        for (let i = 0; i < list.count; ++i) {
            if (list.itemAtIndex(i) && list.itemAtIndex(i).name === who)
                return list.itemAtIndex(i)
        }
        return null
    }

    function openInfo() {
        const chat = find("chatView")
        mouseClick(find("infoButton"))
        tryCompare(chat.infoDrawer, "opened", true)
        tryVerify(() => chat.infoItem !== null)
        return chat.infoItem
    }

    function test_4a_mentionsAndEmoji() {
        tryCompare(find("chatTitle"), "text", "UI team", 10000)
        const input = find("composerInput")
        input.forceActiveFocus()
        // "@uip" offers uipeer; Tab completes the name.
        keyClick("@")
        keyClick("u")
        keyClick("i")
        keyClick("p")
        const composer = find("composer")
        tryCompare(composer.mentionPopup, "opened", true, 5000)
        const choices = findChild(composer.mentionPopup.contentItem, "mentionList")
        compare(choices.count, 1)
        keyClick(Qt.Key_Tab)
        compare(input.text, "@uipeer ")
        compare(composer.mentionPopup.opened, false)
        keyClick("h")
        keyClick("i")
        // An emoji from the picker goes in at the cursor.
        mouseClick(find("emojiButton"))
        const picker = composer.emojiPicker
        tryCompare(picker, "opened", true)
        const grid = findChild(picker.contentItem, "emojiGrid")
        tryVerify(() => grid.itemAtIndex(20) && grid.itemAtIndex(20).height > 0)
        mouseClick(grid.itemAtIndex(20)) // 👍
        tryCompare(picker, "opened", false)
        compare(input.text, "@uipeer hi👍")
        input.forceActiveFocus()
        keyClick(Qt.Key_Return)
        compare(peer.nextReceivedText(), "@uipeer hi👍")
        compare(peer.lastMentions(), [peer.userId])
        compare(peer.lastMentionedAll(), false)
    }

    // What is typed in a chat stays with that chat: switching away and back brings it back,
    // and the other chat's composer starts from its own draft. A chat left with a draft says
    // so in the list ("[Draft]" and the text); the open chat's row does not.
    function test_4aa_draftsStayWithTheirChat() {
        mouseClick(find("nav0"))
        const list = find("conversationList")
        tryCompare(find("chatTitle"), "text", "UI team", 10000)
        const input = find("composerInput")
        input.text = "draft for the team"
        function rowTitled(title) {
            for (let i = 0; i < list.count; ++i) {
                if (list.itemAtIndex(i) && list.itemAtIndex(i).title === title)
                    return list.itemAtIndex(i)
            }
            fail("no chat titled " + title)
        }
        function open(title) {
            mouseClick(rowTitled(title))
            tryCompare(find("chatTitle"), "text", title, 10000)
        }
        open("uipeer")
        compare(input.text, "")
        const teamRow = rowTitled("UI team")
        tryCompare(teamRow, "draft", "draft for the team", 5000)
        verify(teamRow.showsDraft)
        verify(findChild(teamRow, "draftMark").visible)
        verify(!rowTitled("uipeer").showsDraft)
        input.text = "draft for uipeer"
        open("UI team")
        compare(input.text, "draft for the team")
        verify(!rowTitled("UI team").showsDraft)
        tryCompare(rowTitled("uipeer"), "draft", "draft for uipeer", 5000)
        open("uipeer")
        compare(input.text, "draft for uipeer")
        input.text = ""
        open("UI team")
        // Emptied: the draft is gone.
        tryCompare(rowTitled("uipeer"), "draft", "", 5000)
        verify(!rowTitled("uipeer").showsDraft)
        input.text = ""
    }

    // The message being answered stays with its chat's draft too: away and back, the reply bar
    // is there again, with its text or with none typed yet. Its ✕ is kept as well, and a reply
    // sent leaves no bar behind.
    function test_4aab_replyStaysWithItsDraft() {
        mouseClick(find("nav0"))
        tryCompare(find("chatTitle"), "text", "UI team", 10000)
        const chat = find("chatView")
        const input = find("composerInput")
        const bar = find("replyBar")
        const timeline = find("timeline")
        tryVerify(() => lastRow(timeline) && lastRow(timeline).seq > 0, 10000)
        const seq = lastRow(timeline).seq
        const quoted = lastRow(timeline).text
        lastRow(timeline).replyRequested(seq, quoted) // what the bubble's Reply menu item emits
        verify(bar.visible)
        input.text = "a reply kept"
        openChat("uipeer")
        compare(chat.replyTo, null)
        verify(!bar.visible)
        compare(input.text, "")
        openChat("UI team")
        tryVerify(() => chat.replyTo !== null && chat.replyTo.seq === seq, 5000)
        compare(input.text, "a reply kept")
        verify(bar.visible)
        compare(find("replyBarText").text, "Replying to: " + quoted)

        // Nothing typed, only the reply: kept.
        input.text = ""
        openChat("uipeer")
        verify(!bar.visible)
        openChat("UI team")
        tryVerify(() => chat.replyTo !== null && chat.replyTo.seq === seq, 5000)
        verify(bar.visible)
        compare(input.text, "")

        // Cancelled: it does not come back.
        find("composer").cancelReply() // the ✕ beside "Replying to: …"
        verify(!bar.visible)
        openChat("uipeer")
        openChat("UI team")
        compare(chat.replyTo, null)
        verify(!bar.visible)

        // Sent: the bar goes with it, and stays gone.
        chat.replyTo = {seq: seq, summary: quoted}
        const reply = sendFromComposer("answered, and gone")
        compare(reply.replyToSeq, seq)
        compare(chat.replyTo, null)
        openChat("uipeer")
        openChat("UI team")
        compare(chat.replyTo, null)
        verify(!bar.visible)
        compare(input.text, "")
    }

    // The list's selection is the open chat; Up and Down open the chat above or below it.
    function test_4ab_listKeysOpenChats() {
        mouseClick(find("nav0"))
        const list = find("conversationList")
        tryCompare(find("chatTitle"), "text", "UI team", 10000)
        compare(selectedTitles(list), ["UI team"])
        let row = -1
        for (let i = 0; i < list.count; ++i)
            if (list.itemAtIndex(i) && list.itemAtIndex(i).title === "UI team") row = i
        verify(row >= 0 && row + 1 < list.count)
        const below = list.itemAtIndex(row + 1).title
        list.forceActiveFocus()
        keyClick(Qt.Key_Down)
        tryCompare(find("chatTitle"), "text", below, 5000)
        compare(selectedTitles(list), [below])
        keyClick(Qt.Key_Up)
        tryCompare(find("chatTitle"), "text", "UI team", 5000)
        compare(selectedTitles(list), ["UI team"])
    }

    function test_4b_groupInfoAsOwner() {
        tryCompare(find("chatTitle"), "text", "UI team", 10000)
        const pane = openInfo()
        const members = findChild(pane, "memberList")
        tryCompare(members, "count", 3, 10000)
        tryVerify(() => memberRow(members, "UI User") !== null && memberRow(members, "uipeer") !== null)
        compare(findChild(memberRow(members, "UI User"), "roleTag").text, "Owner")
        verify(findChild(pane, "dissolveGroupButton").visible)
        verify(!findChild(pane, "leaveGroupButton").visible)

        // Rename: the chat's title follows.
        findChild(pane, "groupNameEdit").text = "UI crew"
        mouseClick(findChild(pane, "renameGroupButton"))
        tryCompare(findChild(pane, "groupInfoName"), "text", "UI crew", 10000)
        tryCompare(find("chatTitle"), "text", "UI crew", 10000)
        const timeline = find("timeline")
        tryVerify(() => timeline.itemAtIndex(timeline.count - 1)
                        && timeline.itemAtIndex(timeline.count - 1).text === "You renamed the group to “UI crew”", 10000)

        // Announcement.
        findChild(pane, "announcementEdit").text = "Stand-up at ten"
        mouseClick(findChild(pane, "saveAnnouncementButton"))
        tryCompare(pane.group, "announcement", "Stand-up at ten", 10000)

        // Make uipeer an admin through the row's menu.
        mouseClick(findChild(memberRow(members, "uipeer"), "memberMenuButton"))
        tryCompare(pane.ownerMenu, "opened", true)
        compare(pane.ownerMenu.itemAt(0).text, "Make admin")
        mouseClick(pane.ownerMenu.itemAt(0))
        tryVerify(() => memberRow(members, "uipeer")
                        && findChild(memberRow(members, "uipeer"), "roleTag").text === "Admin", 10000)

        // Remove uiasker.
        mouseClick(findChild(memberRow(members, "uiasker"), "memberMenuButton"))
        tryCompare(pane.ownerMenu, "opened", true)
        compare(pane.ownerMenu.itemAt(2).text, "Remove from group")
        mouseClick(pane.ownerMenu.itemAt(2))
        tryCompare(members, "count", 2, 10000)
        tryCompare(pane.group, "memberCount", 2, 10000)

        // Requests to join: they ask, the owner approves, they are back.
        const policy = findChild(pane, "joinPolicyBox")
        verify(!findChild(pane, "groupNumberField").visible)
        policy.activated(1)
        tryCompare(pane.group, "joinPolicy", GroupInfo.Approval, 10000)
        // The number people ask with shows to members while the group takes requests.
        verify(findChild(pane, "groupNumberField").visible)
        compare(findChild(pane, "groupNumberField").text, pane.group.groupId.toFixed(0))
        verify(asker.requestToJoin(pane.group.groupId, "let me back in"))
        tryVerify(() => pane.group.applications.length === 1, 10000)
        const approve = findChild(pane, "approveButton")
        tryVerify(() => approve && approve.visible && approve.height > 0)
        mouseClick(approve)
        tryCompare(members, "count", 3, 10000)
        tryVerify(() => pane.group.applications.length === 0, 10000)

        // Only admins may post, then everyone again.
        mouseClick(findChild(pane, "muteAllSwitch"))
        tryCompare(pane.group, "muteAll", true, 10000)
        mouseClick(findChild(pane, "muteAllSwitch"))
        tryCompare(pane.group, "muteAll", false, 10000)
        compare(findChild(pane, "groupInfoError").text, "")
        find("chatView").infoDrawer.close()
    }

    function test_4c_groupInfoAsMember() {
        // uipeer makes a group with the app's user in it as a plain member.
        verify(peer.createGroupWithFriend("Peer group"))
        const list = find("conversationList")
        let row = -1
        tryVerify(() => {
            for (let i = 0; i < list.count; ++i)
                if (list.itemAtIndex(i) && list.itemAtIndex(i).title === "Peer group") { row = i; return true }
            return false
        }, 10000)
        // Nothing said in it yet: it comes first all the same, dated, not last.
        compare(row, 0)
        verify(list.itemAtIndex(row).lastActivityMs > 0)
        mouseClick(list.itemAtIndex(row))
        tryCompare(find("chatTitle"), "text", "Peer group", 10000)
        const pane = openInfo()
        tryCompare(pane.group, "myRole", GroupInfo.Member, 10000)
        const members = findChild(pane, "memberList")
        tryCompare(members, "count", 2, 10000)
        // A member sees no settings and cannot act on anyone.
        verify(!findChild(pane, "groupNameEdit").visible)
        verify(!findChild(pane, "muteAllSwitch").visible)
        verify(!findChild(pane, "dissolveGroupButton").visible)
        for (let i = 0; i < members.count; ++i)
            verify(!findChild(members.itemAtIndex(i), "memberMenuButton").visible)
        verify(findChild(pane, "inviteButton").visible)

        // Made an admin while the pane is open: the requests to join already waiting show.
        verify(peer.setJoinPolicy(pane.group.groupId, GroupInfo.Approval))
        verify(asker.requestToJoin(pane.group.groupId, "may I join"))
        verify(peer.makeFriendAdmin(pane.group.groupId))
        tryCompare(pane.group, "myRole", GroupInfo.Admin, 10000)
        tryVerify(() => pane.group.applications.length === 1, 10000)

        // Leave: the composer gives way to a notice, and files dropped on the chat are not
        // taken either.
        verify(find("fileDropArea").enabled)
        mouseClick(findChild(pane, "leaveGroupButton"))
        tryCompare(pane.leaveDialog, "opened", true)
        pane.leaveDialog.accept()
        tryCompare(pane.group, "isMember", false, 10000)
        tryCompare(find("composerNotice"), "visible", true, 10000)
        compare(find("composerNotice").text, "You are no longer a member of this group.")
        compare(find("fileDropArea").enabled, false)
        // Having left is no error: not right after, nor when the pane opens again.
        wait(500)
        compare(findChild(pane, "groupInfoError").text, "")
        find("chatView").infoDrawer.close()
        tryCompare(find("chatView").infoDrawer, "opened", false)
        const again = openInfo()
        wait(500)
        compare(findChild(again, "groupInfoError").text, "")
        compare(findChild(again, "memberList").count, 0)
        find("chatView").infoDrawer.close()
    }

    function test_5_searchEditRecall() {
        mouseClick(find("nav0"))
        const list = find("conversationList")
        const search = find("messageSearchField")
        // Names find chats as they are typed, above the message search: the friend by name, a
        // group by a word of its name. Escape ends the search; Down picks a chat, Enter opens it.
        search.forceActiveFocus()
        search.text = "UIP"
        verify(!list.visible)
        tryVerify(() => findChild(window.contentItem, "chatMatches") !== null, 5000)
        const matches = find("chatMatches")
        tryCompare(matches, "count", 1)
        compare(matches.itemAt(0).title, "uipeer")
        keyClick(Qt.Key_Escape)
        compare(search.text, "")
        verify(list.visible)
        search.text = "crew"
        tryCompare(matches, "count", 1)
        compare(matches.itemAt(0).title, "UI crew")
        keyClick(Qt.Key_Down)
        verify(matches.itemAt(0).highlighted)
        keyClick(Qt.Key_Return)
        compare(search.text, "")
        verify(list.visible)
        tryCompare(find("chatTitle"), "text", "UI crew", 10000)

        // Search across chats, in Chinese: the peer's first message.
        // A search with no hits, here or on the server, says so once the server has answered.
        search.text = "nothing like this"
        search.forceActiveFocus()
        keyClick(Qt.Key_Return)
        tryCompare(find("searchStatus"), "text", "No messages found.", 10000)
        search.text = "你好"
        // A new query not yet searched does not claim to have found nothing.
        compare(find("searchStatus").text, "Press Enter to search")
        search.forceActiveFocus()
        keyClick(Qt.Key_Return)
        const results = find("searchResults")
        tryVerify(() => results.count >= 1, 10000)
        tryVerify(() => results.itemAtIndex(0) && results.itemAtIndex(0).height > 0
                        && results.itemAtIndex(0).snippet.indexOf("你好") >= 0, 10000)
        mouseClick(results.itemAtIndex(0))
        tryCompare(find("chatTitle"), "text", "uipeer", 10000)
        compare(search.text, "")
        verify(list.visible)

        // Edit the own message "hello back" through the composer's editing mode.
        const timeline = find("timeline")
        // hello, hello back, 你好, and test_3a's "counted in the title".
        tryCompare(timeline, "count", 4, 10000)
        tryVerify(() => timeline.itemAtIndex(1) !== null, 10000)
        const mine = timeline.itemAtIndex(1)
        compare(mine.text, "hello back")
        // A draft waits aside while a message is edited, and is back when the edit ends.
        const input = find("composerInput")
        input.text = "keep me"
        mine.editRequested(mine.seq, mine.text)   // what the bubble's Edit menu item emits
        compare(input.text, "hello back")
        find("composer").cancelReply()            // the ✕ beside "Editing your message"
        compare(input.text, "keep me")
        mine.editRequested(mine.seq, mine.text)
        compare(input.text, "hello back")
        input.text = "hello back, edited"
        input.forceActiveFocus()
        keyClick(Qt.Key_Return)
        tryVerify(() => timeline.itemAtIndex(1).edited && timeline.itemAtIndex(1).text === "hello back, edited", 10000)
        compare(input.text, "keep me")
        input.text = ""

        // Recall it: the bubble becomes a "recalled" line.
        timeline.itemAtIndex(1).recallRequested(timeline.itemAtIndex(1).seq)
        tryCompare(timeline.itemAtIndex(1), "kind", "recalled", 10000)
        compare(find("actionError").text, "")

        // While the chat is on screen, a new message is read as it arrives: no badge stays.
        verify(peer.sendText("are you there?"))
        let row = null
        tryVerify(() => {
            for (let i = 0; i < list.count; ++i) {
                const item = list.itemAtIndex(i)
                if (item && item.title === "uipeer" && item.preview === "are you there?")
                    row = item
            }
            return row !== null
        }, 10000)
        tryCompare(row, "unreadCount", 0, 10000)
    }

    // A reaction is taken back by choosing it again, or by clicking one's own chip.
    function test_5a_reactions() {
        tryCompare(find("chatTitle"), "text", "uipeer", 10000)
        const timeline = find("timeline")
        const first = () => timeline.itemAtIndex(0)
        tryVerify(() => first() !== null && first().seq > 0, 10000)
        const seq = first().seq
        first().reactRequested(seq, "👍") // what the React menu's 👍 emits
        tryVerify(() => first().myReaction === "👍" && first().reactions.length === 1, 10000)
        first().reactRequested(seq, "👍") // chosen again
        tryVerify(() => first().myReaction === "" && first().reactions.length === 0, 10000)

        first().reactRequested(seq, "😂")
        tryVerify(() => first().myReaction === "😂", 10000)
        let chip = null
        tryVerify(() => {
            chip = findChild(first(), "ownReactionChip")
            return chip !== null && chip.visible && chip.width > 0
        }, 5000)
        mouseClick(chip)
        tryVerify(() => first().myReaction === "" && first().reactions.length === 0, 10000)
        compare(find("actionError").text, "")
    }

    function test_5b_typingPinMute() {
        mouseClick(find("nav0"))
        const list = find("conversationList")
        let row = -1
        for (let i = 0; i < list.count; ++i)
            if (list.itemAtIndex(i) && list.itemAtIndex(i).title === "uipeer") row = i
        verify(row >= 0)
        mouseClick(list.itemAtIndex(row))
        tryCompare(find("chatTitle"), "text", "uipeer", 10000)

        // The peer types: the header says so; when it stops, the notice goes.
        verify(peer.setTyping(true))
        tryCompare(find("typingText"), "text", "uipeer is typing…", 10000)
        verify(peer.setTyping(false))
        tryCompare(find("typingText"), "text", "", 10000)

        // Pin: the chat moves to the top and says it is pinned; mute: marked muted.
        mouseClick(find("pinButton"))
        tryVerify(() => list.itemAtIndex(0) && list.itemAtIndex(0).title === "uipeer"
                        && list.itemAtIndex(0).pinned, 10000)
        tryCompare(find("pinButton"), "text", "Unpin", 10000)
        mouseClick(find("muteButton"))
        tryVerify(() => list.itemAtIndex(0).muted, 10000)
        tryCompare(find("muteButton"), "text", "Unmute", 10000)
    }

    // A call rings while the main window is hidden in the tray: the call window comes up on
    // its own, says who calls and how, and declining it tells the caller.
    function test_5e_incomingCallWhileHidden() {
        const callWindow = window.callWindow
        const calls = AccountManager.current.calls
        verify(callWindow)
        verify(!callWindow.visible)
        window.hide()
        try {
            verify(peer.startCall(true))
            tryCompare(calls, "state", Calls.Ringing, 10000)
            tryCompare(callWindow, "visible", true, 10000)
            waitForRendering(callWindow.contentItem)
            verify(!window.visible)
            compare(findChild(callWindow.contentItem, "callPeerName").text, "uipeer")
            compare(findChild(callWindow.contentItem, "callStatus").text, "Incoming video call")
            verify(findChild(callWindow.contentItem, "acceptVideoButton").visible)
            verify(findChild(callWindow.contentItem, "acceptAudioButton").visible)
            const decline = findChild(callWindow.contentItem, "declineButton")
            tryVerify(() => decline.visible && decline.width > 0, 5000)
            mouseClick(decline)
            tryCompare(calls, "state", Calls.Ended, 5000)
            compare(findChild(callWindow.contentItem, "callStatus").text, "You declined the call")
            compare(peer.nextCallEnd(), "DECLINED")
            tryCompare(callWindow, "visible", false, 10000) // it goes by itself
        } finally {
            calls.hangUp()
            calls.dismiss()
            window.show()
            waitForRendering(window.contentItem)
        }
    }

    function chooseTarget(dialog, title) {
        const targets = findChild(dialog.contentItem, "forwardTargets")
        let target = null
        tryVerify(() => {
            for (let i = 0; i < targets.count; ++i) {
                const item = targets.itemAtIndex(i)
                if (item && item.title === title && item.height > 0)
                    target = item
            }
            return target !== null
        }, 5000)
        // One click is enough: a change arriving meanwhile (a reaction's echo) updates its row
        // in place, the list is not reset under the click.
        mouseClick(target)
        tryVerify(() => dialog.chosen.length === 1, 5000)
        mouseClick(findChild(dialog.contentItem, "forwardSendButton"))
        tryCompare(dialog, "visible", false)
    }

    function test_5c_forward() {
        const chat = find("chatView")
        tryCompare(find("chatTitle"), "text", "uipeer", 10000)
        const timeline = find("timeline")
        tryVerify(() => timeline.itemAtIndex(0) && timeline.itemAtIndex(2), 10000)

        // One message, from its menu: a copy marked forwarded arrives in the group.
        timeline.itemAtIndex(0).forwardRequested(timeline.itemAtIndex(0).seq)
        tryCompare(chat.forwardDialog, "opened", true)
        chooseTarget(chat.forwardDialog, "UI crew")
        compare(peer.nextReceivedText(), "你好 from the peer")
        verify(peer.lastForwarded())

        // Two messages chosen with check boxes, sent as one chat history.
        timeline.itemAtIndex(0).selectRequested(timeline.itemAtIndex(0).seq)
        tryCompare(chat, "selecting", true)
        const box = findChild(timeline.itemAtIndex(2), "selectBox")
        tryVerify(() => box.visible && box.width > 0)
        mouseClick(box)
        compare(find("selectionCount").text, "2 selected")
        mouseClick(find("forwardMergedButton"))
        tryCompare(chat.forwardDialog, "opened", true)
        chooseTarget(chat.forwardDialog, "UI crew")
        compare(chat.selecting, false)
        peer.nextReceivedText()
        compare(peer.lastBundleSize(), 2)
        compare(find("actionError").text, "")

        // The group shows the bundle: its title and the messages' lines.
        const list = find("conversationList")
        // Below the pinned chat, at the top of the rest.
        tryVerify(() => list.itemAtIndex(1) && list.itemAtIndex(1).title === "UI crew", 10000)
        mouseClick(list.itemAtIndex(1))
        tryCompare(find("chatTitle"), "text", "UI crew", 10000)
        tryVerify(() => timeline.count > 0 && timeline.itemAtIndex(timeline.count - 1)
                        && timeline.itemAtIndex(timeline.count - 1).kind === "bundle", 10000)
        const bundle = timeline.itemAtIndex(timeline.count - 1)
        verify(bundle.text.indexOf("Chat history") === 0, bundle.text)
        verify(bundle.text.indexOf("uipeer: 你好 from the peer") > 0, bundle.text)
        verify(bundle.text.indexOf("uipeer: and now?") > 0, bundle.text)
    }

    function lastRow(timeline) {
        return timeline.count > 0 ? timeline.itemAtIndex(timeline.count - 1) : null
    }

    // Pictures and files: a received image shows its preview at once, downloads into the
    // download folder and opens in the viewer; a file sent from the app reaches the peer intact.
    function test_5d_files() {
        Preferences.downloadFolder = peer.folder("downloads")
        const list = find("conversationList")
        let row = -1
        tryVerify(() => {
            for (let i = 0; i < list.count; ++i) {
                if (list.itemAtIndex(i) && list.itemAtIndex(i).title === "uipeer") {
                    row = i
                    return true
                }
            }
            return false
        }, 10000)
        mouseClick(list.itemAtIndex(row))
        tryCompare(find("chatTitle"), "text", "uipeer", 10000)
        const chat = find("chatView")
        const timeline = find("timeline")

        verify(peer.sendImage(640, 480))
        tryVerify(() => lastRow(timeline) && lastRow(timeline).kind === "image", 10000)
        const image = lastRow(timeline)
        const thumbnail = findChild(image, "thumbnail")
        verify(thumbnail, "no thumbnail in the image message")
        tryCompare(thumbnail, "status", Image.Ready, 10000)
        verify(String(thumbnail.source).startsWith("data:image/jpeg"), thumbnail.source)
        const previewWidth = thumbnail.implicitWidth
        compare(previewWidth, 160) // the JPEG preview the peer made
        verify(thumbnail.visible && thumbnail.width > 100 && thumbnail.height > 50)

        // The original, downloaded: then the picture comes from the local copy, sharper.
        mouseClick(findChild(image, "downloadButton"))
        tryVerify(() => image.file.transferState === "done", 15000)
        tryVerify(() => String(thumbnail.source).startsWith("file://"), 10000)
        verify(String(thumbnail.source).indexOf("/downloads/gradient.png") > 0, thumbnail.source)
        tryCompare(thumbnail, "status", Image.Ready, 10000)
        verify(thumbnail.implicitWidth > previewWidth, previewWidth + " -> " + thumbnail.implicitWidth)
        verify(findChild(image, "openButton").visible)

        // Clicking it opens the viewer with the full picture.
        mouseClick(thumbnail)
        tryCompare(chat.imageViewer, "opened", true)
        compare(String(chat.imageViewer.source), String(thumbnail.source))
        keyClick(Qt.Key_Escape)
        tryCompare(chat.imageViewer, "opened", false)

        // A file from the app (as the picker or a drop hands it over): sent, and intact.
        const url = peer.writeFile("report.pdf", 300000)
        compare(chat.messages.sendFiles([url]), 1)
        tryVerify(() => lastRow(timeline) && lastRow(timeline).kind === "file" && lastRow(timeline).isMine, 10000)
        compare(findChild(lastRow(timeline), "fileName").text, "report.pdf")
        tryVerify(() => lastRow(timeline).state >= MessageModel.Sent, 15000)
        compare(peer.nextReceivedText(), "")
        compare(peer.lastFileName(), "report.pdf")
        compare(peer.downloadLastFile(), peer.sha256Of(url))
        // This device has it: Open rather than Download.
        tryVerify(() => findChild(lastRow(timeline), "openButton").visible, 5000)
        compare(find("actionError").text, "")

        // A picture pasted into the composer is sent as an image, not as text.
        peer.copyPicture(300, 200)
        const input = find("composerInput")
        input.forceActiveFocus()
        keyClick(Qt.Key_V, Qt.ControlModifier)
        compare(input.text, "")
        tryVerify(() => lastRow(timeline) && lastRow(timeline).kind === "image" && lastRow(timeline).isMine, 10000)
        compare(peer.nextReceivedText(), "")
        verify(peer.lastFileName().startsWith("pasted-"), peer.lastFileName())
        // Cells copied from a spreadsheet (text with a picture of it) paste as their text.
        const rowsBefore = timeline.count
        peer.copyCells("A1\tB1", 120, 40)
        input.forceActiveFocus()
        keyClick(Qt.Key_V, Qt.ControlModifier)
        compare(input.text, "A1\tB1")
        wait(300)
        compare(timeline.count, rowsBefore)
        input.text = ""

        // An own photo: cropped, uploaded, and shown (round) instead of the initial.
        const account = AccountManager.current
        account.setAvatar(peer.writePicture("me.png", 800, 600))
        tryVerify(() => account.avatarFileId.length > 0, 10000)
        const sidebar = find("sidebarAvatar")
        tryVerify(() => sidebar.source.length > 0, 10000)
        tryCompare(findChild(sidebar, "avatarPicture"), "status", Image.Ready, 10000)
        // And on the own messages in the timeline.
        tryVerify(() => findChild(lastRow(timeline), "avatarPicture").status === Image.Ready, 10000)
    }

    function openChat(title) {
        mouseClick(find("nav0"))
        find("messageSearchField").text = ""
        const list = find("conversationList")
        let row = null
        tryVerify(() => {
            for (let i = 0; i < list.count; ++i) {
                if (list.itemAtIndex(i) && list.itemAtIndex(i).title === title) {
                    row = list.itemAtIndex(i)
                    return true
                }
            }
            return false
        }, 10000)
        mouseClick(row)
        tryCompare(find("chatTitle"), "text", title, 10000)
    }

    // Whether the timeline shows (some of) its row `row`.
    function rowInView(timeline, row) {
        const item = timeline.itemAtIndex(row)
        return item !== null && item.height > 0 && item.y + item.height > timeline.contentY
               && item.y < timeline.contentY + timeline.height
    }

    // The peer receives `text`; what came before it (the record of test_5e's call) is passed
    // over.
    function peerReceives(text) {
        for (let i = 0; i < 3; ++i) {
            if (peer.nextReceivedText() === text)
                return true
        }
        return false
    }

    // Sends `text` from the composer; its row once the server has it.
    function sendFromComposer(text) {
        const timeline = find("timeline")
        const input = find("composerInput")
        input.text = text
        input.forceActiveFocus()
        keyClick(Qt.Key_Return)
        tryVerify(() => lastRow(timeline) && lastRow(timeline).text === text
                        && lastRow(timeline).state >= MessageModel.Sent, 10000)
        verify(peerReceives(text), text)
        return lastRow(timeline)
    }

    // A reply to entry `seq`, as choosing Reply on it and writing starts one.
    function sendReply(seq, text) {
        find("chatView").replyTo = {seq: seq, summary: ""}
        const reply = sendFromComposer(text)
        compare(find("chatView").replyTo, null)
        return reply
    }

    // The messages take the keyboard: Up in the empty composer focuses the newest, Up and Down
    // go between them, Shift+F10 or the Menu key opens the focused one's actions (the menu a
    // right click opens), Escape goes back to the composer. The "more" button beside a bubble
    // opens the same menu with the left button.
    function test_5f_messageActionsByKeyboard() {
        window.requestActivate()
        tryVerify(() => window.active, 5000)
        openChat("uipeer")
        const chat = find("chatView")
        const timeline = find("timeline")
        const input = find("composerInput")
        const seq = sendFromComposer("keyboard target").seq
        timeline.positionViewAtEnd()

        input.text = ""
        input.forceActiveFocus()
        keyClick(Qt.Key_Up)
        tryVerify(() => timeline.activeFocus, 5000)
        compare(timeline.currentIndex, timeline.count - 1)
        const target = timeline.currentItem
        compare(target.seq, seq)
        tryVerify(() => target.keyboardFocus, 5000)
        keyClick(Qt.Key_Up)
        compare(timeline.currentIndex, timeline.count - 2)
        verify(!target.keyboardFocus)
        keyClick(Qt.Key_Down)
        compare(timeline.currentIndex, timeline.count - 1)
        tryVerify(() => target.keyboardFocus, 5000)
        // Screen readers hear who wrote what, when; the button names itself.
        const name = target.Accessible.name
        verify(name.indexOf("UI User, ") === 0 && name.endsWith(": keyboard target"), name)
        const more = findChild(target, "moreButton")
        compare(more.Accessible.name, "Actions for this message")
        tryCompare(more, "opacity", 1, 5000) // shown for the focused message

        keyClick(Qt.Key_F10, Qt.ShiftModifier)
        tryCompare(target.menu, "opened", true, 5000)
        compare(target.menu.itemAt(0).text, "Reply")
        keyClick(Qt.Key_Escape) // closes the menu; the keyboard stays on the message
        tryCompare(target.menu, "opened", false, 5000)
        tryVerify(() => timeline.activeFocus, 5000)
        compare(timeline.currentItem, target)

        keyClick(Qt.Key_Menu)
        tryCompare(target.menu, "opened", true, 5000)
        mouseClick(target.menu.itemAt(0)) // Reply: the composer takes the keyboard to write it
        tryCompare(target.menu, "opened", false, 5000)
        compare(chat.replyTo.seq, target.seq)
        tryVerify(() => input.activeFocus, 5000)
        find("composer").cancelReply()
        compare(chat.replyTo, null)

        // The mouse: the button shows on hover and opens the menu with the left button.
        mouseMove(target, target.width / 2, target.height / 2)
        tryCompare(more, "opacity", 1, 5000)
        mouseClick(more)
        tryCompare(target.menu, "opened", true, 5000)
        compare(target.menu.itemAt(0).text, "Reply")
        target.menu.close()
        tryCompare(target.menu, "opened", false, 5000)

        // Escape from the messages goes back to writing.
        input.forceActiveFocus()
        keyClick(Qt.Key_Up)
        tryVerify(() => timeline.activeFocus, 5000)
        keyClick(Qt.Key_Escape)
        tryVerify(() => input.activeFocus, 5000)
        compare(find("actionError").text, "")
    }

    // A link in a message is one: the bubble shows rich text with an anchor, while the
    // message's text stays as typed; so does what it shows, and what Copy copies. A right
    // click on the link offers to copy it; the menu opened otherwise does not. (Not clicked:
    // that would open the system's browser.) Texts without links stay plain text.
    function test_5fa_linksInMessages() {
        openChat("uipeer")
        const timeline = find("timeline")
        const input = find("composerInput")
        const plain = sendFromComposer("no link in this one")
        compare(plain.richText, "")
        compare(findChild(plain, "messageText").textFormat, TextEdit.PlainText)

        const url = "https://example.com/a?b=1&c=2#top"
        const text = "docs at " + url + ", 谢谢"
        const row = sendFromComposer(text)
        compare(row.text, text)
        verify(row.richText.indexOf('<a href="https://example.com/a?b=1&amp;c=2#top">') >= 0,
               row.richText)
        const body = findChild(row, "messageText")
        compare(body.textFormat, TextEdit.RichText)
        compare(body.getText(0, body.length), text)
        tryVerify(() => rowInView(timeline, timeline.count - 1), 5000)
        const onLink = body.positionToRectangle(12) // inside "https"
        compare(body.linkAt(onLink.x + 1, onLink.y + onLink.height / 2), url)

        function menuItem(name) {
            for (let i = 0; i < row.menu.count; ++i) {
                const item = row.menu.itemAt(i)
                if (item && (item.objectName === name || item.text === name))
                    return item
            }
            fail("no menu item " + name)
        }
        function pasted() {
            input.text = ""
            input.forceActiveFocus()
            keyClick(Qt.Key_V, Qt.ControlModifier)
            const got = input.text
            input.text = ""
            return got
        }

        mouseClick(body, onLink.x + 1, onLink.y + onLink.height / 2, Qt.RightButton)
        tryCompare(row.menu, "opened", true, 5000)
        verify(menuItem("copyLinkItem").visible)
        // (Triggered, not clicked: on the offscreen platform a click on this menu, popped up
        // at the pointer near the window's bottom, does not reach its items.)
        menuItem("copyLinkItem").triggered()
        row.menu.close()
        tryCompare(row.menu, "opened", false, 5000)
        compare(pasted(), url)

        row.openMenu()
        tryCompare(row.menu, "opened", true, 5000)
        verify(!menuItem("copyLinkItem").visible)
        mouseClick(menuItem("Copy"))
        tryCompare(row.menu, "opened", false, 5000)
        compare(pasted(), text)
        compare(find("actionError").text, "")
    }

    // A quote goes to the message it quotes: the view scrolls to it (loading older pages when
    // it is not loaded), makes it the current row and lights it up. A search hit does the same
    // in its chat. A quoted message recalled since is said to be unavailable.
    function test_5g_quoteGoesToTheOriginal() {
        openChat("uipeer")
        const chat = find("chatView")
        const timeline = find("timeline")
        timeline.positionViewAtBeginning()
        tryVerify(() => timeline.itemAtIndex(0) !== null
                        && timeline.itemAtIndex(0).text === "你好 from the peer", 10000)
        const original = timeline.itemAtIndex(0).seq
        verify(original > 0)

        // Loaded: the view goes back up to it.
        let reply = sendReply(original, "about your first message")
        verify(reply.replySummary.indexOf("你好") >= 0, reply.replySummary)
        timeline.currentIndex = timeline.count - 1
        tryVerify(() => rowInView(timeline, timeline.count - 1), 5000)
        let quote = findChild(reply, "quote")
        verify(quote.visible)
        compare(quote.Accessible.name, "Go to the quoted message: " + reply.replySummary)
        mouseClick(quote)
        tryCompare(timeline, "currentIndex", 0, 5000)
        tryVerify(() => timeline.itemAtIndex(0) && timeline.itemAtIndex(0).highlighted, 5000)
        tryVerify(() => rowInView(timeline, 0), 5000)

        // Opened again after 60 more messages: the quote still goes to the original, loading
        // older pages first when they are not there.
        const before = timeline.count
        for (let i = 0; i < 60; ++i)
            verify(peer.sendText("filler " + i))
        tryCompare(timeline, "count", before + 60, 15000)
        timeline.positionViewAtEnd()
        tryVerify(() => lastRow(timeline) && lastRow(timeline).text === "filler 59", 5000)
        sendReply(original, "still about your first message")
        openChat("UI crew")
        openChat("uipeer")
        tryVerify(() => lastRow(timeline)
                        && lastRow(timeline).text === "still about your first message", 10000)
        // (Whether the view's first fetches reached back to the original depends on the layout;
        // tst_timelinejump covers the paging itself.)
        tryVerify(() => rowInView(timeline, timeline.count - 1), 5000)
        quote = findChild(lastRow(timeline), "quote")
        tryVerify(() => quote.visible && quote.width > 0, 5000)
        mouseClick(quote)
        tryVerify(() => chat.messages.rowOfSeq(original) >= 0
                        && timeline.currentIndex === chat.messages.rowOfSeq(original), 10000)
        tryVerify(() => timeline.currentItem && timeline.currentItem.highlighted, 5000)
        compare(timeline.currentItem.seq, original)
        tryVerify(() => rowInView(timeline, timeline.currentIndex), 5000)

        // A search hit opens its chat at the message, loading back to it the same way.
        openChat("UI crew")
        const search = find("messageSearchField")
        search.text = "你好"
        search.forceActiveFocus()
        keyClick(Qt.Key_Return)
        const results = find("searchResults")
        let hit = null
        tryVerify(() => {
            for (let i = 0; i < results.count; ++i) {
                const item = results.itemAtIndex(i)
                if (item && item.height > 0 && item.chatTitle === "uipeer") {
                    hit = item
                    return true
                }
            }
            return false
        }, 10000)
        mouseClick(hit)
        tryCompare(find("chatTitle"), "text", "uipeer", 10000)
        tryVerify(() => chat.messages.rowOfSeq(original) >= 0
                        && timeline.currentIndex === chat.messages.rowOfSeq(original), 10000)
        tryVerify(() => timeline.currentItem && timeline.currentItem.highlighted, 5000)
        tryVerify(() => rowInView(timeline, timeline.currentIndex), 5000)

        // The quoted message recalled: nothing to go to, and the chat says so.
        timeline.positionViewAtEnd()
        const doomed = sendFromComposer("soon recalled").seq
        reply = sendReply(doomed, "about the recalled one")
        chat.messages.recall(doomed)
        tryVerify(() => {
            const row = chat.messages.rowOfSeq(doomed)
            return row >= 0 && timeline.itemAtIndex(row) && timeline.itemAtIndex(row).kind === "recalled"
        }, 10000)
        const notice = find("timelineNotice")
        verify(!notice.visible)
        tryVerify(() => rowInView(timeline, timeline.count - 1), 5000)
        quote = findChild(lastRow(timeline), "quote")
        tryVerify(() => quote.visible && quote.width > 0, 5000)
        mouseClick(quote)
        tryCompare(notice, "visible", true, 5000)
        compare(notice.text, "The original message is not available")
        tryCompare(notice, "visible", false, 10000) // it goes by itself
        compare(find("actionError").text, "")
    }

    // 60 messages arrive while another chat is open: opened, the chat shows the newest ones
    // and a pill at the top with how many are new; clicked, it goes to the first of them
    // (loading the older page it is on), makes it the current row, lights it up and goes.
    function test_5h_firstUnreadPill() {
        openChat("UI crew")
        for (let i = 0; i < 60; ++i)
            verify(peer.sendText("unread " + i))
        const list = find("conversationList")
        tryVerify(() => {
            for (let i = 0; i < list.count; ++i) {
                const item = list.itemAtIndex(i)
                if (item && item.title === "uipeer")
                    return item.unreadCount === 60
            }
            return false
        }, 15000)
        openChat("uipeer")
        const chat = find("chatView")
        const timeline = find("timeline")
        tryVerify(() => lastRow(timeline) && lastRow(timeline).text === "unread 59", 10000)
        const pill = find("firstUnreadPill")
        tryCompare(pill, "visible", true, 5000)
        compare(pill.text, "↑ 60 new message(s)")
        const first = chat.messages.firstUnreadSeq
        verify(first > 0)
        verify(!rowInView(timeline, chat.messages.rowOfSeq(first)))

        mouseClick(pill)
        tryCompare(pill, "visible", false, 5000)
        tryVerify(() => chat.messages.rowOfSeq(first) >= 0
                        && timeline.currentIndex === chat.messages.rowOfSeq(first), 10000)
        tryVerify(() => timeline.currentItem && timeline.currentItem.highlighted, 5000)
        compare(timeline.currentItem.seq, first)
        compare(timeline.currentItem.text, "unread 0")
        tryVerify(() => rowInView(timeline, timeline.currentIndex), 5000)

        // Opened again, read: no pill.
        openChat("UI crew")
        openChat("uipeer")
        tryVerify(() => lastRow(timeline) && lastRow(timeline).text === "unread 59", 10000)
        wait(100)
        verify(!pill.visible)
        compare(find("actionError").text, "")
    }

    // Scrolled up to read, the chat stops following new messages: a round ↓ button at the
    // bottom right says how many came in from the peer since; clicked, it goes to the newest,
    // follows new ones again and goes away. End on the messages does the same, Home goes to the
    // oldest loaded. In the composer Escape cancels an edit (the reply begun before it comes
    // back), then the reply, then nothing.
    function test_5ha_newestButtonAndEscape() {
        window.requestActivate()
        tryVerify(() => window.active, 5000)
        openChat("uipeer")
        const chat = find("chatView")
        const timeline = find("timeline")
        const button = find("jumpToNewestButton")
        const badge = find("jumpToNewestCount")
        tryVerify(() => lastRow(timeline) && rowInView(timeline, timeline.count - 1), 10000)
        verify(!button.visible)
        compare(button.Accessible.name, "Jump to the newest message")

        // As the user scrolls up: the view away from the end, then what the end of a flick or
        // a wheel's turn emits (the offscreen platform's wheel events did not move it here).
        function scrollUp() {
            timeline.positionViewAtBeginning()
            tryVerify(() => !timeline.atYEnd, 5000)
            timeline.movementEnded()
            tryCompare(button, "visible", true, 5000)
        }

        scrollUp()
        verify(!badge.visible) // nothing new yet
        verify(peer.sendText("sent while you read"))
        tryCompare(badge, "visible", true, 10000)
        compare(badge.text, "1 new")
        compare(button.Accessible.description, "1 new message(s) below")
        verify(!rowInView(timeline, timeline.count - 1)) // the view stayed where it was

        mouseClick(button)
        tryCompare(button, "visible", false, 5000)
        tryVerify(() => timeline.atYEnd && rowInView(timeline, timeline.count - 1), 5000)
        compare(lastRow(timeline).text, "sent while you read")
        compare(chat.messages.newBelow, 0)
        verify(!badge.visible)
        // Following again: the next one comes into view, and no button.
        verify(peer.sendText("and this one you see"))
        tryVerify(() => lastRow(timeline) && lastRow(timeline).text === "and this one you see"
                        && rowInView(timeline, timeline.count - 1), 10000)
        verify(!button.visible)

        // End (or Ctrl+End) with the keyboard on the messages; Home leaves the newest again.
        scrollUp()
        verify(peer.sendText("another while you read"))
        tryCompare(badge, "text", "1 new", 10000)
        timeline.forceActiveFocus()
        tryVerify(() => timeline.activeFocus, 5000)
        keyClick(Qt.Key_End, Qt.ControlModifier)
        tryCompare(button, "visible", false, 5000)
        compare(timeline.currentIndex, timeline.count - 1)
        tryVerify(() => timeline.atYEnd && rowInView(timeline, timeline.count - 1), 5000)
        compare(chat.messages.newBelow, 0)
        keyClick(Qt.Key_Home)
        tryCompare(button, "visible", true, 5000)
        verify(timeline.currentIndex < timeline.count - 1)
        keyClick(Qt.Key_End)
        tryCompare(button, "visible", false, 5000)
        tryVerify(() => rowInView(timeline, timeline.count - 1), 5000)

        // Escape in the composer: the edit, then the reply, then nothing.
        const input = find("composerInput")
        const bar = find("replyBar")
        const mine = sendFromComposer("edited, then not")
        const seq = mine.seq
        mine.replyRequested(seq, mine.text) // what the bubble's Reply menu item emits
        compare(chat.replyTo.seq, seq)
        input.text = "a reply begun"
        mine.editRequested(seq, mine.text) // what the bubble's Edit menu item emits
        compare(input.text, "edited, then not")
        compare(find("replyBarText").text, "Editing your message")
        tryVerify(() => input.activeFocus, 5000)
        keyClick(Qt.Key_Escape)
        compare(chat.editing, null)
        compare(input.text, "a reply begun")
        compare(chat.replyTo.seq, seq)
        verify(bar.visible)
        keyClick(Qt.Key_Escape)
        compare(chat.replyTo, null)
        verify(!bar.visible)
        compare(input.text, "a reply begun")
        keyClick(Qt.Key_Escape)
        compare(input.text, "a reply begun")
        verify(input.activeFocus)
        input.text = ""
        compare(find("actionError").text, "")
    }

    function test_6_profileAndDevices() {
        mouseClick(find("nav2"))
        // Read receipts: off and on again, as the server has them.
        const receipts = find("readReceiptsSwitch")
        find("settingsPage").reveal(receipts)
        verify(receipts.checked && AccountManager.current.readReceipts)
        mouseClick(receipts)
        tryVerify(() => !AccountManager.current.readReceipts, 10000)
        verify(!receipts.checked)
        mouseClick(receipts)
        tryVerify(() => AccountManager.current.readReceipts, 10000)
        verify(receipts.checked)
        // Two devices: this app and the peer's helper login as uiuser.
        const devices = find("deviceList")
        tryCompare(devices, "count", 2, 10000)
        let other = -1
        for (let i = 0; i < devices.count; ++i)
            if (!devices.itemAtIndex(i).current) other = i
        verify(other >= 0)
        tryVerify(() => devices.itemAtIndex(other).height > 0)
        find("settingsPage").reveal(devices)
        mouseClick(findChild(devices.itemAtIndex(other), "revokeButton"))
        tryCompare(devices, "count", 1, 10000)
        verify(devices.itemAtIndex(0).current)

        // The profile: a new name shows in the window title.
        find("settingsPage").reveal(find("profileNameField"))
        find("profileNameField").text = "UI 用户"
        find("statusLineField").text = "busy building Tern"
        mouseClick(find("saveProfileButton"))
        tryCompare(AccountManager.current, "displayName", "UI 用户", 10000)
        compare(AccountManager.current.statusLine, "busy building Tern")
        tryCompare(test.window, "title", "UI 用户 — Tern")

        // Privacy: nobody finds me by name any more (the peer's search comes back empty).
        const searchable = find("searchableBox")
        tryCompare(searchable, "currentIndex", 0, 10000) // everyone, the default
        searchable.activated(2)
        tryCompare(AccountManager.current, "searchableBy", 3, 10000)
        compare(searchable.currentIndex, 2)
        verify(!asker.requestFriendship("uiuser", "still there?"))
        searchable.activated(0)
        tryCompare(AccountManager.current, "searchableBy", 1, 10000)

        // Status: the account takes the choice (tst_clientpresence shows what friends see),
        // the box and its hint follow it.
        const status = find("presenceChoiceBox")
        find("settingsPage").reveal(status)
        compare(status.currentIndex, 0)
        compare(find("presenceChoiceHint").text, "Shown as away after 10 minutes without using Tern")
        status.activated(2)
        compare(AccountManager.current.presenceChoice, 2)
        compare(status.currentIndex, 2)
        compare(find("presenceChoiceHint").text, "Appear offline to everyone")
        status.activated(0)
        compare(AccountManager.current.presenceChoice, 0)
        compare(status.currentIndex, 0)

        // Password: a new one against the server's rules is explained before asking; a wrong
        // current one is refused; the right one changes it.
        find("oldPasswordField").text = "ui password 1"
        compare(find("newPasswordField").placeholderText, "New password (at least 8 characters)")
        find("newPasswordField").text = "short"
        find("repeatPasswordField").text = "short"
        find("settingsPage").reveal(find("changePasswordButton"))
        mouseClick(find("changePasswordButton"))
        tryCompare(find("passwordResult"), "text", "password must be 8 to 256 characters long", 10000)
        find("oldPasswordField").text = "not my password"
        find("newPasswordField").text = "ui password 2"
        find("repeatPasswordField").text = "ui password 2"
        find("settingsPage").reveal(find("changePasswordButton"))
        mouseClick(find("changePasswordButton"))
        tryCompare(find("passwordResult"), "text", "The current password is wrong.", 10000)
        find("oldPasswordField").text = "ui password 1"
        mouseClick(find("changePasswordButton"))
        tryCompare(find("passwordResult"), "text", "Password changed. 0 other device(s) logged out.", 10000)
        compare(find("oldPasswordField").text, "")
    }

    function test_6a_groupInvitation() {
        // Nobody may add the user to groups directly: a group from a friend is an invitation.
        mouseClick(find("nav2"))
        const adders = find("groupAddersBox")
        adders.activated(2)
        tryCompare(AccountManager.current, "groupAdders", 3, 10000)
        verify(asker.createGroupWith("Invited group", AccountManager.current.userId))
        mouseClick(find("nav1"))
        const invitationList = find("invitationList")
        tryCompare(invitationList, "count", 1, 10000)
        tryVerify(() => invitationList.itemAtIndex(0) && invitationList.itemAtIndex(0).height > 0
                        && invitationList.itemAtIndex(0).inviterName === "uiasker", 10000)
        compare(invitationList.itemAtIndex(0).groupName, "Invited group")
        mouseClick(findChild(invitationList.itemAtIndex(0), "joinGroupButton"))
        tryCompare(invitationList, "count", 0, 10000)
        // Joined: the group's chat is in the list.
        mouseClick(find("nav0"))
        const list = find("conversationList")
        tryVerify(() => {
            for (let i = 0; i < list.count; ++i)
                if (list.itemAtIndex(i) && list.itemAtIndex(i).title === "Invited group") return true
            return false
        }, 10000)
        mouseClick(find("nav2"))
        find("groupAddersBox").activated(1)
        tryCompare(AccountManager.current, "groupAdders", 2, 10000)

        // An open group's invite code: a wrong one is refused, the right one joins.
        const code = asker.createOpenGroup("Open group")
        verify(code.length > 0)
        mouseClick(find("nav0"))
        const dialog = find("chatsPage").newGroupDialog
        mouseClick(find("newGroupButton"))
        tryCompare(dialog, "opened", true)
        findChild(dialog.contentItem, "inviteCodeInput").text = "not-a-code"
        mouseClick(findChild(dialog.contentItem, "joinByCodeButton"))
        tryVerify(() => dialog.error.length > 0, 10000)
        findChild(dialog.contentItem, "inviteCodeInput").text = code
        mouseClick(findChild(dialog.contentItem, "joinByCodeButton"))
        tryCompare(dialog, "visible", false, 10000)
        tryCompare(find("chatTitle"), "text", "Open group", 10000)

        // A group whose admins approve: asked for by its number. Declined, the answer shows in
        // Contacts until dismissed; asked again and approved, its chat opens in the list.
        const groupId = asker.createApprovalGroup("Approval group")
        verify(groupId > 0)
        const askToJoin = () => {
            mouseClick(find("nav0"))
            mouseClick(find("newGroupButton"))
            tryCompare(dialog, "opened", true)
            const input = findChild(dialog.contentItem, "inviteCodeInput")
            input.text = groupId.toFixed(0)
            compare(findChild(dialog.contentItem, "joinByCodeButton").text, "Ask to join")
            const message = findChild(dialog.contentItem, "joinRequestMessage")
            verify(message.visible)
            message.text = "I hike too"
            mouseClick(findChild(dialog.contentItem, "joinByCodeButton"))
            tryVerify(() => dialog.notice.indexOf("Approval group") >= 0, 10000)
            compare(input.text, "")
            dialog.close()
            mouseClick(find("nav1"))
        }
        askToJoin()
        const requestList = find("joinRequestList")
        tryCompare(requestList, "count", 1, 10000)
        tryVerify(() => requestList.itemAtIndex(0) && requestList.itemAtIndex(0).height > 0
                        && requestList.itemAtIndex(0).groupName === "Approval group", 10000)
        verify(!requestList.itemAtIndex(0).declined)
        verify(!findChild(requestList.itemAtIndex(0), "dismissJoinRequestButton").visible)
        verify(asker.answerJoinRequest(groupId, false))
        tryVerify(() => requestList.itemAtIndex(0).declined, 10000)
        compare(findChild(requestList.itemAtIndex(0), "joinRequestState").text,
                "Declined by the group's admins")
        mouseClick(findChild(requestList.itemAtIndex(0), "dismissJoinRequestButton"))
        tryCompare(requestList, "count", 0, 10000)

        // Asked, then taken back.
        askToJoin()
        tryCompare(requestList, "count", 1, 10000)
        tryVerify(() => requestList.itemAtIndex(0) && requestList.itemAtIndex(0).height > 0, 10000)
        mouseClick(findChild(requestList.itemAtIndex(0), "withdrawJoinRequestButton"))
        tryCompare(requestList, "count", 0, 10000)

        askToJoin()
        tryCompare(requestList, "count", 1, 10000)
        verify(asker.answerJoinRequest(groupId, true))
        tryCompare(requestList, "count", 0, 10000)
        mouseClick(find("nav0"))
        const chats = find("conversationList")
        tryVerify(() => {
            for (let i = 0; i < chats.count; ++i)
                if (chats.itemAtIndex(i) && chats.itemAtIndex(i).title === "Approval group") return true
            return false
        }, 10000)
    }

    function test_6b_secondAccount() {
        mouseClick(find("nav2"))
        find("settingsPage").reveal(find("addAccountButton"))
        mouseClick(find("addAccountButton"))
        tryVerify(() => !window.signedIn, 10000)
        // Sign up a second account; the first keeps its session.
        mouseClick(find("switchModeButton"))
        find("serverField").text = testServer
        find("usernameField").text = "uisecond"
        find("displayNameField").text = "Second"
        find("passwordField").text = "ui password 3"
        mouseClick(find("submitButton"))
        tryVerify(() => window.signedIn && AccountManager.current.username === "uisecond"
                        && AccountManager.current.status === Account.Online, 15000)
        compare(find("conversationList").count, 0)
        // Back to the first from Settings: its chats, online again without a password.
        mouseClick(find("nav2"))
        const accounts = find("accountList")
        tryCompare(accounts, "count", 2)
        let other = null
        for (let i = 0; i < accounts.count; ++i)
            if (!accounts.itemAt(i).current) other = accounts.itemAt(i)
        verify(other)
        compare(other.modelData.username, "uiuser")
        const button = findChild(other, "switchAccountButton")
        find("settingsPage").reveal(button)
        mouseClick(button)
        tryVerify(() => window.signedIn && AccountManager.current.username === "uiuser"
                        && AccountManager.current.status === Account.Online, 15000)
        tryCompare(test.window, "title", "UI 用户 — Tern", 10000)
        mouseClick(find("nav0"))
        tryVerify(() => find("conversationList").count >= 3, 10000)
    }

    function test_7_logOut() {
        mouseClick(find("nav2"))
        const settings = find("settingsPage")
        settings.reveal(find("logoutButton"))
        // Asked first, with removing this computer's copy ticked; unticked and cancelled,
        // nothing happens.
        mouseClick(find("logoutButton"))
        const dialog = settings.logoutDialog
        tryCompare(dialog, "opened", true)
        const removeBox = findChild(dialog.contentItem, "removeDataBox")
        verify(removeBox)
        verify(removeBox.checked)
        mouseClick(removeBox)
        verify(!removeBox.checked)
        mouseClick(removeBox)
        verify(removeBox.checked)
        mouseClick(removeBox)
        verify(!removeBox.checked)
        dialog.reject()
        tryCompare(dialog, "visible", false)
        verify(window.signedIn)
        // Asked again, the box is ticked again: logging out removes the account's entry (the
        // second account stays).
        mouseClick(find("logoutButton"))
        tryCompare(dialog, "opened", true)
        verify(removeBox.checked)
        dialog.accept()
        tryVerify(() => !window.signedIn, 10000)
        verify(find("submitButton").visible)
        tryVerify(() => AccountManager.savedAccounts.length === 1)
        compare(AccountManager.savedAccounts[0].username, "uisecond")
    }
}
