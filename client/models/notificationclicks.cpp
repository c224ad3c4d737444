// SPDX-License-Identifier: Apache-2.0
// NotificationClicks: a clicked desktop notification to the place it is about, GUI thread.
#include "notificationclicks.h"

#include <QJSEngine>

namespace tern::client {

namespace {

NotificationClicks *s_instance = nullptr;

} // namespace

NotificationClicks::NotificationClicks(QObject *parent)
    : QObject(parent)
{ }

NotificationClicks::~NotificationClicks()
{
    if (s_instance == this)
        s_instance = nullptr;
}

void NotificationClicks::setInstance(NotificationClicks *clicks)
{
    s_instance = clicks;
}

NotificationClicks *NotificationClicks::instance()
{
    return s_instance;
}

NotificationClicks *NotificationClicks::create(QQmlEngine *, QJSEngine *)
{
    if (!s_instance)
        return new NotificationClicks; // the engine's own, deleted with it
    // C++ keeps ownership: QML must not delete it.
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    return s_instance;
}

void NotificationClicks::shownConversation(double conversationId)
{
    m_conversation = conversationId > 0 ? quint64(conversationId) : 0;
    m_target = m_conversation ? Target::Conversation : Target::Nothing;
}

void NotificationClicks::shownContacts()
{
    m_target = Target::Contacts;
    m_conversation = 0;
}

void NotificationClicks::shownCall()
{
    m_target = Target::Call;
    m_conversation = 0;
}

void NotificationClicks::forget()
{
    m_target = Target::Nothing;
    m_conversation = 0;
}

void NotificationClicks::clicked()
{
    switch (m_target) {
    case Target::Conversation:
        Q_EMIT openConversation(double(m_conversation));
        break;
    case Target::Contacts:
        Q_EMIT openContacts();
        break;
    case Target::Call:
        Q_EMIT showCall();
        break;
    case Target::Nothing:
        break;
    }
}

} // namespace tern::client
