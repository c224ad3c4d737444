// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>

namespace tern::server {

// A new 256-bit session token from the OS's CSPRNG (libsodium).
QByteArray newSessionToken();

// What the database stores instead of the token: SHA-256. Tokens are random and long, so a
// fast hash is enough; stealing the table does not yield usable tokens.
QByteArray sessionTokenHash(const QByteArray &token);

} // namespace tern::server
