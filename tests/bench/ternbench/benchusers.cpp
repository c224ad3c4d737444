// SPDX-License-Identifier: Apache-2.0
#include "benchusers.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QTimer>

#include <memory>

using namespace tern;

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    // Blocks in the dispatcher until something happens (QCoreApplication::processEvents would
    // return at once when nothing is pending, and the generator would spin, taking a core from
    // the server it measures); the tick bounds each wait.
    QTimer tick;
    tick.start(20);
    QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        dispatcher->processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    }
    return true;
}

namespace {
proto::Frame helloFrame(const QString &deviceId)
{
    proto::Frame hello;
    hello.mutable_hello()->set_protocol_version(1);
    hello.mutable_hello()->set_client_name("ternbench");
    hello.mutable_hello()->set_client_version("1");
    hello.mutable_hello()->set_device_id(deviceId.toStdString());
    return hello;
}
} // namespace

namespace {
// Calls `done` once: with the outcome, or with false when the connection closes first (the
// server dropped it, e.g. past its authentication deadline).
std::function<void(bool)> onceOrOnClose(BenchConnection *connection, std::function<void(bool)> done)
{
    auto called = std::make_shared<bool>(false);
    auto once = [called, done](bool ok) {
        if (!*called) {
            *called = true;
            done(ok);
        }
    };
    QObject::connect(connection, &BenchConnection::closed, connection, [once] { once(false); });
    return once;
}
} // namespace

void greetUser(const QUrl &url, BenchUser &user, const QString &deviceId,
               std::function<void(bool)> done)
{
    user.connection = std::make_unique<BenchConnection>();
    BenchConnection *connection = user.connection.get();
    const auto finish = onceOrOnClose(connection, std::move(done));
    QObject::connect(
        connection, &BenchConnection::opened, connection, [connection, deviceId, finish] {
            connection->request(helloFrame(deviceId),
                                [finish](const proto::Frame &w) { finish(w.has_welcome()); });
        });
    connection->open(url);
}

void resumeGreeted(BenchUser &user, std::function<void(bool)> done)
{
    proto::Frame resume;
    resume.mutable_resume()->set_token(user.token);
    user.connection->request(resume, [done = std::move(done)](const proto::Frame &session) {
        done(session.has_session());
    });
}

void resumeUser(const QUrl &url, BenchUser &user, const QString &deviceId,
                std::function<void(bool)> done)
{
    greetUser(url, user, deviceId, [&user, done = std::move(done)](bool greeted) {
        if (!greeted)
            return done(false);
        const auto finish = onceOrOnClose(user.connection.get(), done);
        resumeGreeted(user, finish);
    });
}

namespace {

// Starts `step` for each pair (i, i + 1) at once; `step` calls its `paired` once the pair's part
// succeeded, or sets `error`. Waits until every pair has, an error, or the time ran out
// (`error` then says `late`).
bool forEveryPair(std::vector<BenchUser> &users, QString &error, const QString &late,
                  const std::function<void(size_t, std::function<void()>)> &step)
{
    const size_t pairs = users.size() / 2;
    auto paired = std::make_shared<size_t>(0); // a late answer after a timeout still counts here
    for (size_t i = 0; i + 1 < users.size(); i += 2)
        step(i, [paired] { ++*paired; });
    const bool done = waitUntil([&] { return *paired == pairs || !error.isEmpty(); }, 120000);
    if (!done && error.isEmpty())
        error = late;
    return done && error.isEmpty();
}

} // namespace

bool befriendPairs(std::vector<BenchUser> &users, QString &error)
{
    // A request to someone who already asked you makes you friends at once: two requests, no
    // request id to look up.
    const auto befriend = [&users, &error](size_t i, std::function<void()> paired) {
        proto::Frame ask;
        ask.mutable_send_friend_request()->set_user_id(users[i + 1].id);
        users[i].connection->request(ask, [&users, &error, paired, i](const proto::Frame &a) {
            if (!a.has_friend_request_result()) {
                error = QString::fromStdString(a.ShortDebugString());
                return;
            }
            proto::Frame back;
            back.mutable_send_friend_request()->set_user_id(users[i].id);
            users[i + 1].connection->request(back, [&error, paired](const proto::Frame &b) {
                if (!b.has_friend_request_result()
                    || !b.friend_request_result().contact().is_friend()) {
                    error = QString::fromStdString(b.ShortDebugString());
                    return;
                }
                paired();
            });
        });
    };
    return forEveryPair(users, error, QStringLiteral("friendships were not made in time"),
                        befriend);
}

