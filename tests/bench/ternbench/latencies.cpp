// SPDX-License-Identifier: Apache-2.0
#include "latencies.h"

#include <algorithm>
#include <cmath>

double Latencies::percentileMs(double fraction)
{
    if (m_samples.empty())
        return 0;
    if (!m_sorted) {
        std::sort(m_samples.begin(), m_samples.end());
        m_sorted = true;
    }
    // Nearest rank: the smallest sample with at least `fraction` of them at or below it.
    const size_t rank = size_t(std::ceil(fraction * double(m_samples.size())));
    return double(m_samples[std::clamp<size_t>(rank, 1, m_samples.size()) - 1]) / 1e6;
}

QJsonObject Latencies::summary()
{
    return {{QStringLiteral("p50"), percentileMs(0.50)},
            {QStringLiteral("p90"), percentileMs(0.90)},
            {QStringLiteral("p99"), percentileMs(0.99)},
            {QStringLiteral("p99_9"), percentileMs(0.999)},
            {QStringLiteral("max"), percentileMs(1.0)}};
}

QString Latencies::row()
{
    return QStringLiteral("p50 %1  p90 %2  p99 %3  p99.9 %4  max %5 ms")
        .arg(percentileMs(0.50), 0, 'f', 2)
        .arg(percentileMs(0.90), 0, 'f', 2)
        .arg(percentileMs(0.99), 0, 'f', 2)
        .arg(percentileMs(0.999), 0, 'f', 2)
        .arg(percentileMs(1.0), 0, 'f', 2);
}
