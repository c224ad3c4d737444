// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QThreadPool>

#include <functional>
#include <string>

class QObject;

namespace tern::server {

// Argon2id password hashing (libsodium). Hashing is deliberately slow and memory-hard, so the
// async variants run it on a small pool of their own and post the answer back to `context`'s
// thread: I/O workers never block on it, and a burst of logins cannot use more than
// maxThreads x memory. `context` must outlive the hasher's pending work: destroying the hasher
// waits for it, so destroy the hasher first (ternd does).
class PasswordHasher
{
public:
    PasswordHasher(quint64 opsLimit, quint64 memLimitBytes, int maxThreads);

    QByteArray hash(const std::string &password) const;
    bool verify(const QByteArray &hash, const std::string &password) const;

    void hashAsync(std::string password, QObject *context, std::function<void(QByteArray)> done);
    // A missing hash (unknown user) is checked against a dummy, so that the answer takes as
    // long as for a real user and does not reveal which usernames exist.
    void verifyAsync(QByteArray hash, std::string password, QObject *context,
                     std::function<void(bool)> done);

private:
    quint64 m_opsLimit;
    quint64 m_memLimit;
    QByteArray m_dummyHash;
    QThreadPool m_pool;
};

} // namespace tern::server
