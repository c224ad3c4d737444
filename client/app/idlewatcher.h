// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>

class QEvent;

namespace tern::client {

// Whether the user has left the app alone: no key, mouse, wheel, touch, tablet or input-method
// event reached it for `timeout` (counted from construction at first). Watched with an event
// filter; on the application, that is every event of every window. Input ends idleness at
// once; otherwise it only notes the time (a mouse move costs a clock read, no timer restart):
// the timer looks again when the timeout after the last input it knew of is over.
// Input to other programs is not seen: working elsewhere for that long counts as idle here.
class IdleWatcher : public QObject
{
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kDefaultTimeout = std::chrono::minutes(10);

    explicit IdleWatcher(std::chrono::milliseconds timeout = kDefaultTimeout,
                         QObject *parent = nullptr);

    // Watches the input `source` receives: the application (every window), or in tests any
    // object events are sent to.
    void watch(QObject *source);
    bool isIdle() const { return m_idle; }
    std::chrono::milliseconds timeout() const { return m_timeout; }

    // Whether `event` is the user's doing.
    static bool isInput(const QEvent *event);

Q_SIGNALS:
    // Only on a change: idle after the timeout, not idle at the first input after it.
    void idleChanged(bool idle);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void check();

    std::chrono::milliseconds m_timeout;
    QElapsedTimer m_sinceInput;
    QTimer m_check;
    bool m_idle = false;
};

} // namespace tern::client
