// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

class Account;

// Invitations into groups waiting for this user to accept or decline (someone the user's
// "who may add me to groups" setting did not let add them directly). Asked for from the server
// when set up, after every reconnect and on each invitation push; not cached.
class GroupInvitationModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    // How many wait (the Contacts button's badge).
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        InvitationIdRole = Qt::UserRole + 1,
        GroupNameRole,
        InviterNameRole,
        MemberCountRole,
    };
    Q_ENUM(Role)

    explicit GroupInvitationModel(QObject *parent = nullptr);

    Account *account() const { return m_account; }
    void setAccount(Account *account);
    int count() const { return int(m_rows.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE void refresh();
    // Accepting opens the group's chat (groupJoined); either way the row goes.
    Q_INVOKABLE void accept(double invitationId);
    Q_INVOKABLE void decline(double invitationId);

Q_SIGNALS:
    void accountChanged();
    void countChanged();
    void groupJoined();
    void actionFailed(const QString &reason);

private:
    void answer(double invitationId, bool accept);

    QPointer<Account> m_account;
    std::vector<proto::GroupInvitation> m_rows;
    quint64 m_generation = 0;
};

} // namespace tern::client
