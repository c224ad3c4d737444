// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QStringList>

#include <vector>

// --processes P: ternbench as P processes (one generator thread is the limit of a fanout run,
// and a process may hold at most 20,000 sockets). The parent starts P children with a share of
// the users / groups / rate each; every child sets its part up, says "ready" and waits; when
// all are ready the parent says "go" to all at once, so that the measured stretches coincide,
// then merges what they report.

// In a child: reports readiness and blocks until the parent says go. Does nothing in a
// process that is not a child.
void waitForStartSignal();
// Marks this process as child `index` (from --process-index).
void setProcessIndex(int index);

struct ProcessGroupResult
{
    bool ok = false;
    QString error;
    QJsonObject json;
    QString table; // the CPU budget's line, if measured
};

// What the parent measures of the machine over the children's measured stretch (CpuBudget):
// ternd's and PostgreSQL's pids (0: not measured), the stretch's length, and the key of the
// children's rate with the unit it counts.
struct GroupBudget
{
    qint64 serverPid = 0;
    qint64 databasePid = 0;
    int durationS = 0;
    QString rateKey; // "delivered_per_s" or "deliveries_per_s"
    QString unit; // "msg" or "delivery"
};

// Runs `childArguments[i]` as child i of this executable, starts them together, and merges
// their JSON reports: counts and rates add up, latency summaries take the worst process's
// value of each percentile, everything else is the first child's, except the CPU budget,
// which the parent measures for the whole group.
ProcessGroupResult runProcessGroup(const std::vector<QStringList> &childArguments,
                                   const GroupBudget &budget = {});

// The merge on its own (exposed for the smoke test's expectations and the docs).
QJsonObject mergeReports(const std::vector<QJsonObject> &reports);
