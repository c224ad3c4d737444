// SPDX-License-Identifier: Apache-2.0
// DeviceListModel: the account's device sessions, GUI thread.
#include "devicelistmodel.h"

#include "account.h"
#include "refusals.h"

namespace tern::client {

DeviceListModel::DeviceListModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void DeviceListModel::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account)
        m_account->disconnectReceiver(this);
    m_account = account;
    // Asked again after every (re)authentication: the list may have changed meanwhile.
    if (m_account)
        connect(m_account, &Account::sessionChanged, this, &DeviceListModel::refresh);
    refresh();
    Q_EMIT accountChanged();
}

void DeviceListModel::setError(const QString &error)
{
    if (m_error != error) {
        m_error = error;
        Q_EMIT errorChanged();
    }
}

void DeviceListModel::refresh()
{
    if (!m_account)
        return;
    proto::Frame frame;
    frame.mutable_list_sessions();
    QPointer<DeviceListModel> self(this);
    m_account->connection().send(
        frame,
        [self](const proto::Frame &answer) {
            if (!self)
                return;
            if (!answer.has_session_list()) {
                self->setError(refusalText(answer.error()));
                return;
            }
            self->setError({});
            self->beginResetModel();
            self->m_rows.assign(answer.session_list().sessions().begin(),
                                answer.session_list().sessions().end());
            self->endResetModel();
        },
        this);
}

void DeviceListModel::revoke(double sessionId)
{
    if (!m_account)
        return;
    proto::Frame frame;
    frame.mutable_revoke_session()->set_session_id(quint64(sessionId));
    QPointer<DeviceListModel> self(this);
    m_account->connection().send(
        frame,
        [self](const proto::Frame &answer) {
            if (!self)
                return;
            if (!answer.has_revoke_session_result())
                self->setError(refusalText(answer.error()));
            self->refresh();
        },
        this);
}

int DeviceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant DeviceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const proto::DeviceSession &d = m_rows[size_t(index.row())];
    switch (role) {
    case SessionIdRole:
        return qulonglong(d.session_id());
    case Qt::DisplayRole:
    case DeviceNameRole:
        return d.device_name().empty() ? tr("Unnamed device")
                                       : QString::fromStdString(d.device_name());
    case ClientRole:
        return QString::fromStdString(d.client_name() + " " + d.client_version());
    case LastSeenMsRole:
        return qint64(d.last_seen_at_ms());
    case AddressRole:
        return QString::fromStdString(d.last_address());
    case CurrentRole:
        return d.current();
    default:
        return {};
    }
}

QHash<int, QByteArray> DeviceListModel::roleNames() const
{
    return {{SessionIdRole, "sessionId"}, {DeviceNameRole, "deviceName"},
            {ClientRole, "client"},       {LastSeenMsRole, "lastSeenMs"},
            {AddressRole, "address"},     {CurrentRole, "current"}};
}

} // namespace tern::client
