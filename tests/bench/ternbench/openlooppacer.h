// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QElapsedTimer>
#include <QTimer>

#include <functional>

// The open loop of a scenario: every tick it tops the number of sends up to `rate` x the time
// since start(), handing them round-robin to senders 0 .. senders-1. The tick is 1 ms by
// default (--tick-ms): the sends of a tick reach the server together, so the tick sets the
// burst an open loop arrives in (45 sends at 9,000 msgs/s with 5 ms ticks). A tick costs the
// generator one timer wake-up.
class OpenLoopPacer
{
public:
    static constexpr int kDefaultTickMs = 1;
    // For every pacer of this process (ternbench's --tick-ms).
    static void setTickMs(int ms) { tickMs() = ms; }
    static int tick() { return tickMs(); }

    OpenLoopPacer(int rate, int senders, std::function<void(int sender)> send)
        : m_rate(rate)
        , m_senders(senders)
        , m_send(std::move(send))
    {
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 due = m_clock.nsecsElapsed() * m_rate / 1000000000LL;
            for (; m_sent < due; ++m_sent) {
                m_send(m_next);
                m_next = (m_next + 1) % m_senders;
            }
        });
    }

    void start()
    {
        m_clock.start();
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.start(tickMs());
    }
    void stop() { m_timer.stop(); }

private:
    static int &tickMs()
    {
        static int ms = kDefaultTickMs;
        return ms;
    }

    int m_rate;
    int m_senders;
    std::function<void(int)> m_send;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_sent = 0;
    int m_next = 0;
};
