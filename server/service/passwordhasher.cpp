// SPDX-License-Identifier: Apache-2.0
#include "service/passwordhasher.h"

#include <QMetaObject>
#include <QObject>
#include <QPointer>

#include <sodium.h>

#ifdef Q_OS_LINUX
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace tern::server {

namespace {
void wipe(std::string &secret)
{
    if (!secret.empty())
        sodium_memzero(secret.data(), secret.size());
    secret.clear();
}
} // namespace

PasswordHasher::PasswordHasher(quint64 opsLimit, quint64 memLimitBytes, int maxThreads)
    : m_opsLimit(std::max<quint64>(opsLimit, crypto_pwhash_OPSLIMIT_MIN))
    , m_memLimit(std::max<quint64>(memLimitBytes, crypto_pwhash_MEMLIMIT_MIN))
{
    if (sodium_init() < 0)
        qFatal("libsodium failed to initialize");
    m_pool.setMaxThreadCount(std::max(1, maxThreads));
    m_dummyHash = hash("tern-dummy-password-for-unknown-users");
}

namespace {
// Argon2 is meant to be slow, and it must not be so at others' expense: the hashing threads
// run at the lowest priority, so that the I/O threads (everyone's messages) go first when
// both want the cores. Measured with ternbench login: a burst of password logins raised
// others' p99 20-fold at normal priority.
void lowerThisThreadsPriority()
{
#ifdef Q_OS_LINUX
    thread_local bool lowered = false;
    if (!lowered) {
        lowered = true;
        const pid_t tid = pid_t(syscall(SYS_gettid));
        setpriority(PRIO_PROCESS, tid, 19);
        // SCHED_IDLE: run only on a core nothing else wants (nice 19 still takes ~1.5 %).
        sched_param none {};
        sched_setscheduler(tid, SCHED_IDLE, &none);
    }
#endif
}
} // namespace

QByteArray PasswordHasher::hash(const std::string &password) const
{
    QByteArray out(crypto_pwhash_STRBYTES, '\0');
    if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), m_opsLimit,
                              size_t(m_memLimit), crypto_pwhash_ALG_ARGON2ID13)
        != 0) {
        return {}; // out of memory
    }
    out.truncate(qsizetype(qstrlen(out.constData())));
    return out;
}

bool PasswordHasher::verify(const QByteArray &hash, const std::string &password) const
{
    if (hash.isEmpty())
        return false;
    return crypto_pwhash_str_verify(hash.constData(), password.data(), password.size()) == 0;
}

void PasswordHasher::hashAsync(std::string password, QObject *context,
                               std::function<void(QByteArray)> done)
{
    QPointer<QObject> guard(context);
    m_pool.start([this, password = std::move(password), guard, done = std::move(done)]() mutable {
        lowerThisThreadsPriority();
        QByteArray result = hash(password);
        wipe(password);
        if (guard) {
            QMetaObject::invokeMethod(
                guard.data(), [done = std::move(done), result] { done(result); },
                Qt::QueuedConnection);
        }
    });
}

void PasswordHasher::verifyAsync(QByteArray storedHash, std::string password, QObject *context,
                                 std::function<void(bool)> done)
{
    QPointer<QObject> guard(context);
    m_pool.start([this, storedHash, password = std::move(password), guard,
                  done = std::move(done)]() mutable {
        lowerThisThreadsPriority();
        const bool known = !storedHash.isEmpty();
        const bool ok = verify(known ? storedHash : m_dummyHash, password) && known;
        wipe(password);
        if (guard) {
            QMetaObject::invokeMethod(
                guard.data(), [done = std::move(done), ok] { done(ok); }, Qt::QueuedConnection);
        }
    });
}

} // namespace tern::server
