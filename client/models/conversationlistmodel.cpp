// SPDX-License-Identifier: Apache-2.0
// ConversationListModel: the chat list over ConversationStore, GUI thread.
#include "conversationlistmodel.h"

#include "account.h"
#include "groupeventtext.h"
#include "languagewatch.h"

#include <QVariantMap>

namespace tern::client {

QString messageSummary(const proto::Message &m)
{
    if (m.recalled())
        return ConversationListModel::tr("Message recalled");
    if (m.has_group_event())
        return ConversationListModel::tr("Group update");
    const QString text = QString::fromStdString(m.content().text());
    switch (m.content().kind()) {
    case proto::MessageContent::KIND_IMAGE:
        return ConversationListModel::tr("[Photo]")
            + (text.isEmpty() ? QString() : QLatin1Char(' ') + text);
    case proto::MessageContent::KIND_FILE:
        return ConversationListModel::tr("[File] %1")
            .arg(QString::fromStdString(m.content().file().name()));
    case proto::MessageContent::KIND_VOICE:
        return ConversationListModel::tr("[Voice message]");
    case proto::MessageContent::KIND_VIDEO:
        return ConversationListModel::tr("[Video]");
    case proto::MessageContent::KIND_FORWARD_BUNDLE:
        return ConversationListModel::tr("[Chat history]");
    case proto::MessageContent::KIND_CALL:
        return m.content().call().media() == proto::CALL_MEDIA_VIDEO
            ? ConversationListModel::tr("[Video call]")
            : ConversationListModel::tr("[Voice call]");
    default:
        return text.simplified();
    }
}

ConversationListModel::ConversationListModel(QObject *parent)
    : QAbstractListModel(parent)
{
    refreshOnLanguageChange(this);
    // Many store changes arrive in one burst (a sync page): apply them once.
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(0);
    connect(&m_reloadTimer, &QTimer::timeout, this, &ConversationListModel::reload);
}

void ConversationListModel::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account)
        m_account->disconnectReceiver(this);
    m_account = account;
    if (m_account) {
        connect(&m_account->conversations(), &ConversationStore::changed, this,
                [this] { m_reloadTimer.start(); });
        connect(&m_account->users(), &UserStore::changed, this, [this] { m_reloadTimer.start(); });
        connect(&m_account->presence(), &PresenceTracker::changed, this,
                &ConversationListModel::onPresenceChanged);
        connect(&m_account->drafts(), &DraftStore::changed, this,
                &ConversationListModel::onDraftChanged);
    }
    beginResetModel();
    m_rows = m_account ? m_account->conversations().all() : std::vector<CachedConversation> {};
    endResetModel();
    Q_EMIT accountChanged();
    Q_EMIT totalUnreadChanged();
}

void ConversationListModel::reload()
{
    if (!m_account)
        return;
    std::vector<CachedConversation> next = m_account->conversations().all();
    auto idAt = [](const std::vector<CachedConversation> &v, size_t i) {
        return v[i].state.conversation_id();
    };
    // The usual change: one conversation moved to the top (or appeared there).
    if (next.size() == m_rows.size() + 1 || next.size() == m_rows.size()) {
        const bool inserted = next.size() == m_rows.size() + 1;
        // Find where the old order stops matching the new one shifted by the moved row.
        const quint64 top = next.empty() ? 0 : idAt(next, 0);
        int from = -1;
        for (size_t i = 0; i < m_rows.size(); ++i) {
            if (idAt(m_rows, i) == top)
                from = int(i);
        }
        std::vector<CachedConversation> expected = m_rows;
        if (inserted && from < 0)
            expected.insert(expected.begin(), next.front());
        else if (!inserted && from > 0)
            std::rotate(expected.begin(), expected.begin() + from, expected.begin() + from + 1);
        bool sameOrder = expected.size() == next.size();
        for (size_t i = 0; sameOrder && i < next.size(); ++i)
            sameOrder = idAt(expected, i) == idAt(next, i);
        if (sameOrder) {
            if (inserted && from < 0) {
                beginInsertRows({}, 0, 0);
                m_rows = std::move(next);
                endInsertRows();
            } else {
                if (!inserted && from > 0) {
                    beginMoveRows({}, from, from, {}, 0);
                    std::rotate(m_rows.begin(), m_rows.begin() + from, m_rows.begin() + from + 1);
                    endMoveRows();
                }
                m_rows = std::move(next);
                if (!m_rows.empty())
                    Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1));
            }
            Q_EMIT totalUnreadChanged();
            return;
        }
    }
    beginResetModel();
    m_rows = std::move(next);
    endResetModel();
    Q_EMIT totalUnreadChanged();
}

