// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

class Account;

// "Add friend": people found on the server by exact username or display-name prefix, and the
// friend request to one of them.
class UserSearchModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    Q_PROPERTY(bool searching READ isSearching NOTIFY searchingChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
public:
    enum Role {
        UserIdRole = Qt::UserRole + 1,
        NameRole,
        UsernameRole,
        IsFriendRole,
        RequestSentRole
    };
    Q_ENUM(Role)

    explicit UserSearchModel(QObject *parent = nullptr);

    Account *account() const { return m_account; }
    void setAccount(Account *account);
    bool isSearching() const { return m_searching; }
    QString error() const { return m_error; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE void search(const QString &query);
    Q_INVOKABLE void sendRequest(double userId, const QString &greeting);

Q_SIGNALS:
    void accountChanged();
    void searchingChanged();
    void errorChanged();
    void requestSent(double userId);

private:
    void setError(const QString &error);

    QPointer<Account> m_account;
    std::vector<proto::UserProfile> m_rows;
    std::vector<quint64> m_sent;
    bool m_searching = false;
    QString m_error;
    int m_generation = 0;
};

} // namespace tern::client
