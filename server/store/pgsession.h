// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/pgtypes.h"

struct pg_conn;

namespace tern::server {

// A blocking libpq connection for work that happens before the event loops run (migrations,
// creating the embedded database) and for ternctl. Never used on an I/O worker.
class PgSession
{
public:
    PgSession() = default;
    ~PgSession();
    PgSession(const PgSession &) = delete;
    PgSession &operator=(const PgSession &) = delete;

    // Returns an empty string on success, else libpq's reason.
    QString connect(const QByteArray &dsn, int timeoutSeconds = 10);
    bool isConnected() const;

    PgOutcome exec(const PgStatement &statement);
    // Runs a script without parameters (may hold several statements), e.g. a migration.
    PgOutcome execScript(const QByteArray &sql);

private:
    pg_conn *m_conn = nullptr;
};

} // namespace tern::server
