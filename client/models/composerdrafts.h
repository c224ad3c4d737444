// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "draftstore.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

class Account;

// The composer's drafts, one per conversation, kept in the account's cache (DraftStore): a
// text typed and not sent survives switching chats, quitting and a restart. Typing is saved
// kSaveDelayMs after the last change, not on every key; flush() (switching chats), quitting
// and switching accounts save at once. Conversations are ids as numbers, as in QML.
class ComposerDrafts : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
public:
    static constexpr int kSaveDelayMs = 500;

    explicit ComposerDrafts(QObject *parent = nullptr);
    ~ComposerDrafts() override;

    Account *account() const { return m_account; }
    void setAccount(Account *account);

    // {text, mentions: [{userId, name}]} of a conversation; an empty text when there is none.
    Q_INVOKABLE QVariantMap draft(double conversationId) const;
    // What the composer holds for a conversation now (mentions as draft() gives them). An
    // empty text removes the draft.
    Q_INVOKABLE void update(double conversationId, const QString &text,
                            const QVariantList &mentions);
    // Saves a change still waiting for its delay.
    Q_INVOKABLE void flush();

Q_SIGNALS:
    void accountChanged();

private:
    QPointer<Account> m_account;
    quint64 m_pendingId = 0; // 0: nothing waits to be saved
    Draft m_pending;
    QTimer m_saveTimer;
};

} // namespace tern::client
