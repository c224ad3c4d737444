// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QObject>
#include <QPointer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

class Account;

// One group as its info page shows it: the cached group and the user's role in it, what that
// role allows (the page shows only those actions; the server checks again), the changes
// themselves and, for owner and admins, the pending join requests.
class GroupInfo : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    Q_PROPERTY(double groupId READ groupId WRITE setGroupId NOTIFY groupIdChanged)
    Q_PROPERTY(QString name READ name NOTIFY changed)
    Q_PROPERTY(QString announcement READ announcement NOTIFY changed)
    Q_PROPERTY(QString avatarFileId READ avatarFileId NOTIFY changed)
    Q_PROPERTY(int memberCount READ memberCount NOTIFY changed)
    Q_PROPERTY(JoinPolicy joinPolicy READ joinPolicy NOTIFY changed)
    Q_PROPERTY(bool muteAll READ muteAll NOTIFY changed)
    Q_PROPERTY(QString inviteCode READ inviteCode NOTIFY changed)
    Q_PROPERTY(bool dissolved READ isDissolved NOTIFY changed)
    Q_PROPERTY(Role myRole READ myRole NOTIFY changed)
    Q_PROPERTY(QString myNickname READ myNickname NOTIFY changed)
    Q_PROPERTY(bool isMember READ isMember NOTIFY changed)
    Q_PROPERTY(bool canEditSettings READ canEditSettings NOTIFY changed)
    Q_PROPERTY(bool canInvite READ canInvite NOTIFY changed)
    Q_PROPERTY(bool canReviewApplications READ canEditSettings NOTIFY changed)
    Q_PROPERTY(bool isOwner READ isOwner NOTIFY changed)
    Q_PROPERTY(bool canPost READ canPost NOTIFY changed)
    Q_PROPERTY(bool known READ isKnown NOTIFY changed)
    Q_PROPERTY(QVariantList applications READ applications NOTIFY applicationsChanged)
public:
    // The numbers of tern.v1.GroupRole and GroupJoinPolicy.
    enum Role { NotMember = 0, Member = 1, Admin = 2, Owner = 3 };
    Q_ENUM(Role)
    enum JoinPolicy { InviteOnly = 1, Approval = 2, Open = 3 };
    Q_ENUM(JoinPolicy)

    explicit GroupInfo(QObject *parent = nullptr);

    Account *account() const { return m_account; }
    void setAccount(Account *account);
    double groupId() const { return double(m_groupId); }
    void setGroupId(double groupId);

    QString name() const;
    QString avatarFileId() const;
    QString announcement() const;
    int memberCount() const;
    JoinPolicy joinPolicy() const;
    bool muteAll() const;
    QString inviteCode() const;
    bool isDissolved() const;
    Role myRole() const;
    QString myNickname() const;
    bool isMember() const { return myRole() != NotMember && !isDissolved(); }
    bool canEditSettings() const { return isMember() && myRole() >= Admin; }
    bool canInvite() const;
    bool isOwner() const { return isMember() && myRole() == Owner; }
    // Unknown (not synced yet) counts as allowed: the server has the last word anyway.
    bool canPost() const
    {
        return !membership() || (isMember() && (!muteAll() || myRole() >= Admin));
    }
    bool isKnown() const { return membership().has_value(); }
    QVariantList applications() const { return m_applications; }

    // Each answers through the cache (changed()) or actionFailed(reason).
    Q_INVOKABLE void rename(const QString &name);
    Q_INVOKABLE void setAnnouncement(const QString &announcement);
    // A picture file becomes the group's avatar (owner and admins); actionFailed on refusal.
    Q_INVOKABLE void setAvatar(const QUrl &picture);
    Q_INVOKABLE void setJoinPolicy(tern::client::GroupInfo::JoinPolicy policy);
    Q_INVOKABLE void setMuteAll(bool muteAll);
    Q_INVOKABLE void resetInviteCode();
    Q_INVOKABLE void setMyNickname(const QString &nickname);
    Q_INVOKABLE void invite(const QVariantList &userIds);
    Q_INVOKABLE void leave();
    Q_INVOKABLE void dissolve();
    // Pending join requests into `applications` (owner and admins).
    Q_INVOKABLE void refreshApplications();
    Q_INVOKABLE void answerApplication(double applicationId, bool approve);

Q_SIGNALS:
    void accountChanged();
    void groupIdChanged();
    void changed();
    void applicationsChanged();
    void actionFailed(const QString &message);
    // invite() was done: the users are members now or invited.
    void invited();

private:
    std::optional<proto::GroupMembership> membership() const;
    void watch();

    QPointer<Account> m_account;
    quint64 m_groupId = 0;
    QVariantList m_applications;
};

} // namespace tern::client
