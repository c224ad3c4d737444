// SPDX-License-Identifier: Apache-2.0
// MessageModel: one conversation's timeline over MessageStore and OutboxStore, GUI thread.
#include "messagemodel.h"

#include "account.h"
#include "actionfailure.h"
#include "calltext.h"
#include "conversationlistmodel.h"
#include "groupeventtext.h"
#include "languagewatch.h"
#include "linkify.h"
#include "messagefile.h"
#include "tern/limits.h"

#include <QClipboard>
#include <QDateTime>
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QMimeData>
#include <QVariantMap>

#include <algorithm>
#include <iterator>

namespace tern::client {

namespace {

// The emoji `user` reacted to `m` with; empty when none (one reaction per user).
QString reactionOf(const proto::Message &m, quint64 user)
{
    for (const auto &r : m.reactions()) {
        if (std::find(r.user_ids().begin(), r.user_ids().end(), user) != r.user_ids().end())
            return QString::fromStdString(r.emoji());
    }
    return {};
}

QString kindOf(const proto::MessageContent &content)
{
    switch (content.kind()) {
    case proto::MessageContent::KIND_IMAGE:
        return QStringLiteral("image");
    case proto::MessageContent::KIND_FILE:
        return QStringLiteral("file");
    case proto::MessageContent::KIND_VOICE:
        return QStringLiteral("voice");
    case proto::MessageContent::KIND_VIDEO:
        return QStringLiteral("video");
    case proto::MessageContent::KIND_FORWARD_BUNDLE:
        return QStringLiteral("bundle");
    case proto::MessageContent::KIND_CALL:
        return QStringLiteral("call");
    default:
        return QStringLiteral("text");
    }
}

QString kindOf(const proto::Message &m)
{
    if (m.recalled())
        return QStringLiteral("recalled");
    if (m.has_group_event())
        return QStringLiteral("event");
    return kindOf(m.content());
}

qint64 sentAt(const proto::Message &entry, const std::optional<OutgoingMessage> &out)
{
    return out ? out->createdAtMs : entry.sent_at_ms();
}

bool sameRow(const proto::Message &a, const proto::Message &b)
{
    return a.SerializeAsString() == b.SerializeAsString();
}

// A message `me` has yet to read: someone else's, still shown (as FirstUnread::find looks for
// the first unread one; group events, edits and reactions are not news of their own).
bool isNewsFor(const proto::Message &m, quint64 me)
{
    return m.has_content() && !m.recalled() && !m.hidden_for_me() && m.sender_id() != me;
}

} // namespace

MessageModel::MessageModel(QObject *parent)
    : QAbstractListModel(parent)
{
    refreshOnLanguageChange(this);
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(0);
    connect(&m_reloadTimer, &QTimer::timeout, this, &MessageModel::reload);
    // Every older page that ends (loaded, failed, or none left) takes ensureLoaded a step on.
    connect(this, &MessageModel::loadingOlderChanged, this, &MessageModel::continueToWantedSeq);
}

void MessageModel::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account)
        m_account->disconnectReceiver(this);
    m_account = account;
    if (m_account) {
        auto schedule = [this](quint64 conversationId) {
            if (conversationId == m_conversationId)
                m_reloadTimer.start();
        };
        connect(&m_account->messages(), &MessageStore::entriesChanged, this, schedule);
        connect(&m_account->outboxStore(), &OutboxStore::changed, this, schedule);
        connect(&m_account->conversations(), &ConversationStore::changed, this, schedule);
        connect(&m_account->typing(), &TypingTracker::changed, this,
                [this](quint64 conversationId) {
                    if (conversationId == m_conversationId)
                        Q_EMIT typingChanged();
                });
        connect(&m_account->transfers(), &Transfers::changed, this,
                &MessageModel::onTransferChanged);
        connect(&m_account->transferStore(), &TransferStore::changed, this,
                &MessageModel::onTransferChanged);
        // Names and avatars, the user's own included; group events name people in their text.
        const auto senderChanged = [this] {
            if (!m_rows.empty())
                Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1),
                                   {SenderNameRole, SenderAvatarFileIdRole, TextRole});
        };
        connect(&m_account->users(), &UserStore::changed, this, senderChanged);
        connect(m_account, &Account::profileChanged, this, senderChanged);
    }
    setConversationId(m_conversationId);
    openFirstUnread(); // the same chat, but another account's
    Q_EMIT accountChanged();
}

