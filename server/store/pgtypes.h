// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

struct pg_result;

// Value types shared by the asynchronous pool and the blocking session: a parameterized
// statement, a result, and an error that says whether retrying can help.

namespace tern::server {

// A text-format query parameter; std::nullopt is SQL NULL.
using PgParam = std::optional<QByteArray>;

PgParam pgText(const QString &text);
PgParam pgText(const std::string &utf8);
PgParam pgInt(qint64 value);
PgParam pgBytea(const QByteArray &bytes);
PgParam pgBool(bool value);
// A bigint[] parameter, and the text form of a bigint[] result ("{1,2,3}") read back.
PgParam pgIds(const QList<qint64> &ids);
QList<qint64> pgReadIds(QByteArrayView text);
// A text[] parameter (elements quoted and escaped as the array syntax requires).
PgParam pgTextArray(const QStringList &values);

// A one-dimensional array parameter in PostgreSQL's binary format, for the send batches:
// PostgreSQL takes it element by element without parsing, where a text-format array costs it
// a scan for quotes and escapes and bytea's hex decoding (array_in was 4 % of all CPU in the
// pairs benchmark, issue 5), and ternd no quoting or hex encoding. The statement names the
// array's type ($5::bytea[]) and marks the parameter binary (PgStatement::binaryParams).
class PgBinaryArray
{
public:
    // PostgreSQL's type OIDs of the elements; their binary form is the bytes themselves.
    enum class Element : quint32 { Bytea = 17, Text = 25 };

    explicit PgBinaryArray(Element type)
        : m_type(type)
    { }
    void add(QByteArrayView bytes);
    PgParam param() const;

private:
    Element m_type;
    qint32 m_count = 0;
    QByteArray m_elements; // each: its length (int32, network order), then its bytes
};

// One SQL statement with its parameters ($1, $2 ...). SQL text is always a constant of the
// store; input only ever travels as parameters.
struct PgStatement
{
    const char *sql = nullptr;
    std::vector<PgParam> params;
    // Bit i set: params[i] is in binary format (a PgBinaryArray); the others are text.
    quint64 binaryParams = 0;
};

// The format codes libpq takes for a statement's parameters: empty when all are text.
std::vector<int> pgParamFormats(const PgStatement &statement);

// A query result. Cheap to copy; the underlying PGresult is freed with the last copy.
class PgResult
{
public:
    PgResult() = default;
    explicit PgResult(pg_result *result);

    int rowCount() const;
    int columnCount() const;
    qint64 affectedRows() const; // for INSERT/UPDATE/DELETE

    bool isNull(int row, int column) const;
    QByteArray bytes(int row, int column) const; // the raw text value
    // The same without a copy: valid while this result (or a copy of it) lives.
    QByteArrayView view(int row, int column) const;
    QString text(int row, int column) const;
    qint64 int64(int row, int column) const;
    bool boolean(int row, int column) const;
    QByteArray bytea(int row, int column) const; // decoded from the hex text format

private:
    std::shared_ptr<pg_result> m_result;
};

struct PgError
{
    enum class Kind {
        None,
        Query, // the server rejected a statement; sqlState says why
        Unavailable, // no connection, or it broke while the job was in flight
    };
    Kind kind = Kind::None;
    QByteArray sqlState; // e.g. "23505" unique_violation
    QString message;

    bool isUniqueViolation() const { return sqlState == "23505"; }
    // The database aborted the transaction to break a deadlock (40P01 deadlock_detected) or a
    // conflict with a concurrent one (40001 serialization_failure). The job had no effect, and
    // the same job run again, as a new transaction, may well succeed.
    bool isTransient() const
    {
        return kind == Kind::Query && (sqlState == "40P01" || sqlState == "40001");
    }
};

// The outcome of a job: all statements ran in one transaction, or none took effect.
struct PgOutcome
{
    PgError error;
    std::vector<PgResult> results; // one per statement, when ok()

    bool ok() const { return error.kind == PgError::Kind::None; }
};

using PgCallback = std::function<void(const PgOutcome &)>;

} // namespace tern::server
