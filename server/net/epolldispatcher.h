// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>

#include <atomic>
#include <set>
#include <utility>

class QSocketNotifier;

namespace tern::server {

// A Qt event dispatcher on Linux epoll, for threads that hold thousands of sockets. Qt 6.4's
// own dispatchers hand every watched descriptor to poll() on every wake-up (and GLib's keeps
// them in a list), so each wake-up costs time in proportion to the connections; with epoll it
// costs in proportion to the sockets that have something to say. Level-triggered, like
// poll(): Qt's sockets need no other change.
//
// Install it on a thread before the thread starts (QThread::setEventDispatcher) or, for the
// main thread, with QCoreApplication::setEventDispatcher before the application object.
// Timers are kept in deadline order and delivered as QTimerEvent, never early.
class EpollDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollDispatcher(QObject *parent = nullptr);
    ~EpollDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    // The notifiers of one descriptor (Qt allows one per type).
    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 events() const;
    };
    struct Timer
    {
        int id = 0;
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        qint64 deadlineNs = 0;
    };

    void updateWatch(int fd, const Watch &watch, bool existed);
    int activateSockets(int count);
    int activateTimers();
    // Milliseconds until the next timer (0: one is due; -1: none).
    int timeUntilNextTimer() const;

    int m_epoll = -1;
    int m_wakeFd = -1;
    std::atomic<bool> m_interrupted {false};
    // A wake-up written and not yet read: further ones skip the write (see wakeUp()).
    std::atomic<bool> m_wakePending {false};
    // An event was posted from this loop's own thread since the last sendPostedEvents(): the
    // next wait must not block, and needs no eventfd write to say so.
    bool m_postedHere = false;
    QHash<int, Watch> m_watches;
    QHash<int, Timer> m_timers;
    std::set<std::pair<qint64, int>> m_deadlines; // (deadline in ns, timer id)
    struct EpollEvents;
    EpollEvents *m_events;
};

} // namespace tern::server
