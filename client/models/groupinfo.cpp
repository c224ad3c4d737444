// SPDX-License-Identifier: Apache-2.0
// GroupInfo: one group's info page, GUI thread.
#include "groupinfo.h"

#include "account.h"
#include "actionfailure.h"

#include <QVariantMap>

namespace tern::client {

GroupInfo::GroupInfo(QObject *parent)
    : QObject(parent)
{ }

void GroupInfo::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account)
        m_account->disconnectReceiver(this);
    m_account = account;
    watch();
    Q_EMIT accountChanged();
    Q_EMIT changed();
}

void GroupInfo::setGroupId(double groupId)
{
    if (quint64(groupId) == m_groupId)
        return;
    m_groupId = quint64(groupId);
    m_applications.clear();
    Q_EMIT groupIdChanged();
    Q_EMIT changed();
    Q_EMIT applicationsChanged();
}

void GroupInfo::watch()
{
    if (!m_account)
        return;
    connect(&m_account->groups(), &GroupStore::changed, this, [this](quint64 groupId) {
        if (groupId == m_groupId)
            Q_EMIT changed();
    });
    // A new request to join (or one answered by another admin, or withdrawn).
    connect(&m_account->connection(), &ServerConnection::pushReceived, this,
            [this](const proto::Frame &frame) {
                if (frame.has_join_application_push()
                    && frame.join_application_push().application().group_id() == m_groupId
                    && canEditSettings())
                    refreshApplications();
            });
}

std::optional<proto::GroupMembership> GroupInfo::membership() const
{
    if (!m_account || !m_groupId)
        return std::nullopt;
    return m_account->groups().get(m_groupId);
}

QString GroupInfo::name() const
{
    const auto m = membership();
    return m ? QString::fromStdString(m->group().name()) : QString();
}

QString GroupInfo::avatarFileId() const
{
    const auto m = membership();
    return m ? QString::fromStdString(m->group().avatar_file_id()) : QString();
}

void GroupInfo::setAvatar(const QUrl &picture)
{
    if (!m_account)
        return;
    QPointer<GroupInfo> self(this);
    const quint64 groupId = m_groupId;
    m_account->avatars().upload(picture.isLocalFile() ? picture.toLocalFile() : picture.toString(),
                                [self, groupId](const QString &fileId, const QString &error) {
                                    if (!self || !self->m_account)
                                        return;
                                    if (!error.isEmpty())
                                        return Q_EMIT self->actionFailed(error);
                                    GroupActions::Settings s;
                                    s.avatarFileId = fileId;
                                    self->m_account->groupActions().update(
                                        groupId, s, reportFailureTo(self.data()));
                                });
}

QString GroupInfo::announcement() const
{
    const auto m = membership();
    return m ? QString::fromStdString(m->group().announcement()) : QString();
}

int GroupInfo::memberCount() const
{
    const auto m = membership();
    return m ? int(m->group().member_count()) : 0;
}

GroupInfo::JoinPolicy GroupInfo::joinPolicy() const
{
    const auto m = membership();
    const int policy = m ? int(m->group().join_policy()) : 0;
    return policy >= Approval && policy <= Open ? JoinPolicy(policy) : InviteOnly;
}

bool GroupInfo::muteAll() const
{
    const auto m = membership();
    return m && m->group().mute_all();
}

QString GroupInfo::inviteCode() const
{
    const auto m = membership();
    return m ? QString::fromStdString(m->group().invite_code()) : QString();
}

bool GroupInfo::isDissolved() const
{
    const auto m = membership();
    return m && m->group().dissolved();
}

GroupInfo::Role GroupInfo::myRole() const
{
    const auto m = membership();
    const int role = m ? int(m->role()) : 0;
    return role >= Member && role <= Owner ? Role(role) : NotMember;
}

QString GroupInfo::myNickname() const
{
    const auto m = membership();
    return m ? QString::fromStdString(m->nickname()) : QString();
}

bool GroupInfo::canInvite() const
{
    return isMember() && (joinPolicy() != Approval || myRole() >= Admin);
}

void GroupInfo::rename(const QString &name)
{
    GroupActions::Settings s;
    s.name = name;
    if (m_account)
        m_account->groupActions().update(m_groupId, s, reportFailureTo(this));
}

void GroupInfo::setAnnouncement(const QString &announcement)
{
    GroupActions::Settings s;
    s.announcement = announcement;
    if (m_account)
        m_account->groupActions().update(m_groupId, s, reportFailureTo(this));
}

void GroupInfo::setJoinPolicy(JoinPolicy policy)
{
    GroupActions::Settings s;
    s.joinPolicy = proto::GroupJoinPolicy(policy);
    if (m_account)
        m_account->groupActions().update(m_groupId, s, reportFailureTo(this));
}

void GroupInfo::setMuteAll(bool muteAll)
{
    GroupActions::Settings s;
    s.muteAll = muteAll;
    if (m_account)
        m_account->groupActions().update(m_groupId, s, reportFailureTo(this));
}

void GroupInfo::resetInviteCode()
{
    GroupActions::Settings s;
    s.resetInviteCode = true;
    if (m_account)
        m_account->groupActions().update(m_groupId, s, reportFailureTo(this));
}

void GroupInfo::setMyNickname(const QString &nickname)
{
    if (m_account)
        m_account->groupActions().setNickname(m_groupId, nickname, reportFailureTo(this));
}

void GroupInfo::invite(const QVariantList &userIds)
{
    std::vector<quint64> ids;
    for (const QVariant &id : userIds)
        ids.push_back(quint64(id.toDouble()));
    if (!m_account || ids.empty())
        return;
    m_account->groupActions().invite(m_groupId, ids, reportOutcomeTo(this, &GroupInfo::invited));
}

void GroupInfo::leave()
{
    if (m_account)
        m_account->groupActions().leave(m_groupId, reportFailureTo(this));
}

void GroupInfo::dissolve()
{
    if (m_account)
        m_account->groupActions().dissolve(m_groupId, reportFailureTo(this));
}

void GroupInfo::refreshApplications()
{
    if (!m_account || !m_groupId)
        return;
    QPointer<GroupInfo> self(this);
    const quint64 groupId = m_groupId;
    m_account->groupActions().listApplications(
        groupId, [self, groupId](std::vector<proto::JoinApplication> apps, const QString &error) {
            if (!self || self->m_groupId != groupId)
                return;
            if (!error.isEmpty()) {
                Q_EMIT self->actionFailed(error);
                return;
            }
            self->m_applications.clear();
            for (const auto &a : apps) {
                const auto &who = a.applicant();
                self->m_applications.append(QVariantMap {
                    {QStringLiteral("applicationId"), double(a.application_id())},
                    {QStringLiteral("userId"), double(who.user_id())},
                    {QStringLiteral("name"),
                     QString::fromStdString(who.display_name().empty() ? who.username()
                                                                       : who.display_name())},
                    {QStringLiteral("username"), QString::fromStdString(who.username())},
                    {QStringLiteral("message"), QString::fromStdString(a.message())},
                });
            }
            Q_EMIT self->applicationsChanged();
        });
}

void GroupInfo::answerApplication(double applicationId, bool approve)
{
    if (!m_account)
        return;
    QPointer<GroupInfo> self(this);
    m_account->groupActions().answerApplication(m_groupId, quint64(applicationId), approve,
                                                [self](const QString &error) {
                                                    if (!self)
                                                        return;
                                                    if (!error.isEmpty())
                                                        Q_EMIT self->actionFailed(error);
                                                    self->refreshApplications();
                                                });
}

} // namespace tern::client
