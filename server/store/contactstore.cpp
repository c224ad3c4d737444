// SPDX-License-Identifier: Apache-2.0
// ContactStore: SQL for contacts and friend requests. Runs on its PgPool's thread. The
// multi-step operations are SQL functions (migration 0002) so each is atomic in one round trip.
#include "store/contactstore.h"

#include "store/pagebudget.h"
#include "store/pgpool.h"
#include "store/profilesql.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tern::server {

namespace {

// The select list and source of request rows ('r'), seen by user $1: columns 0-1 kind and the
// user's version of the row, 2 the other user, 3-7 unused (contact columns), 8-15 the request,
// then the other user's profile from 16. Shared by the change feed and the pending list.
QByteArray requestRows()
{
    return QByteArray("SELECT 'r',"
                      " CASE WHEN r.from_id = $1 THEN r.from_version ELSE r.to_version END, u.id,"
                      " NULL, NULL, NULL, NULL, NULL, r.id, r.from_id, r.to_id, r.greeting,"
                      " CASE WHEN r.state = 1 AND r.expires_at <= now() THEN 5 ELSE r.state END,"
                      " (extract(epoch FROM r.created_at) * 1000)::bigint,"
                      " (extract(epoch FROM r.expires_at) * 1000)::bigint,"
                      " (extract(epoch FROM r.updated_at) * 1000)::bigint, ")
        + profilesql::kColumns
        + " FROM friend_requests r"
          " JOIN users u ON u.id = CASE WHEN r.from_id = $1 THEN r.to_id ELSE r.from_id END"
        + profilesql::kJoins;
}

// One row per changed contact ('c') or request ('r'), plus one 'v' row carrying the user's
// current version (it sorts first, hence LIMIT limit + 2: the v row, the page, one to tell
// whether there is more). Contact columns 2-7, request columns 8-15, the other user's profile
// from 16. $1 user, $2 since, $3 limit, $4 peer or NULL.
const QByteArray &changesSql()
{
    static const QByteArray sql = []() -> QByteArray {
        const QByteArray profile = QByteArray(", ") + profilesql::kColumns;
        const QByteArray top = "(SELECT contacts_version FROM users WHERE id = $1)";
        return QByteArray("SELECT * FROM ((SELECT 'v'::text AS kind, -1::bigint AS version, ") + top
            + ", NULL::boolean, NULL::text, NULL::text, NULL::boolean, NULL::bigint,"
              " NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint,"
              " NULL::bigint, NULL::bigint, NULL::bigint"
            + QByteArray(", NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::text,"
                         " NULL::bigint, NULL::boolean, NULL::boolean)")
            + " UNION ALL (SELECT 'c', c.version, c.peer_id, c.is_friend, c.remark,"
              " array_to_json(c.tags)::text, c.blocked,"
              " coalesce((extract(epoch FROM c.friends_since) * 1000)::bigint, 0),"
              " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
            + profile + " FROM contacts c JOIN users u ON u.id = c.peer_id" + profilesql::kJoins
            + " WHERE c.owner_id = $1 AND c.version > $2 AND c.version <= " + top
            + " AND ($4::bigint IS NULL OR c.peer_id = $4))" + " UNION ALL (" + requestRows()
            + " WHERE ((r.from_id = $1 AND r.from_version > $2 AND r.from_version <= " + top
            + ") OR (r.to_id = $1 AND r.to_version > $2 AND r.to_version <= " + top
            + ")) AND ($4::bigint IS NULL OR u.id = $4))) AS changes"
              " ORDER BY version LIMIT $3::bigint + 2";
    }();
    return sql;
}

// A page of $1's contacts after peer $2 in peer order, at most $3 + 1 of them (the one more
// tells whether there is more), laid out as changesSql()'s contact rows.
const QByteArray &contactPageSql()
{
    static const QByteArray sql =
        QByteArray("SELECT 'c', c.version, c.peer_id,"
                   " c.is_friend, c.remark, array_to_json(c.tags)::text, c.blocked,"
                   " coalesce((extract(epoch FROM c.friends_since) * 1000)::bigint, 0),"
                   " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ")
        + profilesql::kColumns + " FROM contacts c JOIN users u ON u.id = c.peer_id"
        + profilesql::kJoins
        + " WHERE c.owner_id = $1 AND c.peer_id > $2 ORDER BY c.peer_id LIMIT $3::bigint + 1";
    return sql;
}

// Makes (or bumps) $1's contact row for $2, if $2 is a contact already or a user $1 may see:
// one who blocks $1, or is banned, is as unknown here as in GetProfiles (migration 0017).
const QByteArray &touchSql()
{
    static const QByteArray sql = QByteArray("SELECT tern_touch_contact($1, $2)"
                                             " WHERE $1 <> $2 AND EXISTS (SELECT 1 FROM users u")
        + profilesql::kJoins + " WHERE u.id = $2 AND (mine.peer_id IS NOT NULL OR "
        + profilesql::kVisible + "))";
    return sql;
}

// Pending, unexpired requests to or from $1, newest first.
const QByteArray &pendingSql()
{
    static const QByteArray sql = requestRows()
        + " WHERE (r.from_id = $1 OR r.to_id = $1) AND r.state = 1 AND r.expires_at > now()"
          " ORDER BY r.id DESC LIMIT 1000";
    return sql;
}

void readContact(const PgResult &r, int row, proto::Contact *out)
{
    out->set_user_id(quint64(r.int64(row, 2)));
    out->set_is_friend(r.boolean(row, 3));
    out->set_remark(r.bytes(row, 4).toStdString());
    const QJsonArray tags = QJsonDocument::fromJson(r.bytes(row, 5)).array();
    for (const auto &tag : tags)
        out->add_tags(tag.toString().toStdString());
    out->set_blocked(r.boolean(row, 6));
    out->set_friends_since_ms(r.int64(row, 7));
    profilesql::read(r, row, 16, out->mutable_profile());
}

void readRequest(const PgResult &r, int row, proto::FriendRequest *out)
{
    out->set_request_id(quint64(r.int64(row, 8)));
    out->set_from_user_id(quint64(r.int64(row, 9)));
    out->set_to_user_id(quint64(r.int64(row, 10)));
    out->set_greeting(r.bytes(row, 11).toStdString());
    out->set_state(proto::FriendRequest::State(r.int64(row, 12)));
    out->set_created_at_ms(r.int64(row, 13));
    out->set_expires_at_ms(r.int64(row, 14));
    out->set_updated_at_ms(r.int64(row, 15));
    profilesql::read(r, row, 16, out->mutable_peer());
}

QByteArray textArray(const QStringList &values)
{
    QByteArray out = "{";
    for (qsizetype i = 0; i < values.size(); ++i) {
        QByteArray item = values.at(i).toUtf8();
        item.replace('\\', "\\\\").replace('"', "\\\"");
        out += (i ? ",\"" : "\"") + item + '"';
    }
    return out + '}';
}

} // namespace

