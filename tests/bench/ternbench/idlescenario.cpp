// SPDX-License-Identifier: Apache-2.0
#include "idlescenario.h"

#include "benchusers.h"
#include "serverusage.h"

#include <QElapsedTimer>

IdleResult runIdle(const IdleOptions &options)
{
    IdleResult result;
    if (options.serverPid <= 0 || serverusage::residentKiB(options.serverPid) == 0) {
        result.error = QStringLiteral("idle needs --server-pid of a ternd on this machine");
        return result;
    }
    const qint64 before = serverusage::residentKiB(options.serverPid);
    std::vector<BenchUser> users =
        connectUsers(options.url, options.connections, options.tag, result.error);
    if (users.empty())
        return result;
    // Let the registrations' work settle, then measure memory and an idle stretch of CPU.
    waitUntil([] { return false; }, 2000);
    const qint64 after = serverusage::residentKiB(options.serverPid);
    const double cpuBefore = serverusage::cpuSeconds(options.serverPid);
    QElapsedTimer clock;
    clock.start();
    waitUntil([] { return false; }, options.idleSeconds * 1000);
    const double idleShare = (serverusage::cpuSeconds(options.serverPid) - cpuBefore)
        / (double(clock.nsecsElapsed()) / 1e9);
    int open = 0;
    for (const BenchUser &user : users)
        open += user.connection->isOpen() ? 1 : 0;
    const double perConnection = double(after - before) / options.connections;
    result.ok = open == options.connections;
    if (!result.ok)
        result.error =
            QStringLiteral("%1 of %2 connections still open").arg(open).arg(options.connections);
    result.json = {{QStringLiteral("scenario"), QStringLiteral("idle")},
                   {QStringLiteral("connections"), options.connections},
                   {QStringLiteral("open"), open},
                   {QStringLiteral("rss_before_kib"), before},
                   {QStringLiteral("rss_after_kib"), after},
                   {QStringLiteral("kib_per_connection"), perConnection},
                   {QStringLiteral("idle_s"), options.idleSeconds},
                   {QStringLiteral("server_cpu_idle"), idleShare}};
    result.table = QStringLiteral("idle: %1 authenticated connections (%2 still open)\n"
                                  "  server RSS %3 -> %4 KiB: %5 KiB per connection\n"
                                  "  server CPU while idle: %6 of one core over %7 s")
                       .arg(options.connections)
                       .arg(open)
                       .arg(before)
                       .arg(after)
                       .arg(perConnection, 0, 'f', 1)
                       .arg(idleShare, 0, 'f', 3)
                       .arg(options.idleSeconds);
    return result;
}
