// SPDX-License-Identifier: Apache-2.0
// EpollDispatcher: Qt's event loop contract (posted events, socket notifiers, timers, wake-up)
// on epoll and an eventfd.
#include "net/epolldispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QThread>
#include <QTimerEvent>

#include <array>
#include <cerrno>
#include <chrono>
#include <vector>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace tern::server {

namespace {

constexpr int kMaxEventsPerWait = 512;

// Deadlines are kept in nanoseconds so that rounding never fires a timer early.
qint64 nowNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}
constexpr qint64 kNsPerMs = 1000000;

} // namespace

struct EpollDispatcher::EpollEvents
{
    std::array<epoll_event, kMaxEventsPerWait> events;
};

quint32 EpollDispatcher::Watch::events() const
{
    quint32 events = 0;
    if (read)
        events |= EPOLLIN;
    if (write)
        events |= EPOLLOUT;
    if (exception)
        events |= EPOLLPRI;
    return events;
}

EpollDispatcher::EpollDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_epoll(epoll_create1(EPOLL_CLOEXEC))
    , m_wakeFd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
    , m_events(new EpollEvents)
{
    if (m_epoll < 0 || m_wakeFd < 0)
        qFatal("EpollDispatcher: cannot create epoll or eventfd descriptors");
    epoll_event event {};
    event.events = EPOLLIN;
    event.data.fd = m_wakeFd;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &event);
}

EpollDispatcher::~EpollDispatcher()
{
    close(m_wakeFd);
    close(m_epoll);
    delete m_events;
}

void EpollDispatcher::updateWatch(int fd, const Watch &watch, bool existed)
{
    const quint32 events = watch.events();
    if (events == 0) {
        m_watches.remove(fd);
        if (existed)
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        return;
    }
    m_watches.insert(fd, watch);
    epoll_event event {};
    event.events = events;
    event.data.fd = fd;
    if (epoll_ctl(m_epoll, existed ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event) != 0)
        qWarning("EpollDispatcher: epoll_ctl on descriptor %d failed: %s", fd, strerror(errno));
}

void EpollDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const bool existed = m_watches.contains(fd);
    Watch watch = m_watches.value(fd);
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        watch.read = notifier;
        break;
    case QSocketNotifier::Write:
        watch.write = notifier;
        break;
    case QSocketNotifier::Exception:
        watch.exception = notifier;
        break;
    }
    updateWatch(fd, watch, existed);
}

void EpollDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const auto it = m_watches.constFind(fd);
    if (it == m_watches.cend())
        return;
    Watch watch = *it;
    if (watch.read == notifier)
        watch.read = nullptr;
    if (watch.write == notifier)
        watch.write = nullptr;
    if (watch.exception == notifier)
        watch.exception = nullptr;
    updateWatch(fd, watch, true);
}

void EpollDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                    QObject *object)
{
    unregisterTimer(timerId);
    const Timer timer {timerId, interval, timerType, object, nowNs() + interval * kNsPerMs};
    m_timers.insert(timerId, timer);
    m_deadlines.insert({timer.deadlineNs, timerId});
}

bool EpollDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_deadlines.erase({it->deadlineNs, timerId});
    m_timers.erase(it);
    return true;
}

bool EpollDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->object == object) {
            m_deadlines.erase({it->deadlineNs, it->id});
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    for (const Timer &timer : m_timers) {
        if (timer.object == object)
            timers.append(TimerInfo(timer.id, int(timer.intervalMs), timer.type));
    }
    return timers;
}

int EpollDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.cend())
        return -1;
    return int(std::max<qint64>(0, (it->deadlineNs - nowNs() + kNsPerMs - 1) / kNsPerMs));
}

void EpollDispatcher::wakeUp()
{
    // Every posted event (queued calls, deliveries from other workers, the loop's own
    // follow-ups) asks for a wake-up; until the loop has read the first one, the rest need no
    // system call of their own, and those the loop posts to itself need none at all
    // (ternbench pairs at 100 msgs/s under strace: 9 eventfd writes per message at first, 5
    // when coalesced, 1.6 with the loop's own posts skipped). Cleared after the read, and the
    // loop sends posted events before it waits again, so none is missed.
    if (QThread::currentThread() == thread()) {
        // Posted by the loop itself (a queued call to an object of this thread): the loop
        // sends it before it waits again, or does not wait (m_postedHere).
        m_postedHere = true;
        return;
    }
    if (m_wakePending.exchange(true, std::memory_order_acq_rel))
        return;
    const quint64 one = 1;
    // A full counter (never in practice) still wakes the loop.
    [[maybe_unused]] const ssize_t written = write(m_wakeFd, &one, sizeof one);
}

