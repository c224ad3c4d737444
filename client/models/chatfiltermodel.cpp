// SPDX-License-Identifier: Apache-2.0
// ChatFilterModel: the chat list's matches for the search field, GUI thread. Filtering and
// order follow the ConversationListModel below through QSortFilterProxyModel's dynamic
// filter, so a chat renamed, arriving or gone while the user searches is right at once.
#include "chatfiltermodel.h"

#include "account.h" // conversationlistmodel.h needs it whole
#include "conversationlistmodel.h"

namespace tern::client {

namespace {

bool startsWord(const QString &text, qsizetype at)
{
    return at == 0 || !text.at(at - 1).isLetterOrNumber();
}

quint64 idOf(const QModelIndex &sourceIndex)
{
    return sourceIndex.data(ConversationListModel::ConversationIdRole).toULongLong();
}

} // namespace

ChatFilterModel::ChatFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    sort(0); // by lessThan(): the match, then the chat list's order
    const auto counted = [this] { Q_EMIT countChanged(); };
    connect(this, &QAbstractItemModel::rowsInserted, this, counted);
    connect(this, &QAbstractItemModel::rowsRemoved, this, counted);
    connect(this, &QAbstractItemModel::modelReset, this, counted);
    connect(this, &QAbstractItemModel::layoutChanged, this, counted);
}

void ChatFilterModel::setQuery(const QString &query)
{
    if (query == m_query)
        return;
    m_query = query;
    const QString f = folded(query);
    if (f != m_folded) {
        m_folded = f;
        m_matchOf.clear();
        invalidate(); // filter and order both depend on the query
    }
    Q_EMIT queryChanged();
}

double ChatFilterModel::idAt(int row) const
{
    return row < 0 || row >= rowCount() ? 0 : double(idOf(mapToSource(index(row, 0))));
}

QString ChatFilterModel::folded(const QString &text)
{
    // Compatibility decomposition also turns full-width letters into plain ones ("Ａ" → "A")
    // and splits accented letters into letter and mark.
    const QString decomposed = text.normalized(QString::NormalizationForm_KD);
    QString out;
    out.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        // Only the combining marks of Latin, Greek and Cyrillic go ("é" → "e"): in other
        // scripts a mark makes another letter (Japanese "が" is not "か"), so those are
        // composed again below, and "か" is not found inside "が".
        if (c.unicode() < 0x0300 || c.unicode() > 0x036f)
            out.append(c);
    }
    return out.normalized(QString::NormalizationForm_C).toCaseFolded().simplified();
}

ChatFilterModel::Match ChatFilterModel::match(const QStringList &names, const QString &query)
{
    QStringList foldedNames;
    foldedNames.reserve(names.size());
    for (const QString &name : names)
        foldedNames << folded(name);
    return matchFolded(foldedNames, folded(query));
}

ChatFilterModel::Match ChatFilterModel::matchFolded(const QStringList &foldedNames,
                                                    const QString &foldedQuery)
{
    if (foldedQuery.isEmpty())
        return NoMatch;
    Match best = NoMatch;
    for (const QString &name : foldedNames) {
        for (qsizetype at = name.indexOf(foldedQuery); at >= 0;
             at = name.indexOf(foldedQuery, at + 1)) {
            if (startsWord(name, at))
                return WordStart;
            best = InsideWord;
        }
    }
    return best;
}

ChatFilterModel::Match ChatFilterModel::matchOf(const QModelIndex &sourceIndex) const
{
    const auto it = m_matchOf.constFind(idOf(sourceIndex));
    if (it != m_matchOf.constEnd())
        return it.value();
    QStringList names = sourceIndex.data(ConversationListModel::NamesRole).toStringList();
    for (QString &name : names)
        name = folded(name);
    return matchFolded(names, m_folded);
}

bool ChatFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_folded.isEmpty() || !sourceModel())
        return false;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const quint64 id = idOf(index);
    // The row's names may have changed since it was last filtered: match afresh, and keep the
    // result for lessThan(), which Qt calls right after for the rows accepted.
    m_matchOf.remove(id);
    const Match m = matchOf(index);
    if (m == NoMatch)
        return false;
    m_matchOf.insert(id, m);
    return true;
}

bool ChatFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const Match a = matchOf(left);
    const Match b = matchOf(right);
    return a != b ? a < b : left.row() < right.row();
}

} // namespace tern::client
