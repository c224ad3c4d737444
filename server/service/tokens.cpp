// SPDX-License-Identifier: Apache-2.0
#include "service/tokens.h"

#include "tern/limits.h"

#include <QCryptographicHash>

#include <sodium.h>

namespace tern::server {

QByteArray newSessionToken()
{
    QByteArray token(limits::kSessionTokenBytes, Qt::Uninitialized);
    randombytes_buf(token.data(), size_t(token.size()));
    return token;
}

QByteArray sessionTokenHash(const QByteArray &token)
{
    return QCryptographicHash::hash(token, QCryptographicHash::Sha256);
}

} // namespace tern::server
