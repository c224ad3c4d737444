// SPDX-License-Identifier: Apache-2.0
// IdleWatcher: how long since the user's last input to the app, GUI thread.
#include "idlewatcher.h"

#include <QEvent>

namespace tern::client {

IdleWatcher::IdleWatcher(std::chrono::milliseconds timeout, QObject *parent)
    : QObject(parent)
    , m_timeout(timeout)
{
    m_check.setSingleShot(true);
    connect(&m_check, &QTimer::timeout, this, &IdleWatcher::check);
    m_sinceInput.start();
    m_check.start(m_timeout);
}

void IdleWatcher::watch(QObject *source)
{
    source->installEventFilter(this);
}

bool IdleWatcher::isInput(const QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::InputMethod: // typing through an input method (pinyin) may bring no KeyPress
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonDblClick:
    case QEvent::MouseMove:
    case QEvent::NonClientAreaMouseButtonPress:
    case QEvent::NonClientAreaMouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
    case QEvent::TouchUpdate:
    case QEvent::TabletPress:
    case QEvent::TabletMove:
        return true;
    default:
        return false;
    }
}

bool IdleWatcher::eventFilter(QObject *watched, QEvent *event)
{
    if (isInput(event)) {
        m_sinceInput.restart();
        if (m_idle) {
            m_idle = false;
            m_check.start(m_timeout);
            Q_EMIT idleChanged(false);
        }
    }
    return QObject::eventFilter(watched, event);
}

void IdleWatcher::check()
{
    // Input came meanwhile (or the timer fired early): look again when its timeout is over.
    const std::chrono::milliseconds since(m_sinceInput.elapsed());
    if (since < m_timeout) {
        m_check.start(m_timeout - since);
        return;
    }
    m_idle = true;
    Q_EMIT idleChanged(true);
}

} // namespace tern::client
