// SPDX-License-Identifier: Apache-2.0
#include "loginscenario.h"

#include "benchusers.h"
#include "latencies.h"
#include "openlooppacer.h"
#include "processusage.h"
#include "tern/clientmsgid.h"

#include <QElapsedTimer>
#include <QTimer>

#include <memory>

using namespace tern;

namespace {

constexpr int kPhaseTimeoutMs = 600000;
// Password work in flight at once: a few per core keeps the server's Argon2 threads busy
// without making anyone wait past the authentication deadline (a real client retries then).
constexpr int kPasswordWorkInFlight = 4;

// Authenticates every user with `start` (login or resume), at most `inFlight` at a time; the
// elapsed milliseconds, or -1 when any failed or the time ran out.
double authenticateAll(std::vector<BenchUser> &users, int inFlight,
                       const std::function<void(size_t, std::function<void(bool)>)> &start)
{
    // Shared with the callbacks, which may come after this call returned (a late answer after
    // a timeout): they do nothing then.
    struct State
    {
        int ok = 0;
        int failed = 0;
        size_t next = 0;
        bool over = false;
    };
    auto state = std::make_shared<State>();
    QObject guard; // cancels the deferred starts when this call returns
    QElapsedTimer clock;
    clock.start();
    std::function<void()> startNext = [&] {
        if (state->next == users.size())
            return;
        const size_t i = state->next++;
        start(i, [state, context = &guard, again = &startNext](bool success) {
            if (state->over)
                return;
            ++(success ? state->ok : state->failed);
            // Deferred: the finished connection may be the one emitting.
            QTimer::singleShot(0, context, [again] { (*again)(); });
        });
    };
    for (int k = 0; k < inFlight; ++k)
        startNext();
    const bool done =
        waitUntil([&] { return state->ok + state->failed == int(users.size()); }, kPhaseTimeoutMs);
    state->over = true;
    return done && state->failed == 0 ? double(clock.nsecsElapsed()) / 1e6 : -1;
}

// The send time (generator clock, ns) travels in the text: "t<ns> " then padding.
std::string stampedText(qint64 sentNs)
{
    std::string text = "t" + std::to_string(sentNs) + " ";
    text.append(100 - std::min<size_t>(100, text.size()), 'x');
    return text;
}

} // namespace

