// SPDX-License-Identifier: Apache-2.0
#include "stormscenario.h"

#include "benchusers.h"
#include "latencies.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTimer>

using namespace tern;

namespace {
constexpr int kMaxAttempts = 5;
// Greeted connections wait for their Resume; the server drops a connection not authenticated
// within 10 s, so the burst is sent in rounds small enough to be greeted well within that.
constexpr int kBurstRound = 2500;

struct Burst
{
    int resumed = 0;
    double ms = 0; // the time of the Resume requests alone, summed over the rounds
    QString error;
};

// Token resumes on their own: each round's connections are opened and greeted (Hello) first,
// untimed; then all of the round send Resume at once, and the time until every one has its
// Session answer is what counts.
Burst resumeBurst(const QUrl &url, std::vector<BenchUser> &devices)
{
    Burst burst;
    for (size_t first = 0; first < devices.size(); first += kBurstRound) {
        const size_t end = std::min(devices.size(), first + kBurstRound);
        const int round = int(end - first);
        int greeted = 0;
        int failed = 0;
        for (size_t i = first; i < end; ++i) {
            devices[i].connection.reset(); // the previous connection of this device goes
            greetUser(url, devices[i], QStringLiteral("bench-%1").arg(i),
                      [&](bool ok) { ++(ok ? greeted : failed); });
        }
        if (!waitUntil([&] { return greeted + failed == round; }, 60000) || failed > 0) {
            burst.error = QStringLiteral("%1 of %2 connections were not greeted")
                              .arg(round - greeted)
                              .arg(round);
            return burst;
        }
        int resumed = 0;
        QElapsedTimer clock;
        clock.start();
        for (size_t i = first; i < end; ++i)
            resumeGreeted(devices[i], [&](bool ok) { ++(ok ? resumed : failed); });
        if (!waitUntil([&] { return resumed + failed == round; }, 60000) || failed > 0) {
            burst.error = QStringLiteral("%1 of %2 resumes failed").arg(round - resumed).arg(round);
            return burst;
        }
        burst.ms += double(clock.nsecsElapsed()) / 1e6;
        burst.resumed += resumed;
    }
    return burst;
}
} // namespace

StormResult runStorm(const StormOptions &options)
{
    StormResult result;
    std::vector<BenchUser> devices =
        connectUsers(options.url, options.devices, options.tag, result.error);
    if (devices.empty())
        return result;
    // Each device's sync cursor before the drop.
    std::vector<quint64> cursors(devices.size(), 0);
    int synced = 0;
    for (size_t i = 0; i < devices.size(); ++i) {
        proto::Frame sync;
        sync.mutable_sync_conversations()->set_since(0);
        devices[i].connection->request(sync, [&, i](const proto::Frame &answer) {
            cursors[i] = answer.conversation_changes().next_since();
            ++synced;
        });
    }
    if (!waitUntil([&] { return synced == options.devices; }, 60000)) {
        result.error = QStringLiteral("the first syncs did not finish");
        return result;
    }
    for (BenchUser &device : devices)
        device.connection.reset(); // the drop

    QElapsedTimer clock;
    clock.start();
    Latencies perDevice; // from the storm's start to that device being back and synced
    int back = 0;
    int failed = 0;
    int retries = 0;
    // Like a real client, a device the server dropped (e.g. past its authentication deadline
    // while thousands were ahead of it) tries again after a short random backoff.
    std::function<void(size_t, int)> comeBack = [&](size_t i, int attempt) {
        resumeUser(
            options.url, devices[i], QStringLiteral("bench-%1").arg(i), [&, i, attempt](bool ok) {
                if (!ok) {
                    if (attempt >= kMaxAttempts) {
                        ++failed;
                        return;
                    }
                    ++retries;
                    const int backoffMs = QRandomGenerator::global()->bounded(300, 1000);
                    QTimer::singleShot(backoffMs, [&, i, attempt] { comeBack(i, attempt + 1); });
                    return;
                }
                proto::Frame sync;
                sync.mutable_sync_conversations()->set_since(cursors[i]);
                devices[i].connection->request(sync, [&](const proto::Frame &answer) {
                    if (!answer.has_conversation_changes()) {
                        ++failed;
                        return;
                    }
                    perDevice.add(clock.nsecsElapsed());
                    ++back;
                });
            });
    };
    for (size_t i = 0; i < devices.size(); ++i)
        comeBack(i, 1);
    const bool done = waitUntil([&] { return back + failed == options.devices; }, 300000);
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    result.ok = done && failed == 0;
    if (!result.ok)
        result.error = QStringLiteral("%1 of %2 devices came back (%3 failed)")
                           .arg(back)
                           .arg(options.devices)
                           .arg(failed);
    const double perSecond = back / (ms / 1000.0);
    Burst burst;
    if (result.ok) {
        burst = resumeBurst(options.url, devices);
        if (!burst.error.isEmpty()) {
            result.ok = false;
            result.error = burst.error;
        }
    }
    const double burstPerSecond = burst.ms > 0 ? burst.resumed / (burst.ms / 1000.0) : 0;
    result.json = {{QStringLiteral("scenario"), QStringLiteral("storm")},
                   {QStringLiteral("devices"), options.devices},
                   {QStringLiteral("back"), back},
                   {QStringLiteral("retries"), retries},
                   {QStringLiteral("all_back_ms"), ms},
                   {QStringLiteral("resumes_per_s"), qRound64(perSecond)},
                   {QStringLiteral("device_back_ms"), perDevice.summary()},
                   {QStringLiteral("burst_resumes"), burst.resumed},
                   {QStringLiteral("burst_resume_ms"), burst.ms},
                   {QStringLiteral("burst_resumes_per_s"), qRound64(burstPerSecond)}};
    result.table = QStringLiteral("storm: %1 devices dropped at once\n"
                                  "  %2 resumed and synced in %3 ms (%4 resumes/s), %5 retries\n"
                                  "  per device %6\n"
                                  "  token resumes alone (greeted connections, rounds of up to "
                                  "%7 at once): %8 in %9 ms, %10 resumes/s")
                       .arg(options.devices)
                       .arg(back)
                       .arg(ms, 0, 'f', 1)
                       .arg(qRound64(perSecond))
                       .arg(retries)
                       .arg(perDevice.row())
                       .arg(kBurstRound)
                       .arg(burst.resumed)
                       .arg(burst.ms, 0, 'f', 1)
                       .arg(qRound64(burstPerSecond));
    return result;
}
