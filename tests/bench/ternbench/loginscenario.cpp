// SPDX-License-Identifier: Apache-2.0
#include "loginscenario.h"

#include "benchusers.h"
#include "latencies.h"
#include "processusage.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QUuid>

using namespace tern;

namespace {

constexpr int kPacerIntervalMs = 5;
constexpr int kPhaseTimeoutMs = 300000;

// Authenticates every user at once with `start` (login or resume); the elapsed milliseconds,
// or -1 when any failed or the time ran out.
double allAtOnce(std::vector<BenchUser> &users,
                 const std::function<void(size_t, std::function<void(bool)>)> &start)
{
    int ok = 0;
    int failed = 0;
    QElapsedTimer clock;
    clock.start();
    for (size_t i = 0; i < users.size(); ++i)
        start(i, [&](bool success) { ++(success ? ok : failed); });
    const bool done = waitUntil([&] { return ok + failed == int(users.size()); }, kPhaseTimeoutMs);
    return done && failed == 0 ? double(clock.nsecsElapsed()) / 1e6 : -1;
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
    std::vector<BenchUser> users = connectUsers(options.url, n, options.tag, result.error);
    if (users.empty())
        return result;

    // 1. Password logins, everyone at once (a second device each).
    const double loginMs = allAtOnce(users, [&](size_t i, std::function<void(bool)> done) {
        loginUser(options.url, users[i], benchUsername(options.tag, int(i)),
                  QStringLiteral("login-%1").arg(i), std::move(done));
    });
    // 2. Those devices drop and resume with their tokens.
    for (BenchUser &user : users)
        user.connection.reset();
    const double resumeMs =
        loginMs < 0 ? -1 : allAtOnce(users, [&](size_t i, std::function<void(bool)> done) {
            resumeUser(options.url, users[i], QStringLiteral("login-%1").arg(i), std::move(done));
        });
    if (loginMs < 0 || resumeMs < 0) {
        result.error = loginMs < 0 ? QStringLiteral("not every password login succeeded")
                                   : QStringLiteral("not every resume succeeded");
        return result;
    }

    // 3. Messages between pairs, quiet and then during a burst of password logins.
    int opened = 0;
    for (int i = 0; i < n; i += 2) {
        proto::Frame open;
        open.mutable_open_conversation()->set_peer_user_id(users[size_t(i + 1)].id);
        users[size_t(i)].connection->request(open, [&, i](const proto::Frame &answer) {
            users[size_t(i)].conversationId = answer.conversation_state().conversation_id();
            ++opened;
        });
    }
    if (!waitUntil([&] { return opened == n / 2; }, kPhaseTimeoutMs)) {
        result.error = QStringLiteral("conversations were not opened in time");
        return result;
    }
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
    QTimer pacer;
    int next = 0;
    qint64 quietStart = 0;
    QObject::connect(&pacer, &QTimer::timeout, [&] {
        const qint64 due = (clock.nsecsElapsed() - quietStart) * options.rate / 1000000000LL;
        while (sent < due) {
            BenchUser &sender = users[size_t(next)];
            next = (next + 2) % n;
            proto::Frame frame;
            auto *send = frame.mutable_send_message();
            send->set_conversation_id(sender.conversationId);
            send->set_client_msg_id(
                QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
            send->mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
            send->mutable_content()->set_text(stampedText(clock.nsecsElapsed()));
            ++sent;
            sender.connection->request(frame, [&](const proto::Frame &answer) {
                if (!answer.has_message_ack())
                    ++errors;
            });
        }
    });
    const ProcessUsage usageBefore = ProcessUsage::now();
    quietStart = clock.nsecsElapsed();
    pacer.start(kPacerIntervalMs);
    waitUntil([&] { return clock.nsecsElapsed() - quietStart >= options.durationS * 1000000000LL; },
              options.durationS * 1000 + 1000);

    // The burst: every user logs in with the password once more, on a third device, while
    // the messages go on.
    current = &duringBurst;
    std::vector<BenchUser> burst(users.size());
    for (size_t i = 0; i < users.size(); ++i)
        burst[i].id = users[i].id;
    const qint64 burstStart = clock.nsecsElapsed();
    int burstOk = 0, burstFailed = 0;
    for (size_t i = 0; i < burst.size(); ++i)
        loginUser(options.url, burst[i], benchUsername(options.tag, int(i)),
                  QStringLiteral("burst-%1").arg(i),
                  [&](bool ok) { ++(ok ? burstOk : burstFailed); });
    waitUntil(
        [&] {
            return clock.nsecsElapsed() - burstStart >= options.durationS * 1000000000LL
                && burstOk + burstFailed == n;
        },
        kPhaseTimeoutMs);
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
        result.error = QStringLiteral("%1 lost, %2 refused sends, %3 failed burst logins")
                           .arg(lost)
                           .arg(errors)
                           .arg(burstFailed);
    result.json = {{QStringLiteral("scenario"), QStringLiteral("login")},
                   {QStringLiteral("users"), n},
                   {QStringLiteral("logins_per_s"), qRound64(n / (loginMs / 1000.0))},
                   {QStringLiteral("resumes_per_s"), qRound64(n / (resumeMs / 1000.0))},
                   {QStringLiteral("rate"), options.rate},
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
                       "  password logins, all at once: %2 ms (%3 logins/s)\n"
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
            .arg(cpuShare, 0, 'f', 2);
    return result;
}
