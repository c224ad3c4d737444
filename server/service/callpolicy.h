// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QString>
#include <QStringList>

namespace tern::server {

// The calls settings (calls/* in the configuration; see calls.proto).
struct CallPolicy
{
    int ringTimeoutSeconds = 45;
    int reconnectGraceSeconds = 20;
    QStringList stunUrls;
    QStringList turnUrls;
    // coturn's static-auth-secret (use-auth-secret). Never logged or printed.
    QString turnSecret;
    int turnCredentialTtlSeconds = 3600;
};

// The ICE servers for `userId`: the STUN URIs, and the TURN URIs with credentials valid until
// now + ttl: username "<expiry unix time>:<user id>", credential
// base64(HMAC-SHA1(secret, username)) (coturn's use-auth-secret).
proto::IceConfig iceConfigFor(const CallPolicy &policy, qint64 userId, qint64 nowMs);

} // namespace tern::server