void MessageModel::setConversationId(qulonglong id)
{
    const bool changed = id != m_conversationId;
    m_conversationId = id;
    beginResetModel();
    m_rows.clear();
    m_firstSeq = 0;
    m_atBeginning = false;
    m_loadingOlder = false; // a page still coming for the chat before is not this one's
    ++m_olderRequests;
    if (m_account && m_conversationId) {
        // The newest page, straight from the cache.
        const auto page = m_account->messages().page(m_conversationId, 0, kPageSize);
        if (!page.empty())
            m_firstSeq = page.front().seq();
        m_rows = readRows(m_firstSeq);
    }
    endResetModel();
    // A view away from the newest message of the chat before is away from this one's newest.
    m_awayFromSeq = m_followingNewest ? 0 : newestEntrySeq();
    countNewBelow();
    Q_EMIT loadingOlderChanged(); // and atBeginning
    if (changed) {
        // Before conversationIdChanged: the view marks the chat read when it hears it.
        openFirstUnread();
        Q_EMIT conversationIdChanged();
        Q_EMIT typingChanged();
    }
}

std::vector<MessageModel::Row> MessageModel::readRows(quint64 fromSeq) const
{
    std::vector<Row> rows;
    if (!m_account || !m_conversationId)
        return rows;
    if (fromSeq != 0) {
        // Everything shown from fromSeq on; MessageStore pages backwards, so ask for all of it.
        const auto c = m_account->conversations().get(m_conversationId);
        const int span =
            c ? int(std::max<quint64>(c->state.last_seq(), fromSeq) - fromSeq + 1) : kPageSize;
        for (auto &m : m_account->messages().page(m_conversationId, 0, span + kPageSize)) {
            if (m.seq() >= fromSeq)
                rows.push_back({std::move(m), std::nullopt});
        }
    }
    for (auto &out : m_account->outboxStore().list(m_conversationId))
        rows.push_back({{}, std::move(out)});
    return rows;
}

// Rows are matched by seq (history) and client_msg_id (outbox), so that a change to some
// messages (deleted for me, edited, acknowledged, a hole filled) touches only their rows: a
// reset would throw a view that was scrolled up back to where it started.
void MessageModel::reload()
{
    if (!m_account || !m_conversationId)
        return;
    if (m_firstSeq == 0) {
        const auto page = m_account->messages().page(m_conversationId, 0, kPageSize);
        if (!page.empty())
            m_firstSeq = page.front().seq();
    }
    std::vector<Row> next = readRows(m_firstSeq);
    // readRows gives the history first, then the outbox.
    const auto firstOut =
        std::find_if(next.begin(), next.end(), [](const Row &r) { return r.out.has_value(); });
    std::vector<Row> outbox(std::make_move_iterator(firstOut), std::make_move_iterator(next.end()));
    next.erase(firstOut, next.end());
    mergeHistory(next);
    mergeOutbox(outbox);
    // Delivery states of own messages follow the peer's cursors.
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {StateRole});
    refreshFirstUnread();
    countNewBelow();
}

void MessageModel::setFollowingNewest(bool following)
{
    if (following == m_followingNewest)
        return;
    m_followingNewest = following;
    m_awayFromSeq = following ? 0 : newestEntrySeq();
    Q_EMIT followingNewestChanged();
    countNewBelow();
}

quint64 MessageModel::newestEntrySeq() const
{
    for (auto it = m_rows.rbegin(); it != m_rows.rend(); ++it) {
        if (!it->out)
            return it->entry.seq();
    }
    return 0;
}

void MessageModel::countNewBelow()
{
    int count = 0;
    if (!m_followingNewest && m_account) {
        const quint64 me = m_account->userId();
        // From the newest back to where the view left (history rows are in seq order; the
        // outbox rows after them are the user's own).
        for (auto it = m_rows.rbegin(); it != m_rows.rend(); ++it) {
            if (it->out)
                continue;
            if (it->entry.seq() <= m_awayFromSeq)
                break;
            if (isNewsFor(it->entry, me))
                ++count;
        }
    }
    if (count == m_newBelow)
        return;
    m_newBelow = count;
    Q_EMIT newBelowChanged();
}

void MessageModel::openFirstUnread()
{
    m_firstUnread.clear();
    m_firstUnreadDismissed = false;
    if (m_account && m_conversationId)
        m_firstUnread.open(*m_account, m_conversationId);
    Q_EMIT firstUnreadChanged();
}

