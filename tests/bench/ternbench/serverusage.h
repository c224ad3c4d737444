// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

// What a server process on this machine uses, from /proc (0 when unknown).
namespace serverusage {

// VmRSS: resident memory now, in KiB.
qint64 residentKiB(qint64 pid);
// VmHWM: the most resident memory the process ever had, in KiB.
qint64 peakResidentKiB(qint64 pid);
// User + system CPU time, in seconds.
double cpuSeconds(qint64 pid);
// The same for a process and every process it started: its own time, what its exited children
// used (the kernel adds it to the parent that reaps them) and its running children's. For
// PostgreSQL's postmaster: the whole database server, backends included.
double treeCpuSeconds(qint64 pid);

// All cores together since boot, in seconds: busy (everything but idle and I/O wait) and total.
struct MachineTimes
{
    double busySeconds = 0;
    double totalSeconds = 0;
};
MachineTimes machineTimes();

} // namespace serverusage
