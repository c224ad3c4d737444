// SPDX-License-Identifier: Apache-2.0
// KeychainTokenStore: device tokens in the OS keychain via QtKeychain jobs (asynchronous,
// answered on the calling thread's event loop).
#include "tokenstore.h"

#include <qt6keychain/keychain.h>

namespace tern::client {

namespace {

// QtKeychain's codes that mean "there is no usable secure storage here" rather than a failure
// of this one call (see ../shared/PLATFORM.md: no Secret Service gives 7, a locked or
// refused keychain 4 or 5).
TokenStore::Result resultOf(QKeychain::Job *job)
{
    TokenStore::Result result;
    switch (job->error()) {
    case QKeychain::NoError:
        result.status = TokenStore::Status::Ok;
        return result;
    case QKeychain::EntryNotFound:
        result.status = TokenStore::Status::NotFound;
        return result;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError: // what the libsecret path reports with no session bus
        result.status = TokenStore::Status::Unavailable;
        break;
    default:
        result.status = TokenStore::Status::Failed;
        break;
    }
    result.error = job->errorString();
    return result;
}

} // namespace

KeychainTokenStore::KeychainTokenStore(const QString &service, QObject *parent)
    : TokenStore(parent)
    , m_service(service)
{ }

void KeychainTokenStore::read(const QString &account, Callback done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(account);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job *j) {
        Result result = resultOf(j);
        if (result.status == Status::Ok)
            result.token = static_cast<QKeychain::ReadPasswordJob *>(j)->binaryData();
        done(result);
    });
    job->start();
}

void KeychainTokenStore::write(const QString &account, const QByteArray &token, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(account);
    job->setBinaryData(token);
    connect(job, &QKeychain::Job::finished, this,
            [done = std::move(done)](QKeychain::Job *j) { done(resultOf(j)); });
    job->start();
}

void KeychainTokenStore::remove(const QString &account, Callback done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(account);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job *j) {
        Result result = resultOf(j);
        if (result.status == Status::NotFound)
            result.status = Status::Ok; // already gone is what was asked
        done(result);
    });
    job->start();
}

QString KeychainTokenStore::description() const
{
    return tr("the system keychain");
}

} // namespace tern::client
