// SPDX-License-Identifier: Apache-2.0
#include "store/pgtypes.h"

#include <QtEndian>

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

QList<qint64> pgReadIds(QByteArrayView text)
{
    // Read in place: every send's result has its recipients in this form.
    QList<qint64> ids;
    if (text.size() < 2)
        return ids;
    text = text.sliced(1, text.size() - 2);
    while (!text.isEmpty()) {
        const qsizetype comma = text.indexOf(',');
        const QByteArrayView part = comma < 0 ? text : text.first(comma);
        if (!part.isEmpty())
            ids.append(part.toLongLong());
        text = comma < 0 ? QByteArrayView() : text.sliced(comma + 1);
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

namespace {

void appendInt32(QByteArray &out, quint32 value)
{
    const quint32 big = qToBigEndian(value);
    out.append(reinterpret_cast<const char *>(&big), sizeof big);
}

} // namespace

void PgBinaryArray::add(QByteArrayView bytes)
{
    appendInt32(m_elements, quint32(bytes.size()));
    m_elements.append(bytes);
    ++m_count;
}

PgParam PgBinaryArray::param() const
{
    // Header: dimensions, has-nulls flag, element type; per dimension its length and lower
    // bound. An empty array has no dimensions.
    QByteArray out;
    out.reserve(20 + m_elements.size());
    appendInt32(out, m_count ? 1 : 0);
    appendInt32(out, 0);
    appendInt32(out, quint32(m_type));
    if (m_count) {
        appendInt32(out, quint32(m_count));
        appendInt32(out, 1);
    }
    out.append(m_elements);
    return out;
}

std::vector<int> pgParamFormats(const PgStatement &statement)
{
    std::vector<int> formats;
    if (statement.binaryParams == 0)
        return formats;
    formats.resize(statement.params.size());
    for (size_t i = 0; i < formats.size() && i < 64; ++i)
        formats[i] = int((statement.binaryParams >> i) & 1);
    return formats;
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

QByteArrayView PgResult::view(int row, int column) const
{
    if (isNull(row, column))
        return {};
    return {PQgetvalue(m_result.get(), row, column), PQgetlength(m_result.get(), row, column)};
}

QString PgResult::text(int row, int column) const
{
    return QString::fromUtf8(view(row, column));
}

qint64 PgResult::int64(int row, int column) const
{
    return view(row, column).toLongLong();
}

bool PgResult::boolean(int row, int column) const
{
    return view(row, column) == "t";
}

QByteArray PgResult::bytea(int row, int column) const
{
    const QByteArray raw = bytes(row, column);
    if (!raw.startsWith("\\x"))
        return {};
    return QByteArray::fromHex(raw.mid(2));
}

} // namespace tern::server
