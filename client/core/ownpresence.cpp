// SPDX-License-Identifier: Apache-2.0
// OwnPresence: this device's away and invisible flags, from the user's choice and idleness to
// the server after every authentication; GUI thread.
#include "ownpresence.h"

#include "clientlog.h"
#include "localcache.h"
#include "serverconnection.h"
#include "session.h"

namespace tern::client {

namespace {

// The account's cache keeps the choice by name: "away", "invisible"; none (or anything
// else) is Automatic.
const QString kMetaKey = QStringLiteral("presence_choice");

QByteArray nameOf(OwnPresence::Choice choice)
{
    switch (choice) {
    case OwnPresence::Choice::Away:
        return "away";
    case OwnPresence::Choice::Invisible:
        return "invisible";
    case OwnPresence::Choice::Automatic:
        break;
    }
    return "automatic";
}

OwnPresence::Choice choiceNamed(const QByteArray &name)
{
    if (name == "away")
        return OwnPresence::Choice::Away;
    if (name == "invisible")
        return OwnPresence::Choice::Invisible;
    return OwnPresence::Choice::Automatic;
}

} // namespace

OwnPresence::OwnPresence(ServerConnection &connection, Session &session, LocalCache &cache,
                         QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_session(session)
    , m_cache(cache)
{
    // A new connection starts visible and not away (presence.proto): tell it every time, even
    // flags it has by default, so that what the server holds never depends on guessing.
    connect(&m_session, &Session::authenticated, this, [this] {
        m_sent.reset();
        sendIfChanged();
    });
    connect(&m_connection, &ServerConnection::disconnected, this, [this] { m_sent.reset(); });
}

void OwnPresence::load()
{
    if (!m_cache.isOpen())
        return;
    const Choice kept = choiceNamed(m_cache.meta(kMetaKey));
    if (kept == m_choice)
        return;
    m_choice = kept;
    Q_EMIT choiceChanged();
    sendIfChanged();
}

void OwnPresence::setChoice(Choice choice)
{
    if (choice == m_choice)
        return;
    m_choice = choice;
    if (m_cache.isOpen())
        m_cache.setMeta(kMetaKey, nameOf(choice));
    Q_EMIT choiceChanged();
    sendIfChanged();
}

void OwnPresence::setIdle(bool idle)
{
    if (idle == m_idle)
        return;
    m_idle = idle;
    sendIfChanged();
}

bool OwnPresence::away() const
{
    return m_choice == Choice::Away || (m_choice == Choice::Automatic && m_idle);
}

void OwnPresence::sendIfChanged()
{
    if (!m_session.isAuthenticated() || !m_connection.isConnected())
        return; // the next authentication sends them
    const std::pair flags {away(), invisible()};
    if (m_sent == flags)
        return;
    m_sent = flags;
    proto::Frame frame;
    frame.mutable_set_presence()->set_away(flags.first);
    frame.mutable_set_presence()->set_invisible(flags.second);
    const quint64 request = ++m_lastRequest;
    m_connection.send(
        frame,
        [this, request](const proto::Frame &answer) {
            if (request != m_lastRequest)
                return; // a later request's answer says what holds
            if (answer.has_set_presence_result())
                return Q_EMIT applied(answer.set_presence_result().state());
            // Not taken (the connection dropped under it: the next authentication sends the
            // flags anyway). Whatever it was, the next change tries again.
            qCInfo(lcPresence) << "presence flags not taken:"
                               << QString::fromStdString(answer.error().message());
            m_sent.reset();
        },
        this);
}

} // namespace tern::client
