// SPDX-License-Identifier: Apache-2.0
// UserSearchModel: server-side user search for adding friends, GUI thread.
#include "usersearchmodel.h"

#include "account.h"

namespace tern::client {

UserSearchModel::UserSearchModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void UserSearchModel::setAccount(Account *account)
{
    if (m_account == account)
        return;
    m_account = account;
    beginResetModel();
    m_rows.clear();
    endResetModel();
    Q_EMIT accountChanged();
}

void UserSearchModel::setError(const QString &error)
{
    if (m_error == error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

void UserSearchModel::search(const QString &query)
{
    if (!m_account || query.trimmed().isEmpty())
        return;
    const int generation = ++m_generation; // only the latest search fills the list
    m_searching = true;
    Q_EMIT searchingChanged();
    setError({});
    QPointer<UserSearchModel> self(this);
    m_account->contactActions().searchUsers(
        query,
        [self, generation](const std::vector<proto::UserProfile> &users, const QString &error) {
            if (!self || generation != self->m_generation)
                return;
            self->m_searching = false;
            Q_EMIT self->searchingChanged();
            self->beginResetModel();
            self->m_rows = users;
            self->endResetModel();
            self->setError(!error.isEmpty()    ? error
                               : users.empty() ? tr("Nobody found. Check the username.")
                                               : QString());
        });
}

void UserSearchModel::sendRequest(double userId, const QString &greeting)
{
    if (!m_account)
        return;
    QPointer<UserSearchModel> self(this);
    const quint64 id = quint64(userId);
    m_account->contactActions().sendFriendRequest(id, greeting, [self, id](const QString &error) {
        if (!self)
            return;
        if (!error.isEmpty()) {
            self->setError(error);
            return;
        }
        self->m_sent.push_back(id);
        for (size_t i = 0; i < self->m_rows.size(); ++i) {
            if (self->m_rows[i].user_id() == id)
                Q_EMIT self->dataChanged(self->index(int(i)), self->index(int(i)),
                                         {RequestSentRole});
        }
        Q_EMIT self->requestSent(double(id));
    });
}

int UserSearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant UserSearchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const proto::UserProfile &u = m_rows[size_t(index.row())];
    switch (role) {
    case UserIdRole:
        return qulonglong(u.user_id());
    case Qt::DisplayRole:
    case NameRole:
        return QString::fromStdString(u.display_name().empty() ? u.username() : u.display_name());
    case UsernameRole:
        return QString::fromStdString(u.username());
    case IsFriendRole:
        return u.is_friend();
    case RequestSentRole:
        return std::find(m_sent.begin(), m_sent.end(), u.user_id()) != m_sent.end();
    default:
        return {};
    }
}

QHash<int, QByteArray> UserSearchModel::roleNames() const
{
    return {{UserIdRole, "userId"},
            {NameRole, "name"},
            {UsernameRole, "username"},
            {IsFriendRole, "isFriend"},
            {RequestSentRole, "requestSent"}};
}

} // namespace tern::client
