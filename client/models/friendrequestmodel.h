// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

class Account;

// Pending friend requests, incoming first then outgoing, newest first within each; with the
// actions the user may take on each (accept/decline incoming, cancel outgoing).
class FriendRequestModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    Q_PROPERTY(int incomingCount READ incomingCount NOTIFY countsChanged)
public:
    enum Role {
        RequestIdRole = Qt::UserRole + 1,
        IncomingRole,
        PeerNameRole,
        PeerUsernameRole,
        GreetingRole
    };
    Q_ENUM(Role)

    explicit FriendRequestModel(QObject *parent = nullptr);

    Account *account() const { return m_account; }
    void setAccount(Account *account);
    int incomingCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE void accept(double requestId);
    Q_INVOKABLE void decline(double requestId);
    Q_INVOKABLE void cancel(double requestId);

Q_SIGNALS:
    void accountChanged();
    void countsChanged();
    void actionFailed(const QString &reason);

private:
    void reload();
    bool isIncoming(const proto::FriendRequest &r) const;

    QPointer<Account> m_account;
    std::vector<proto::FriendRequest> m_rows;
    QTimer m_reloadTimer;
};

} // namespace tern::client
