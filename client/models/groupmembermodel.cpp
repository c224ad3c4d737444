// SPDX-License-Identifier: Apache-2.0
// GroupMemberModel: a group's member list, GUI thread.
#include "groupmembermodel.h"

#include "account.h"
#include "actionfailure.h"
#include "languagewatch.h"

#include <QVariantMap>

namespace tern::client {

GroupMemberModel::GroupMemberModel(QObject *parent)
    : QAbstractListModel(parent)
{
    refreshOnLanguageChange(this);
    // Several events of one change (and the cache writes after them) refresh once.
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(50);
    connect(&m_refreshTimer, &QTimer::timeout, this, &GroupMemberModel::refresh);
}

void GroupMemberModel::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account)
        m_account->disconnectReceiver(this);
    m_account = account;
    if (m_account) {
        connect(&m_account->groups(), &GroupStore::changed, this, [this](quint64 groupId) {
            if (groupId == m_groupId)
                m_refreshTimer.start();
        });
        connect(&m_account->presence(), &PresenceTracker::changed, this, [this] {
            if (!m_rows.empty())
                Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {OnlineRole});
        });
    }
    Q_EMIT accountChanged();
    refresh();
}

void GroupMemberModel::setGroupId(double groupId)
{
    if (quint64(groupId) == m_groupId)
        return;
    m_groupId = quint64(groupId);
    setRows({});
    Q_EMIT groupIdChanged();
    refresh();
}

void GroupMemberModel::refresh()
{
    if (!m_account || !m_groupId)
        return;
    if (isOutside()) {
        // Left, removed or dissolved: nobody to show, and the server would only refuse (an
        // error right after leaving, and each time the info pane opens). An answer still on
        // its way is of no use either.
        ++m_generation;
        if (!m_rows.empty())
            setRows({});
        if (m_loading) {
            m_loading = false;
            Q_EMIT loadingChanged();
        }
        return;
    }
    const quint64 generation = ++m_generation;
    m_loading = true;
    Q_EMIT loadingChanged();
    QPointer<GroupMemberModel> self(this);
    m_account->groupActions().listMembers(
        m_groupId,
        [self, generation](std::vector<proto::GroupMember> members, const QString &error) {
            if (!self || generation != self->m_generation)
                return;
            self->m_loading = false;
            Q_EMIT self->loadingChanged();
            if (!error.isEmpty()) {
                // No longer a member: nobody to show.
                self->setRows({});
                // Refused for not being a member (GroupActions has told the cache; the leave's
                // own refresh may not have yet): the chat says so already, calmly.
                if (!self->isOutside())
                    Q_EMIT self->actionFailed(error);
                return;
            }
            self->setRows(std::move(members));
        });
}

void GroupMemberModel::setRows(std::vector<proto::GroupMember> members)
{
    // Names once per refresh (a remark is a cache read): sorting and data() use these.
    QHash<quint64, QString> names;
    for (const auto &m : members)
        names.insert(m.user_id(), shownName(m));
    std::sort(members.begin(), members.end(),
              [&names](const proto::GroupMember &a, const proto::GroupMember &b) {
                  if (a.role() != b.role())
                      return a.role() > b.role();
                  return QString::localeAwareCompare(names.value(a.user_id()),
                                                     names.value(b.user_id()))
                      < 0;
              });
    // Most refreshes change a role or a name, not who is in: keep the rows (and their
    // delegates, with any open menu) then.
    const bool sameMembers =
        std::equal(members.begin(), members.end(), m_rows.begin(), m_rows.end(),
                   [](const proto::GroupMember &a, const proto::GroupMember &b) {
                       return a.user_id() == b.user_id();
                   });
    if (sameMembers && !m_rows.empty()) {
        m_rows = std::move(members);
        m_names = std::move(names);
        m_myRole = myRole();
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1));
        return;
    }
    beginResetModel();
    m_rows = std::move(members);
    m_names = std::move(names);
    m_myRole = myRole();
    endResetModel();
}

bool GroupMemberModel::isOutside() const
{
    const auto m = m_account ? m_account->groups().get(m_groupId) : std::nullopt;
    return m && (m->role() == proto::GROUP_ROLE_UNSPECIFIED || m->group().dissolved());
}

proto::GroupRole GroupMemberModel::myRole() const
{
    if (!m_account)
        return proto::GROUP_ROLE_UNSPECIFIED;
    const auto m = m_account->groups().get(m_groupId);
    return m && !m->group().dissolved() ? m->role() : proto::GROUP_ROLE_UNSPECIFIED;
}

QString GroupMemberModel::shownName(const proto::GroupMember &m) const
{
    if (m_account) {
        const auto cached = m_account->users().get(m.user_id());
        if (cached && cached->contact && !cached->contact->remark().empty())
            return QString::fromStdString(cached->contact->remark());
    }
    return publicName(m);
}

