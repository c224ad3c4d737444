// SPDX-License-Identifier: Apache-2.0
#include "fanoutscenario.h"

#include "benchusers.h"
#include "cpubudget.h"
#include "groupsetup.h"
#include "latencies.h"
#include "openlooppacer.h"
#include "processgroup.h"
#include "processusage.h"
#include "taggedtext.h"
#include "tern/clientmsgid.h"

#include <QElapsedTimer>

using namespace tern;

namespace {

struct Track
{
    qint64 sentAt = 0;
    bool acked = false;
    int missing = 0; // members that have not got it yet
};

} // namespace

FanoutResult runFanout(const FanoutOptions &options)
{
    FanoutResult result;
    const int size = std::max(2, options.groupSize);
    const int groups = std::max(1, options.groups);
    std::vector<BenchUser> users =
        connectUsers(options.url, groups * size, options.tag, result.error);
    if (users.empty())
        return result;
    std::vector<quint64> conversations;
    for (int g = 0; g < groups; ++g) {
        std::vector<BenchUser *> members;
        for (int i = 0; i < size; ++i)
            members.push_back(&users[size_t(g * size + i)]);
        const quint64 conversation =
            makeGroup(members, QStringLiteral("fanout %1").arg(g), result.error);
        if (conversation == 0) {
            if (result.error.isEmpty())
                result.error = QStringLiteral("group %1 could not be set up").arg(g);
            return result;
        }
        conversations.push_back(conversation);
    }

    std::vector<std::vector<Track>> tracks(static_cast<size_t>(groups));
    // Per member, the last message number it got: pushes of a conversation come in seq order,
    // so anything not above it is a duplicate.
    std::vector<qint64> lastSeen(users.size(), -1);
    Latencies fullDelivery; // send -> the last member has it
    qint64 sent = 0, acked = 0, deliveries = 0, deliveriesInWindow = 0, lost = 0, duplicated = 0,
           errors = 0;
    bool running = true;
    QElapsedTimer clock;
    const qint64 windowNs = qint64(options.durationS) * 1000000000LL;

    std::function<void(int)> sendOne = [&](int group) {
        auto &mine = tracks[size_t(group)];
        const qint64 number = qint64(mine.size());
        mine.push_back({clock.nsecsElapsed(), false, size - 1});
        ++sent;
        proto::Frame frame;
        auto *send = frame.mutable_send_message();
        send->set_conversation_id(conversations[size_t(group)]);
        send->set_client_msg_id(tern::messages::newClientMsgId());
        send->mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
        send->mutable_content()->set_text(taggedText('g', group, number, options.textBytes));
        users[size_t(group * size)].connection->request(
            frame, [&, group, number](const proto::Frame &answer) {
                if (!answer.has_message_ack()) {
                    ++errors;
                    if (result.error.isEmpty())
                        result.error = QString::fromStdString(answer.ShortDebugString());
                    return;
                }
                tracks[size_t(group)][size_t(number)].acked = true;
                ++acked;
            });
    };
    for (size_t u = 0; u < users.size(); ++u) {
        users[u].connection->onPush = [&, u](const proto::Frame &frame) {
            if (!frame.has_message_push())
                return;
            int group = 0;
            qint64 number = 0;
            if (!parseTaggedText(frame.message_push().message().content().text(), 'g', group,
                                 number)
                || group < 0 || group >= groups || number >= qint64(tracks[size_t(group)].size()))
                return;
            if (number <= lastSeen[u]) {
                ++duplicated;
                return;
            }
            lastSeen[u] = number;
            ++deliveries;
            const qint64 now = clock.nsecsElapsed();
            if (now <= windowNs)
                ++deliveriesInWindow;
            Track &track = tracks[size_t(group)][size_t(number)];
            if (--track.missing == 0) {
                fullDelivery.add(now - track.sentAt);
                if (running && options.rate == 0)
                    sendOne(group);
            }
        };
    }

    waitForStartSignal(); // with --processes: every process starts its load together
    CpuBudget budget(options.serverPid, options.databasePid);
    budget.start();
    const ProcessUsage usageBefore = ProcessUsage::now();
    clock.start();
    OpenLoopPacer pacer(options.rate, groups, sendOne);
    if (options.rate == 0) {
        for (int g = 0; g < groups; ++g) {
            for (int w = 0; w < std::max(1, options.window); ++w)
                sendOne(g);
        }
    } else {
        pacer.start();
    }
    waitUntil([&] { return clock.nsecsElapsed() >= windowNs; }, options.durationS * 1000 + 1000);
    running = false;
    pacer.stop();
    const double wallS = double(clock.nsecsElapsed()) / 1e9;
    const ProcessUsage usageAfter = ProcessUsage::now();
    budget.stop();
    const qint64 deliveriesMeasured = deliveries; // while the budget's CPU was counted
    const bool drained = waitUntil(
        [&] {
            for (const auto &mine : tracks) {
                for (const Track &track : mine) {
                    if (!track.acked || track.missing > 0)
                        return false;
                }
            }
            return true;
        },
        60000);
    for (const auto &mine : tracks) {
        for (const Track &track : mine) {
            if (track.acked)
                lost += track.missing;
        }
    }

    const double cpuShare = usageAfter.cpuSecondsSince(usageBefore) / wallS;
    const double rate = double(deliveriesInWindow) / options.durationS;
    result.ok = drained && lost == 0 && duplicated == 0 && errors == 0;
    result.json = {{QStringLiteral("scenario"), QStringLiteral("fanout")},
                   {QStringLiteral("groups"), groups},
                   {QStringLiteral("group_size"), size},
                   {QStringLiteral("window"), options.window},
                   {QStringLiteral("rate"), options.rate},
                   {QStringLiteral("tick_ms"), OpenLoopPacer::tick()},
                   {QStringLiteral("text"), textPaddingName()},
                   {QStringLiteral("duration_s"), options.durationS},
                   {QStringLiteral("sent"), sent},
                   {QStringLiteral("acked"), acked},
                   {QStringLiteral("deliveries"), deliveries},
                   {QStringLiteral("lost"), lost},
                   {QStringLiteral("duplicated"), duplicated},
                   {QStringLiteral("errors"), errors},
                   {QStringLiteral("deliveries_per_s"), qRound64(rate)},
                   {QStringLiteral("last_member_ms"), fullDelivery.summary()},
                   {QStringLiteral("generator_cpu"), cpuShare}};
    result.table =
        QStringLiteral("fanout: %1 group(s) of %2 members, %3\n"
                       "  sent %4  acked %5  deliveries %6  lost %7  duplicated %8  errors %9\n"
                       "  deliveries/s  %10\n"
                       "  send->last member %11\n"
                       "  generator CPU %12 of one core%13")
            .arg(groups)
            .arg(size)
            .arg(options.rate == 0
                     ? QStringLiteral("closed loop, window %1 per group").arg(options.window)
                     : QStringLiteral("open loop, %1 msgs/s").arg(options.rate))
            .arg(sent)
            .arg(acked)
            .arg(deliveries)
            .arg(lost)
            .arg(duplicated)
            .arg(errors)
            .arg(qRound64(rate))
            .arg(fullDelivery.row())
            .arg(cpuShare, 0, 'f', 2)
            .arg(cpuShare > 0.9 ? QStringLiteral("  (WARNING: the generator may be the bottleneck)")
                                : QString());
    if (const QString line =
            budget.addTo(result.json, deliveriesMeasured, QStringLiteral("delivery"));
        !line.isEmpty())
        result.table += QLatin1Char('\n') + line;
    if (!drained && result.error.isEmpty())
        result.error = QStringLiteral("not every message reached every member in time");
    return result;
}
