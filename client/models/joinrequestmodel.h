// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QSet>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

class Account;

// This user's requests to join groups that admins approve: the pending ones (asked for from
// the server when set up and after every reconnect; not cached), and the ones declined while
// the app runs, until dismissed. An approved request leaves the list: the group's chat shows
// instead.
class JoinRequestModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
public:
    enum Role {
        ApplicationIdRole = Qt::UserRole + 1,
        GroupNameRole,
        MemberCountRole,
        DeclinedRole,
    };
    Q_ENUM(Role)

    explicit JoinRequestModel(QObject *parent = nullptr);

    Account *account() const { return m_account; }
    void setAccount(Account *account);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE void refresh();
    // Takes an answered request off the list.
    Q_INVOKABLE void dismiss(double applicationId);
    // Takes back a waiting request (its row goes; actionFailed if the server refuses).
    Q_INVOKABLE void withdraw(double applicationId);

Q_SIGNALS:
    void accountChanged();
    void actionFailed(const QString &reason);

private:
    // A request made or answered (on any of this user's devices).
    void onPushed(const proto::JoinApplication &application);
    int rowOf(quint64 applicationId) const;

    QPointer<Account> m_account;
    std::vector<proto::JoinApplication> m_rows;
    // Requests heard answered: a listing sent before the answer must not bring them back.
    QSet<quint64> m_answered;
    // Requests pushed as pending since the listing in flight was asked for.
    QSet<quint64> m_pushedPending;
    quint64 m_generation = 0;
};

} // namespace tern::client
