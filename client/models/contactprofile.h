// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

class Account;

// One person as the profile page and the chat header show them: names, status line, presence,
// friendship and block state from the cache (fresh from the server when shown), and what the
// user can do about them: a remark only they see, block or unblock, end the friendship.
class ContactProfile : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    Q_PROPERTY(double userId READ userId WRITE setUserId NOTIFY userIdChanged)
    Q_PROPERTY(QString name READ name NOTIFY changed) // remark, else display name, else username
    Q_PROPERTY(QString displayName READ displayName NOTIFY changed)
    Q_PROPERTY(QString username READ username NOTIFY changed)
    Q_PROPERTY(QString remark READ remark NOTIFY changed)
    Q_PROPERTY(QString statusLine READ statusLine NOTIFY changed)
    Q_PROPERTY(QString avatarFileId READ avatarFileId NOTIFY changed)
    Q_PROPERTY(bool isFriend READ isFriend NOTIFY changed)
    Q_PROPERTY(bool blocked READ isBlocked NOTIFY changed)
    Q_PROPERTY(bool isMe READ isMe NOTIFY changed)
    Q_PROPERTY(bool online READ isOnline NOTIFY presenceChanged)
    Q_PROPERTY(QString presenceText READ presenceText NOTIFY presenceChanged)
public:
    explicit ContactProfile(QObject *parent = nullptr);

    Account *account() const { return m_account; }
    void setAccount(Account *account);
    double userId() const { return double(m_userId); }
    void setUserId(double userId);

    QString name() const;
    QString displayName() const;
    QString username() const;
    QString remark() const;
    QString statusLine() const;
    QString avatarFileId() const;
    bool isFriend() const;
    bool isBlocked() const;
    bool isMe() const;
    bool isOnline() const;
    QString presenceText() const;

    // Each answers through the cache (changed()) or actionFailed(reason).
    Q_INVOKABLE void setRemark(const QString &remark);
    Q_INVOKABLE void setBlocked(bool blocked);
    Q_INVOKABLE void removeFriend();
    // Asks the server for the current profile and presence (a page being shown).
    Q_INVOKABLE void refresh();

Q_SIGNALS:
    void accountChanged();
    void userIdChanged();
    void changed();
    void presenceChanged();
    void actionFailed(const QString &message);

private:
    void watch();

    QPointer<Account> m_account;
    quint64 m_userId = 0;
};

} // namespace tern::client
