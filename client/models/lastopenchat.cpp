// SPDX-License-Identifier: Apache-2.0
// LastOpenChat: the open chat into the account's cache and back, GUI thread.
#include "lastopenchat.h"

#include "account.h"

namespace tern::client {

namespace {

const QString kMetaKey = QStringLiteral("open_conversation");

quint64 idOf(double conversationId)
{
    return conversationId > 0 ? quint64(conversationId) : 0;
}

} // namespace

LastOpenChat::LastOpenChat(QObject *parent)
    : QObject(parent)
{ }

void LastOpenChat::setAccount(Account *account)
{
    if (m_account == account)
        return;
    m_account = account;
    Q_EMIT accountChanged();
    // Whatever is open now belongs to the account before: it does not hold this one's back.
    if (m_complete)
        reopenRemembered();
}

void LastOpenChat::setCurrent(double conversationId)
{
    const quint64 id = idOf(conversationId);
    if (id == m_current)
        return;
    m_current = id;
    Q_EMIT currentChanged();
    if (id != 0 && m_account && m_account->cache().isOpen())
        m_account->cache().setMeta(kMetaKey, QByteArray::number(id));
}

double LastOpenChat::remembered() const
{
    if (!m_account || !m_account->cache().isOpen())
        return 0;
    const quint64 id = m_account->cache().meta(kMetaKey).toULongLong();
    // Not listed (a damaged cache made anew, say): nothing to open, as if none was.
    return id != 0 && m_account->conversations().get(id) ? double(id) : 0;
}

void LastOpenChat::componentComplete()
{
    m_complete = true;
    if (m_current == 0)
        reopenRemembered();
}

void LastOpenChat::reopenRemembered()
{
    if (const double id = remembered(); id != 0)
        Q_EMIT reopen(id);
}

} // namespace tern::client
