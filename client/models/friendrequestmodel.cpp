// SPDX-License-Identifier: Apache-2.0
// FriendRequestModel: pending friend requests over FriendRequestStore, GUI thread.
#include "friendrequestmodel.h"

#include "account.h"
#include "actionfailure.h"

#include <QDateTime>

namespace tern::client {

FriendRequestModel::FriendRequestModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(0);
    connect(&m_reloadTimer, &QTimer::timeout, this, &FriendRequestModel::reload);
}

void FriendRequestModel::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account)
        m_account->disconnectReceiver(this);
    m_account = account;
    if (m_account) {
        connect(&m_account->friendRequests(), &FriendRequestStore::changed, this,
                [this] { m_reloadTimer.start(); });
        connect(&m_account->users(), &UserStore::changed, this, [this] { m_reloadTimer.start(); });
    }
    reload();
    Q_EMIT accountChanged();
}

bool FriendRequestModel::isIncoming(const proto::FriendRequest &r) const
{
    return m_account && r.to_user_id() == m_account->userId();
}

void FriendRequestModel::reload()
{
    beginResetModel();
    m_rows = m_account ? m_account->friendRequests().pending(QDateTime::currentMSecsSinceEpoch())
                       : std::vector<proto::FriendRequest> {};
    std::stable_partition(m_rows.begin(), m_rows.end(),
                          [this](const proto::FriendRequest &r) { return isIncoming(r); });
    endResetModel();
    Q_EMIT countsChanged();
}

int FriendRequestModel::incomingCount() const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(),
                             [this](const proto::FriendRequest &r) { return isIncoming(r); }));
}

int FriendRequestModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant FriendRequestModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_account)
        return {};
    const proto::FriendRequest &r = m_rows[size_t(index.row())];
    const quint64 peerId = isIncoming(r) ? r.from_user_id() : r.to_user_id();
    const auto peer = m_account->users().get(peerId);
    switch (role) {
    case RequestIdRole:
        return qulonglong(r.request_id());
    case IncomingRole:
        return isIncoming(r);
    case Qt::DisplayRole:
    case PeerNameRole:
        return peer ? peer->shownName() : QString::fromStdString(r.peer().display_name());
    case PeerUsernameRole:
        return peer && peer->profile ? QString::fromStdString(peer->profile->username())
                                     : QString::fromStdString(r.peer().username());
    case GreetingRole:
        return QString::fromStdString(r.greeting());
    default:
        return {};
    }
}

QHash<int, QByteArray> FriendRequestModel::roleNames() const
{
    return {{RequestIdRole, "requestId"},
            {IncomingRole, "incoming"},
            {PeerNameRole, "peerName"},
            {PeerUsernameRole, "peerUsername"},
            {GreetingRole, "greeting"}};
}

void FriendRequestModel::accept(double requestId)
{
    if (!m_account)
        return;
    m_account->contactActions().answerFriendRequest(quint64(requestId), true,
                                                    reportFailureTo(this));
}

void FriendRequestModel::decline(double requestId)
{
    if (!m_account)
        return;
    m_account->contactActions().answerFriendRequest(quint64(requestId), false,
                                                    reportFailureTo(this));
}

void FriendRequestModel::cancel(double requestId)
{
    if (!m_account)
        return;
    m_account->contactActions().cancelFriendRequest(quint64(requestId), reportFailureTo(this));
}

} // namespace tern::client
