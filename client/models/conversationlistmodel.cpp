// SPDX-License-Identifier: Apache-2.0
// ConversationListModel: the chat list over ConversationStore, GUI thread.
#include "conversationlistmodel.h"

#include "account.h"
#include "groupeventtext.h"
#include "languagewatch.h"

#include <QHash>
#include <QVariantMap>

#include <algorithm>
#include <limits>

namespace tern::client {

namespace {

quint64 idOf(const CachedConversation &c)
{
    return c.state.conversation_id();
}

// What the row shows comes from these (the history range is not shown).
bool sameShown(const CachedConversation &a, const CachedConversation &b)
{
    return a.lastActivityMs == b.lastActivityMs
        && a.state.SerializeAsString() == b.state.SerializeAsString();
}

// Which of `values` (distinct) form a longest strictly increasing subsequence.
std::vector<bool> longestIncreasingRun(const std::vector<int> &values)
{
    constexpr size_t kNone = std::numeric_limits<size_t>::max();
    // tails[k]: the index of the smallest value ending an increasing run of length k + 1.
    std::vector<size_t> tails;
    std::vector<size_t> previous(values.size(), kNone);
    for (size_t i = 0; i < values.size(); ++i) {
        const auto it =
            std::lower_bound(tails.begin(), tails.end(), values[i],
                             [&values](size_t tail, int value) { return values[tail] < value; });
        if (it != tails.begin())
            previous[i] = *(it - 1);
        if (it == tails.end())
            tails.push_back(i);
        else
            *it = i;
    }
    std::vector<bool> in(values.size(), false);
    for (size_t i = tails.empty() ? kNone : tails.back(); i != kNone; i = previous[i])
        in[i] = true;
    return in;
}

} // namespace

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
        connect(&m_account->users(), &UserStore::changed, this,
                &ConversationListModel::onPeopleChanged);
        connect(&m_account->groups(), &GroupStore::changed, this,
                &ConversationListModel::onGroupChanged);
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

// Rows are matched by conversation id, so that a change touches only the rows it concerns: a
// reset would make the list flicker, lose its scroll position and hover, and take a row away
// from under a click.
void ConversationListModel::reload()
{
    if (!m_account)
        return;
    std::vector<CachedConversation> next = m_account->conversations().all();
    QHash<quint64, int> rankOf; // a conversation's row in `next`
    rankOf.reserve(qsizetype(next.size()));
    for (size_t i = 0; i < next.size(); ++i)
        rankOf.insert(idOf(next[i]), int(i));
    removeGone(rankOf);
    moveToNewOrder(rankOf, int(next.size()));
    insertNew(next, rankOf);
    Q_ASSERT(m_rows.size() == next.size());
    for (size_t row = 0; row < next.size(); ++row) {
        const bool changed = !sameShown(m_rows[row], next[row]);
        m_rows[row] = std::move(next[row]);
        if (changed)
            Q_EMIT dataChanged(index(int(row)), index(int(row)));
    }
    Q_EMIT totalUnreadChanged();
}

void ConversationListModel::removeGone(const QHash<quint64, int> &rankOf)
{
    const auto gone = [&](int row) { return !rankOf.contains(idOf(m_rows[size_t(row)])); };
    // From the bottom up, a run of neighbours at a time: the rows above keep their numbers.
    for (int last = int(m_rows.size()) - 1; last >= 0; --last) {
        if (!gone(last))
            continue;
        int first = last;
        while (first > 0 && gone(first - 1))
            --first;
        beginRemoveRows({}, first, last);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
        endRemoveRows();
        last = first;
    }
}

void ConversationListModel::moveToNewOrder(const QHash<quint64, int> &rankOf, int nextSize)
{
    std::vector<int> ranks;
    ranks.reserve(m_rows.size());
    for (const CachedConversation &c : m_rows)
        ranks.push_back(rankOf.value(idOf(c)));
    // The rows already in order among themselves (the most of them) stay; every other row
    // moves, in the new order, to right after the row that comes before it there. One chat
    // going to the top is then one move, not a shift of every row above it.
    const std::vector<bool> staying = longestIncreasingRun(ranks);
    std::vector<bool> placed(size_t(nextSize), false); // by rank
    std::vector<int> moving;
    for (size_t i = 0; i < ranks.size(); ++i) {
        if (staying[i])
            placed[size_t(ranks[i])] = true;
        else
            moving.push_back(ranks[i]);
    }
    std::sort(moving.begin(), moving.end());
    for (const int rank : moving) {
        int from = -1;
        int after = -1; // the placed row with the highest rank below `rank`, -1: none
        int afterRank = -1;
        for (int row = 0; row < int(m_rows.size()); ++row) {
            const int r = rankOf.value(idOf(m_rows[size_t(row)]));
            if (r == rank) {
                from = row;
            } else if (placed[size_t(r)] && r < rank && r > afterRank) {
                after = row;
                afterRank = r;
            }
        }
        // Qt counts the destination in the rows as they are before the move; a row moved to
        // its own place or the next one is not a move (and an error for Qt).
        const int to = after + 1;
        if (to != from && to != from + 1) {
            beginMoveRows({}, from, from, {}, to);
            const auto base = m_rows.begin();
            if (to < from)
                std::rotate(base + to, base + from, base + from + 1);
            else
                std::rotate(base + from, base + from + 1, base + to);
            endMoveRows();
        }
        placed[size_t(rank)] = true;
    }
}

void ConversationListModel::insertNew(const std::vector<CachedConversation> &next,
                                      const QHash<quint64, int> &rankOf)
{
    // The rows left are those of `next` that were here already, in its order: the others go
    // in between, a run of neighbours at a time.
    std::vector<bool> known(next.size(), false);
    for (const CachedConversation &c : m_rows)
        known[size_t(rankOf.value(idOf(c)))] = true;
    for (size_t row = 0; row < next.size(); ++row) {
        if (known[row])
            continue;
        size_t end = row + 1;
        while (end < next.size() && !known[end])
            ++end;
        beginInsertRows({}, int(row), int(end) - 1);
        m_rows.insert(m_rows.begin() + qsizetype(row), next.begin() + qsizetype(row),
                      next.begin() + qsizetype(end));
        endInsertRows();
        row = end - 1;
    }
}

void ConversationListModel::onPeopleChanged()
{
    // Names, avatars and the previews that name people; no row moves for them.
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1),
                           {Qt::DisplayRole, TitleRole, PreviewRole, AvatarFileIdRole, NamesRole});
}

void ConversationListModel::onGroupChanged(quint64 groupId)
{
    for (size_t row = 0; row < m_rows.size(); ++row) {
        if (groupId != 0 && m_rows[row].state.group_id() == groupId)
            Q_EMIT dataChanged(index(int(row)), index(int(row)),
                               {Qt::DisplayRole, TitleRole, AvatarFileIdRole, NamesRole});
    }
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

QStringList ConversationListModel::namesOf(const CachedConversation &c) const
{
    if (c.state.kind() == proto::CONVERSATION_KIND_GROUP)
        return {titleOf(c)};
    const auto user = m_account->users().get(c.state.peer_user_id());
    if (!user)
        return {}; // "Loading…" is no name to find a chat by
    QStringList names {user->shownName()};
    if (user->profile) {
        for (const std::string &name : {user->profile->display_name(), user->profile->username()}) {
            const QString n = QString::fromStdString(name);
            if (!n.isEmpty() && !names.contains(n))
                names << n;
        }
    }
    return names;
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
    case NamesRole:
        return namesOf(c);
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
            {DraftRole, "draft"},
            {NamesRole, "names"}};
}

} // namespace tern::client
