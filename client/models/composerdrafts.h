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
// text typed and not sent, and the message it replies to, survive switching chats, quitting
// and a restart. A reply chosen with nothing typed yet is a draft too (the reply bar comes
// back, as in Telegram); no text and no reply is none. Typing, choosing a reply and cancelling
// it are saved kSaveDelayMs after the last change, not on every key; flush() (switching
// chats), quitting and switching accounts save at once. Conversations are ids as numbers, as
// in QML.
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

    // {text, mentions: [{userId, name}], replyTo: {seq, summary} or null} of a conversation;
    // an empty text and no reply when there is none. The summary is what the reply bar showed,
    // or what a quote of the message says now if it was recalled since.
    Q_INVOKABLE QVariantMap draft(double conversationId) const;
    // What the composer holds for a conversation now (mentions and replyTo as draft() gives
    // them; an empty map or a seq of 0: not a reply). An empty text and no reply removes the
    // draft.
    Q_INVOKABLE void update(double conversationId, const QString &text,
                            const QVariantList &mentions, const QVariantMap &replyTo = {});
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
