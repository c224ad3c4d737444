// SPDX-License-Identifier: Apache-2.0
#include "service/searchlimits.h"

namespace tern::server {

using std::chrono::milliseconds;

void SearchLimits::setClockForTesting(std::function<Clock::time_point()> clock)
{
    m_clock = std::move(clock);
}

SearchLimits::Clock::time_point SearchLimits::now() const
{
    return m_clock ? m_clock() : Clock::now();
}

void SearchLimits::prune(User &user, Clock::time_point at)
{
    while (!user.spent.empty() && user.spent.front().at + kWindow <= at) {
        user.total -= user.spent.front().charged;
        user.spent.pop_front();
    }
}

void SearchLimits::sweep(Clock::time_point at)
{
    for (auto it = m_users.begin(); it != m_users.end();) {
        prune(*it, at);
        it = it->running == 0 && it->spent.empty() ? m_users.erase(it) : std::next(it);
    }
}

quint32 SearchLimits::admit(quint64 userId)
{
    QMutexLocker lock(&m_mutex);
    const auto at = now();
    if (++m_admitsSinceSweep >= 4096) {
        m_admitsSinceSweep = 0;
        sweep(at);
    }
    User &user = m_users[userId];
    prune(user, at);
    // What is left for this search once the running ones are counted at their longest.
    const milliseconds limit = kBudget - user.running * kLongest;
    if (user.running >= kRunning || limit <= milliseconds::zero())
        return quint32(kRunningRetry.count());
    if (user.total >= limit) {
        // Wait until enough of the window's charges have expired to bring it under the limit.
        milliseconds total = user.total;
        for (const Spent &s : user.spent) {
            total -= s.charged;
            if (total < limit) {
                const qint64 expiry =
                    std::chrono::duration_cast<milliseconds>(s.at + kWindow - at).count();
                // Held back only by a search still running: it ends within kLongest, and then
                // the budget may admit this one.
                const qint64 wait = user.running > 0 && user.total < kBudget
                    ? std::min<qint64>(expiry, kRunningRetry.count())
                    : expiry;
                return quint32(std::max<qint64>(1, wait));
            }
        }
    }
    ++user.running;
    return 0;
}

void SearchLimits::finish(quint64 userId, milliseconds took)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_users.find(userId);
    if (it == m_users.end() || it->running == 0)
        return;
    --it->running;
    const milliseconds charged = std::max(took, kMinimumCharge);
    it->spent.push_back({now(), charged});
    it->total += charged;
}

} // namespace tern::server
