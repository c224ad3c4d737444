// SPDX-License-Identifier: Apache-2.0
#include "serverusage.h"

#include <QDir>
#include <QFile>
#include <QList>

#include <unistd.h>

namespace serverusage {

namespace {

qint64 statusKiB(qint64 pid, const QByteArray &field)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').front().toLongLong();
    }
    return 0;
}

// The fields of /proc/PID/stat after the command (which may hold spaces): the first is the
// state, the field numbered n in proc(5) is at n - 3.
QList<QByteArray> statFields(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = stat.readAll();
    return text.mid(text.lastIndexOf(')') + 2).split(' ');
}

double ticksToSeconds(qint64 ticks)
{
    return double(ticks) / double(sysconf(_SC_CLK_TCK));
}

} // namespace

qint64 residentKiB(qint64 pid)
{
    return statusKiB(pid, "VmRSS:");
}

qint64 peakResidentKiB(qint64 pid)
{
    return statusKiB(pid, "VmHWM:");
}

double cpuSeconds(qint64 pid)
{
    // utime and stime: fields 14 and 15.
    const QList<QByteArray> fields = statFields(pid);
    if (fields.size() < 13)
        return 0;
    return ticksToSeconds(fields.at(11).toLongLong() + fields.at(12).toLongLong());
}

double treeCpuSeconds(qint64 pid)
{
    // cutime and cstime (fields 16 and 17) hold the children that exited and were reaped, so a
    // backend that ends between two readings is counted whole in the second.
    const QList<QByteArray> own = statFields(pid);
    if (own.size() < 15)
        return 0;
    qint64 ticks = own.at(11).toLongLong() + own.at(12).toLongLong() + own.at(13).toLongLong()
        + own.at(14).toLongLong();
    const QByteArray parent = QByteArray::number(pid);
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool number = false;
        const qint64 child = entry.toLongLong(&number);
        if (!number || child == pid)
            continue;
        const QList<QByteArray> fields = statFields(child); // ppid: field 4
        if (fields.size() >= 13 && fields.at(1) == parent)
            ticks += fields.at(11).toLongLong() + fields.at(12).toLongLong();
    }
    return ticksToSeconds(ticks);
}

MachineTimes machineTimes()
{
    QFile stat(QStringLiteral("/proc/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (guest time is
    // already in user).
    const QList<QByteArray> fields = stat.readLine().simplified().split(' ');
    if (fields.size() < 9 || fields.front() != "cpu")
        return {};
    qint64 total = 0;
    for (int i = 1; i <= 8; ++i)
        total += fields.at(i).toLongLong();
    const qint64 waiting = fields.at(4).toLongLong() + fields.at(5).toLongLong();
    return {ticksToSeconds(total - waiting), ticksToSeconds(total)};
}

} // namespace serverusage
