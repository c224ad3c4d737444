// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "userstore.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

class Account;

// The friend list (or the blocked list) from the cache, by shown name, filtered by `filter`
// (name or username, case-insensitive). Starting a chat goes through openChat().
class ContactListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    // List the people this user blocked instead of friends (the privacy settings).
    Q_PROPERTY(bool blockedOnly READ blockedOnly WRITE setBlockedOnly NOTIFY blockedOnlyChanged)
public:
    enum Role {
        UserIdRole = Qt::UserRole + 1,
        NameRole,
        UsernameRole,
        StatusLineRole,
        BlockedRole,
        OnlineRole,
        PresenceTextRole,
        AvatarFileIdRole,
    };
    Q_ENUM(Role)

    explicit ContactListModel(QObject *parent = nullptr);

    Account *account() const { return m_account; }
    void setAccount(Account *account);
    QString filter() const { return m_filter; }
    void setFilter(const QString &filter);
    bool blockedOnly() const { return m_blockedOnly; }
    void setBlockedOnly(bool blockedOnly);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Opens the direct conversation: the cached one at once, else the server's (made if need
    // be); chatOpened(id) or chatFailed(reason) follows.
    Q_INVOKABLE void openChat(double userId);
    Q_INVOKABLE void unblock(double userId);

Q_SIGNALS:
    void accountChanged();
    void filterChanged();
    void blockedOnlyChanged();
    void actionFailed(const QString &message);
    void chatOpened(double conversationId);
    void chatFailed(const QString &reason);

private:
    void reload();

    QPointer<Account> m_account;
    QString m_filter;
    bool m_blockedOnly = false;
    std::vector<CachedUser> m_rows;
    QTimer m_reloadTimer;
};

} // namespace tern::client
