// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QPointer>
#include <QtQml/qqmlparserstatus.h>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

class Account;

// The chat that was open, remembered per account in its cache (so it goes with the account's
// other data on this device), so that it is open again the next time the account is: at the
// next start, after logging in again, on switching back to it. The page binds `current` to
// its open chat and opens what reopen() names. Conversations are ids as numbers, as in QML.
//
// reopen() comes once when the object is complete and again whenever the account changes
// afterwards, and only for a chat still in the account's conversation list; at completion
// not when a chat is open already (whatever opened it first wins). Closing every chat
// (current 0) forgets nothing: the last chat open is what is remembered.
class LastOpenChat : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    // The chat on screen (0: none); every other chat that opens is remembered for the account.
    Q_PROPERTY(double current READ current WRITE setCurrent NOTIFY currentChanged)
public:
    explicit LastOpenChat(QObject *parent = nullptr);

    Account *account() const { return m_account; }
    void setAccount(Account *account);
    double current() const { return double(m_current); }
    void setCurrent(double conversationId);

    // The account's remembered chat while it is in its conversation list, else 0.
    Q_INVOKABLE double remembered() const;

    void classBegin() override { m_complete = false; }
    void componentComplete() override;

Q_SIGNALS:
    void accountChanged();
    void currentChanged();
    // Open this chat (see above).
    void reopen(double conversationId);

private:
    void reopenRemembered();

    QPointer<Account> m_account;
    quint64 m_current = 0;
    // Made from C++ there is no completion to wait for.
    bool m_complete = true;
};

} // namespace tern::client