QString GroupMemberModel::publicName(const proto::GroupMember &m)
{
    if (!m.nickname().empty())
        return QString::fromStdString(m.nickname());
    if (!m.profile().display_name().empty())
        return QString::fromStdString(m.profile().display_name());
    return QString::fromStdString(m.profile().username());
}

int GroupMemberModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant GroupMemberModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_account)
        return {};
    const proto::GroupMember &m = m_rows[size_t(index.row())];
    const bool isMe = m.user_id() == m_account->userId();
    const proto::GroupRole mine = m_myRole;
    switch (role) {
    case UserIdRole:
        return double(m.user_id());
    case Qt::DisplayRole:
    case NameRole:
        return m_names.value(m.user_id());
    case UsernameRole:
        return QString::fromStdString(m.profile().username());
    case NicknameRole:
        return QString::fromStdString(m.nickname());
    case MemberRoleRole:
        return int(m.role());
    case IsMeRole:
        return isMe;
    case OnlineRole: {
        const auto state = m_account->presence().presence(m.user_id()).state();
        return state == proto::PRESENCE_STATE_ONLINE || state == proto::PRESENCE_STATE_AWAY;
    }
    // The rules of groups.proto: admins remove plain members, the owner anyone but themself.
    case CanRemoveRole:
        return !isMe && m.role() != proto::GROUP_ROLE_OWNER
            && (mine == proto::GROUP_ROLE_OWNER
                || (mine == proto::GROUP_ROLE_ADMIN && m.role() == proto::GROUP_ROLE_MEMBER));
    case CanSetAdminRole:
    case CanTransferRole:
        return !isMe && mine == proto::GROUP_ROLE_OWNER;
    case AvatarFileIdRole:
        return QString::fromStdString(m.profile().avatar_file_id());
    default:
        return {};
    }
}

QHash<int, QByteArray> GroupMemberModel::roleNames() const
{
    return {{UserIdRole, "userId"},
            {NameRole, "name"},
            {UsernameRole, "username"},
            {NicknameRole, "nickname"},
            {MemberRoleRole, "memberRole"},
            {IsMeRole, "isMe"},
            {OnlineRole, "online"},
            {CanRemoveRole, "canRemove"},
            {CanSetAdminRole, "canSetAdmin"},
            {CanTransferRole, "canTransfer"},
            {AvatarFileIdRole, "avatarFileId"}};
}

void GroupMemberModel::remove(double userId)
{
    if (m_account)
        m_account->groupActions().removeMember(m_groupId, quint64(userId), reportFailureTo(this));
}

void GroupMemberModel::setAdmin(double userId, bool admin)
{
    if (m_account)
        m_account->groupActions().setAdmin(m_groupId, quint64(userId), admin,
                                           reportFailureTo(this));
}

void GroupMemberModel::transferOwnership(double userId)
{
    if (m_account)
        m_account->groupActions().transferOwnership(m_groupId, quint64(userId),
                                                    reportFailureTo(this));
}

QVariantList GroupMemberModel::matching(const QString &prefix, int limit, bool withAll) const
{
    QVariantList result;
    if (withAll && QStringLiteral("all").startsWith(prefix, Qt::CaseInsensitive))
        result.append(QVariantMap {{QStringLiteral("userId"), 0.0},
                                   {QStringLiteral("name"), QStringLiteral("all")},
                                   {QStringLiteral("username"), tr("everyone in the group")}});
    for (const auto &m : m_rows) {
        if (int(result.size()) >= limit + (withAll ? 1 : 0))
            break;
        if (m_account && m.user_id() == m_account->userId())
            continue;
        // The text everyone reads gets the public name; the remark only helps find them.
        const QString name = publicName(m);
        const QString shown = m_names.value(m.user_id());
        const QString remark = shown != name ? shown : QString();
        const QString username = QString::fromStdString(m.profile().username());
        if (name.startsWith(prefix, Qt::CaseInsensitive)
            || (!remark.isEmpty() && remark.startsWith(prefix, Qt::CaseInsensitive))
            || username.startsWith(prefix, Qt::CaseInsensitive))
            result.append(QVariantMap {{QStringLiteral("userId"), double(m.user_id())},
                                       {QStringLiteral("name"), name},
                                       {QStringLiteral("remark"), remark},
                                       {QStringLiteral("username"), username}});
    }
    return result;
}

bool GroupMemberModel::contains(double userId) const
{
    return std::any_of(m_rows.begin(), m_rows.end(), [userId](const proto::GroupMember &m) {
        return m.user_id() == quint64(userId);
    });
}

} // namespace tern::client
