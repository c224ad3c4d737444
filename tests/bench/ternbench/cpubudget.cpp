// SPDX-License-Identifier: Apache-2.0
#include "cpubudget.h"

#include <unistd.h>

CpuBudget::CpuBudget(qint64 serverPid, qint64 databasePid, Generator generator)
    : m_serverPid(serverPid)
    , m_databasePid(databasePid)
    , m_generator(generator)
{ }

CpuBudget::Reading CpuBudget::read() const
{
    Reading reading;
    if (m_serverPid > 0)
        reading.server = serverusage::cpuSeconds(m_serverPid);
    if (m_databasePid > 0)
        reading.database = serverusage::treeCpuSeconds(m_databasePid);
    reading.generator = m_generator == Generator::ThisProcess
        ? ProcessUsage::now().cpuSeconds
        : serverusage::treeCpuSeconds(::getpid());
    reading.machine = serverusage::machineTimes();
    return reading;
}

void CpuBudget::start()
{
    m_start = read();
}

void CpuBudget::stop()
{
    m_stop = read();
}

QString CpuBudget::addTo(QJsonObject &json, qint64 units, const QString &unit) const
{
    if (units <= 0)
        return {};
    const auto perUnit = [&](double before, double after) {
        return (after - before) * 1e6 / double(units);
    };
    QString line = QStringLiteral("  CPU per %1:").arg(unit);
    if (m_serverPid > 0) {
        const double server = perUnit(m_start.server, m_stop.server);
        json.insert(QStringLiteral("server_cpu_us_per_") + unit, server);
        line += QStringLiteral(" ternd %1 us,").arg(server, 0, 'f', 1);
    }
    if (m_databasePid > 0) {
        const double database = perUnit(m_start.database, m_stop.database);
        json.insert(QStringLiteral("database_cpu_us_per_") + unit, database);
        line += QStringLiteral(" PostgreSQL %1 us,").arg(database, 0, 'f', 1);
    }
    const double generator = perUnit(m_start.generator, m_stop.generator);
    json.insert(QStringLiteral("generator_cpu_us_per_") + unit, generator);
    line += QStringLiteral(" generator %1 us").arg(generator, 0, 'f', 1);
    const double total = m_stop.machine.totalSeconds - m_start.machine.totalSeconds;
    if (total > 0) {
        const double busy = (m_stop.machine.busySeconds - m_start.machine.busySeconds) / total;
        json.insert(QStringLiteral("machine_busy"), busy);
        line += QStringLiteral("; all cores %1 % busy").arg(busy * 100, 0, 'f', 0);
    }
    return line;
}