void ConversationListModel::onPresenceChanged(const std::vector<quint64> &userIds)
{
    for (size_t row = 0; row < m_rows.size(); ++row) {
        const quint64 peer = m_rows[row].state.peer_user_id();
        if (peer && std::find(userIds.begin(), userIds.end(), peer) != userIds.end())
            Q_EMIT dataChanged(index(int(row)), index(int(row)), {OnlineRole});
    }
}

void ConversationListModel::onDraftChanged(quint64 conversationId)
{
    const int row = rowOf(double(conversationId));
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row), {DraftRole});
}

int ConversationListModel::totalUnread() const
{
    int total = 0;
    for (const auto &c : m_rows) {
        if (!c.state.settings().muted())
            total += int(c.state.unread_count());
    }
    return total;
}

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConversationListModel::rowOf(double conversationId) const
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (double(m_rows[i].state.conversation_id()) == conversationId)
            return int(i);
    }
    return -1;
}

QVariantMap ConversationListModel::get(int row) const
{
    QVariantMap values;
    if (row < 0 || row >= rowCount())
        return values;
    const auto roles = roleNames();
    for (auto it = roles.begin(); it != roles.end(); ++it)
        values.insert(QString::fromLatin1(it.value()), data(index(row), it.key()));
    return values;
}

double ConversationListModel::idAt(int row) const
{
    return row < 0 || row >= rowCount() ? 0 : data(index(row), ConversationIdRole).toDouble();
}

QString ConversationListModel::titleAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) && m_account ? titleOf(m_rows[size_t(row)])
                                                             : QString();
}

QString ConversationListModel::titleOf(const CachedConversation &c) const
{
    if (c.state.kind() == proto::CONVERSATION_KIND_GROUP)
        return m_account->groupName(c.state.group_id());
    if (const auto user = m_account->users().get(c.state.peer_user_id()))
        return user->shownName();
    return tr("Loading…");
}

QString ConversationListModel::previewOf(const CachedConversation &c) const
{
    if (!c.state.has_last_message())
        return {};
    const proto::Message &m = c.state.last_message();
    if (m.has_group_event())
        return describeGroupEvent(m.group_event(), *m_account);
    QString summary = messageSummary(m);
    if (c.state.kind() == proto::CONVERSATION_KIND_GROUP && m.sender_id() != m_account->userId()
        && !m.recalled()) {
        const auto user = m_account->users().get(m.sender_id());
        summary = (user ? user->shownName() : QStringLiteral("…")) + QStringLiteral(": ") + summary;
    }
    return summary;
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_account)
        return {};
    const CachedConversation &c = m_rows[size_t(index.row())];
    switch (role) {
    case ConversationIdRole:
        return qulonglong(c.state.conversation_id());
    case Qt::DisplayRole:
    case TitleRole:
        return titleOf(c);
    case IsGroupRole:
        return c.state.kind() == proto::CONVERSATION_KIND_GROUP;
    case PeerUserIdRole:
        return qulonglong(c.state.peer_user_id());
    case GroupIdRole:
        return qulonglong(c.state.group_id());
    case UnreadCountRole:
        return int(c.state.unread_count());
    case MentionedRole:
        return c.state.mentioned();
    case MutedRole:
        return c.state.settings().muted();
    case PinnedRole:
        return c.state.settings().pinned();
    case ActiveRole:
        return c.state.active();
    case PreviewRole:
        return previewOf(c);
    case LastActivityMsRole:
        return c.lastActivityMs;
    case OnlineRole: {
        const auto state = m_account->presence().presence(c.state.peer_user_id()).state();
        return c.state.peer_user_id() != 0
            && (state == proto::PRESENCE_STATE_ONLINE || state == proto::PRESENCE_STATE_AWAY);
    }
    case AvatarFileIdRole: {
        if (c.state.group_id() != 0) {
            const auto group = m_account->groups().get(c.state.group_id());
            return group ? QString::fromStdString(group->group().avatar_file_id()) : QString();
        }
        const auto peer = m_account->users().get(c.state.peer_user_id());
        return peer && peer->profile ? QString::fromStdString(peer->profile->avatar_file_id())
                                     : QString();
    }
    case DraftRole: {
        const auto draft = m_account->drafts().get(c.state.conversation_id());
        return draft ? draft->text.simplified() : QString();
    }
    default:
        return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {{ConversationIdRole, "conversationId"},
            {TitleRole, "title"},
            {IsGroupRole, "isGroup"},
            {PeerUserIdRole, "peerUserId"},
            {GroupIdRole, "groupId"},
            {UnreadCountRole, "unreadCount"},
            {MentionedRole, "mentioned"},
            {MutedRole, "muted"},
            {PinnedRole, "pinned"},
            {ActiveRole, "active"},
            {PreviewRole, "preview"},
            {LastActivityMsRole, "lastActivityMs"},
            {OnlineRole, "online"},
            {AvatarFileIdRole, "avatarFileId"},
            {DraftRole, "draft"}};
}

} // namespace tern::client
