// SPDX-License-Identifier: Apache-2.0
// ContactListModel: friends from UserStore, GUI thread.
#include "contactlistmodel.h"

#include "account.h"
#include "actionfailure.h"
#include "languagewatch.h"

#include <QDateTime>

namespace tern::client {

ContactListModel::ContactListModel(QObject *parent)
    : QAbstractListModel(parent)
{
    refreshOnLanguageChange(this);
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(0);
    connect(&m_reloadTimer, &QTimer::timeout, this, &ContactListModel::reload);
}

void ContactListModel::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account)
        m_account->disconnectReceiver(this);
    m_account = account;
    if (m_account) {
        connect(&m_account->users(), &UserStore::changed, this, [this] { m_reloadTimer.start(); });
        // Presence changes often and touches no order: update the rows in place.
        connect(&m_account->presence(), &PresenceTracker::changed, this, [this] {
            if (!m_rows.empty())
                Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1),
                                   {OnlineRole, PresenceTextRole});
        });
    }
    reload();
    Q_EMIT accountChanged();
}

void ContactListModel::setFilter(const QString &filter)
{
    if (m_filter == filter)
        return;
    m_filter = filter;
    reload();
    Q_EMIT filterChanged();
}

void ContactListModel::setBlockedOnly(bool blockedOnly)
{
    if (m_blockedOnly == blockedOnly)
        return;
    m_blockedOnly = blockedOnly;
    reload();
    Q_EMIT blockedOnlyChanged();
}

void ContactListModel::reload()
{
    beginResetModel();
    m_rows.clear();
    if (m_account) {
        const QString needle = m_filter.trimmed();
        auto people = m_blockedOnly ? m_account->users().blocked() : m_account->users().friends();
        for (auto &u : people) {
            const QString username =
                u.profile ? QString::fromStdString(u.profile->username()) : QString();
            if (needle.isEmpty() || u.shownName().contains(needle, Qt::CaseInsensitive)
                || username.contains(needle, Qt::CaseInsensitive))
                m_rows.push_back(std::move(u));
        }
    }
    endResetModel();
}

int ContactListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ContactListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const CachedUser &u = m_rows[size_t(index.row())];
    switch (role) {
    case UserIdRole:
        return qulonglong(u.id);
    case Qt::DisplayRole:
    case NameRole:
        return u.shownName();
    case UsernameRole:
        return u.profile ? QString::fromStdString(u.profile->username()) : QString();
    case StatusLineRole:
        return u.profile ? QString::fromStdString(u.profile->status_line()) : QString();
    case BlockedRole:
        return u.contact && u.contact->blocked();
    case OnlineRole: {
        const auto state = m_account ? m_account->presence().presence(u.id).state()
                                     : proto::PRESENCE_STATE_UNSPECIFIED;
        return state == proto::PRESENCE_STATE_ONLINE || state == proto::PRESENCE_STATE_AWAY;
    }
    case PresenceTextRole:
        return m_account ? PresenceTracker::describe(m_account->presence().presence(u.id),
                                                     QDateTime::currentMSecsSinceEpoch())
                         : QString();
    case AvatarFileIdRole:
        return u.profile ? QString::fromStdString(u.profile->avatar_file_id()) : QString();
    default:
        return {};
    }
}

QHash<int, QByteArray> ContactListModel::roleNames() const
{
    return {{UserIdRole, "userId"},
            {NameRole, "name"},
            {UsernameRole, "username"},
            {StatusLineRole, "statusLine"},
            {BlockedRole, "blocked"},
            {OnlineRole, "online"},
            {PresenceTextRole, "presenceText"},
            {AvatarFileIdRole, "avatarFileId"}};
}

void ContactListModel::openChat(double userId)
{
    if (!m_account)
        return;
    // A chat this device already has opens at once, offline too; only a new one needs the
    // server to make it.
    if (const quint64 cached = m_account->conversations().directWith(quint64(userId))) {
        Q_EMIT chatOpened(double(cached));
        return;
    }
    QPointer<ContactListModel> self(this);
    m_account->sync().openDirect(quint64(userId), [self](quint64 id, const QString &error) {
        if (!self)
            return;
        if (id)
            Q_EMIT self->chatOpened(double(id));
        else
            Q_EMIT self->chatFailed(error);
    });
}

void ContactListModel::unblock(double userId)
{
    if (m_account)
        m_account->contactActions().setBlocked(quint64(userId), false, reportFailureTo(this));
}

} // namespace tern::client
