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
    result.json = {{QStringLiteral("scenario"), QStringLiteral("storm")},
                   {QStringLiteral("devices"), options.devices},
                   {QStringLiteral("back"), back},
                   {QStringLiteral("retries"), retries},
                   {QStringLiteral("all_back_ms"), ms},
                   {QStringLiteral("resumes_per_s"), qRound64(perSecond)},
                   {QStringLiteral("device_back_ms"), perDevice.summary()}};
    result.table = QStringLiteral("storm: %1 devices dropped at once\n"
                                  "  %2 resumed and synced in %3 ms (%4 resumes/s), %5 retries\n"
                                  "  per device %6")
                       .arg(options.devices)
                       .arg(back)
                       .arg(ms, 0, 'f', 1)
                       .arg(qRound64(perSecond))
                       .arg(retries)
                       .arg(perDevice.row());
    return result;
}
