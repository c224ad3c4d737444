// SPDX-License-Identifier: Apache-2.0
// ComposerDrafts: the composer's texts and replies into the cache, debounced, GUI thread.
#include "composerdrafts.h"

#include "account.h"
#include "conversationlistmodel.h" // messageSummary

#include <QCoreApplication>

#include <utility>

namespace tern::client {

namespace {

quint64 idOf(double conversationId)
{
    return conversationId > 0 ? quint64(conversationId) : 0;
}

// The reply bar of a draft: null when it is no reply. A message recalled since the reply was
// chosen is named as the quote of the sent reply will name it, not by the text it had.
QVariant replyOf(const Draft &draft, Account &account, quint64 conversationId)
{
    if (draft.replyToSeq == 0)
        return QVariant::fromValue(nullptr);
    QString summary = draft.replySummary;
    if (const auto m = account.messages().get(conversationId, draft.replyToSeq); m && m->recalled())
        summary = messageSummary(*m);
    return QVariantMap {{QStringLiteral("seq"), double(draft.replyToSeq)},
                        {QStringLiteral("summary"), summary}};
}

} // namespace

ComposerDrafts::ComposerDrafts(QObject *parent)
    : QObject(parent)
{
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(kSaveDelayMs);
    connect(&m_saveTimer, &QTimer::timeout, this, &ComposerDrafts::flush);
    // Quitting: saved while the account is surely still there (the destructor saves too).
    if (QCoreApplication *app = QCoreApplication::instance())
        connect(app, &QCoreApplication::aboutToQuit, this, &ComposerDrafts::flush);
}

ComposerDrafts::~ComposerDrafts()
{
    flush();
}

void ComposerDrafts::setAccount(Account *account)
{
    if (m_account == account)
        return;
    flush(); // into the account it was typed in
    m_account = account;
    Q_EMIT accountChanged();
}

QVariantMap ComposerDrafts::draft(double conversationId) const
{
    const quint64 id = idOf(conversationId);
    std::optional<Draft> found;
    if (id != 0 && id == m_pendingId)
        found = m_pending; // newer than what is stored
    else if (id != 0 && m_account)
        found = m_account->drafts().get(id);
    QVariantList mentions;
    if (found) {
        for (const Draft::Mention &m : found->mentions)
            mentions.append(QVariantMap {{QStringLiteral("userId"), double(m.userId)},
                                         {QStringLiteral("name"), m.name}});
    }
    return QVariantMap {
        {QStringLiteral("text"), found ? found->text : QString()},
        {QStringLiteral("mentions"), mentions},
        {QStringLiteral("replyTo"),
         found && m_account ? replyOf(*found, *m_account, id) : QVariant::fromValue(nullptr)}};
}

void ComposerDrafts::update(double conversationId, const QString &text,
                            const QVariantList &mentions, const QVariantMap &replyTo)
{
    const quint64 id = idOf(conversationId);
    if (id == 0 || !m_account)
        return;
    if (m_pendingId != 0 && m_pendingId != id)
        flush();
    m_pendingId = id;
    m_pending = Draft {};
    m_pending.text = text;
    for (const QVariant &value : mentions) {
        const QVariantMap m = value.toMap();
        if (const quint64 userId = quint64(m.value(QStringLiteral("userId")).toDouble()))
            m_pending.mentions.push_back({userId, m.value(QStringLiteral("name")).toString()});
    }
    const double replyToSeq = replyTo.value(QStringLiteral("seq")).toDouble();
    if (replyToSeq > 0) {
        m_pending.replyToSeq = quint64(replyToSeq);
        m_pending.replySummary = replyTo.value(QStringLiteral("summary")).toString();
    }
    m_saveTimer.start();
}

void ComposerDrafts::flush()
{
    m_saveTimer.stop();
    const quint64 id = std::exchange(m_pendingId, 0);
    if (id != 0 && m_account)
        m_account->drafts().set(id, m_pending);
}

} // namespace tern::client
