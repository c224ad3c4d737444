// SPDX-License-Identifier: Apache-2.0
#include "processgroup.h"

#include "benchusers.h"
#include "cpubudget.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QProcess>
#include <QSet>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace {
int g_processIndex = -1;

// Summed over the processes; nested objects (latency percentiles) take the maximum.
const QSet<QString> &summedKeys()
{
    static const QSet<QString> keys {QStringLiteral("users"),
                                     QStringLiteral("groups"),
                                     QStringLiteral("rate"),
                                     QStringLiteral("sent"),
                                     QStringLiteral("acked"),
                                     QStringLiteral("delivered"),
                                     QStringLiteral("deliveries"),
                                     QStringLiteral("lost"),
                                     QStringLiteral("duplicated"),
                                     QStringLiteral("errors"),
                                     QStringLiteral("delivered_per_s"),
                                     QStringLiteral("deliveries_per_s"),
                                     QStringLiteral("generator_cpu")};
    return keys;
}
} // namespace

void setProcessIndex(int index)
{
    g_processIndex = index;
}

void waitForStartSignal()
{
    if (g_processIndex < 0)
        return;
    std::printf("ready\n");
    std::fflush(stdout);
    std::string line;
    std::getline(std::cin, line); // "go" (or end of input: the parent is gone, go anyway)
}

QJsonObject mergeReports(const std::vector<QJsonObject> &reports)
{
    if (reports.empty())
        return {};
    QJsonObject merged = reports.front();
    for (size_t i = 1; i < reports.size(); ++i) {
        const QJsonObject &next = reports[i];
        for (auto it = next.begin(); it != next.end(); ++it) {
            const QJsonValue mine = merged.value(it.key());
            if (summedKeys().contains(it.key())) {
                merged.insert(it.key(), mine.toDouble() + it.value().toDouble());
            } else if (it.value().isObject()) {
                QJsonObject worst = mine.toObject();
                const QJsonObject theirs = it.value().toObject();
                for (auto p = theirs.begin(); p != theirs.end(); ++p)
                    worst.insert(p.key(),
                                 std::max(worst.value(p.key()).toDouble(), p.value().toDouble()));
                merged.insert(it.key(), worst);
            }
        }
    }
    merged.insert(QStringLiteral("processes"), int(reports.size()));
    merged.insert(QStringLiteral("latency_merge"), QStringLiteral("worst process per percentile"));
    return merged;
}

ProcessGroupResult runProcessGroup(const std::vector<QStringList> &childArguments,
                                   const GroupBudget &budget)
{
    ProcessGroupResult result;
    struct Child
    {
        std::unique_ptr<QProcess> process;
        QByteArray output;
        bool ready = false;
    };
    std::vector<Child> children(childArguments.size());
    for (size_t i = 0; i < children.size(); ++i) {
        Child &child = children[i];
        child.process = std::make_unique<QProcess>();
        child.process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QObject::connect(child.process.get(), &QProcess::readyReadStandardOutput,
                         child.process.get(), [&child] {
                             child.output += child.process->readAllStandardOutput();
                             child.ready = child.ready || child.output.startsWith("ready\n");
                         });
        child.process->start(QCoreApplication::applicationFilePath(), childArguments[i]);
    }
    const auto exited = [&] {
        for (const Child &child : children) {
            if (child.process->state() == QProcess::NotRunning)
                return true;
        }
        return false;
    };
    const bool allReady = waitUntil(
        [&] {
            return exited() || std::all_of(children.begin(), children.end(), [](const Child &c) {
                       return c.ready;
                   });
        },
        30 * 60 * 1000);
    if (!allReady || exited()) {
        result.error = QStringLiteral("a ternbench process ended or hung while setting up");
        for (Child &child : children)
            child.process->kill();
        return result;
    }
    for (Child &child : children)
        child.process->write("go\n");
    // The children measure from "go" for durationS; so does the budget, for all of them.
    CpuBudget cpu(budget.serverPid, budget.databasePid, CpuBudget::Generator::WithChildren);
    cpu.start();
    QElapsedTimer sinceGo;
    sinceGo.start();
    waitUntil([&] { return sinceGo.elapsed() >= budget.durationS * 1000LL || exited(); },
              budget.durationS * 1000 + 1000);
    cpu.stop();
    waitUntil(
        [&] {
            return std::all_of(children.begin(), children.end(), [](const Child &c) {
                return c.process->state() == QProcess::NotRunning;
            });
        },
        30 * 60 * 1000);

    std::vector<QJsonObject> reports;
    bool clean = true;
    for (size_t i = 0; i < children.size(); ++i) {
        Child &child = children[i];
        child.output += child.process->readAllStandardOutput();
        clean = clean && child.process->exitStatus() == QProcess::NormalExit
            && child.process->exitCode() == 0;
        const QList<QByteArray> lines = child.output.split('\n');
        QJsonObject report;
        for (const QByteArray &line : lines) {
            if (line.startsWith('{'))
                report = QJsonDocument::fromJson(line).object();
        }
        if (report.isEmpty()) {
            result.error = QStringLiteral("ternbench process %1 reported nothing").arg(i);
            return result;
        }
        reports.push_back(report);
    }
    result.json = mergeReports(reports);
    if (!budget.rateKey.isEmpty()) {
        const auto units = qint64(result.json.value(budget.rateKey).toDouble() * budget.durationS);
        result.table = cpu.addTo(result.json, units, budget.unit);
    }
    result.ok = clean;
    if (!clean)
        result.error = QStringLiteral("a ternbench process found a problem (see above)");
    return result;
}
