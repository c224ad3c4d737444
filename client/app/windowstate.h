// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QRect>
#include <QSettings>
#include <QTimer>

class QWindow;

namespace tern::client {

// The main window's place and size, kept in the profile's settings file ("window/..."), so
// that it comes back where it was left. Saved kSaveDelayMs after the last move, resize or
// state change (not on every step of a drag), and on quit. Kept: the normal geometry (the
// window's rectangle when neither maximized nor full screen, so that un-maximizing after a
// restart gives the old size) and whether it was maximized. The normal geometry is taken
// when the delay is over, not at each change: a desktop may report a maximize's new size
// before its state, and that size must not become the normal one (the price: a size held for
// less than the delay before maximizing is not kept). Full screen is not kept: the main
// window has no full screen of its own, and one a desktop made full screen comes back as it
// was before (normal or maximized).
class WindowState : public QObject
{
    Q_OBJECT
public:
    static constexpr int kSaveDelayMs = 500;
    // How much of a window must lie on a screen to count as on it: a strip this high along
    // its top edge (where the title bar is), at least this wide, so that it can be grabbed.
    static constexpr int kGrip = 48;

    WindowState(QWindow &window, const QString &settingsFile, QObject *parent = nullptr);
    // Saves.
    ~WindowState() override;

    // Puts the window where it was saved (its normal geometry, then maximized if it was), or
    // where placement() falls back to. Before show(): the desktop then maps it there at once.
    void restore();
    // Writes the window's geometry and state now (what the delay and quitting call).
    void save();

    // Where a window goes, in the screens' coordinates. `saved` when it is no smaller than
    // `minimum` and a grip of it lies on one of `screens` (their available geometries; cut to
    // that screen and moved onto it if larger); otherwise — nothing saved, its monitor gone,
    // a minimum that grew — `preferred` (bounded by the primary screen, at least `minimum`)
    // centred on `primary` (the primary screen's available geometry).
    static QRect placement(const QRect &saved, const QList<QRect> &screens, const QRect &primary,
                           const QSize &minimum, const QSize &preferred);

private:
    // Takes the window's current state into m_normal / m_maximized where it is meaningful.
    void capture();

    QPointer<QWindow> m_window;
    QSettings m_settings;
    QTimer m_saveTimer;
    QRect m_normal;
    bool m_maximized = false;
};

} // namespace tern::client
