// SPDX-License-Identifier: Apache-2.0
// ContactProfile: one person's profile page, GUI thread.
#include "contactprofile.h"

#include "account.h"
#include "actionfailure.h"
#include "preferences.h"

#include <QDateTime>

namespace tern::client {

ContactProfile::ContactProfile(QObject *parent)
    : QObject(parent)
{
    // presenceText is made here, in the language of the moment.
    if (Preferences *preferences = Preferences::instance())
        connect(preferences, &Preferences::languageChanged, this, &ContactProfile::presenceChanged);
}

void ContactProfile::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account)
        m_account->disconnectReceiver(this);
    m_account = account;
    watch();
    Q_EMIT accountChanged();
    Q_EMIT changed();
    Q_EMIT presenceChanged();
}

void ContactProfile::setUserId(double userId)
{
    if (quint64(userId) == m_userId)
        return;
    m_userId = quint64(userId);
    Q_EMIT userIdChanged();
    Q_EMIT changed();
    Q_EMIT presenceChanged();
}

void ContactProfile::watch()
{
    if (!m_account)
        return;
    connect(&m_account->users(), &UserStore::changed, this,
            [this](const std::vector<quint64> &ids) {
                if (std::find(ids.begin(), ids.end(), m_userId) != ids.end())
                    Q_EMIT changed();
            });
    connect(&m_account->presence(), &PresenceTracker::changed, this,
            [this](const std::vector<quint64> &ids) {
                if (std::find(ids.begin(), ids.end(), m_userId) != ids.end())
                    Q_EMIT presenceChanged();
            });
    connect(m_account, &Account::sessionChanged, this, &ContactProfile::changed);
}

namespace {

std::optional<CachedUser> cached(Account *account, quint64 userId)
{
    if (!account || !userId)
        return std::nullopt;
    return account->users().get(userId);
}

} // namespace

QString ContactProfile::name() const
{
    const auto u = cached(m_account, m_userId);
    return u ? u->shownName() : QString();
}

QString ContactProfile::displayName() const
{
    const auto u = cached(m_account, m_userId);
    return u && u->profile ? QString::fromStdString(u->profile->display_name()) : QString();
}

QString ContactProfile::username() const
{
    const auto u = cached(m_account, m_userId);
    return u && u->profile ? QString::fromStdString(u->profile->username()) : QString();
}

QString ContactProfile::remark() const
{
    const auto u = cached(m_account, m_userId);
    return u && u->contact ? QString::fromStdString(u->contact->remark()) : QString();
}

QString ContactProfile::statusLine() const
{
    const auto u = cached(m_account, m_userId);
    return u && u->profile ? QString::fromStdString(u->profile->status_line()) : QString();
}

QString ContactProfile::avatarFileId() const
{
    const auto u = cached(m_account, m_userId);
    return u && u->profile ? QString::fromStdString(u->profile->avatar_file_id()) : QString();
}

bool ContactProfile::isFriend() const
{
    const auto u = cached(m_account, m_userId);
    return u && u->contact && u->contact->is_friend();
}

bool ContactProfile::isBlocked() const
{
    const auto u = cached(m_account, m_userId);
    return u && u->contact && u->contact->blocked();
}

bool ContactProfile::isMe() const
{
    return m_account && m_userId && m_account->userId() == m_userId;
}

bool ContactProfile::isOnline() const
{
    if (!m_account)
        return false;
    const auto state = m_account->presence().presence(m_userId).state();
    return state == proto::PRESENCE_STATE_ONLINE || state == proto::PRESENCE_STATE_AWAY;
}

QString ContactProfile::presenceText() const
{
    if (!m_account || !m_userId)
        return {};
    return PresenceTracker::describe(m_account->presence().presence(m_userId),
                                     QDateTime::currentMSecsSinceEpoch());
}

void ContactProfile::setRemark(const QString &remark)
{
    if (m_account && m_userId)
        m_account->contactActions().setRemark(m_userId, remark, reportFailureTo(this));
}

void ContactProfile::setBlocked(bool blocked)
{
    if (m_account && m_userId)
        m_account->contactActions().setBlocked(m_userId, blocked, reportFailureTo(this));
}

void ContactProfile::removeFriend()
{
    if (m_account && m_userId)
        m_account->contactActions().removeFriend(m_userId, reportFailureTo(this));
}

void ContactProfile::refresh()
{
    if (!m_account || !m_userId || isMe())
        return;
    m_account->sync().fetchProfiles({m_userId});
    m_account->presence().request({m_userId});
}

} // namespace tern::client
