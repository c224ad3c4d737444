// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QtQml/qqmlregistration.h>

class QJSEngine;
class QQmlEngine;

namespace tern::client {

// Where a click on a desktop notification leads. The tray shows them (QSystemTrayIcon), and its
// messageClicked does not say which one was clicked: the click is taken to be on the last one
// shown. The tray brings the window forward, then the window (Main.qml) does what the signals
// ask: a message's notification opens its chat, a friend request's or a group invitation's
// the Contacts page, a ringing call's brings the call window up.
class NotificationClicks : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
public:
    explicit NotificationClicks(QObject *parent = nullptr);
    ~NotificationClicks() override;

    static void setInstance(NotificationClicks *clicks);
    static NotificationClicks *instance();
    // main()'s instance. Without one (the QML tests) the engine gets one of its own, which no
    // tray clicks, and which a test may make emit the signals.
    static NotificationClicks *create(QQmlEngine *, QJSEngine *);

    // What the notification just shown is about.
    void shownConversation(double conversationId);
    void shownContacts();
    void shownCall();
    // What was shown leads nowhere any more (another account is in use).
    void forget();
    // The notification last shown was clicked: the signal for what it is about, if any.
    void clicked();

Q_SIGNALS:
    void openConversation(double conversationId);
    void openContacts();
    void showCall();

private:
    enum class Target { Nothing, Conversation, Contacts, Call };
    Target m_target = Target::Nothing;
    quint64 m_conversation = 0;
};

} // namespace tern::client
