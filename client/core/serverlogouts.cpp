// SPDX-License-Identifier: Apache-2.0
// ServerLogouts: revoking the tokens of accounts logged out here, GUI thread. The tokens never
// reach a log.
#include "serverlogouts.h"

#include "clientlog.h"
#include "serverconnection.h"

#include <QFile>
#include <QTimer>
#include <QVariantMap>

#include <algorithm>

namespace tern::client {

namespace {

const QString kPending = QStringLiteral("pendingLogouts");
const QString kServer = QStringLiteral("server");
const QString kToken = QStringLiteral("token");

// After a refusal that may pass (rate limited, a fault): a logout is not urgent enough to
// press a server that said no.
constexpr quint32 kRetryAfterRefusalMs = 30000;

QByteArray tokenOf(const QVariant &entry)
{
    return QByteArray::fromBase64(entry.toMap().value(kToken).toString().toLatin1());
}

} // namespace

ServerLogouts::ServerLogouts(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_settings(options.settingsFile, QSettings::IniFormat)
{
    for (const QVariant &entry : m_settings.value(kPending).toList())
        deliver(QUrl(entry.toMap().value(kServer).toString()), tokenOf(entry));
}

void ServerLogouts::add(const QUrl &server, const QByteArray &token)
{
    QVariantList pending = m_settings.value(kPending).toList();
    for (const QVariant &entry : pending) {
        if (tokenOf(entry) == token)
            return; // already on its way
    }
    pending.append(QVariantMap {{kServer, server.toString()},
                                {kToken, QString::fromLatin1(token.toBase64())}});
    save(pending);
    deliver(server, token);
}

int ServerLogouts::count() const
{
    return int(m_settings.value(kPending).toList().size());
}

void ServerLogouts::deliver(const QUrl &server, const QByteArray &token)
{
    if (!server.isValid() || token.isEmpty())
        return finish(nullptr, token); // an entry no server could take
    auto *connection = new ServerConnection(this);
    ServerConnection::Options o;
    o.url = server;
    o.deviceId = m_options.deviceId;
    o.deviceName = m_options.deviceName;
    o.initialBackoffMs = m_options.initialBackoffMs;
    connection->setOptions(o);
    // Every connection starts over with Resume: a Logout whose answer was lost with the last
    // one is then heard of as SESSION_INVALID.
    connect(connection, &ServerConnection::connected, this,
            [this, connection, token] { sendResume(connection, token); });
    connection->start();
}

void ServerLogouts::sendResume(ServerConnection *connection, const QByteArray &token)
{
    proto::Frame frame;
    frame.mutable_resume()->set_token(token.toStdString());
    connection->send(
        frame,
        [this, connection, token](const proto::Frame &answer) {
            if (answer.has_session())
                sendLogout(connection, token);
            else
                onRefused(connection, token, answer.error());
        },
        connection);
}

void ServerLogouts::sendLogout(ServerConnection *connection, const QByteArray &token)
{
    proto::Frame frame;
    frame.mutable_logout();
    connection->send(
        frame,
        [this, connection, token](const proto::Frame &answer) {
            if (answer.has_logout_result()) {
                qCInfo(lcSession) << "a logout reached" << connection->options().url.host();
                finish(connection, token);
            } else {
                onRefused(connection, token, answer.error());
            }
        },
        connection);
}

void ServerLogouts::onRefused(ServerConnection *connection, const QByteArray &token,
                              const proto::Error &error)
{
    // Revoked already (elsewhere, or by a Logout answered on a connection that dropped), or
    // the account is banned and no session of it can be used: nothing is left to end.
    if (error.code() == proto::ERROR_CODE_SESSION_INVALID
        || error.code() == proto::ERROR_CODE_ACCOUNT_BANNED)
        return finish(connection, token);
    // The connection dropped: the next one starts over by itself.
    if (!connection->isConnected())
        return;
    qCInfo(lcSession) << "a logout was refused for now:" << error.message().c_str();
    connection->stop();
    QTimer::singleShot(int(std::max(error.retry_after_ms(), kRetryAfterRefusalMs)), connection,
                       [connection] { connection->start(); });
}

void ServerLogouts::finish(ServerConnection *connection, const QByteArray &token)
{
    QVariantList pending = m_settings.value(kPending).toList();
    pending.erase(std::remove_if(pending.begin(), pending.end(),
                                 [&](const QVariant &entry) { return tokenOf(entry) == token; }),
                  pending.end());
    save(pending);
    if (connection) {
        connection->stop();
        connection->deleteLater(); // from inside its own answer
    }
}

void ServerLogouts::save(const QVariantList &pending)
{
    // A token not revoked yet still opens the session: owner-only, like the token files, and
    // before the token is written (QSettings keeps a file's permissions when it rewrites it).
    const QString file = m_settings.fileName();
    if (!pending.isEmpty() && !QFile::exists(file)) {
        QFile create(file);
        if (!create.open(QIODevice::WriteOnly))
            qCWarning(lcConnection) << "cannot create" << file;
    }
    QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner);
    if (pending.isEmpty())
        m_settings.remove(kPending);
    else
        m_settings.setValue(kPending, pending);
    m_settings.sync();
}

} // namespace tern::client