void MessageModel::refreshFirstUnread()
{
    if (m_account && m_firstUnread.refresh(*m_account, m_conversationId))
        Q_EMIT firstUnreadChanged();
}

void MessageModel::dismissFirstUnread()
{
    if (m_firstUnreadDismissed)
        return;
    m_firstUnreadDismissed = true;
    Q_EMIT firstUnreadChanged();
}

void MessageModel::ensureFirstUnreadLoaded()
{
    const quint64 seq = m_firstUnread.seq();
    ensureLoaded(double(seq));
    m_wantsFirstUnread = seq != 0;
    dismissFirstUnread();
}

void MessageModel::mergeHistory(std::vector<Row> &next)
{
    const auto historyAt = [this](size_t i) { return i < m_rows.size() && !m_rows[i].out; };
    // The outbox row that became history entry `e` once acknowledged.
    const auto outboxRowOf = [this](size_t i, const Row &e) {
        return i < m_rows.size() && m_rows[i].out
            && m_rows[i].out->clientMsgId.toStdString() == e.entry.client_msg_id();
    };
    size_t i = 0; // in m_rows
    size_t j = 0; // in next
    while (historyAt(i) || j < next.size()) {
        if (historyAt(i) && (j == next.size() || m_rows[i].entry.seq() < next[j].entry.seq())) {
            // Gone (deleted for me, history dropped): the rows before next[j].
            size_t end = i + 1;
            while (historyAt(end)
                   && (j == next.size() || m_rows[end].entry.seq() < next[j].entry.seq()))
                ++end;
            beginRemoveRows({}, int(i), int(end) - 1);
            m_rows.erase(m_rows.begin() + qsizetype(i), m_rows.begin() + qsizetype(end));
            endRemoveRows();
            dayStartsMayHaveChanged(int(i));
        } else if (historyAt(i) && m_rows[i].entry.seq() == next[j].entry.seq()) {
            if (!sameRow(m_rows[i].entry, next[j].entry)) {
                m_rows[i] = std::move(next[j]);
                Q_EMIT dataChanged(index(int(i)), index(int(i)));
            }
            ++i;
            ++j;
        } else if (outboxRowOf(i, next[j])) {
            // Acknowledged: the outbox row turns into the history entry where it is.
            m_rows[i] = std::move(next[j]);
            Q_EMIT dataChanged(index(int(i)), index(int(i)));
            dayStartsMayHaveChanged(int(i) + 1); // its time is now the server's
            ++i;
            ++j;
        } else {
            // New: the entries before m_rows[i] (a hole filled, or newer than all shown).
            size_t end = j + 1;
            while (end < next.size()
                   && (historyAt(i) ? next[end].entry.seq() < m_rows[i].entry.seq()
                                    : !outboxRowOf(i, next[end])))
                ++end;
            beginInsertRows({}, int(i), int(i + end - j) - 1);
            m_rows.insert(m_rows.begin() + qsizetype(i),
                          std::make_move_iterator(next.begin() + qsizetype(j)),
                          std::make_move_iterator(next.begin() + qsizetype(end)));
            endInsertRows();
            i += end - j;
            j = end;
            dayStartsMayHaveChanged(int(i));
        }
    }
}

void MessageModel::mergeOutbox(std::vector<Row> &next)
{
    size_t first = 0;
    while (first < m_rows.size() && !m_rows[first].out)
        ++first;
    // Gone from the outbox (discarded; sent ones became history in mergeHistory).
    for (size_t k = first; k < m_rows.size();) {
        const QString id = m_rows[k].out->clientMsgId;
        if (std::any_of(next.begin(), next.end(),
                        [&id](const Row &r) { return r.out->clientMsgId == id; })) {
            ++k;
            continue;
        }
        beginRemoveRows({}, int(k), int(k));
        m_rows.erase(m_rows.begin() + qsizetype(k));
        endRemoveRows();
        dayStartsMayHaveChanged(int(k));
    }
    // The rest keep the outbox's order (of writing); new ones come after them.
    size_t k = first;
    size_t j = 0;
    for (; k < m_rows.size() && j < next.size(); ++k, ++j) {
        const OutgoingMessage &was = *m_rows[k].out;
        const OutgoingMessage &is = *next[j].out;
        if (was.clientMsgId != is.clientMsgId)
            break;
        if (was.failed != is.failed || was.error != is.error
            || was.content.SerializeAsString() != is.content.SerializeAsString()) {
            m_rows[k] = std::move(next[j]);
            Q_EMIT dataChanged(index(int(k)), index(int(k)));
        }
    }
    if (k < m_rows.size()) { // not in the order expected: what is left is replaced
        beginRemoveRows({}, int(k), int(m_rows.size()) - 1);
        m_rows.erase(m_rows.begin() + qsizetype(k), m_rows.end());
        endRemoveRows();
    }
    if (j < next.size()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + next.size() - j) - 1);
        m_rows.insert(m_rows.end(), std::make_move_iterator(next.begin() + qsizetype(j)),
                      std::make_move_iterator(next.end()));
        endInsertRows();
    }
}

