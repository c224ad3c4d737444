// SPDX-License-Identifier: Apache-2.0
// FileTokenStore: the opt-in fallback when no keychain is reachable. Files are written
// atomically (QSaveFile) with owner-only permissions from the start.
#include "tokenstore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QTimer>

namespace tern::client {

namespace {

void answerLater(QObject *context, TokenStore::Callback done, TokenStore::Result result)
{
    QTimer::singleShot(0, context, [done = std::move(done), result] { done(result); });
}

} // namespace

FileTokenStore::FileTokenStore(const QString &directory, QObject *parent)
    : TokenStore(parent)
    , m_directory(directory)
{ }

QString FileTokenStore::pathFor(const QString &account) const
{
    // Account keys hold ':' and '@'; a hash makes a portable file name.
    const QByteArray name =
        QCryptographicHash::hash(account.toUtf8(), QCryptographicHash::Sha256).toHex().left(32);
    return QDir(m_directory).filePath(QString::fromLatin1(name) + QStringLiteral(".token"));
}

void FileTokenStore::read(const QString &account, Callback done)
{
    QFile file(pathFor(account));
    Result result;
    if (!file.exists()) {
        result.status = Status::NotFound;
    } else if (!file.open(QIODevice::ReadOnly)) {
        result.error = file.errorString();
    } else {
        result.token = QByteArray::fromBase64(file.readAll().trimmed());
        result.status = result.token.isEmpty() ? Status::NotFound : Status::Ok;
    }
    answerLater(this, std::move(done), result);
}

void FileTokenStore::write(const QString &account, const QByteArray &token, Callback done)
{
    Result result;
    QDir().mkpath(m_directory);
    QFile::setPermissions(m_directory, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QSaveFile file(pathFor(account));
    if (!file.open(QIODevice::WriteOnly)) {
        result.error = file.errorString();
        return answerLater(this, std::move(done), result);
    }
    // QSaveFile writes a temporary file first: restrict it before the secret goes in.
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    file.write(token.toBase64());
    if (file.commit())
        result.status = Status::Ok;
    else
        result.error = file.errorString();
    answerLater(this, std::move(done), result);
}

void FileTokenStore::remove(const QString &account, Callback done)
{
    Result result;
    QFile file(pathFor(account));
    if (!file.exists() || file.remove())
        result.status = Status::Ok;
    else
        result.error = file.errorString();
    answerLater(this, std::move(done), result);
}

QString FileTokenStore::description() const
{
    return tr("a file on this computer");
}

} // namespace tern::client