bool openPairConversations(std::vector<BenchUser> &users, QString &error)
{
    const auto open = [&users, &error](size_t i, std::function<void()> paired) {
        proto::Frame frame;
        frame.mutable_open_conversation()->set_peer_user_id(users[i + 1].id);
        users[i].connection->request(frame, [&users, &error, paired, i](const proto::Frame &a) {
            if (!a.has_conversation_state()) {
                error = QString::fromStdString(a.ShortDebugString());
                return;
            }
            users[i].conversationId = a.conversation_state().conversation_id();
            users[i + 1].conversationId = users[i].conversationId;
            paired();
        });
    };
    return forEveryPair(users, error, QStringLiteral("conversations were not opened in time"),
                        open);
}

std::string benchUsername(const QString &tag, int index)
{
    return QStringLiteral("b%1_%2").arg(tag).arg(index).toStdString();
}

void loginUser(const QUrl &url, BenchUser &user, const std::string &username,
               const QString &deviceId, std::function<void(bool)> done)
{
    user.connection = std::make_unique<BenchConnection>();
    BenchConnection *connection = user.connection.get();
    BenchUser *target = &user;
    QObject::connect(
        connection, &BenchConnection::opened, connection,
        [connection, deviceId, username, target, done] {
            connection->request(
                helloFrame(deviceId), [connection, username, target, done](const proto::Frame &w) {
                    if (!w.has_welcome())
                        return done(false);
                    proto::Frame login;
                    login.mutable_login()->set_username(username);
                    login.mutable_login()->set_password(kBenchPassword);
                    connection->request(login, [target, done](const proto::Frame &session) {
                        if (session.has_session())
                            target->token = session.session().token();
                        done(session.has_session());
                    });
                });
        });
    connection->open(url);
}

std::vector<BenchUser> connectUsers(const QUrl &url, int count, const QString &tag, QString &error,
                                    int maxInFlight)
{
    std::vector<BenchUser> users(static_cast<size_t>(count));
    int opened = 0;
    int registered = 0;
    int failed = 0;
    int started = 0;
    std::vector<char> settled(static_cast<size_t>(count), 0);
    // Context of the handlers below, which refer to this function's locals: they go with it.
    QObject guard;
    // Set up a bounded number at a time: all at once, the last would wait behind thousands of
    // registrations past the server's authentication deadline and be closed. A connection the
    // server closes counts as failed.
    std::function<void()> startNext = [&] {
        if (started == count)
            return;
        const int i = started++;
        BenchUser &user = users[size_t(i)];
        user.connection = std::make_unique<BenchConnection>();
        BenchConnection *connection = user.connection.get();
        QObject::connect(connection, &BenchConnection::closed, &guard, [&, i] {
            if (!settled[size_t(i)]) {
                settled[size_t(i)] = 1;
                ++failed;
                error = QStringLiteral("the server closed a connection during setup");
            }
        });
        QObject::connect(connection, &BenchConnection::opened, &guard, [&, i, connection] {
            ++opened;
            connection->request(
                helloFrame(QStringLiteral("bench-%1").arg(i)),
                [&, i, connection](const proto::Frame &welcome) {
                    if (!welcome.has_welcome()) {
                        settled[size_t(i)] = 1;
                        ++failed;
                        error = QString::fromStdString(welcome.ShortDebugString());
                        return;
                    }
                    proto::Frame reg;
                    auto *r = reg.mutable_register_();
                    r->set_username(benchUsername(tag, i));
                    r->set_password(kBenchPassword);
                    r->set_display_name(QStringLiteral("Bench %1").arg(i).toStdString());
                    connection->request(reg, [&, i](const proto::Frame &session) {
                        settled[size_t(i)] = 1;
                        if (!session.has_session()) {
                            ++failed;
                            error = QString::fromStdString(session.ShortDebugString());
                            return;
                        }
                        users[size_t(i)].id = session.session().user_id();
                        users[size_t(i)].token = session.session().token();
                        ++registered;
                        startNext();
                    });
                });
        });
        connection->open(url);
    };
    for (int i = 0; i < std::min(count, std::max(1, maxInFlight)); ++i)
        startNext();
    const bool done = waitUntil([&] { return registered + failed == count || failed > 0; },
                                std::max(120000, count * 20));
    if (!done || failed > 0) {
        if (error.isEmpty())
            error = QStringLiteral("%1 of %2 connections opened, %3 registered in time")
                        .arg(opened)
                        .arg(count)
                        .arg(registered);
        return {};
    }
    return users;
}
