// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QElapsedTimer>
#include <QTimer>

#include <functional>

// The open loop of a scenario: every few milliseconds it tops the number of sends up to
// `rate` x the time since start(), handing them round-robin to senders 0 .. senders-1 (a
// millisecond timer made the generator wake so often that it took CPU from the server).
class OpenLoopPacer
{
public:
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
        m_timer.start(kIntervalMs);
    }
    void stop() { m_timer.stop(); }

private:
    static constexpr int kIntervalMs = 5;

    int m_rate;
    int m_senders;
    std::function<void(int)> m_send;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_sent = 0;
    int m_next = 0;
};
