// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QSystemTrayIcon>

class QAction;
class QMenu;
class QQuickWindow;

namespace tern::client {

class AccountManager;
class ConversationListModel;
class NotificationClicks;
class Notifier;

// The system tray: an icon with the unread count (muted chats left out), a click shows the
// window, notifications for what the Notifier picks (new messages, friend requests and group
// invitations, a call ringing while the window is not in front); a click on one shows the
// window and, through `clicks`, what it is about. Closing the window then keeps Tern running
// in the tray (Quit is in the tray menu). Where the desktop has no tray, no icon is shown and
// what the Notifier picks makes the window ask for attention (QWindow::alert).
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    TrayIcon(QQuickWindow &window, AccountManager &accounts, NotificationClicks &clicks,
             QObject *parent = nullptr);
    ~TrayIcon() override;

    static bool isAvailable() { return QSystemTrayIcon::isSystemTrayAvailable(); }

    // Brings the window to the front, out of the tray or un-minimized.
    void showWindow();

private Q_SLOTS:
    // The chat the user is looking at (the window's viewedConversation while active).
    void updateViewed();

private:
    void bindAccount();
    void updateIcon();
    void retranslate();

    QQuickWindow &m_window;
    AccountManager &m_accounts;
    NotificationClicks &m_clicks;
    QSystemTrayIcon m_tray;
    QMenu *m_menu;
    QAction *m_showAction = nullptr;
    QAction *m_quitAction = nullptr;
    ConversationListModel *m_conversations;
    Notifier *m_notifier;
};

} // namespace tern::client
