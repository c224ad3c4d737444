// SPDX-License-Identifier: Apache-2.0
#include "service/passwordhasher.h"

#include <QCoreApplication>
#include <QDir>
#include <QObject>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <optional>
#include <sched.h>
#include <sys/resource.h>

using namespace tern;
using namespace tern::server;

namespace {

// The cheapest parameters libsodium allows (1 pass, 8 KiB), so the suite stays fast.
constexpr quint64 kOps = 1;
constexpr quint64 kMemBytes = 8 * 1024;

// This process's threads that run under SCHED_IDLE at nice 19.
int idleThreads()
{
    int count = 0;
    const QStringList tasks =
        QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &task : tasks) {
        const pid_t tid = pid_t(task.toInt());
        errno = 0;
        const int nice = getpriority(PRIO_PROCESS, id_t(tid));
        if (sched_getscheduler(tid) == SCHED_IDLE && errno == 0 && nice == 19)
            ++count;
    }
    return count;
}

std::string utf8(const QString &text)
{
    return text.toStdString();
}

} // namespace

class tst_PasswordHasher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void hashIsArgon2id();
    void parametersAreClampedToMinimums();
    void verify_data();
    void verify();
    void saltMakesHashesDiffer();
    void verifyRejectsMissingOrBrokenHash_data();
    void verifyRejectsMissingOrBrokenHash();

    void hashAsyncAnswersOnContextThread();
    void answersOnAnotherThreadsContext();
    void verifyAsync_data();
    void verifyAsync();
    void noAnswerAfterContextIsDestroyed();
    void hashingThreadsYieldToEveryoneElse();

private:
    std::unique_ptr<PasswordHasher> m_hasher;
};

void tst_PasswordHasher::init()
{
    m_hasher = std::make_unique<PasswordHasher>(kOps, kMemBytes, 2);
}

void tst_PasswordHasher::cleanup()
{
    m_hasher.reset(); // waits for the pool
}

void tst_PasswordHasher::hashIsArgon2id()
{
    const QByteArray hash = m_hasher->hash("correct horse");
    QVERIFY2(hash.startsWith("$argon2id$"), hash.constData());
    // Encoded parameters: the memory in KiB and the number of passes we asked for.
    QVERIFY2(hash.contains("m=8,t=1,"), hash.constData());
    QVERIFY(!hash.contains('\0'));
}

void tst_PasswordHasher::parametersAreClampedToMinimums()
{
    // Below libsodium's minimums crypto_pwhash would fail and hash() return nothing.
    PasswordHasher tiny(0, 0, 1);
    const QByteArray hash = tiny.hash("secret");
    QVERIFY2(hash.startsWith("$argon2id$"), hash.constData());
    QVERIFY(tiny.verify(hash, "secret"));
}

void tst_PasswordHasher::verify_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("attempt");
    QTest::addColumn<bool>("matches");

    const QString pw = QStringLiteral("correct horse");
    QTest::newRow("same") << pw << pw << true;
    QTest::newRow("different case") << pw << QStringLiteral("Correct horse") << false;
    QTest::newRow("trailing space") << pw << QString(pw + QLatin1Char(' ')) << false;
    QTest::newRow("prefix") << pw << QStringLiteral("correct") << false;
    QTest::newRow("empty attempt") << pw << QString() << false;
    QTest::newRow("non-ASCII") << QStringLiteral("пароль 密码 🔑") << QStringLiteral("пароль 密码 🔑")
                               << true;
    QTest::newRow("non-ASCII, other normalisation")
        << QStringLiteral("caf\u00E9") << QStringLiteral("cafe\u0301") << false;
    QTest::newRow("long") << QString(256, QLatin1Char('x')) << QString(256, QLatin1Char('x'))
                          << true;
    QTest::newRow("long, last character differs")
        << QString(256, QLatin1Char('x'))
        << QString(QString(255, QLatin1Char('x')) + QLatin1Char('y')) << false;
}

void tst_PasswordHasher::verify()
{
    QFETCH(QString, password);
    QFETCH(QString, attempt);
    QFETCH(bool, matches);

    const QByteArray hash = m_hasher->hash(utf8(password));
    QVERIFY(!hash.isEmpty());
    QCOMPARE(m_hasher->verify(hash, utf8(attempt)), matches);
}

void tst_PasswordHasher::saltMakesHashesDiffer()
{
    const QByteArray first = m_hasher->hash("same password");
    const QByteArray second = m_hasher->hash("same password");
    QVERIFY(!first.isEmpty());
    QVERIFY(first != second);
    QVERIFY(m_hasher->verify(first, "same password"));
    QVERIFY(m_hasher->verify(second, "same password"));
}

