// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"
#include "tern/v1/messaging.pb.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

class Account;

// Search across all chats: the local cache answers at once (works offline, Chinese included),
// then the server's results are merged in (history this device never downloaded).
class MessageSearchModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    Q_PROPERTY(bool searchingServer READ isSearchingServer NOTIFY searchingServerChanged)
    // Why the server's part of the last search failed (empty when it did not): the local
    // results stay.
    Q_PROPERTY(QString serverError READ serverError NOTIFY searchingServerChanged)
    // A search has finished (on the server too, or failed there): no rows then means none found.
    Q_PROPERTY(bool searched READ searched NOTIFY searchingServerChanged)
public:
    enum Role {
        ConversationIdRole = Qt::UserRole + 1,
        SeqRole,
        TextRole,
        SenderNameRole,
        ChatTitleRole,
        SentAtMsRole
    };
    Q_ENUM(Role)

    explicit MessageSearchModel(QObject *parent = nullptr);

    Account *account() const { return m_account; }
    void setAccount(Account *account);
    bool isSearchingServer() const { return m_searchingServer; }
    QString serverError() const { return m_serverError; }
    bool searched() const { return m_searched; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE void search(const QString &query);
    Q_INVOKABLE void clear();

Q_SIGNALS:
    void accountChanged();
    void searchingServerChanged();

private:
    void merge(const std::vector<proto::Message> &found);
    QString chatTitle(quint64 conversationId) const;

    QPointer<Account> m_account;
    std::vector<proto::Message> m_rows;
    bool m_searchingServer = false;
    bool m_searched = false;
    QString m_serverError;
    int m_generation = 0;
};

} // namespace tern::client
