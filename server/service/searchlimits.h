// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QMutex>

#include <chrono>
#include <deque>
#include <functional>

namespace tern::server {

// Per-user limits on message search, shared by all I/O workers (hence the mutex). A search
// for a common letter can keep a database connection busy for seconds (up to
// MessageStore::kSearchTimeoutMs), and the pool's connections serve everyone's requests: a
// user runs at most kRunning searches at a time and spends at most kBudget of database time
// per kWindow. A search is admitted only when the budget holds even if the searches already
// running take the longest they may (kLongest), so a window overshoots by one search at most.
// Users who stopped searching are forgotten, so memory is bounded by those who searched within
// one window.
class SearchLimits
{
public:
    using Clock = std::chrono::steady_clock;
    static constexpr int kRunning = 2;
    static constexpr std::chrono::milliseconds kBudget {5000};
    static constexpr std::chrono::milliseconds kWindow {60000};
    // The longest a search runs before the database cancels it (MessageStore::kSearchTimeoutMs).
    static constexpr std::chrono::milliseconds kLongest {3000};
    // What even the fastest search is charged, so that a stream of cheap ones is bounded too.
    static constexpr std::chrono::milliseconds kMinimumCharge {50};
    // What a refusal for searches still running tells the client to wait.
    static constexpr std::chrono::milliseconds kRunningRetry {1000};

    // 0 when the user may start a search now, which then counts as running until finish();
    // otherwise how long to wait (milliseconds, at least 1).
    quint32 admit(quint64 userId);
    // The search admitted for this user ran `took` in the database.
    void finish(quint64 userId, std::chrono::milliseconds took);

    // For tests: pretend time is `now`.
    void setClockForTesting(std::function<Clock::time_point()> clock);

private:
    struct Spent
    {
        Clock::time_point at;
        std::chrono::milliseconds charged;
    };
    struct User
    {
        int running = 0;
        std::deque<Spent> spent;
        std::chrono::milliseconds total {0};
    };

    Clock::time_point now() const;
    static void prune(User &user, Clock::time_point at);
    void sweep(Clock::time_point at);

    std::function<Clock::time_point()> m_clock;
    QMutex m_mutex;
    QHash<quint64, User> m_users;
    int m_admitsSinceSweep = 0;
};

} // namespace tern::server
