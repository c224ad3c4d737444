// SPDX-License-Identifier: Apache-2.0
#include "backoff.h"

#include <QRandomGenerator>

#include <algorithm>

namespace tern::client {

Backoff::Backoff(int initialMs, int maxMs)
    : m_initialMs(std::max(1, initialMs))
    , m_maxMs(std::max(m_initialMs, maxMs))
{ }

int Backoff::nextDelayMs()
{
    // 2^attempt grows past the cap long before it could overflow: stop doubling at the cap.
    qint64 step = m_initialMs;
    for (int i = 0; i < m_attempt && step < m_maxMs; ++i)
        step *= 2;
    step = std::min<qint64>(step, m_maxMs);
    ++m_attempt;
    const qint64 half = step / 2;
    return int(half + QRandomGenerator::global()->bounded(half + 1));
}

} // namespace tern::client
