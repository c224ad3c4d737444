// SPDX-License-Identifier: Apache-2.0
#include "pairsscenario.h"

#include "benchusers.h"
#include "cpubudget.h"
#include "latencies.h"
#include "openlooppacer.h"
#include "processgroup.h"
#include "processusage.h"
#include "taggedtext.h"
#include "tern/clientmsgid.h"

#include <QElapsedTimer>
#include <QFile>

using namespace tern;

namespace {

// What happened to one message, by sender and per-sender number.
struct Track
{
    qint64 sentAt = 0;
    bool acked = false;
    bool delivered = false;
};

} // namespace

PairsResult runPairs(const PairsOptions &options)
{
    PairsResult result;
    const int n = options.users - options.users % 2;
    if (n < 2) {
        result.error = QStringLiteral("pairs needs at least 2 users");
        return result;
    }
    std::vector<BenchUser> users = connectUsers(options.url, n, options.tag, result.error);
    if (users.empty())
        return result;

    if (options.friends && !befriendPairs(users, result.error))
        return result;
    if (!openPairConversations(users, result.error))
        return result;

    QFile ackedLog(options.ackedLog);
    QFile latencyLog(options.latencyLog);
    for (QFile *log : {&ackedLog, &latencyLog}) {
        if (!log->fileName().isEmpty() && !log->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            result.error = QStringLiteral("cannot write %1").arg(log->fileName());
            return result;
        }
    }
    std::vector<std::vector<Track>> tracks(static_cast<size_t>(n));
    Latencies ackLatency;
    Latencies deliverLatency;
    qint64 sent = 0, acked = 0, delivered = 0, deliveredInWindow = 0;
    bool running = true;
    QElapsedTimer clock;
    const qint64 windowNs = qint64(options.durationS) * 1000000000LL;

    std::function<void(int)> sendOne = [&](int sender) {
        BenchUser &user = users[size_t(sender)];
        auto &mine = tracks[size_t(sender)];
        const qint64 number = qint64(mine.size());
        mine.push_back({clock.nsecsElapsed(), false, false});
        ++sent;
        proto::Frame frame;
        auto *send = frame.mutable_send_message();
        send->set_conversation_id(user.conversationId);
        send->set_client_msg_id(tern::messages::newClientMsgId());
        send->mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
        send->mutable_content()->set_text(taggedText('m', sender, number, options.textBytes));
        user.connection->request(frame, [&, sender, number](const proto::Frame &answer) {
            Track &track = tracks[size_t(sender)][size_t(number)];
            if (!answer.has_message_ack()) {
                ++result.errors;
                if (result.error.isEmpty())
                    result.error = QString::fromStdString(answer.ShortDebugString());
            } else {
                track.acked = true;
                ++acked;
                const qint64 latencyNs = clock.nsecsElapsed() - track.sentAt;
                ackLatency.add(latencyNs);
                if (latencyLog.isOpen())
                    latencyLog.write(QByteArray::number(double(track.sentAt) / 1e6, 'f', 3) + ' '
                                     + QByteArray::number(double(latencyNs) / 1e6, 'f', 3) + '\n');
                if (ackedLog.isOpen()) {
                    const proto::MessageAck &ack = answer.message_ack();
                    ackedLog.write(QByteArray::number(ack.conversation_id()) + ' '
                                   + QByteArray::number(ack.seq()) + ' '
                                   + QByteArray::fromStdString(ack.client_msg_id()) + '\n');
                }
            }
            if (running && options.rate == 0)
                sendOne(sender);
        });
    };
    for (int i = 0; i < n; ++i) {
        users[size_t(i)].connection->onPush = [&](const proto::Frame &frame) {
            if (!frame.has_message_push())
                return;
            int sender = 0;
            qint64 number = 0;
            const auto &content = frame.message_push().message().content();
            if (!parseTaggedText(content.text(), 'm', sender, number) || sender < 0 || sender >= n
                || number >= qint64(tracks[size_t(sender)].size()))
                return;
            Track &track = tracks[size_t(sender)][size_t(number)];
            if (track.delivered) {
                ++result.duplicated;
                return;
            }
            track.delivered = true;
            ++delivered;
            const qint64 now = clock.nsecsElapsed();
            if (now <= windowNs)
                ++deliveredInWindow;
            deliverLatency.add(now - track.sentAt);
        };
    }

    waitForStartSignal(); // with --processes: every process starts its load together
    CpuBudget budget(options.serverPid, options.databasePid);
    budget.start();
    const ProcessUsage usageBefore = ProcessUsage::now();
    clock.start();
    // Open loop: tops the send count up to rate x elapsed every few milliseconds (a
    // millisecond timer made the generator wake so often that it took CPU from the server).
    OpenLoopPacer pacer(options.rate, n, sendOne);
    if (options.rate == 0) {
        for (int i = 0; i < n; ++i) {
            for (int w = 0; w < options.window; ++w)
                sendOne(i);
        }
    } else {
        pacer.start();
    }
    // A server that went away ends the run early (nothing more can be answered).
    const auto allClosed = [&] {
        for (const BenchUser &user : users) {
            if (user.connection->isOpen())
                return false;
        }
        return true;
    };
    waitUntil([&] { return clock.nsecsElapsed() >= windowNs || allClosed(); },
              options.durationS * 1000 + 1000);
    running = false;
    pacer.stop();
    const double wallS = double(clock.nsecsElapsed()) / 1e9;
    const ProcessUsage usageAfter = ProcessUsage::now();
    budget.stop();
    const qint64 deliveredMeasured = delivered; // while the budget's CPU was counted
    // Drain: every send answered, every acked message delivered (or the deadline).
    const bool drained = waitUntil(
        [&] {
            qint64 answered = 0;
            for (const auto &user : users)
                answered += user.connection->inFlight();
            return (answered == 0 && delivered >= acked) || allClosed();
        },
        30000);
    ackedLog.close();
    latencyLog.close();
    for (const auto &mine : tracks) {
        for (const Track &track : mine) {
            if (track.acked && !track.delivered)
                ++result.lost;
        }
    }

    const double cpuShare = usageAfter.cpuSecondsSince(usageBefore) / wallS;
    const double rate = double(deliveredInWindow) / options.durationS;
    result.completed = drained;
    result.json = {
        {QStringLiteral("scenario"), QStringLiteral("pairs")},
        {QStringLiteral("users"), n},
        {QStringLiteral("window"), options.window},
        {QStringLiteral("rate"), options.rate},
        {QStringLiteral("tick_ms"), OpenLoopPacer::tick()},
        {QStringLiteral("duration_s"), options.durationS},
        {QStringLiteral("text_bytes"), options.textBytes},
        {QStringLiteral("text"), textPaddingName()},
        {QStringLiteral("friends"), options.friends},
        {QStringLiteral("sent"), sent},
        {QStringLiteral("acked"), acked},
        {QStringLiteral("delivered"), delivered},
        {QStringLiteral("lost"), result.lost},
        {QStringLiteral("duplicated"), result.duplicated},
        {QStringLiteral("errors"), result.errors},
        {QStringLiteral("delivered_per_s"), qRound64(rate)},
        {QStringLiteral("ack_ms"), ackLatency.summary()},
        {QStringLiteral("deliver_ms"), deliverLatency.summary()},
        {QStringLiteral("generator_cpu"), cpuShare},
    };
    result.table =
        QStringLiteral("pairs: %1 users%14, %2\n"
                       "  sent %3  acked %4  delivered %5  lost %6  duplicated %7  errors %8\n"
                       "  delivered/s  %9\n"
                       "  send->ack     %10\n"
                       "  send->deliver %11\n"
                       "  generator CPU %12 of one core%13")
            .arg(n)
            .arg(options.rate == 0 ? QStringLiteral("closed loop, window %1").arg(options.window)
                                   : QStringLiteral("open loop, %1 msgs/s in %2 ms ticks")
                                         .arg(options.rate)
                                         .arg(OpenLoopPacer::tick()))
            .arg(sent)
            .arg(acked)
            .arg(delivered)
            .arg(result.lost)
            .arg(result.duplicated)
            .arg(result.errors)
            .arg(qRound64(rate))
            .arg(ackLatency.row(), deliverLatency.row())
            .arg(cpuShare, 0, 'f', 2)
            .arg(cpuShare > 0.9 ? QStringLiteral("  (WARNING: the generator may be the bottleneck)")
                                : QString())
            .arg(options.friends ? QStringLiteral(" (friends)") : QString());
    if (const QString line = budget.addTo(result.json, deliveredMeasured, QStringLiteral("msg"));
        !line.isEmpty())
        result.table += QLatin1Char('\n') + line;
    if (!drained && result.error.isEmpty())
        result.error = QStringLiteral("not every message was answered and delivered in time");
    return result;
}