ContactStore::ContactStore(PgPool &pool, int requestLifetimeSeconds)
    : m_pool(pool)
    , m_requestLifetimeSeconds(requestLifetimeSeconds)
{ }

void ContactStore::runOperation(const char *sql, std::vector<PgParam> params, QList<qint64> users,
                                qint64 requestId, StoreCallback<FriendOutcome> done)
{
    QByteArray ids = "{";
    for (qsizetype i = 0; i < users.size(); ++i)
        ids += (i ? "," : "") + QByteArray::number(users.at(i));
    ids += '}';
    std::vector<PgStatement> statements;
    statements.push_back({"SELECT id, contacts_version FROM users WHERE id = ANY($1::bigint[])"
                          " OR id IN (SELECT from_id FROM friend_requests WHERE id = $2"
                          "           UNION SELECT to_id FROM friend_requests WHERE id = $2)",
                          {PgParam(ids), pgInt(requestId)}});
    statements.push_back({sql, std::move(params)});
    m_pool.execute(std::move(statements), [done](const PgOutcome &o) {
        Stored<FriendOutcome> stored {o.error, {}};
        if (o.ok()) {
            FriendOutcome outcome;
            const PgResult &versions = o.results.front();
            for (int row = 0; row < versions.rowCount(); ++row)
                outcome.versionsBefore.insert(versions.int64(row, 0), versions.int64(row, 1));
            const PgResult &r = o.results.back();
            outcome.outcome = r.text(0, 0);
            if (r.columnCount() > 1 && !r.isNull(0, 1))
                outcome.requestId = r.int64(0, 1);
            if (r.columnCount() > 2 && !r.isNull(0, 2))
                outcome.peerId = r.int64(0, 2);
            stored.value = std::move(outcome);
        }
        done(stored);
    });
}

void ContactStore::sendRequest(qint64 from, qint64 to, const QString &greeting,
                               StoreCallback<FriendOutcome> done)
{
    runOperation("SELECT outcome, request_id, $2::bigint"
                 " FROM tern_send_friend_request($1, $2, $3, make_interval(secs => $4))",
                 {pgInt(from), pgInt(to), pgText(greeting), pgInt(m_requestLifetimeSeconds)},
                 {from, to}, 0, std::move(done));
}

void ContactStore::answerRequest(qint64 user, qint64 requestId, bool accept,
                                 StoreCallback<FriendOutcome> done)
{
    runOperation("SELECT outcome, $2::bigint, peer_id FROM tern_answer_friend_request($1, $2, $3)",
                 {pgInt(user), pgInt(requestId), PgParam(QByteArray(accept ? "true" : "false"))},
                 {user}, requestId, std::move(done));
}

void ContactStore::cancelRequest(qint64 user, qint64 requestId, StoreCallback<FriendOutcome> done)
{
    runOperation("SELECT outcome, $2::bigint, peer_id FROM tern_cancel_friend_request($1, $2)",
                 {pgInt(user), pgInt(requestId)}, {user}, requestId, std::move(done));
}

void ContactStore::removeFriend(qint64 user, qint64 peer, StoreCallback<FriendOutcome> done)
{
    runOperation("SELECT tern_remove_friend($1, $2), NULL::bigint, $2::bigint",
                 {pgInt(user), pgInt(peer)}, {user, peer}, 0, std::move(done));
}

