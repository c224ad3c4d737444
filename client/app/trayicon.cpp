// SPDX-License-Identifier: Apache-2.0
// TrayIcon: tray icon, unread badge and notifications, GUI thread.
#include "trayicon.h"

#include "account.h"
#include "accountmanager.h"
#include "conversationlistmodel.h"
#include "notificationclicks.h"
#include "notifier.h"
#include "preferences.h"

#include <QAction>
#include <QGuiApplication>
#include <QMenu>
#include <QPainter>
#include <QQmlProperty>
#include <QQuickWindow>

namespace tern::client {

TrayIcon::TrayIcon(QQuickWindow &window, AccountManager &accounts, NotificationClicks &clicks,
                   QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_accounts(accounts)
    , m_clicks(clicks)
    , m_menu(new QMenu)
    , m_conversations(new ConversationListModel(this))
    , m_notifier(new Notifier(this))
{
    m_showAction = m_menu->addAction(QString(), &m_window, [this] { showWindow(); });
    m_quitAction = m_menu->addAction(QString(), qApp, &QCoreApplication::quit);
    m_tray.setContextMenu(m_menu);
    retranslate();
    connect(&m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger)
                    showWindow();
            });
    // The window first, then what the notification is about opens in it (its chat, Contacts,
    // the call window in front of it).
    connect(&m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        showWindow();
        m_clicks.clicked();
    });
    connect(m_conversations, &ConversationListModel::totalUnreadChanged, this,
            &TrayIcon::updateIcon);
    // The Notifier leaves out the chat on screen (only while the window is active) and
    // follows the notification settings.
    // Without a tray there is nowhere to show a message: the taskbar entry asks for attention.
    const auto showNews = [this](const QString &title, const QString &body) {
        if (!isAvailable()) {
            m_window.alert(0);
            return false;
        }
        m_tray.showMessage(title, body, QSystemTrayIcon::Information, 5000);
        return true;
    };
    connect(m_notifier, &Notifier::notify, this,
            [this, showNews](const QString &title, const QString &body, double conversationId) {
                if (showNews(title, body))
                    m_clicks.shownConversation(conversationId);
            });
    connect(m_notifier, &Notifier::notifyContacts, this,
            [this, showNews](const QString &title, const QString &body) {
                if (showNews(title, body))
                    m_clicks.shownContacts();
            });
    // A ringing call pops up its own window, which the desktop may keep from the front: the
    // user away from this window hears of it here too (shown longer than a message: it rings
    // a while), and the taskbar entry asks for attention until looked at, tray or not.
    connect(m_notifier, &Notifier::callRinging, this,
            [this](const QString &title, const QString &body) {
                if (m_window.isActive())
                    return;
                if (isAvailable()) {
                    m_tray.showMessage(title, body, QSystemTrayIcon::Information, 10000);
                    m_clicks.shownCall();
                }
                m_window.alert(0);
            });
    connect(&m_window, &QQuickWindow::activeChanged, this, &TrayIcon::updateViewed);
    QQmlProperty(&m_window, QStringLiteral("viewedConversation"))
        .connectNotifySignal(this, SLOT(updateViewed()));
    if (Preferences *prefs = Preferences::instance()) {
        // The menu and tooltip are widgets' texts, outside the QML engine's retranslate().
        connect(prefs, &Preferences::languageChanged, this, &TrayIcon::retranslate);
        auto apply = [this, prefs] {
            m_notifier->setEnabled(prefs->notificationsEnabled());
            m_notifier->setShowPreview(prefs->notificationPreview());
        };
        connect(prefs, &Preferences::notificationsChanged, this, apply);
        apply();
    }
    connect(&m_accounts, &AccountManager::currentChanged, this, &TrayIcon::bindAccount);
    bindAccount();
    if (!isAvailable()) {
        qInfo("no system tray: new messages make the window ask for attention instead");
        return;
    }
    // With a tray, closing the window keeps the messenger running (Quit from the menu).
    QGuiApplication::setQuitOnLastWindowClosed(false);
    m_tray.show();
}

TrayIcon::~TrayIcon()
{
    delete m_menu;
}

void TrayIcon::showWindow()
{
    // show() alone leaves a minimized window minimized.
    m_window.setWindowStates(m_window.windowStates() & ~Qt::WindowMinimized);
    m_window.show();
    m_window.raise();
    m_window.requestActivate();
}

void TrayIcon::retranslate()
{
    m_showAction->setText(tr("Show Tern"));
    m_quitAction->setText(tr("Quit"));
    updateIcon();
}

void TrayIcon::updateViewed()
{
    m_notifier->setViewedConversation(
        m_window.isActive() ? m_window.property("viewedConversation").toDouble() : 0);
}

void TrayIcon::bindAccount()
{
    m_conversations->setAccount(m_accounts.current());
    m_notifier->setAccount(m_accounts.current());
    // A chat of the account before is not to be opened in this one's list.
    m_clicks.forget();
    updateIcon();
}

void TrayIcon::updateIcon()
{
    const int unread = m_conversations->totalUnread();
    QPixmap pixmap(64, 64);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(QColor(0x2f, 0x9e, 0x5b));
    p.setPen(Qt::NoPen);
    p.drawEllipse(4, 4, 56, 56);
    p.setPen(Qt::white);
    QFont font = p.font();
    font.setBold(true);
    font.setPixelSize(unread > 0 ? 30 : 34);
    p.setFont(font);
    p.drawText(pixmap.rect(), Qt::AlignCenter,
               unread > 99      ? QStringLiteral("99+")
                   : unread > 0 ? QString::number(unread)
                                : QStringLiteral("T"));
    p.end();
    m_tray.setIcon(QIcon(pixmap));
    m_tray.setToolTip(unread > 0 ? tr("Tern — %n unread", nullptr, unread) : tr("Tern"));
}

} // namespace tern::client
