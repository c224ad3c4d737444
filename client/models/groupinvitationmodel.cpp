// SPDX-License-Identifier: Apache-2.0
// GroupInvitationModel: invitations into groups for this user, GUI thread.
#include "groupinvitationmodel.h"

#include "account.h"
#include "languagewatch.h"

namespace tern::client {

GroupInvitationModel::GroupInvitationModel(QObject *parent)
    : QAbstractListModel(parent)
{
    refreshOnLanguageChange(this);
}

void GroupInvitationModel::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account)
        m_account->disconnectReceiver(this);
    m_account = account;
    if (m_account) {
        connect(&m_account->session(), &Session::authenticated, this,
                &GroupInvitationModel::refresh);
        connect(&m_account->connection(), &ServerConnection::pushReceived, this,
                [this](const proto::Frame &frame) {
                    // An invitation made, answered or cancelled.
                    if (frame.has_group_invitation_push())
                        refresh();
                });
        connect(&m_account->users(), &UserStore::changed, this, [this] {
            if (!m_rows.empty())
                Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {InviterNameRole});
        });
    }
    beginResetModel();
    m_rows.clear();
    endResetModel();
    Q_EMIT countChanged();
    Q_EMIT accountChanged();
    refresh();
}

void GroupInvitationModel::refresh()
{
    if (!m_account)
        return;
    const quint64 generation = ++m_generation;
    QPointer<GroupInvitationModel> self(this);
    m_account->groupActions().listInvitations(
        [self, generation](std::vector<proto::GroupInvitation> invitations, const QString &error) {
            if (!self || generation != self->m_generation || !error.isEmpty())
                return; // offline: the next authentication asks again
            std::vector<quint64> inviters;
            for (const auto &i : invitations)
                inviters.push_back(i.inviter_id());
            self->m_account->sync().fetchProfiles(
                self->m_account->users().missingProfiles(inviters));
            self->beginResetModel();
            self->m_rows = std::move(invitations);
            self->endResetModel();
            Q_EMIT self->countChanged();
        });
}

void GroupInvitationModel::answer(double invitationId, bool accept)
{
    if (!m_account)
        return;
    const auto it = std::find_if(m_rows.begin(), m_rows.end(), [invitationId](const auto &i) {
        return i.invitation_id() == quint64(invitationId);
    });
    if (it == m_rows.end())
        return;
    QPointer<GroupInvitationModel> self(this);
    m_account->groupActions().answerInvitation(*it, accept, [self, accept](const QString &error) {
        if (!self)
            return;
        if (!error.isEmpty())
            Q_EMIT self->actionFailed(error);
        else if (accept)
            Q_EMIT self->groupJoined();
        self->refresh();
    });
}

void GroupInvitationModel::accept(double invitationId)
{
    answer(invitationId, true);
}

void GroupInvitationModel::decline(double invitationId)
{
    answer(invitationId, false);
}

int GroupInvitationModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant GroupInvitationModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_account)
        return {};
    const proto::GroupInvitation &i = m_rows[size_t(index.row())];
    switch (role) {
    case InvitationIdRole:
        return double(i.invitation_id());
    case Qt::DisplayRole:
    case GroupNameRole:
        return QString::fromStdString(i.group().name());
    case InviterNameRole: {
        const auto user = m_account->users().get(i.inviter_id());
        return user ? user->shownName() : QString();
    }
    case MemberCountRole:
        return int(i.group().member_count());
    default:
        return {};
    }
}

QHash<int, QByteArray> GroupInvitationModel::roleNames() const
{
    return {{InvitationIdRole, "invitationId"},
            {GroupNameRole, "groupName"},
            {InviterNameRole, "inviterName"},
            {MemberCountRole, "memberCount"}};
}

} // namespace tern::client