void MessageModel::dayStartsMayHaveChanged(int row)
{
    if (row >= 0 && row < rowCount())
        Q_EMIT dataChanged(index(row), index(row), {DayStartsRole});
}

bool MessageModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_account && m_conversationId && !m_atBeginning && !m_loadingOlder;
}

void MessageModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    // Never insert rows inside the caller's stack: views (and QAbstractItemModelTester) call
    // fetchMore while handling other model signals, e.g. a reset.
    m_loadingOlder = true;
    Q_EMIT loadingOlderChanged();
    QMetaObject::invokeMethod(this, &MessageModel::loadOlder, Qt::QueuedConnection);
}

void MessageModel::loadOlder()
{
    if (!m_account || !m_conversationId) {
        m_loadingOlder = false;
        Q_EMIT loadingOlderChanged();
        return;
    }
    const int pageSize = olderPageSize();
    if (!m_account->messages().page(m_conversationId, m_firstSeq, pageSize).empty()) {
        loadOlderFromCache(pageSize);
        m_loadingOlder = false;
        Q_EMIT loadingOlderChanged();
        return;
    }
    // Nothing older in the cache: ask the server, then show what arrived. An answer that
    // comes after the model was set to a chat again (this one or another) changes nothing
    // here: its page is in the cache for the next time.
    QPointer<MessageModel> self(this);
    m_account->sync().fetchOlder(m_conversationId, pageSize,
                                 [self, request = m_olderRequests, pageSize](const QString &error) {
                                     if (!self || self->m_olderRequests != request)
                                         return;
                                     self->m_loadingOlder = false;
                                     if (!error.isEmpty()) {
                                         // Not the beginning: scrolling up again tries again.
                                         Q_EMIT self->loadingOlderChanged();
                                         Q_EMIT self->actionFailed(error);
                                         return;
                                     }
                                     const auto older = self->m_account->messages().page(
                                         self->m_conversationId, self->m_firstSeq, pageSize);
                                     if (older.empty())
                                         self->m_atBeginning = true;
                                     else
                                         self->loadOlderFromCache(pageSize);
                                     Q_EMIT self->loadingOlderChanged();
                                 });
}

int MessageModel::olderPageSize() const
{
    if (m_wantedSeq == 0 || m_firstSeq == 0 || m_wantedSeq >= m_firstSeq)
        return kPageSize;
    // The gap to the entry and a few rows above it, so that it does not open at the very top.
    const quint64 gap = m_firstSeq - m_wantedSeq + 10;
    return int(std::clamp<quint64>(gap, kPageSize, limits::kMaxMessagePage));
}

void MessageModel::loadOlderFromCache(int pageSize)
{
    auto older = m_account->messages().page(m_conversationId, m_firstSeq, pageSize);
    if (older.empty())
        return;
    const int added = int(older.size());
    beginInsertRows({}, 0, added - 1);
    std::vector<Row> rows;
    rows.reserve(older.size() + m_rows.size());
    for (auto &m : older)
        rows.push_back({std::move(m), std::nullopt});
    m_firstSeq = rows.front().entry.seq();
    for (auto &r : m_rows)
        rows.push_back(std::move(r));
    m_rows = std::move(rows);
    endInsertRows();
    // The page's first row had a header as the top of the list; below a page of the same day
    // it has none (once per page was what the view showed).
    dayStartsMayHaveChanged(added);
    refreshFirstUnread();
}

MessageModel::State MessageModel::stateOf(const Row &row) const
{
    if (row.out)
        return row.out->failed ? State::Failed : State::Sending;
    const auto c = m_account->conversations().get(m_conversationId);
    if (c && c->state.peer_read_seq() >= row.entry.seq())
        return State::Read;
    if (c && c->state.peer_delivered_seq() >= row.entry.seq())
        return State::Delivered;
    return State::Sent;
}