void tst_PasswordHasher::verifyRejectsMissingOrBrokenHash_data()
{
    QTest::addColumn<QByteArray>("hash");

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not a hash") << QByteArrayLiteral("secret");
    QTest::newRow("truncated") << QByteArrayLiteral("$argon2id$v=19$m=8,t=1,p=1$");
}

void tst_PasswordHasher::verifyRejectsMissingOrBrokenHash()
{
    QFETCH(QByteArray, hash);

    QVERIFY(!m_hasher->verify(hash, "secret"));
    QVERIFY(!m_hasher->verify(hash, ""));
}

void tst_PasswordHasher::hashAsyncAnswersOnContextThread()
{
    QObject context;
    std::optional<QByteArray> answer;
    QThread *answeredOn = nullptr;

    m_hasher->hashAsync("async secret", &context, [&](QByteArray hash) {
        answeredOn = QThread::currentThread();
        answer = hash;
    });
    QTRY_VERIFY(answer.has_value());
    QCOMPARE(answeredOn, QThread::currentThread());
    QVERIFY2(answer->startsWith("$argon2id$"), answer->constData());
    QVERIFY(m_hasher->verify(*answer, "async secret"));
}

void tst_PasswordHasher::answersOnAnotherThreadsContext()
{
    QThread thread;
    thread.start();
    QObject context;
    context.moveToThread(&thread);

    std::atomic<QThread *> answeredOn = nullptr;
    std::atomic<int> answer = -1; // written on `thread`, read here
    m_hasher->verifyAsync(m_hasher->hash("pw"), "pw", &context, [&](bool ok) {
        answeredOn = QThread::currentThread();
        answer = ok ? 1 : 0;
    });
    QTRY_VERIFY(answer.load() != -1);
    QCOMPARE(answer.load(), 1);
    QCOMPARE(answeredOn.load(), &thread);

    thread.quit();
    QVERIFY(thread.wait());
}

void tst_PasswordHasher::verifyAsync_data()
{
    QTest::addColumn<bool>("knownUser");
    QTest::addColumn<QString>("attempt");
    QTest::addColumn<bool>("matches");

    QTest::newRow("right password") << true << QStringLiteral("hunter22") << true;
    QTest::newRow("wrong password") << true << QStringLiteral("hunter23") << false;
    // An unknown user has no hash; the answer must still come, and be no.
    QTest::newRow("unknown user") << false << QStringLiteral("hunter22") << false;
    QTest::newRow("unknown user, the dummy's password")
        << false << QStringLiteral("tern-dummy-password-for-unknown-users") << false;
}

void tst_PasswordHasher::verifyAsync()
{
    QFETCH(bool, knownUser);
    QFETCH(QString, attempt);
    QFETCH(bool, matches);

    const QByteArray stored = knownUser ? m_hasher->hash("hunter22") : QByteArray();
    QObject context;
    std::optional<bool> answer;
    QThread *answeredOn = nullptr;

    m_hasher->verifyAsync(stored, utf8(attempt), &context, [&](bool ok) {
        answeredOn = QThread::currentThread();
        answer = ok;
    });
    QTRY_VERIFY(answer.has_value());
    QCOMPARE(*answer, matches);
    QCOMPARE(answeredOn, QThread::currentThread());
}

void tst_PasswordHasher::noAnswerAfterContextIsDestroyed()
{
    // A connection that closes while its password is being checked is not called back.
    auto *context = new QObject;
    bool called = false;
    m_hasher->hashAsync("bye", context, [&](QByteArray) { called = true; });
    m_hasher->verifyAsync(QByteArray(), "bye", context, [&](bool) { called = true; });
    delete context;

    m_hasher.reset(); // waits until both jobs have run
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QVERIFY(!called);
}

// Argon2 must not take the cores from the I/O threads: a hashing thread runs at nice 19 under
// SCHED_IDLE (it gets a core only when nothing else wants one; docs/benchmarks.md, login), and
// the thread that asked is left as it was.
void tst_PasswordHasher::hashingThreadsYieldToEveryoneElse()
{
    // The hashers of the tests before are gone; their threads leave /proc a moment later.
    QTRY_COMPARE(idleThreads(), 0);
    QObject context;
    std::optional<QByteArray> answer;
    m_hasher->hashAsync("yielding secret", &context, [&](QByteArray hash) { answer = hash; });
    QTRY_VERIFY(answer.has_value());
    QCOMPARE(idleThreads(), 1); // the pool's thread is still there, idle
    QCOMPARE(sched_getscheduler(0), SCHED_OTHER);
}

QTEST_GUILESS_MAIN(tst_PasswordHasher)
#include "tst_passwordhasher.moc"