LoginResult runLogin(const LoginOptions &options)
{
    LoginResult result;
    const int n = std::max(2, options.users - options.users % 2);
    std::vector<BenchUser> users =
        connectUsers(options.url, n, options.tag, result.error, kPasswordWorkInFlight);
    if (users.empty())
        return result;

    // 1. Password logins (a second device each), a few at a time.
    const double loginMs = authenticateAll(
        users, kPasswordWorkInFlight, [&](size_t i, std::function<void(bool)> done) {
            loginUser(options.url, users[i], benchUsername(options.tag, int(i)),
                      QStringLiteral("login-%1").arg(i), std::move(done));
        });
    // 2. Those devices drop and resume with their tokens.
    for (BenchUser &user : users)
        user.connection.reset();
    const double resumeMs =
        loginMs < 0 ? -1 : authenticateAll(users, n, [&](size_t i, std::function<void(bool)> done) {
            resumeUser(options.url, users[i], QStringLiteral("login-%1").arg(i), std::move(done));
        });
    if (loginMs < 0 || resumeMs < 0) {
        result.error = loginMs < 0 ? QStringLiteral("not every password login succeeded")
                                   : QStringLiteral("not every resume succeeded");
        return result;
    }

    // 3. Messages between pairs, quiet and then during a burst of password logins.
    if (!openPairConversations(users, result.error))
        return result;
    QElapsedTimer clock;
    clock.start();
    Latencies quiet;
    Latencies duringBurst;
    Latencies *current = &quiet;
    qint64 sent = 0, delivered = 0, errors = 0;
    for (BenchUser &user : users) {
        user.connection->onPush = [&](const proto::Frame &frame) {
            if (!frame.has_message_push())
                return;
            const std::string &text = frame.message_push().message().content().text();
            if (text.empty() || text[0] != 't')
                return;
            ++delivered;
            current->add(clock.nsecsElapsed() - std::stoll(text.substr(1)));
        };
    }
    // Sender k is user 2k, who writes to user 2k + 1.
    OpenLoopPacer pacer(options.rate, n / 2, [&](int k) {
        BenchUser &sender = users[size_t(2 * k)];
        proto::Frame frame;
        auto *send = frame.mutable_send_message();
        send->set_conversation_id(sender.conversationId);
        send->set_client_msg_id(tern::messages::newClientMsgId());
        send->mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
        send->mutable_content()->set_text(stampedText(clock.nsecsElapsed()));
        ++sent;
        sender.connection->request(frame, [&](const proto::Frame &answer) {
            if (!answer.has_message_ack())
                ++errors;
        });
    });
    const ProcessUsage usageBefore = ProcessUsage::now();
    const qint64 quietStart = clock.nsecsElapsed();
    pacer.start();
    waitUntil([&] { return clock.nsecsElapsed() - quietStart >= options.durationS * 1000000000LL; },
              options.durationS * 1000 + 1000);

    // The burst: every user logs in with the password once more, on a third device, as fast
    // as the server hashes, while the messages go on (at least `durationS` seconds).
    current = &duringBurst;
    std::vector<BenchUser> burst(users.size());
    for (size_t i = 0; i < users.size(); ++i)
        burst[i].id = users[i].id;
    const qint64 burstStart = clock.nsecsElapsed();
    const double burstLoginMs = authenticateAll(
        burst, kPasswordWorkInFlight, [&](size_t i, std::function<void(bool)> done) {
            loginUser(options.url, burst[i], benchUsername(options.tag, int(i)),
                      QStringLiteral("burst-%1").arg(i), std::move(done));
        });
    const int burstOk = burstLoginMs < 0 ? 0 : n;
    const int burstFailed = burstLoginMs < 0 ? 1 : 0;
    waitUntil([&] { return clock.nsecsElapsed() - burstStart >= options.durationS * 1000000000LL; },
              options.durationS * 1000 + 1000);
    const double burstMs = double(clock.nsecsElapsed() - burstStart) / 1e6;
    pacer.stop();
    const double wallS = double(clock.nsecsElapsed() - quietStart) / 1e9;
    const ProcessUsage usageAfter = ProcessUsage::now();
    const bool drained = waitUntil([&] { return delivered + errors >= sent; }, 30000);

    const double quietP99 =
        quiet.count() ? quiet.summary().value(QStringLiteral("p99")).toDouble() : 0;
    const double burstP99 =
        duringBurst.count() ? duringBurst.summary().value(QStringLiteral("p99")).toDouble() : 0;
    const double ratio = quietP99 > 0 ? burstP99 / quietP99 : 0;
    const double cpuShare = usageAfter.cpuSecondsSince(usageBefore) / wallS;
    const qint64 lost = std::max<qint64>(0, sent - errors - delivered);
    result.ok = drained && lost == 0 && errors == 0 && burstFailed == 0;
    if (!result.ok)
        result.error = QStringLiteral("%1 lost, %2 refused sends%3")
                           .arg(lost)
                           .arg(errors)
                           .arg(burstFailed ? QStringLiteral(", a burst login failed") : QString());
    result.json = {{QStringLiteral("scenario"), QStringLiteral("login")},
                   {QStringLiteral("users"), n},
                   {QStringLiteral("logins_per_s"), qRound64(n / (loginMs / 1000.0))},
                   {QStringLiteral("resumes_per_s"), qRound64(n / (resumeMs / 1000.0))},
                   {QStringLiteral("rate"), options.rate},
                   {QStringLiteral("tick_ms"), OpenLoopPacer::tick()},
                   {QStringLiteral("quiet_deliver_ms"), quiet.summary()},
                   {QStringLiteral("burst_deliver_ms"), duringBurst.summary()},
                   {QStringLiteral("burst_logins"), burstOk},
                   {QStringLiteral("burst_ms"), burstMs},
                   {QStringLiteral("p99_ratio"), ratio},
                   {QStringLiteral("sent"), sent},
                   {QStringLiteral("delivered"), delivered},
                   {QStringLiteral("lost"), lost},
                   {QStringLiteral("generator_cpu"), cpuShare}};
    result.table =
        QStringLiteral("login: %1 users\n"
                       "  password logins, %16 in flight: %2 ms (%3 logins/s)\n"
                       "  token resumes, all at once:   %4 ms (%5 resumes/s)\n"
                       "  messages at %6/s, send->receive\n"
                       "    quiet        %7\n"
                       "    during burst %8  (%9 password logins in %10 ms)\n"
                       "  p99 during the burst / quiet: %11x   sent %12  delivered %13  lost %14\n"
                       "  generator CPU %15 of one core")
            .arg(n)
            .arg(loginMs, 0, 'f', 1)
            .arg(qRound64(n / (loginMs / 1000.0)))
            .arg(resumeMs, 0, 'f', 1)
            .arg(qRound64(n / (resumeMs / 1000.0)))
            .arg(options.rate)
            .arg(quiet.row(), duringBurst.row())
            .arg(burstOk)
            .arg(burstMs, 0, 'f', 0)
            .arg(ratio, 0, 'f', 2)
            .arg(sent)
            .arg(delivered)
            .arg(lost)
            .arg(cpuShare, 0, 'f', 2)
            .arg(kPasswordWorkInFlight);
    return result;
}
