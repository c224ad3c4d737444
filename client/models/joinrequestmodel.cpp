// SPDX-License-Identifier: Apache-2.0
// JoinRequestModel: this user's requests to join groups, GUI thread.
#include "joinrequestmodel.h"

#include "account.h"

namespace tern::client {

JoinRequestModel::JoinRequestModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void JoinRequestModel::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account)
        m_account->disconnectReceiver(this);
    m_account = account;
    if (m_account) {
        connect(&m_account->session(), &Session::authenticated, this, &JoinRequestModel::refresh);
        connect(&m_account->connection(), &ServerConnection::pushReceived, this,
                [this](const proto::Frame &frame) {
                    // Admins hear of applications to their groups too: only the own count here.
                    if (frame.has_join_application_push()
                        && frame.join_application_push().application().applicant().user_id()
                            == m_account->userId())
                        onPushed(frame.join_application_push().application());
                });
    }
    ++m_generation; // a listing of the account before is not for this one
    beginResetModel();
    m_rows.clear();
    m_answered.clear();
    m_pushedPending.clear();
    endResetModel();
    Q_EMIT accountChanged();
    refresh();
}

void JoinRequestModel::refresh()
{
    if (!m_account)
        return;
    const quint64 generation = ++m_generation;
    m_pushedPending.clear();
    QPointer<JoinRequestModel> self(this);
    m_account->groupActions().listApplications(
        0, [self, generation](std::vector<proto::JoinApplication> pending, const QString &error) {
            if (!self || generation != self->m_generation || !error.isEmpty())
                return; // offline: the next authentication asks again
            // The server lists pending ones only. Pushed while the listing was on its way: an
            // answer is newer than the listing, a new request may be missing from it. Declined
            // ones stay until dismissed.
            std::vector<proto::JoinApplication> rows;
            QSet<quint64> listed;
            for (auto &application : pending) {
                listed.insert(application.application_id());
                if (!self->m_answered.contains(application.application_id()))
                    rows.push_back(std::move(application));
            }
            for (const auto &row : self->m_rows) {
                const bool pushedMeanwhile = row.state() == proto::JoinApplication::STATE_PENDING
                    && self->m_pushedPending.contains(row.application_id())
                    && !listed.contains(row.application_id());
                if (pushedMeanwhile)
                    rows.insert(rows.begin(), row);
                else if (row.state() == proto::JoinApplication::STATE_DECLINED)
                    rows.push_back(row);
            }
            self->beginResetModel();
            self->m_rows = std::move(rows);
            self->endResetModel();
        });
}

void JoinRequestModel::onPushed(const proto::JoinApplication &application)
{
    const bool pending = application.state() == proto::JoinApplication::STATE_PENDING;
    if (!pending)
        m_answered.insert(application.application_id());
    else if (m_answered.contains(application.application_id()))
        return; // the answer overtook the request's own push
    else
        m_pushedPending.insert(application.application_id());
    const int row = rowOf(application.application_id());
    const bool keep = pending || application.state() == proto::JoinApplication::STATE_DECLINED;
    if (row >= 0 && keep) {
        m_rows[size_t(row)] = application;
        Q_EMIT dataChanged(index(row), index(row));
    } else if (row >= 0) {
        beginRemoveRows({}, row, row);
        m_rows.erase(m_rows.begin() + row);
        endRemoveRows();
    } else if (keep) {
        beginInsertRows({}, 0, 0);
        m_rows.insert(m_rows.begin(), application);
        endInsertRows();
    }
}

void JoinRequestModel::dismiss(double applicationId)
{
    const int row = rowOf(quint64(applicationId));
    if (row < 0 || m_rows[size_t(row)].state() == proto::JoinApplication::STATE_PENDING)
        return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
}

void JoinRequestModel::withdraw(double applicationId)
{
    if (!m_account)
        return;
    QPointer<JoinRequestModel> self(this);
    m_account->groupActions().withdrawApplication(
        quint64(applicationId),
        [self](std::optional<proto::JoinApplication> withdrawn, const QString &error) {
            if (!self)
                return;
            if (withdrawn)
                self->onPushed(*withdrawn);
            else
                Q_EMIT self->actionFailed(error);
        });
}

int JoinRequestModel::rowOf(quint64 applicationId) const
{
    const auto it = std::find_if(m_rows.begin(), m_rows.end(), [applicationId](const auto &a) {
        return a.application_id() == applicationId;
    });
    return it == m_rows.end() ? -1 : int(it - m_rows.begin());
}

int JoinRequestModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant JoinRequestModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const proto::JoinApplication &a = m_rows[size_t(index.row())];
    switch (role) {
    case ApplicationIdRole:
        return double(a.application_id());
    case Qt::DisplayRole:
    case GroupNameRole:
        return QString::fromStdString(a.group().name());
    case MemberCountRole:
        return int(a.group().member_count());
    case DeclinedRole:
        return a.state() == proto::JoinApplication::STATE_DECLINED;
    default:
        return {};
    }
}

QHash<int, QByteArray> JoinRequestModel::roleNames() const
{
    return {{ApplicationIdRole, "applicationId"},
            {GroupNameRole, "groupName"},
            {MemberCountRole, "memberCount"},
            {DeclinedRole, "declined"}};
}

} // namespace tern::client
