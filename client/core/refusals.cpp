// SPDX-License-Identifier: Apache-2.0
#include "refusals.h"

#include "tern/limits.h"

#include <QCoreApplication>

namespace tern::client {

namespace {

// The texts below are marked with QT_TRANSLATE_NOOP for lupdate and translated here.
QString translated(const char *text)
{
    return QCoreApplication::translate("Refusals", text);
}

// Error.reason → what to say (error.proto lists the reasons).
struct ReasonText
{
    const char *reason;
    const char *text;
};
const ReasonText kReasonTexts[] = {
    {"messaging/no_conversation",
     QT_TRANSLATE_NOOP("Refusals", "This chat is not available to you.")},
    {"messaging/no_user", QT_TRANSLATE_NOOP("Refusals", "There is no such user.")},
    {"messaging/self", QT_TRANSLATE_NOOP("Refusals", "A chat needs someone other than you.")},
    {"messaging/left", QT_TRANSLATE_NOOP("Refusals", "You are no longer a member of this group.")},
    {"messaging/blocked", QT_TRANSLATE_NOOP("Refusals", "One of you has blocked the other.")},
    {"messaging/not_friends",
     QT_TRANSLATE_NOOP("Refusals", "On this server you can only message your friends.")},
    {"messaging/muted", QT_TRANSLATE_NOOP("Refusals", "The group is muted: only admins may post.")},
    {"messaging/mention_all",
     QT_TRANSLATE_NOOP("Refusals", "Only group admins may mention everyone.")},
    {"messaging/bad_mention",
     QT_TRANSLATE_NOOP("Refusals", "You can only mention members of this chat.")},
    {"messaging/no_reply_target",
     QT_TRANSLATE_NOOP("Refusals", "The message you reply to is no longer there.")},
    {"messaging/no_target", QT_TRANSLATE_NOOP("Refusals", "That message is no longer there.")},
    {"messaging/not_sender", QT_TRANSLATE_NOOP("Refusals", "You can only edit your own messages.")},
    {"messaging/not_text", QT_TRANSLATE_NOOP("Refusals", "Only texts and captions can be edited.")},
    {"messaging/window",
     QT_TRANSLATE_NOOP("Refusals", "Too late: the time to edit or recall this message is over.")},
    {"messaging/recalled", QT_TRANSLATE_NOOP("Refusals", "The message was recalled.")},
    {"messaging/not_admin",
     QT_TRANSLATE_NOOP("Refusals", "Only its sender or a group admin may recall a message.")},
    {"messaging/changed",
     QT_TRANSLATE_NOOP("Refusals", "The message changed meanwhile: try again.")},
    {"messaging/search_slow",
     QT_TRANSLATE_NOOP("Refusals",
                       "The search took too long: use more characters, or search one chat.")},
    {"contacts/self", QT_TRANSLATE_NOOP("Refusals", "That is you.")},
    {"contacts/no_user", QT_TRANSLATE_NOOP("Refusals", "There is no such user.")},
    {"contacts/no_request", QT_TRANSLATE_NOOP("Refusals", "That friend request no longer exists.")},
    {"contacts/refused",
     QT_TRANSLATE_NOOP("Refusals", "You cannot send this user a friend request.")},
    {"contacts/you_block",
     QT_TRANSLATE_NOOP("Refusals", "You block this user: unblock them first.")},
    {"contacts/not_pending",
     QT_TRANSLATE_NOOP("Refusals", "The request was already answered, cancelled or has expired.")},
    {"contacts/not_friends", QT_TRANSLATE_NOOP("Refusals", "You are not friends.")},
    {"contacts/too_many",
     QT_TRANSLATE_NOOP("Refusals", "200 of your friend requests are waiting already.")},
    {"calls/not_friends", QT_TRANSLATE_NOOP("Refusals", "You can only call your friends.")},
    {"calls/in_call", QT_TRANSLATE_NOOP("Refusals", "You are in a call already: end it first.")},
    {"calls/over", QT_TRANSLATE_NOOP("Refusals", "The call is over.")},
    {"calls/answered_elsewhere",
     QT_TRANSLATE_NOOP("Refusals", "The call was answered on another of your devices.")},
    {"calls/answered",
     QT_TRANSLATE_NOOP("Refusals", "The call was answered already: hang up instead.")},
    {"calls/other_device",
     QT_TRANSLATE_NOOP("Refusals", "The call is on another of your devices.")},
    {"files/busy",
     QT_TRANSLATE_NOOP("Refusals",
                       "Too many files are moving at once: try again when one is done.")},
    {"files/too_large",
     QT_TRANSLATE_NOOP("Refusals", "The file is larger than this server accepts.")},
    {"files/quota", QT_TRANSLATE_NOOP("Refusals", "Your storage on the server is full.")},
    {"files/too_many",
     QT_TRANSLATE_NOOP("Refusals", "You have as many files on the server as you may keep.")},
    {"groups/no_group", QT_TRANSLATE_NOOP("Refusals", "This group no longer exists.")},
    {"groups/not_member", QT_TRANSLATE_NOOP("Refusals", "You are not a member of this group.")},
    {"groups/not_admin",
     QT_TRANSLATE_NOOP("Refusals", "Only the group's owner and admins may do this.")},
    {"groups/not_owner", QT_TRANSLATE_NOOP("Refusals", "Only the group's owner may do this.")},
    {"groups/no_user", QT_TRANSLATE_NOOP("Refusals", "There is no such user.")},
    {"groups/refused",
     QT_TRANSLATE_NOOP("Refusals", "That user cannot be added to a group by you.")},
    {"groups/limit",
     QT_TRANSLATE_NOOP("Refusals", "The group has as many members as it may have.")},
    {"groups/self", QT_TRANSLATE_NOOP("Refusals", "You cannot do this to yourself.")},
    {"groups/target_not_member",
     QT_TRANSLATE_NOOP("Refusals", "That user is not a member of this group.")},
    {"groups/target_owner", QT_TRANSLATE_NOOP("Refusals", "Nobody can remove the group's owner.")},
    {"groups/target_admin",
     QT_TRANSLATE_NOOP("Refusals", "Only the group's owner may remove an admin.")},
    {"groups/owner_cannot_leave",
     QT_TRANSLATE_NOOP("Refusals",
                       "The owner cannot leave: transfer ownership or dissolve the group first.")},
    {"groups/already_member",
     QT_TRANSLATE_NOOP("Refusals", "You are a member of this group already.")},
    {"groups/policy", QT_TRANSLATE_NOOP("Refusals", "This group does not take requests to join.")},
    {"groups/too_many_requests",
     QT_TRANSLATE_NOOP("Refusals", "200 of your requests to join groups are waiting already.")},
    {"groups/application_refused",
     QT_TRANSLATE_NOOP("Refusals", "You cannot ask to join this group.")},
    {"groups/asked_recently",
     QT_TRANSLATE_NOOP("Refusals",
                       "You asked to join this group 3 times within a day: try again later.")},
    {"groups/too_many_groups",
     QT_TRANSLATE_NOOP("Refusals",
                       "You have made 500 groups that still exist or are less than a day old.")},
    {"groups/too_many_invitations",
     QT_TRANSLATE_NOOP("Refusals", "200 of your invitations to groups are waiting already.")},
    {"groups/no_invitation", QT_TRANSLATE_NOOP("Refusals", "The invitation is no longer there.")},
    {"groups/no_application",
     QT_TRANSLATE_NOOP("Refusals", "The request to join is no longer there.")},
    {"groups/not_pending",
     QT_TRANSLATE_NOOP("Refusals", "This was answered or cancelled already.")},
    {"groups/bad_code", QT_TRANSLATE_NOOP("Refusals", "No open group has this invite code.")},
    // The text says the number: a new limit needs a new text.
    {"groups/too_many_users",
     QT_TRANSLATE_NOOP("Refusals", "Choose at most 100 people at a time.")},
    {"groups/bad_name",
     QT_TRANSLATE_NOOP("Refusals",
                       "This name cannot be used: it is too long, or has a tab or another "
                       "control character.")},
    {"groups/no_invite_code",
     QT_TRANSLATE_NOOP("Refusals", "The group has no invite code: it is not open to join.")},
};

// The reasons that name a user (Error.user_id), said with their name (%1).
const ReasonText kNamedReasonTexts[] = {
    {"groups/refused", QT_TRANSLATE_NOOP("Refusals", "%1 cannot be added to a group by you.")},
    {"groups/target_not_member",
     QT_TRANSLATE_NOOP("Refusals", "%1 is not a member of this group.")},
};

QString textForReason(const std::string &reason)
{
    for (const ReasonText &r : kReasonTexts) {
        if (reason == r.reason)
            return translated(r.text);
    }
    return {};
}

static_assert(limits::kMaxUsersPerGroupRequest == 100, "groups/too_many_users says 100");

} // namespace

QString refusalText(const proto::Error &error, const std::function<QString(quint64)> &nameOf)
{
    const QString name = error.user_id() != 0 && nameOf ? nameOf(error.user_id()) : QString();
    if (!name.isEmpty()) {
        for (const ReasonText &r : kNamedReasonTexts) {
            if (error.reason() == r.reason)
                return translated(r.text).arg(name);
        }
    }
    return refusalText(error);
}

QString refusalText(const proto::Error &error)
{
    const QString text = textForReason(error.reason());
    if (!text.isEmpty())
        return text;
    switch (error.code()) {
    case proto::ERROR_CODE_RATE_LIMITED:
        if (const int seconds = int((error.retry_after_ms() + 999) / 1000); seconds > 0)
            return QCoreApplication::translate("Refusals", "Too many requests: try again in %n s.",
                                               nullptr, seconds);
        return QCoreApplication::translate("Refusals", "Too many requests: try again shortly.");
    case proto::ERROR_CODE_UNAVAILABLE:
        return QCoreApplication::translate(
            "Refusals", "The server cannot be reached right now: try again shortly.");
    default:
        return QString::fromStdString(error.message());
    }
}

} // namespace tern::client
