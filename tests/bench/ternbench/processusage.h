// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <sys/resource.h>

// This process's CPU time, to tell when the generator rather than the server is the limit.
struct ProcessUsage
{
    double cpuSeconds = 0;

    static ProcessUsage now()
    {
        rusage usage {};
        getrusage(RUSAGE_SELF, &usage);
        const auto seconds = [](const timeval &t) { return double(t.tv_sec) + t.tv_usec / 1e6; };
        return {seconds(usage.ru_utime) + seconds(usage.ru_stime)};
    }
    double cpuSecondsSince(const ProcessUsage &before) const
    {
        return cpuSeconds - before.cpuSeconds;
    }
};