void EpollDispatcher::interrupt()
{
    m_interrupted.store(true);
    wakeUp();
}

int EpollDispatcher::timeUntilNextTimer() const
{
    if (m_deadlines.empty())
        return -1;
    const qint64 ns = m_deadlines.begin()->first - nowNs();
    return int(std::clamp<qint64>((ns + kNsPerMs - 1) / kNsPerMs, 0, 24 * 3600 * 1000));
}

bool EpollDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false);
    Q_EMIT awake();
    // Posting an event calls wakeUp(), so events posted from here on end the wait below.
    m_postedHere = false;
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeSockets = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool canWait =
        (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.load() && !m_postedHere;
    if (canWait)
        Q_EMIT aboutToBlock();
    if (m_interrupted.load())
        return false;

    int timeout = 0;
    if (canWait)
        timeout = includeTimers ? timeUntilNextTimer() : -1;
    int count = epoll_wait(m_epoll, m_events->events.data(), kMaxEventsPerWait, timeout);
    if (count < 0) {
        if (errno != EINTR)
            qWarning("EpollDispatcher: epoll_wait failed: %s", strerror(errno));
        count = 0;
    }
    int handled = 0;
    if (includeSockets)
        handled += activateSockets(count);
    else {
        for (int i = 0; i < count; ++i) {
            if (m_events->events[size_t(i)].data.fd == m_wakeFd) {
                quint64 value = 0;
                [[maybe_unused]] const ssize_t bytes = read(m_wakeFd, &value, sizeof value);
                m_wakePending.store(false, std::memory_order_release);
            }
        }
    }
    if (includeTimers)
        handled += activateTimers();
    return handled > 0;
}

int EpollDispatcher::activateSockets(int count)
{
    // Copied first: a handler may register and unregister notifiers (and so reuse the array
    // on a nested processEvents()).
    std::vector<epoll_event> ready(m_events->events.begin(), m_events->events.begin() + count);
    int activated = 0;
    for (const epoll_event &event : ready) {
        const int fd = event.data.fd;
        if (fd == m_wakeFd) {
            quint64 value = 0;
            [[maybe_unused]] const ssize_t bytes = read(m_wakeFd, &value, sizeof value);
            m_wakePending.store(false, std::memory_order_release);
            ++activated;
            continue;
        }
        // As with poll(): an error or hang-up wakes the readers and writers, whose next read
        // or write finds out what happened.
        const bool failed = event.events & (EPOLLERR | EPOLLHUP);
        const QSocketNotifier::Type order[] = {QSocketNotifier::Exception, QSocketNotifier::Read,
                                               QSocketNotifier::Write};
        for (const QSocketNotifier::Type type : order) {
            // Looked up again each time: the previous handler may have changed the watch.
            const auto it = m_watches.constFind(fd);
            if (it == m_watches.cend())
                break;
            QSocketNotifier *notifier = nullptr;
            if (type == QSocketNotifier::Read && (event.events & EPOLLIN || failed))
                notifier = it->read;
            else if (type == QSocketNotifier::Write && (event.events & EPOLLOUT || failed))
                notifier = it->write;
            else if (type == QSocketNotifier::Exception && event.events & EPOLLPRI)
                notifier = it->exception;
            if (!notifier)
                continue;
            QEvent activation(QEvent::SockAct);
            QCoreApplication::sendEvent(notifier, &activation);
            ++activated;
        }
    }
    return activated;
}

int EpollDispatcher::activateTimers()
{
    if (m_deadlines.empty())
        return 0;
    const qint64 now = nowNs();
    std::vector<int> due;
    for (auto it = m_deadlines.begin(); it != m_deadlines.end() && it->first <= now; ++it)
        due.push_back(it->second);
    int fired = 0;
    for (const int id : due) {
        const auto it = m_timers.find(id);
        if (it == m_timers.end())
            continue; // killed by an earlier handler
        // Rescheduled before delivery, so that the handler may kill or restart it.
        m_deadlines.erase({it->deadlineNs, id});
        it->deadlineNs = now + it->intervalMs * kNsPerMs;
        m_deadlines.insert({it->deadlineNs, id});
        QObject *object = it->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++fired;
    }
    return fired;
}

} // namespace tern::server
