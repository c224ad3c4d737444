// SPDX-License-Identifier: Apache-2.0
#include "store/pgsession.h"

#include <libpq-fe.h>

namespace tern::server {

namespace {
PgOutcome outcomeOf(PGresult *result, pg_conn *conn)
{
    PgOutcome outcome;
    const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        outcome.results.emplace_back(result);
        return outcome;
    }
    outcome.error.kind =
        PQstatus(conn) == CONNECTION_OK ? PgError::Kind::Query : PgError::Kind::Unavailable;
    if (result) {
        if (const char *state = PQresultErrorField(result, PG_DIAG_SQLSTATE))
            outcome.error.sqlState = state;
        outcome.error.message = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
        PQclear(result);
    } else {
        outcome.error.message = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
    }
    return outcome;
}
} // namespace

PgSession::~PgSession()
{
    if (m_conn)
        PQfinish(m_conn);
}

QString PgSession::connect(const QByteArray &dsn, int timeoutSeconds)
{
    if (m_conn)
        PQfinish(m_conn);
    const QByteArray timeout = QByteArray::number(timeoutSeconds);
    // connect_timeout passed as an override so that a DSN without one cannot hang start-up.
    const char *keys[] = {"dbname", "connect_timeout", nullptr};
    const char *values[] = {dsn.constData(), timeout.constData(), nullptr};
    m_conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    // Server notices ("relation ... already exists, skipping") are not for the user's terminal.
    PQsetNoticeProcessor(
        m_conn, [](void *, const char *) {}, nullptr);
    if (PQstatus(m_conn) != CONNECTION_OK)
        return QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
    return {};
}

bool PgSession::isConnected() const
{
    return m_conn && PQstatus(m_conn) == CONNECTION_OK;
}

PgOutcome PgSession::exec(const PgStatement &statement)
{
    std::vector<const char *> values;
    std::vector<int> lengths;
    for (const PgParam &param : statement.params) {
        values.push_back(param ? param->constData() : nullptr);
        lengths.push_back(param ? int(param->size()) : 0);
    }
    const std::vector<int> formats = pgParamFormats(statement);
    return outcomeOf(PQexecParams(m_conn, statement.sql, int(values.size()), nullptr, values.data(),
                                  lengths.data(), formats.empty() ? nullptr : formats.data(), 0),
                     m_conn);
}

PgOutcome PgSession::execScript(const QByteArray &sql)
{
    return outcomeOf(PQexec(m_conn, sql.constData()), m_conn);
}

} // namespace tern::server
