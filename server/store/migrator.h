// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace tern::server {

class PgSession;

// Applies the numbered migrations compiled into ternd (store/migrations/NNNN_name.sql) that
// the database has not seen, each in its own transaction, under an advisory lock so that
// several ternd processes starting together migrate once. Refuses a database whose schema is
// newer than this binary.
class Migrator
{
public:
    explicit Migrator(PgSession &session);

    // Returns an empty string on success, else what went wrong (naming the migration).
    QString migrate();

    int appliedVersion() const { return m_applied; }

private:
    PgSession &m_session;
    int m_applied = 0;
};

} // namespace tern::server
