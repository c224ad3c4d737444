// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

class Account;

// A group's members (ListGroupMembers): owner first, then admins, then members by name; what
// the user may do to each (remove, make admin, hand over ownership) as roles, so the page
// offers only those. Not cached: read when shown and again after every change to the group.
class GroupMemberModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    Q_PROPERTY(double groupId READ groupId WRITE setGroupId NOTIFY groupIdChanged)
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
public:
    enum Role {
        UserIdRole = Qt::UserRole + 1,
        NameRole, // remark, else group nickname, else display name, else username
        UsernameRole,
        NicknameRole,
        MemberRoleRole, // GroupInfo.Role
        IsMeRole,
        OnlineRole,
        CanRemoveRole,
        CanSetAdminRole,
        CanTransferRole,
        AvatarFileIdRole,
    };
    Q_ENUM(Role)

    explicit GroupMemberModel(QObject *parent = nullptr);

    Account *account() const { return m_account; }
    void setAccount(Account *account);
    double groupId() const { return double(m_groupId); }
    void setGroupId(double groupId);
    bool isLoading() const { return m_loading; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE void refresh();
    Q_INVOKABLE void remove(double userId);
    Q_INVOKABLE void setAdmin(double userId, bool admin);
    Q_INVOKABLE void transferOwnership(double userId);
    // Members whose name, the user's remark for them or username starts with `prefix`
    // (case-insensitive), others than the user, at most `limit`: [{userId, name, remark,
    // username}] for @-completion. `name` is what the group sees (nickname, display name or
    // username) and goes into the text; `remark` is the user's private name for them, shown
    // in the list only (empty when it is the same). First {userId: 0, name: "all"} when
    // `withAll` and "all" matches.
    Q_INVOKABLE QVariantList matching(const QString &prefix, int limit = 8,
                                      bool withAll = false) const;
    // Whether a user is a member (e.g. to leave them out of an invite list).
    Q_INVOKABLE bool contains(double userId) const;

Q_SIGNALS:
    void accountChanged();
    void groupIdChanged();
    void loadingChanged();
    void actionFailed(const QString &message);

private:
    void setRows(std::vector<proto::GroupMember> members);
    proto::GroupRole myRole() const;
    // The cache says the user is out of the group (left, removed) or that it was dissolved.
    bool isOutside() const;
    QString shownName(const proto::GroupMember &m) const;
    // The name the group knows a member by: never the user's private remark.
    static QString publicName(const proto::GroupMember &m);

    QPointer<Account> m_account;
    quint64 m_groupId = 0;
    std::vector<proto::GroupMember> m_rows;
    QHash<quint64, QString> m_names;
    proto::GroupRole m_myRole = proto::GROUP_ROLE_UNSPECIFIED; // as of the last refresh
    bool m_loading = false;
    quint64 m_generation = 0; // answers to an older refresh are dropped
    QTimer m_refreshTimer;
};

} // namespace tern::client
