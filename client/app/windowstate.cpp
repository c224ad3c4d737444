// SPDX-License-Identifier: Apache-2.0
// WindowState: the main window's geometry into the profile's settings and back, GUI thread.
#include "windowstate.h"

#include <QGuiApplication>
#include <QScreen>
#include <QWindow>

#include <algorithm>

namespace tern::client {

namespace {

const QString kGeometry = QStringLiteral("window/geometry");
const QString kMaximized = QStringLiteral("window/maximized");

} // namespace

WindowState::WindowState(QWindow &window, const QString &settingsFile, QObject *parent)
    : QObject(parent)
    , m_window(&window)
    , m_settings(settingsFile, QSettings::IniFormat)
    , m_normal(window.geometry())
{
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(kSaveDelayMs);
    connect(&m_saveTimer, &QTimer::timeout, this, &WindowState::save);
    // A drag or a resize is many changes: the last one, a pause later, is saved. Taking the
    // geometry only then also lets a maximize's state catch up with its new size, which the
    // desktop may report first (that size is not the normal geometry).
    const auto later = [this] { m_saveTimer.start(); };
    connect(&window, &QWindow::xChanged, this, later);
    connect(&window, &QWindow::yChanged, this, later);
    connect(&window, &QWindow::widthChanged, this, later);
    connect(&window, &QWindow::heightChanged, this, later);
    connect(&window, &QWindow::windowStateChanged, this, later);
    if (QCoreApplication *app = QCoreApplication::instance())
        connect(app, &QCoreApplication::aboutToQuit, this, &WindowState::save);
}

WindowState::~WindowState()
{
    save();
}

QRect WindowState::placement(const QRect &saved, const QList<QRect> &screens, const QRect &primary,
                             const QSize &minimum, const QSize &preferred)
{
    if (saved.isValid() && saved.width() >= minimum.width() && saved.height() >= minimum.height()) {
        const QRect top(saved.topLeft(), QSize(saved.width(), kGrip));
        for (const QRect &screen : screens) {
            const QRect seen = top.intersected(screen);
            if (seen.height() < kGrip || seen.width() < std::min(kGrip, saved.width()))
                continue;
            QRect placed = saved;
            // Saved on a larger monitor than this one: as large as this one allows, on it.
            if (placed.width() > screen.width() || placed.height() > screen.height()) {
                placed.setSize(placed.size().boundedTo(screen.size()).expandedTo(minimum));
                placed.moveLeft(std::clamp(
                    placed.left(), screen.left(),
                    std::max(screen.left(), screen.left() + screen.width() - placed.width())));
                placed.moveTop(std::clamp(
                    placed.top(), screen.top(),
                    std::max(screen.top(), screen.top() + screen.height() - placed.height())));
            }
            return placed;
        }
    }
    QRect fallback(QPoint(), primary.isValid() ? preferred.boundedTo(primary.size()) : preferred);
    fallback.setSize(fallback.size().expandedTo(minimum));
    if (primary.isValid())
        fallback.moveCenter(primary.center());
    return fallback;
}

void WindowState::restore()
{
    if (!m_window)
        return;
    QList<QRect> screens;
    for (const QScreen *screen : QGuiApplication::screens())
        screens.append(screen->availableGeometry());
    const QScreen *primary = QGuiApplication::primaryScreen();
    m_normal = placement(m_settings.value(kGeometry).toRect(), screens,
                         primary ? primary->availableGeometry() : QRect(), m_window->minimumSize(),
                         m_window->size());
    m_maximized = m_settings.value(kMaximized, false).toBool();
    // The normal geometry first: a maximized window is maximized on the screen it is on, and
    // the desktop keeps this rectangle for when it is un-maximized.
    m_window->setGeometry(m_normal);
    if (m_maximized)
        m_window->setWindowStates(Qt::WindowMaximized);
}

void WindowState::capture()
{
    if (!m_window)
        return;
    const Qt::WindowStates states = m_window->windowStates();
    // Minimized or full screen says nothing about the window's normal place, nor (minimized
    // from maximized is not always reported as both) whether it is maximized.
    if (states & (Qt::WindowMinimized | Qt::WindowFullScreen))
        return;
    m_maximized = states.testFlag(Qt::WindowMaximized);
    if (!m_maximized)
        m_normal = m_window->geometry();
}

void WindowState::save()
{
    m_saveTimer.stop();
    capture();
    if (!m_normal.isValid())
        return;
    if (m_settings.value(kGeometry).toRect() == m_normal
        && m_settings.value(kMaximized, false).toBool() == m_maximized)
        return;
    m_settings.setValue(kGeometry, m_normal);
    m_settings.setValue(kMaximized, m_maximized);
    m_settings.sync();
}

} // namespace tern::client
