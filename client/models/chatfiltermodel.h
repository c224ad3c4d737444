// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QSortFilterProxyModel>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

// The chats whose name matches what is typed in the chat list's search field, over a
// ConversationListModel (its `names` role): a chat with a word of a name starting with the
// query comes before one where the query is only inside a word, each group in the chat
// list's own order. Case and Latin accents do not count ("zoe" finds "Zoë"). An empty query
// matches nothing: the chat list itself is shown then.
class ChatFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    // How a name matches a query.
    enum Match {
        NoMatch = -1,
        WordStart = 0, // at the start of the name or of a word in it
        InsideWord = 1,
    };
    Q_ENUM(Match)

    explicit ChatFilterModel(QObject *parent = nullptr);

    QString query() const { return m_query; }
    void setQuery(const QString &query);
    int count() const { return rowCount(); }

    // The conversation at `row`; 0 when there is none.
    Q_INVOKABLE double idAt(int row) const;

    // The best match of `query` in any of `names` (both as typed; folded here).
    static Match match(const QStringList &names, const QString &query);
    // What is compared: white space simplified, case folded, Latin accents dropped.
    static QString folded(const QString &text);

Q_SIGNALS:
    void queryChanged();
    void countChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    static Match matchFolded(const QStringList &foldedNames, const QString &foldedQuery);
    Match matchOf(const QModelIndex &sourceIndex) const;

    QString m_query;
    QString m_folded; // m_query folded
    // Each accepted chat's match by conversation id, noted when it is filtered: sorting
    // compares rows many times, and a row's names come from the cache.
    mutable QHash<quint64, Match> m_matchOf;
};

} // namespace tern::client
