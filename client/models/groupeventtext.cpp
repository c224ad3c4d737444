// SPDX-License-Identifier: Apache-2.0
// describeGroupEvent: group events in words, GUI thread.
#include "groupeventtext.h"

#include "account.h"

#include <QCoreApplication>
#include <QStringList>

namespace tern::client {

namespace {

// The context these texts are translated in (lupdate files them under it; a free tr()
// helper would be filed under the namespace, and never found at run time).
struct GroupEvent
{
    Q_DECLARE_TR_FUNCTIONS(GroupEvent)
};

QString nameOf(Account &account, quint64 userId)
{
    if (userId == account.userId())
        return GroupEvent::tr("You");
    const auto user = account.users().get(userId);
    return user ? user->shownName() : GroupEvent::tr("Someone");
}

QString namesOf(Account &account, const google::protobuf::RepeatedField<uint64_t> &ids)
{
    QStringList names;
    for (quint64 id : ids)
        names.append(nameOf(account, id));
    return names.join(GroupEvent::tr(", "));
}

QString settingsText(const QString &actor, const proto::GroupEvent::Details &d)
{
    if (d.has_name())
        return GroupEvent::tr("%1 renamed the group to “%2”")
            .arg(actor, QString::fromStdString(d.name()));
    if (d.has_announcement())
        return d.announcement().empty()
            ? GroupEvent::tr("%1 removed the announcement").arg(actor)
            : GroupEvent::tr("%1 posted an announcement: %2")
                  .arg(actor, QString::fromStdString(d.announcement()).simplified());
    if (d.has_mute_all())
        return d.mute_all()
            ? GroupEvent::tr("%1 allowed only the owner and admins to post").arg(actor)
            : GroupEvent::tr("%1 allowed everyone to post").arg(actor);
    if (d.join_policy() != proto::GROUP_JOIN_POLICY_UNSPECIFIED)
        return GroupEvent::tr("%1 changed who can join").arg(actor);
    if (d.invite_code_reset())
        return GroupEvent::tr("%1 made a new invite code").arg(actor);
    return GroupEvent::tr("%1 changed the group settings").arg(actor);
}

} // namespace

QString describeGroupEvent(const proto::GroupEvent &e, Account &account)
{
    const QString actor = nameOf(account, e.actor_id());
    const QString targets = namesOf(account, e.target_ids());
    switch (e.kind()) {
    case proto::GroupEvent::KIND_CREATED:
        return GroupEvent::tr("%1 created the group").arg(actor);
    case proto::GroupEvent::KIND_MEMBERS_ADDED:
        return GroupEvent::tr("%1 added %2").arg(actor, targets);
    case proto::GroupEvent::KIND_MEMBER_JOINED:
        return GroupEvent::tr("%1 joined the group").arg(actor);
    case proto::GroupEvent::KIND_JOIN_APPROVED:
        return GroupEvent::tr("%1 let %2 join").arg(actor, targets);
    case proto::GroupEvent::KIND_MEMBER_LEFT:
        return GroupEvent::tr("%1 left the group").arg(actor);
    case proto::GroupEvent::KIND_MEMBERS_REMOVED:
        return GroupEvent::tr("%1 removed %2").arg(actor, targets);
    case proto::GroupEvent::KIND_ADMINS_ADDED:
        return GroupEvent::tr("%1 made %2 an admin").arg(actor, targets);
    case proto::GroupEvent::KIND_ADMINS_REMOVED:
        return GroupEvent::tr("%1 removed %2 as admin").arg(actor, targets);
    case proto::GroupEvent::KIND_OWNER_CHANGED:
        return GroupEvent::tr("%1 made %2 the owner").arg(actor, targets);
    case proto::GroupEvent::KIND_SETTINGS_CHANGED:
        return settingsText(actor, e.details());
    case proto::GroupEvent::KIND_NICKNAME_CHANGED:
        return e.details().nickname().empty()
            ? GroupEvent::tr("%1 removed their group nickname").arg(actor)
            : GroupEvent::tr("%1 is now called “%2” in this group")
                  .arg(actor, QString::fromStdString(e.details().nickname()));
    case proto::GroupEvent::KIND_DISSOLVED:
        return GroupEvent::tr("%1 dissolved the group").arg(actor);
    default:
        return GroupEvent::tr("Group update");
    }
}

} // namespace tern::client
