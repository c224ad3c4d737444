// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QString>

#include <vector>

// Latency samples in nanoseconds, summarized as the percentiles the benchmarks report.
class Latencies
{
public:
    void add(qint64 nanoseconds) { m_samples.push_back(nanoseconds); }
    size_t count() const { return m_samples.size(); }

    // p50, p90, p99, p99.9 and max, in milliseconds.
    QJsonObject summary();
    // The same as one table row: "p50 0.84  p90 1.20 ...".
    QString row();

private:
    double percentileMs(double fraction);

    std::vector<qint64> m_samples;
    bool m_sorted = false;
};
