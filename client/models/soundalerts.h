// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "account.h"
#include "calls.h"
#include "notifier.h"
#include "soundplayer.h"
#include "tones.h"

#include <QObject>
#include <QPointer>

class QWindow;

namespace tern::client {

// What the app sounds, for the current account: the ringtone while a call rings here, the
// ringback while ours rings at the other side (both stop on any other call state), and a pop
// for each new message that gets a desktop notification: a Notifier of its own, run by the
// same rules and settings as the tray's (not in a muted chat, not for the chat on screen; off
// with notifications). Preferences: `sounds` turns all of it off, `callSpeaker` is the speaker.
class SoundAlerts : public QObject
{
    Q_OBJECT
public:
    explicit SoundAlerts(QObject *parent = nullptr);
    ~SoundAlerts() override;

    Account *account() const { return m_account; }
    void setAccount(Account *account);
    // The main window: its `viewedConversation` while it is active is the chat on screen.
    void setWindow(QWindow *window);
    // The chat on screen (0: none), for those without a window (tests).
    void setViewedConversation(double id) { m_messages.setViewedConversation(id); }

    // The sound of a call in `state`: Ringing rings, Calling hears the ringback, the others
    // are silent.
    static Tones::Sound callSound(Calls::State state);

    const SoundPlayer &player() const { return m_player; }

private Q_SLOTS:
    void updateViewed();

private:
    bool soundsOn() const;
    void applyPreferences();
    void updateCallSound();
    void onMessage();

    QPointer<Account> m_account;
    QPointer<QWindow> m_window;
    Notifier m_messages;
    SoundPlayer m_player;
};

} // namespace tern::client
