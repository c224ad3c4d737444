// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QMutex>
#include <QString>

#include <chrono>
#include <deque>
#include <functional>

namespace tern::server {

// A sliding-window limit: at most `limit` events per key within `window`. Shared by all I/O
// workers (hence the mutex); keys that fall silent are forgotten, so memory stays bounded by
// the number of keys active within one window.
class RateLimiter
{
public:
    using Clock = std::chrono::steady_clock;

    RateLimiter(int limit, std::chrono::milliseconds window);

    // 0 when another event is allowed now, else how long until one is (milliseconds).
    quint32 retryAfterMs(const QString &key) const;
    void record(const QString &key);
    void reset(const QString &key);

    // For tests: pretend time is `now`.
    void setClockForTesting(std::function<Clock::time_point()> clock);

private:
    Clock::time_point now() const;
    void prune(std::deque<Clock::time_point> &events, Clock::time_point at) const;

    int m_limit;
    std::chrono::milliseconds m_window;
    std::function<Clock::time_point()> m_clock;
    mutable QMutex m_mutex;
    mutable QHash<QString, std::deque<Clock::time_point>> m_events;
    mutable int m_recordsSinceSweep = 0;
};

} // namespace tern::server
