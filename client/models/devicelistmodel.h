// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

class Account;

// The account's signed-in devices (ListSessions), most recently seen first, and revoking one
// (a lost laptop). Not cached: it is asked for when the settings page shows it.
class DeviceListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
public:
    enum Role {
        SessionIdRole = Qt::UserRole + 1,
        DeviceNameRole,
        ClientRole,
        LastSeenMsRole,
        AddressRole,
        CurrentRole
    };
    Q_ENUM(Role)

    explicit DeviceListModel(QObject *parent = nullptr);

    Account *account() const { return m_account; }
    void setAccount(Account *account);
    QString error() const { return m_error; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE void refresh();
    Q_INVOKABLE void revoke(double sessionId);

Q_SIGNALS:
    void accountChanged();
    void errorChanged();

private:
    void setError(const QString &error);

    QPointer<Account> m_account;
    std::vector<proto::DeviceSession> m_rows;
    QString m_error;
};

} // namespace tern::client
