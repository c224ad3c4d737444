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

} // namespace serverusage
