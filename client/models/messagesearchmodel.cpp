// SPDX-License-Identifier: Apache-2.0
// MessageSearchModel: local-then-server message search, GUI thread.
#include "messagesearchmodel.h"

#include "account.h"
#include "conversationlistmodel.h"

namespace tern::client {

MessageSearchModel::MessageSearchModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void MessageSearchModel::setAccount(Account *account)
{
    if (m_account == account)
        return;
    m_account = account;
    clear();
    Q_EMIT accountChanged();
}

void MessageSearchModel::clear()
{
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    endResetModel();
    if (m_searchingServer || m_searched || !m_serverError.isEmpty()) {
        m_searchingServer = false;
        m_searched = false;
        m_serverError.clear();
        Q_EMIT searchingServerChanged();
    }
}

void MessageSearchModel::search(const QString &query)
{
    clear();
    if (!m_account || query.trimmed().isEmpty())
        return;
    merge(m_account->messages().search(query, 50));
    const int generation = m_generation;
    m_searchingServer = true;
    Q_EMIT searchingServerChanged();
    QPointer<MessageSearchModel> self(this);
    m_account->messageActions().search(
        query, [self, generation](const std::vector<proto::Message> &hits, const QString &error) {
            if (!self || generation != self->m_generation)
                return;
            self->merge(hits); // offline: the local results stay
            self->m_searchingServer = false;
            self->m_searched = true;
            self->m_serverError = error;
            Q_EMIT self->searchingServerChanged();
        });
}

void MessageSearchModel::merge(const std::vector<proto::Message> &found)
{
    for (const proto::Message &m : found) {
        const bool known = std::any_of(m_rows.begin(), m_rows.end(), [&](const proto::Message &r) {
            return r.conversation_id() == m.conversation_id() && r.seq() == m.seq();
        });
        if (known || !m.has_content())
            continue;
        // Newest first.
        auto at = std::find_if(m_rows.begin(), m_rows.end(), [&](const proto::Message &r) {
            return r.sent_at_ms() < m.sent_at_ms();
        });
        const int row = int(at - m_rows.begin());
        beginInsertRows({}, row, row);
        m_rows.insert(at, m);
        endInsertRows();
    }
}

QString MessageSearchModel::chatTitle(quint64 conversationId) const
{
    const auto c = m_account->conversations().get(conversationId);
    if (!c)
        return {};
    if (c->state.kind() == proto::CONVERSATION_KIND_GROUP)
        return m_account->groupName(c->state.group_id());
    const auto user = m_account->users().get(c->state.peer_user_id());
    return user ? user->shownName() : QString();
}

int MessageSearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MessageSearchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_account)
        return {};
    const proto::Message &m = m_rows[size_t(index.row())];
    switch (role) {
    case ConversationIdRole:
        return qulonglong(m.conversation_id());
    case SeqRole:
        return qulonglong(m.seq());
    case Qt::DisplayRole:
    case TextRole:
        return messageSummary(m);
    case SenderNameRole: {
        if (m.sender_id() == m_account->userId())
            return m_account->displayName();
        const auto user = m_account->users().get(m.sender_id());
        return user ? user->shownName() : QString();
    }
    case ChatTitleRole:
        return chatTitle(m.conversation_id());
    case SentAtMsRole:
        return qint64(m.sent_at_ms());
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageSearchModel::roleNames() const
{
    return {{ConversationIdRole, "conversationId"},
            {SeqRole, "seq"},
            {TextRole, "snippet"},
            {SenderNameRole, "senderName"},
            {ChatTitleRole, "chatTitle"},
            {SentAtMsRole, "sentAtMs"}};
}

} // namespace tern::client