void ContactStore::setBlocked(qint64 user, qint64 peer, bool blocked,
                              StoreCallback<FriendOutcome> done)
{
    runOperation("SELECT tern_set_blocked($1, $2, $3), NULL::bigint, $2::bigint",
                 {pgInt(user), pgInt(peer), PgParam(QByteArray(blocked ? "true" : "false"))},
                 {user, peer}, 0, std::move(done));
}

void ContactStore::updateContact(qint64 user, qint64 peer, const std::optional<QString> &remark,
                                 const std::optional<QStringList> &tags, StoreCallback<bool> done)
{
    std::vector<PgStatement> statements;
    statements.push_back({touchSql().constData(), {pgInt(user), pgInt(peer)}});
    statements.push_back({"UPDATE contacts SET remark = coalesce($3, remark),"
                          " tags = coalesce($4::text[], tags)"
                          " WHERE owner_id = $1 AND peer_id = $2",
                          {pgInt(user), pgInt(peer), remark ? pgText(*remark) : PgParam(),
                           tags ? PgParam(textArray(*tags)) : PgParam()}});
    m_pool.execute(std::move(statements), [done](const PgOutcome &o) {
        Stored<bool> stored {o.error, {}};
        if (o.ok())
            stored.value = o.results.back().affectedRows() > 0;
        done(stored);
    });
}

void ContactStore::changes(qint64 user, qint64 sinceVersion, int limit, qint64 peer,
                           StoreCallback<proto::ContactChanges> done)
{
    m_pool.execute(
        {changesSql().constData(),
         {pgInt(user), pgInt(sinceVersion), pgInt(limit), peer ? pgInt(peer) : PgParam()}},
        [done, limit](const PgOutcome &o) {
            Stored<proto::ContactChanges> stored {o.error, {}};
            if (!o.ok())
                return done(stored);
            const PgResult &r = o.results.front();
            proto::ContactChanges changes;
            qint64 top = 0;
            qint64 last = 0;
            int items = 0;
            PageBudget budget;
            for (int row = 0; row < r.rowCount(); ++row) {
                const QByteArray kind = r.bytes(row, 0);
                if (kind == "v") {
                    top = r.int64(row, 2);
                    continue;
                }
                size_t bytes = 0;
                proto::Contact contact;
                proto::FriendRequest request;
                if (kind == "c") {
                    readContact(r, row, &contact);
                    bytes = contact.ByteSizeLong();
                } else {
                    readRequest(r, row, &request);
                    bytes = request.ByteSizeLong();
                }
                if (items == limit || !budget.fits(bytes, size_t(items))) {
                    changes.set_has_more(true);
                    break;
                }
                ++items;
                last = r.int64(row, 1);
                if (kind == "c")
                    *changes.add_contacts() = std::move(contact);
                else
                    *changes.add_requests() = std::move(request);
            }
            changes.set_version(quint64(changes.has_more() ? last : top));
            stored.value = std::move(changes);
            done(stored);
        });
}

void ContactStore::contactPage(qint64 user, qint64 afterPeer, int limit,
                               StoreCallback<proto::ContactList> done)
{
    // The version is read first: a change that lands between the two statements is in the
    // page or after the version, so a sync from the version cannot miss it.
    std::vector<PgStatement> statements;
    statements.push_back({"SELECT contacts_version FROM users WHERE id = $1", {pgInt(user)}});
    statements.push_back(
        {contactPageSql().constData(), {pgInt(user), pgInt(afterPeer), pgInt(limit)}});
    m_pool.execute(std::move(statements), [done, limit](const PgOutcome &o) {
        Stored<proto::ContactList> stored {o.error, {}};
        if (!o.ok())
            return done(stored);
        proto::ContactList list;
        if (o.results.front().rowCount() > 0)
            list.set_version(quint64(o.results.front().int64(0, 0)));
        const PgResult &r = o.results.back();
        PageBudget budget;
        for (int row = 0; row < r.rowCount(); ++row) {
            proto::Contact contact;
            readContact(r, row, &contact);
            if (row == limit || !budget.fits(contact.ByteSizeLong(), size_t(row))) {
                list.set_has_more(true);
                break;
            }
            *list.add_contacts() = std::move(contact);
        }
        stored.value = std::move(list);
        done(stored);
    });
}

void ContactStore::pendingRequests(qint64 user, StoreCallback<proto::FriendRequestList> done)
{
    m_pool.execute({pendingSql().constData(), {pgInt(user)}}, [user, done](const PgOutcome &o) {
        Stored<proto::FriendRequestList> stored {o.error, {}};
        if (o.ok()) {
            proto::FriendRequestList requests;
            const PgResult &r = o.results.front();
            for (int row = 0; row < r.rowCount(); ++row) {
                proto::FriendRequest *request =
                    r.int64(row, 10) == user ? requests.add_incoming() : requests.add_outgoing();
                readRequest(r, row, request);
            }
            stored.value = std::move(requests);
        }
        done(stored);
    });
}

} // namespace tern::server
