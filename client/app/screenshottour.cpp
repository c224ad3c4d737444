// SPDX-License-Identifier: Apache-2.0
// ScreenshotTour: drives the real window through its pages and grabs each, GUI thread.
#include "screenshottour.h"

#include "account.h"
#include "accountmanager.h"
#include "preferences.h"

#include <QCoreApplication>
#include <QImage>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTimer>

namespace tern::client {

namespace {

// Long enough for bindings, layouts and one frame after a page, language or theme switch.
constexpr int kSettleMs = 400;
// Login, sync and profile fetches on a loaded CI machine.
constexpr int kOnlineTimeoutMs = 60000;

struct Look
{
    QString language;
    bool dark;
};

const std::vector<Look> &looks()
{
    static const std::vector<Look> all = {{QStringLiteral("en"), false},
                                          {QStringLiteral("en"), true},
                                          {QStringLiteral("zh_CN"), false},
                                          {QStringLiteral("zh_CN"), true}};
    return all;
}

} // namespace

ScreenshotTour::ScreenshotTour(QQuickWindow &window, AccountManager &accounts,
                               Preferences &preferences, const QString &directory,
                               const QString &server, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_accounts(accounts)
    , m_preferences(preferences)
    , m_directory(directory)
    , m_server(server)
{
    m_directory.mkpath(QStringLiteral("."));
}

void ScreenshotTour::start()
{
    if (m_accounts.current() && m_accounts.current()->status() != Account::Status::LoggedOut) {
        loginAndContinue(); // a restored session: no login page to show
        return;
    }
    shootAllLooks(
        QStringLiteral("login"), [] {}, [this] { loginAndContinue(); });
}

QObject *ScreenshotTour::findItem(const QString &objectName) const
{
    // Items a Loader makes are visual children only, so walk childItems(), not QObject children.
    std::function<QQuickItem *(QQuickItem *)> walk = [&](QQuickItem *item) -> QQuickItem * {
        if (item->objectName() == objectName)
            return item;
        for (QQuickItem *child : item->childItems()) {
            if (QQuickItem *found = walk(child))
                return found;
        }
        return nullptr;
    };
    return walk(m_window.contentItem());
}

void ScreenshotTour::shootAllLooks(const QString &page, std::function<void()> show,
                                   std::function<void()> then)
{
    // One look after another, each after the window settled. The step holds itself only
    // weakly; the pending timer holds it strongly until it ran (no reference cycle).
    auto step = std::make_shared<std::function<void(size_t)>>();
    std::weak_ptr<std::function<void(size_t)>> weak = step;
    *step = [this, page, show, then, weak](size_t i) {
        if (i == looks().size()) {
            then();
            return;
        }
        m_preferences.setLanguage(looks()[i].language);
        m_preferences.setDarkTheme(looks()[i].dark);
        show();
        QTimer::singleShot(kSettleMs, this, [this, page, i, next = weak.lock()] {
            shoot(page + QLatin1Char('-') + looks()[i].language + QLatin1Char('-')
                  + (looks()[i].dark ? QStringLiteral("dark") : QStringLiteral("light")));
            (*next)(i + 1);
        });
    };
    (*step)(0);
}

void ScreenshotTour::shoot(const QString &name)
{
    const QImage image = m_window.grabWindow();
    const QString path = m_directory.filePath(name + QStringLiteral(".png"));
    if (!image.isNull() && image.save(path)) {
        m_written << path;
    } else {
        m_failed << path;
    }
}

void ScreenshotTour::loginAndContinue()
{
    const QString username = qEnvironmentVariable("TERN_USERNAME");
    const QString password = qEnvironmentVariable("TERN_PASSWORD");
    if (!m_accounts.current() || m_accounts.current()->status() == Account::Status::LoggedOut) {
        if (username.isEmpty() || password.isEmpty()) {
            qWarning("screenshot tour: no session; set TERN_USERNAME and TERN_PASSWORD");
            m_failed << QStringLiteral("(login)");
            finish();
            return;
        }
        m_accounts.login(m_server, username, password);
    }
    auto *timeout = new QTimer(this);
    timeout->setSingleShot(true);
    auto *poll = new QTimer(this);
    connect(timeout, &QTimer::timeout, this, [this, poll] {
        poll->stop();
        qWarning("screenshot tour: the account did not come online");
        m_failed << QStringLiteral("(online)");
        finish();
    });
    connect(poll, &QTimer::timeout, this, [this, poll, timeout] {
        Account *account = m_accounts.current();
        if (account && account->status() == Account::Status::Online && !account->isSyncing()
            && findItem(QStringLiteral("mainView"))) {
            poll->stop();
            timeout->stop();
            // Profiles and previews arrive just after the sync round.
            QTimer::singleShot(1000, this, &ScreenshotTour::shootPages);
        }
    });
    timeout->start(kOnlineTimeoutMs);
    poll->start(100);
}

void ScreenshotTour::shootPages()
{
    QObject *mainView = findItem(QStringLiteral("mainView"));
    QObject *chats = findItem(QStringLiteral("chatsPage"));
    Account *account = m_accounts.current();
    if (!mainView || !chats || !account) {
        m_failed << QStringLiteral("(main view)");
        finish();
        return;
    }
    const auto conversations = account->conversations().all();
    const double newest =
        conversations.empty() ? 0 : double(conversations.front().state.conversation_id());
    auto showPage = [mainView](int page) {
        return [mainView, page] { mainView->setProperty("page", page); };
    };
    shootAllLooks(
        QStringLiteral("chats"),
        [mainView, chats, newest] {
            mainView->setProperty("page", 0);
            if (newest > 0)
                QMetaObject::invokeMethod(chats, "open", Q_ARG(QVariant, newest));
        },
        [this, showPage] {
            // The same chat with its info column open (profile or group members).
            QObject *chatView = findItem(QStringLiteral("chatView"));
            QObject *info =
                chatView ? chatView->property("infoDrawer").value<QObject *>() : nullptr;
            shootAllLooks(
                QStringLiteral("chat-info"),
                [info] {
                    if (info)
                        QMetaObject::invokeMethod(info, "open");
                },
                [this, showPage, info] {
                    if (info)
                        QMetaObject::invokeMethod(info, "close");
                    shootAllLooks(QStringLiteral("contacts"), showPage(1), [this, showPage] {
                        shootAllLooks(QStringLiteral("settings"), showPage(2),
                                      [this] { finish(); });
                    });
                });
        });
}

void ScreenshotTour::finish()
{
    for (const QString &path : std::as_const(m_written))
        qInfo("screenshot: %s", qPrintable(path));
    for (const QString &path : std::as_const(m_failed))
        qWarning("screenshot failed: %s", qPrintable(path));
    QCoreApplication::exit(m_failed.isEmpty() && !m_written.isEmpty() ? 0 : 1);
}

} // namespace tern::client