QString MessageModel::summaryOf(quint64 seq) const
{
    const auto m = m_account->messages().get(m_conversationId, seq);
    return m ? messageSummary(*m) : tr("Earlier message");
}

int MessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MessageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_account)
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const proto::Message &m = row.entry;
    const proto::MessageContent &content = row.out ? row.out->content : m.content();
    const quint64 sender = row.out ? m_account->userId() : m.sender_id();
    switch (role) {
    case SeqRole:
        return qulonglong(m.seq());
    case ClientMsgIdRole:
        return row.out ? row.out->clientMsgId : QString::fromStdString(m.client_msg_id());
    case SenderIdRole:
        return qulonglong(sender);
    case SenderNameRole: {
        if (sender == m_account->userId())
            return m_account->displayName();
        const auto user = m_account->users().get(sender);
        return user ? user->shownName() : QString();
    }
    case IsMineRole:
        return sender == m_account->userId();
    case KindRole:
        return row.out ? kindOf(content) : kindOf(m);
    case Qt::DisplayRole:
    case TextRole:
        if (!row.out && m.has_group_event())
            return describeGroupEvent(m.group_event(), *m_account);
        if (!row.out && m.recalled())
            return messageSummary(m);
        if (content.kind() == proto::MessageContent::KIND_FORWARD_BUNDLE)
            return bundleText(content.bundle());
        if (content.kind() == proto::MessageContent::KIND_CALL)
            return describeCallRecord(content.call(), sender == m_account->userId());
        return QString::fromStdString(content.text());
    case RichTextRole: {
        if (!row.out && (m.has_group_event() || m.recalled()))
            return QString();
        if (content.kind() == proto::MessageContent::KIND_FORWARD_BUNDLE
            || content.kind() == proto::MessageContent::KIND_CALL)
            return QString();
        const QString text = QString::fromStdString(content.text());
        const QList<TextLink> links = findLinks(text);
        return links.isEmpty() ? QString() : linkify(text, links);
    }
    case SentAtMsRole:
        return sentAt(m, row.out);
    case DayStartsRole: {
        if (index.row() == 0)
            return true;
        const Row &prev = m_rows[size_t(index.row() - 1)];
        return QDateTime::fromMSecsSinceEpoch(sentAt(prev.entry, prev.out)).date()
            != QDateTime::fromMSecsSinceEpoch(sentAt(m, row.out)).date();
    }
    case StateRole:
        return QVariant::fromValue(stateOf(row));
    case ErrorRole:
        return row.out ? row.out->error : QString();
    case EditedRole:
        return m.edited_at_ms() != 0;
    case ReplyToSeqRole:
        return qulonglong(content.reply_to_seq());
    case ReplySummaryRole:
        return content.reply_to_seq() ? summaryOf(content.reply_to_seq()) : QString();
    case ReactionsRole: {
        QVariantList list;
        for (const auto &r : m.reactions()) {
            const bool mine =
                std::find(r.user_ids().begin(), r.user_ids().end(), m_account->userId())
                != r.user_ids().end();
            list.append(QVariantMap {{QStringLiteral("emoji"), QString::fromStdString(r.emoji())},
                                     {QStringLiteral("count"), r.user_ids_size()},
                                     {QStringLiteral("mine"), mine}});
        }
        return list;
    }
    case MyReactionRole:
        return row.out ? QString() : reactionOf(m, m_account->userId());
    case SenderAvatarFileIdRole: {
        if (sender == m_account->userId())
            return m_account->avatarFileId();
        const auto user = m_account->users().get(sender);
        return user && user->profile ? QString::fromStdString(user->profile->avatar_file_id())
                                     : QString();
    }
    case FileRole:
        if (!content.has_file() || (!row.out && m.recalled()))
            return QVariantMap {};
        return describeMessageFile(content.file(),
                                   row.out ? row.out->clientMsgId
                                           : QString::fromStdString(m.client_msg_id()),
                                   sender == m_account->userId(), m_account->transfers());
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageModel::roleNames() const
{
    return {{SeqRole, "seq"},
            {ClientMsgIdRole, "clientMsgId"},
            {SenderIdRole, "senderId"},
            {SenderNameRole, "senderName"},
            {IsMineRole, "isMine"},
            {KindRole, "kind"},
            {TextRole, "text"},
            {SentAtMsRole, "sentAtMs"},
            {DayStartsRole, "dayStarts"},
            {StateRole, "state"},
            {ErrorRole, "error"},
            {EditedRole, "edited"},
            {ReplyToSeqRole, "replyToSeq"},
            {ReplySummaryRole, "replySummary"},
            {ReactionsRole, "reactions"},
            {MyReactionRole, "myReaction"},
            {FileRole, "file"},
            {SenderAvatarFileIdRole, "senderAvatarFileId"},
            {RichTextRole, "richText"}};
}

bool MessageModel::fitsTextLimit(const QString &text)
{
    const quint32 advertised = m_account->connection().welcome().limits().max_message_text_length();
    const qsizetype maxLength =
        advertised ? qsizetype(advertised) : qsizetype(limits::kDefaultMaxMessageTextLength);
    if (text.toUcs4().size() <= maxLength)
        return true;
    Q_EMIT actionFailed(
        tr("Not sent: a message may have at most %n characters.", "", int(maxLength)));
    return false;
}

bool MessageModel::sendText(const QString &text, double replyToSeq, const QVariantList &mentionIds,
                            bool mentionAll)
{
    const QString trimmed = text.trimmed();
    if (!m_account || !m_conversationId || trimmed.isEmpty())
        return false;
    // Refused here rather than by the server: a text the server cannot take at all (over its
    // frame size) would otherwise go out again from the outbox on every reconnect.
    if (!fitsTextLimit(trimmed))
        return false;
    proto::MessageContent content;
    content.set_kind(proto::MessageContent::KIND_TEXT);
    content.set_text(trimmed.toStdString());
    content.set_reply_to_seq(replyToSeq > 0 ? quint64(replyToSeq) : 0);
    for (const QVariant &id : mentionIds) {
        if (const quint64 userId = quint64(id.toDouble()))
            content.add_mentions(userId);
    }
    content.set_mention_all(mentionAll);
    if (m_account->outbox().send(m_conversationId, content).isEmpty()) {
        Q_EMIT actionFailed(tr("Not sent: the message could not be saved on this computer."));
        return false;
    }
    // The draft was this text: sent, it must not come back when the chat opens again.
    m_account->drafts().remove(m_conversationId);
    return true;
}

void MessageModel::retry(const QString &clientMsgId)
{
    if (!m_account)
        return;
    // A file message that failed in its upload retries the upload (which then sends it).
    const auto transfer = m_account->transfers().record(clientMsgId);
    if (transfer && transfer->state != TransferRecord::State::Done)
        m_account->transfers().resume(clientMsgId);
    else
        m_account->outbox().retry(clientMsgId);
}

void MessageModel::discard(const QString &clientMsgId)
{
    if (!m_account)
        return;
    const auto transfer = m_account->transfers().record(clientMsgId);
    if (transfer && transfer->state != TransferRecord::State::Done)
        m_account->transfers().cancel(clientMsgId); // drops the message too
    else
        m_account->outbox().discard(clientMsgId);
}

QString MessageModel::typingText() const
{
    if (!m_account || !m_conversationId)
        return {};
    QStringList names;
    for (quint64 id : m_account->typing().typing(m_conversationId)) {
        const auto user = m_account->users().get(id);
        names << (user ? user->shownName() : tr("Someone"));
    }
    if (names.isEmpty())
        return {};
    return names.size() == 1 ? tr("%1 is typing…").arg(names.first())
                             : tr("%1 are typing…").arg(names.join(QStringLiteral(", ")));
}

void MessageModel::setTyping(bool typing)
{
    if (m_account)
        m_account->typing().setOwnTyping(m_conversationId, typing);
}

void MessageModel::recall(double seq)
{
    if (!m_account)
        return;
    m_account->messageActions().recall(m_conversationId, quint64(seq), reportFailureTo(this));
}

bool MessageModel::edit(double seq, const QString &text)
{
    const QString trimmed = text.trimmed();
    if (!m_account || !m_conversationId || trimmed.isEmpty() || !fitsTextLimit(trimmed))
        return false;
    m_account->messageActions().edit(m_conversationId, quint64(seq), trimmed,
                                     [self = QPointer<MessageModel>(this),
                                      conversationId = m_conversationId, seq,
                                      text](const QString &error) {
                                         if (!self || error.isEmpty())
                                             return;
                                         Q_EMIT self->actionFailed(error);
                                         if (self->m_conversationId == conversationId)
                                             Q_EMIT self->editRefused(seq, text);
                                     });
    return true;
}

void MessageModel::react(double seq, const QString &emoji)
{
    if (!m_account)
        return;
    // The server removes a reaction when sent none ("").
    const auto target = m_account->messages().get(m_conversationId, quint64(seq));
    const bool taken = target && reactionOf(*target, m_account->userId()) == emoji;
    m_account->messageActions().react(m_conversationId, quint64(seq), taken ? QString() : emoji,
                                      reportFailureTo(this));
}

void MessageModel::deleteForMe(double seq)
{
    if (!m_account)
        return;
    m_account->messageActions().hideForMe(m_conversationId, {quint64(seq)}, reportFailureTo(this));
}

QString MessageModel::bundleText(const proto::ForwardBundle &bundle) const
{
    // The title, then the first few messages as "name: summary" lines.
    QStringList lines {QString::fromStdString(bundle.title())};
    constexpr int kShown = 4;
    for (int i = 0; i < bundle.items_size() && i < kShown; ++i) {
        const auto &item = bundle.items(i);
        proto::Message m;
        *m.mutable_content() = item.content();
        const auto user = m_account->users().get(item.sender_id());
        const QString name = item.sender_id() == m_account->userId() ? m_account->displayName()
            : user                                                   ? user->shownName()
                                                                     : QString();
        lines.append(name + QStringLiteral(": ") + messageSummary(m));
    }
    if (bundle.items_size() > kShown)
        lines.append(tr("… %n more", "", bundle.items_size() - kShown));
    return lines.join(QLatin1Char('\n'));
}

void MessageModel::forward(const QVariantList &seqs, const QVariantList &targetConversationIds,
                           bool merge)
{
    if (!m_account || seqs.isEmpty() || targetConversationIds.isEmpty())
        return;
    std::vector<quint64> source;
    for (const QVariant &seq : seqs)
        source.push_back(quint64(seq.toDouble()));
    std::sort(source.begin(), source.end());
    std::vector<quint64> targets;
    for (const QVariant &id : targetConversationIds)
        targets.push_back(quint64(id.toDouble()));
    QString title;
    if (merge) {
        const auto c = m_account->conversations().get(m_conversationId);
        title = c && c->state.group_id()
            ? tr("Chat history of %1").arg(m_account->groupName(c->state.group_id()))
            : tr("Chat history");
    }
    m_account->messageActions().forward(m_conversationId, source, targets, merge, title,
                                        reportOutcomeTo(this, &MessageModel::forwarded));
}

void MessageModel::markAllRead()
{
    if (!m_account || !m_conversationId)
        return;
    if (const auto c = m_account->conversations().get(m_conversationId); c && c->haveSeq > 0)
        m_account->sync().markRead(m_conversationId, c->haveSeq);
}

void MessageModel::onTransferChanged(const QString &id)
{
    const bool download = id.startsWith(QLatin1String("down:"));
    const std::string key = (download ? id.mid(5) : id).toStdString();
    for (size_t i = 0; i < m_rows.size(); ++i) {
        const Row &row = m_rows[i];
        const proto::MessageContent &content = row.out ? row.out->content : row.entry.content();
        const bool shows = download
            ? content.has_file() && content.file().file_id() == key
            : (row.out ? row.out->clientMsgId.toStdString() : row.entry.client_msg_id()) == key;
        if (shows)
            Q_EMIT dataChanged(index(int(i)), index(int(i)), {FileRole});
    }
}

int MessageModel::sendFiles(const QVariantList &urls)
{
    if (!m_account || !m_conversationId)
        return 0;
    int sent = 0;
    QStringList problems;
    for (const QVariant &value : urls) {
        const QUrl url = value.toUrl();
        const QString path = url.isLocalFile() ? url.toLocalFile() : value.toString();
        QString error;
        if (m_account->transfers().sendFile(m_conversationId, path, &error).isEmpty())
            problems << error;
        else
            ++sent;
    }
    if (!problems.isEmpty())
        Q_EMIT actionFailed(problems.join(QLatin1Char('\n')));
    return sent;
}

bool MessageModel::pasteFromClipboard()
{
    const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
    if (!m_account || !m_conversationId || !mime)
        return false;
    if (mime->hasUrls()) {
        QVariantList urls;
        for (const QUrl &url : mime->urls()) {
            if (url.isLocalFile())
                urls.append(url);
        }
        if (!urls.isEmpty()) {
            sendFiles(urls);
            return true;
        }
    }
    // Spreadsheets and word processors put a picture of what was copied beside its text: the
    // text is what the user meant to paste.
    if (!mime->hasImage() || !mime->text().trimmed().isEmpty())
        return false;
    // A screenshot or a copied picture: kept as a PNG in the account's folder, then sent.
    const QImage image = qvariant_cast<QImage>(mime->imageData());
    const QString folder = m_account->folder() + QStringLiteral("/pasted");
    QDir().mkpath(folder);
    const QString path = folder
        + QStringLiteral("/pasted-%1.png")
              .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")));
    if (image.isNull() || !image.save(path, "PNG")) {
        Q_EMIT actionFailed(tr("The pasted image could not be saved"));
        return true;
    }
    sendFiles({QUrl::fromLocalFile(path)});
    return true;
}

void MessageModel::sendVoiceNote(const QUrl &file, int durationMs)
{
    if (!m_account || !m_conversationId)
        return;
    QString error;
    if (m_account->transfers()
            .sendVoiceNote(m_conversationId, file.toLocalFile(), quint32(durationMs), &error)
            .isEmpty())
        Q_EMIT actionFailed(error);
}

void MessageModel::download(double seq, const QString &folder)
{
    if (!m_account)
        return;
    const auto entry = m_account->messages().get(m_conversationId, quint64(seq));
    if (!entry || !entry->content().has_file())
        return;
    QString error;
    if (m_account->transfers().download(entry->content().file(), folder, &error).isEmpty())
        Q_EMIT actionFailed(error);
}

void MessageModel::pauseTransfer(const QString &transferId)
{
    if (m_account)
        m_account->transfers().pause(transferId);
}

void MessageModel::resumeTransfer(const QString &transferId)
{
    if (m_account)
        m_account->transfers().resume(transferId);
}

void MessageModel::cancelTransfer(const QString &transferId)
{
    if (m_account)
        m_account->transfers().cancel(transferId);
}

int MessageModel::rowOfSeq(double seq) const
{
    const quint64 wanted = seq > 0 ? quint64(seq) : 0;
    if (wanted == 0)
        return -1; // outbox rows have no seq yet
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (!m_rows[i].out && m_rows[i].entry.seq() == wanted)
            return int(i);
    }
    return -1;
}

