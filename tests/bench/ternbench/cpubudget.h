// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "processusage.h"
#include "serverusage.h"

#include <QJsonObject>
#include <QString>

// Where the machine's CPU went over the measured stretch of a run, per message: ternd, its
// PostgreSQL (the postmaster and every process it started), this generator, and how busy all
// cores were. On a machine the three share, a server change shows up in one of these and the
// generator's own cost is plain beside it (docs/benchmarks.md, "The open loop's budget").
// With --processes the parent measures it, the generator being itself and its children.
class CpuBudget
{
public:
    enum class Generator { ThisProcess, WithChildren };
    // A process id of 0 leaves that part out.
    CpuBudget(qint64 serverPid, qint64 databasePid, Generator generator = Generator::ThisProcess);

    void start();
    void stop();
    // Adds server_cpu_us, database_cpu_us, generator_cpu_us (each per `unit`, e.g. "msg") and
    // machine_busy to `json`; returns the same as one line for the table (empty when
    // `units` is 0).
    QString addTo(QJsonObject &json, qint64 units, const QString &unit) const;

private:
    struct Reading
    {
        double server = 0;
        double database = 0;
        double generator = 0;
        serverusage::MachineTimes machine;
    };
    Reading read() const;

    qint64 m_serverPid;
    qint64 m_databasePid;
    Generator m_generator;
    Reading m_start;
    Reading m_stop;
};
