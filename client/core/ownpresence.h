// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QObject>

#include <optional>
#include <utility>

namespace tern::client {

class LocalCache;
class ServerConnection;
class Session;

// This device's own presence as the user chose it: Online (automatic: away while the user
// gives the app no input, see setIdle()), Away, or Invisible ("appear offline": the device
// does not count towards the user's presence, presence.proto). The choice belongs to the
// account on this device and is kept in its cache. The server keeps the flags per connection
// and forgets them with it, so they are sent after every authentication, and at once when
// they change; never when nothing changed (idleness flips them twice per idle spell at most).
class OwnPresence : public QObject
{
    Q_OBJECT
public:
    // The numbers QML sees (Account.presenceChoice).
    enum class Choice { Automatic = 0, Away = 1, Invisible = 2 };
    Q_ENUM(Choice)

    OwnPresence(ServerConnection &connection, Session &session, LocalCache &cache,
                QObject *parent = nullptr);

    // Reads the kept choice: once the cache is open (Account::open()).
    void load();
    Choice choice() const { return m_choice; }
    // Kept in the cache and, when authenticated, sent at once.
    void setChoice(Choice choice);
    // The user gave the app no input for a while (IdleWatcher). Only Automatic heeds it.
    void setIdle(bool idle);
    bool isIdle() const { return m_idle; }

    // The flags this device asks the server for now.
    bool away() const;
    bool invisible() const { return m_choice == Choice::Invisible; }

Q_SIGNALS:
    void choiceChanged();
    // The server took the flags sent last; `state` is the user's presence as others will see
    // it once its coalescing window has passed (the user's other devices taken together).
    void applied(tern::proto::PresenceState state);

private:
    void sendIfChanged();

    ServerConnection &m_connection;
    Session &m_session;
    LocalCache &m_cache;
    Choice m_choice = Choice::Automatic;
    bool m_idle = false;
    // The flags this connection was sent last (away, invisible); none since it authenticated.
    std::optional<std::pair<bool, bool>> m_sent;
    // Numbers the requests: only the answer to the latest one counts.
    quint64 m_lastRequest = 0;
};

} // namespace tern::client
