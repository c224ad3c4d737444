// SPDX-License-Identifier: Apache-2.0
#include "service/ratelimiter.h"

namespace tern::server {

RateLimiter::RateLimiter(int limit, std::chrono::milliseconds window)
    : m_limit(std::max(1, limit))
    , m_window(window)
{ }

void RateLimiter::setClockForTesting(std::function<Clock::time_point()> clock)
{
    m_clock = std::move(clock);
}

RateLimiter::Clock::time_point RateLimiter::now() const
{
    return m_clock ? m_clock() : Clock::now();
}

void RateLimiter::prune(std::deque<Clock::time_point> &events, Clock::time_point at) const
{
    while (!events.empty() && events.front() + m_window <= at)
        events.pop_front();
}

quint32 RateLimiter::retryAfterMs(const QString &key) const
{
    QMutexLocker lock(&m_mutex);
    auto it = m_events.find(key);
    if (it == m_events.end())
        return 0;
    const auto at = now();
    prune(*it, at);
    if (int(it->size()) < m_limit)
        return 0;
    const auto wait =
        std::chrono::duration_cast<std::chrono::milliseconds>(it->front() + m_window - at);
    return quint32(std::max<qint64>(1, wait.count()));
}

void RateLimiter::record(const QString &key)
{
    QMutexLocker lock(&m_mutex);
    const auto at = now();
    auto &events = m_events[key];
    prune(events, at);
    events.push_back(at);
    if (int(events.size()) > m_limit)
        events.pop_front(); // only the newest `limit` matter
    if (++m_recordsSinceSweep >= 4096) {
        m_recordsSinceSweep = 0;
        for (auto it = m_events.begin(); it != m_events.end();) {
            prune(*it, at);
            it = it->empty() ? m_events.erase(it) : std::next(it);
        }
    }
}

void RateLimiter::reset(const QString &key)
{
    QMutexLocker lock(&m_mutex);
    m_events.remove(key);
}

} // namespace tern::server