void MessageModel::ensureLoaded(double seq)
{
    m_wantsFirstUnread = false;
    m_wantedSeq = seq > 0 ? quint64(seq) : 0;
    m_wantedRequest = m_olderRequests;
    m_wantedFrom = 0;
    if (m_wantedSeq == 0) {
        QMetaObject::invokeMethod(
            this, [this, seq] { Q_EMIT seqLoaded(seq, -1); }, Qt::QueuedConnection);
        return;
    }
    QMetaObject::invokeMethod(this, &MessageModel::continueToWantedSeq, Qt::QueuedConnection);
}

void MessageModel::cancelEnsureLoaded()
{
    m_wantedSeq = 0;
    m_wantsFirstUnread = false;
}

void MessageModel::continueToWantedSeq()
{
    if (m_wantedSeq == 0 || m_loadingOlder)
        return; // nothing wanted, or a page is on its way: its end comes back here
    if (m_wantedRequest != m_olderRequests || !m_account || !m_conversationId) {
        m_wantedSeq = 0; // the chat was set again: the request was about what it showed then
        return;
    }
    // The page just loaded may show the first unread message to be a later entry.
    if (m_wantsFirstUnread) {
        refreshFirstUnread();
        if (m_firstUnread.seq() != 0)
            m_wantedSeq = m_firstUnread.seq();
    }
    const quint64 seq = m_wantedSeq;
    // What the cache holds already tells whether there is anything to show.
    const auto entry = m_account->messages().get(m_conversationId, seq);
    const bool gone = entry && (entry->hidden_for_me() || entry->recalled());
    const int row = gone ? -1 : rowOfSeq(double(seq));
    // Paging on helps only while the entry is older than every row and the last page brought
    // rows (it brings none when the server failed or nothing older is left).
    const bool older = m_firstSeq != 0 && seq < m_firstSeq;
    if (gone || row >= 0 || !older || m_atBeginning || m_wantedFrom == m_firstSeq) {
        m_wantedSeq = 0;
        Q_EMIT seqLoaded(double(seq), row);
        return;
    }
    m_wantedFrom = m_firstSeq;
    fetchMore({});
}

} // namespace tern::client
