// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "conversationstore.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

class Account;

// The chat list: the account's cached conversations, pinned first, then by last activity.
// Reads only the cache (so it fills instantly, offline too) and follows its change signals row
// by row (moved, inserted, removed, changed); it resets only when the account changes.
class ConversationListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    Q_PROPERTY(int totalUnread READ totalUnread NOTIFY totalUnreadChanged)
public:
    enum Role {
        ConversationIdRole = Qt::UserRole + 1,
        TitleRole,
        IsGroupRole,
        PeerUserIdRole,
        GroupIdRole,
        UnreadCountRole,
        MentionedRole,
        MutedRole,
        PinnedRole,
        ActiveRole,
        PreviewRole,
        LastActivityMsRole,
        OnlineRole, // a direct chat's peer is online or away (the presence dot)
        AvatarFileIdRole, // the peer's or the group's avatar ("" = none)
        DraftRole, // what was typed here and not sent, on one line ("" = none)
        // Every name the chat goes by, the title first: for a direct chat also the peer's
        // display name and username under a remark; what the chat search matches.
        NamesRole,
    };
    Q_ENUM(Role)

    explicit ConversationListModel(QObject *parent = nullptr);

    Account *account() const { return m_account; }
    void setAccount(Account *account);
    // Unread messages in conversations that are not muted (the tray badge).
    int totalUnread() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The row of a conversation, -1 when absent.
    Q_INVOKABLE int rowOf(double conversationId) const;
    Q_INVOKABLE QString titleAt(int row) const;
    // The conversation at `row`; 0 when there is none.
    Q_INVOKABLE double idAt(int row) const;
    // Every role of a row by its name (like ListModel.get); empty for a bad row.
    Q_INVOKABLE QVariantMap get(int row) const;

Q_SIGNALS:
    void accountChanged();
    void totalUnreadChanged();

private:
    void reload();
    // reload()'s steps towards `next` (rankOf: a conversation's row there): rows no longer
    // cached go, the others move into the new order, then the new ones come in.
    void removeGone(const QHash<quint64, int> &rankOf);
    void moveToNewOrder(const QHash<quint64, int> &rankOf, int nextSize);
    void insertNew(const std::vector<CachedConversation> &next, const QHash<quint64, int> &rankOf);
    void onPeopleChanged();
    void onGroupChanged(quint64 groupId);
    void onPresenceChanged(const std::vector<quint64> &userIds);
    void onDraftChanged(quint64 conversationId);
    QString titleOf(const CachedConversation &c) const;
    QStringList namesOf(const CachedConversation &c) const;
    QString previewOf(const CachedConversation &c) const;

    QPointer<Account> m_account;
    std::vector<CachedConversation> m_rows;
    QTimer m_reloadTimer;
};

// A short text for a message in a list or a quote: its text, or what kind of thing it is.
QString messageSummary(const proto::Message &m);

} // namespace tern::client
