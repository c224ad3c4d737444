// SPDX-License-Identifier: Apache-2.0
#include "store/pgtypes.h"

#include <libpq-fe.h>

namespace tern::server {

PgParam pgText(const QString &text)
{
    return text.toUtf8();
}

PgParam pgText(const std::string &utf8)
{
    return QByteArray::fromStdString(utf8);
}

PgParam pgInt(qint64 value)
{
    return QByteArray::number(value);
}

PgParam pgBytea(const QByteArray &bytes)
{
    return QByteArrayLiteral("\\x") + bytes.toHex();
}

PgParam pgBool(bool value)
{
    return QByteArray(value ? "true" : "false");
}

PgParam pgIds(const QList<qint64> &ids)
{
    QByteArray text = "{";
    for (qsizetype i = 0; i < ids.size(); ++i)
        text += (i ? "," : "") + QByteArray::number(ids.at(i));
    return text + '}';
}

QList<qint64> pgReadIds(const QByteArray &text)
{
    QList<qint64> ids;
    for (const QByteArray &part : text.mid(1, text.size() - 2).split(',')) {
        if (!part.isEmpty())
            ids.append(part.toLongLong());
    }
    return ids;
}

PgParam pgTextArray(const QStringList &values)
{
    QByteArray text = "{";
    for (qsizetype i = 0; i < values.size(); ++i) {
        QByteArray element = values.at(i).toUtf8();
        element.replace('\\', "\\\\").replace('"', "\\\"");
        text += (i ? ",\"" : "\"") + element + '"';
    }
    return text + '}';
}

PgResult::PgResult(pg_result *result)
    : m_result(result, &PQclear)
{ }

int PgResult::rowCount() const
{
    return m_result ? PQntuples(m_result.get()) : 0;
}

int PgResult::columnCount() const
{
    return m_result ? PQnfields(m_result.get()) : 0;
}

qint64 PgResult::affectedRows() const
{
    return m_result ? QByteArray(PQcmdTuples(m_result.get())).toLongLong() : 0;
}

bool PgResult::isNull(int row, int column) const
{
    return !m_result || PQgetisnull(m_result.get(), row, column);
}

QByteArray PgResult::bytes(int row, int column) const
{
    if (isNull(row, column))
        return {};
    return QByteArray(PQgetvalue(m_result.get(), row, column),
                      PQgetlength(m_result.get(), row, column));
}

QString PgResult::text(int row, int column) const
{
    return QString::fromUtf8(bytes(row, column));
}

qint64 PgResult::int64(int row, int column) const
{
    return bytes(row, column).toLongLong();
}

bool PgResult::boolean(int row, int column) const
{
    return bytes(row, column) == "t";
}

QByteArray PgResult::bytea(int row, int column) const
{
    const QByteArray raw = bytes(row, column);
    if (!raw.startsWith("\\x"))
        return {};
    return QByteArray::fromHex(raw.mid(2));
}

} // namespace tern::server
