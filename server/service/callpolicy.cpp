// SPDX-License-Identifier: Apache-2.0
#include "service/callpolicy.h"

#include <QMessageAuthenticationCode>

namespace tern::server {

proto::IceConfig iceConfigFor(const CallPolicy &policy, qint64 userId, qint64 nowMs)
{
    proto::IceConfig config;
    if (!policy.stunUrls.isEmpty()) {
        proto::IceServer *stun = config.add_servers();
        for (const QString &url : policy.stunUrls)
            stun->add_urls(url.toStdString());
    }
    if (!policy.turnUrls.isEmpty() && !policy.turnSecret.isEmpty()) {
        const qint64 expiresAt = nowMs / 1000 + policy.turnCredentialTtlSeconds;
        const QByteArray username =
            QByteArray::number(expiresAt) + ':' + QByteArray::number(userId);
        const QByteArray credential =
            QMessageAuthenticationCode::hash(username, policy.turnSecret.toUtf8(),
                                             QCryptographicHash::Sha1)
                .toBase64();
        proto::IceServer *turn = config.add_servers();
        for (const QString &url : policy.turnUrls)
            turn->add_urls(url.toStdString());
        turn->set_username(username.toStdString());
        turn->set_credential(credential.toStdString());
        config.set_expires_at_ms(expiresAt * 1000);
    }
    return config;
}

} // namespace tern::server
