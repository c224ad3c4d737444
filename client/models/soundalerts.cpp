// SPDX-License-Identifier: Apache-2.0
// SoundAlerts: which sound the app plays when (calls ringing, new messages), GUI thread.
#include "soundalerts.h"

#include "account.h"
#include "preferences.h"

#include <QQmlProperty>
#include <QWindow>

namespace tern::client {

namespace {

bool isCallSound(Tones::Sound sound)
{
    return sound == Tones::Sound::Ringtone || sound == Tones::Sound::Ringback;
}

} // namespace

SoundAlerts::SoundAlerts(QObject *parent)
    : QObject(parent)
{
    connect(&m_messages, &Notifier::notify, this, &SoundAlerts::onMessage);
    if (Preferences *preferences = Preferences::instance()) {
        connect(preferences, &Preferences::soundsChanged, this, &SoundAlerts::applyPreferences);
        connect(preferences, &Preferences::notificationsChanged, this,
                &SoundAlerts::applyPreferences);
        connect(preferences, &Preferences::callDevicesChanged, this,
                &SoundAlerts::applyPreferences);
    }
    applyPreferences();
}

SoundAlerts::~SoundAlerts()
{
    // The player's sink runs the event loop as it goes (PulseAudio): nothing reaches this
    // half-destroyed object from there.
    if (m_account)
        m_account->disconnectReceiver(this);
    if (m_window)
        disconnect(m_window, nullptr, this, nullptr);
    if (Preferences *preferences = Preferences::instance())
        disconnect(preferences, nullptr, this, nullptr);
}

Tones::Sound SoundAlerts::callSound(Calls::State state)
{
    switch (state) {
    case Calls::State::Ringing:
        return Tones::Sound::Ringtone;
    case Calls::State::Calling:
        return Tones::Sound::Ringback;
    case Calls::State::Idle:
    case Calls::State::Connecting:
    case Calls::State::Connected:
    case Calls::State::Ended:
        break;
    }
    return Tones::Sound::None;
}

void SoundAlerts::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account)
        m_account->disconnectReceiver(this);
    m_account = account;
    m_messages.setAccount(account);
    if (account) {
        connect(&account->calls(), &Calls::changed, this, &SoundAlerts::updateCallSound);
        // Gone (logged out, switched away): the QPointer is null by now.
        connect(account, &QObject::destroyed, this, &SoundAlerts::updateCallSound);
    }
    updateCallSound();
}

void SoundAlerts::setWindow(QWindow *window)
{
    if (m_window)
        disconnect(m_window, nullptr, this, nullptr);
    m_window = window;
    if (window) {
        connect(window, &QWindow::activeChanged, this, &SoundAlerts::updateViewed);
        QQmlProperty(window, QStringLiteral("viewedConversation"))
            .connectNotifySignal(this, SLOT(updateViewed()));
    }
    updateViewed();
}

void SoundAlerts::updateViewed()
{
    // As the tray's Notifier sees it: the chat counts as read only while the window is active.
    m_messages.setViewedConversation(
        m_window && m_window->isActive() ? m_window->property("viewedConversation").toDouble() : 0);
}

bool SoundAlerts::soundsOn() const
{
    const Preferences *preferences = Preferences::instance();
    return !preferences || preferences->sounds();
}

void SoundAlerts::applyPreferences()
{
    const Preferences *preferences = Preferences::instance();
    m_messages.setEnabled(!preferences || preferences->notificationsEnabled());
    const QString speaker = preferences ? preferences->callSpeaker() : QString();
    if (speaker != m_player.speaker()) {
        m_player.setSpeaker(speaker);
        m_player.stop(); // a ring goes on from the new speaker (below)
    }
    if (!soundsOn())
        m_player.stop();
    updateCallSound();
}

void SoundAlerts::updateCallSound()
{
    const Tones::Sound wanted =
        m_account && soundsOn() ? callSound(m_account->calls().state()) : Tones::Sound::None;
    if (wanted != Tones::Sound::None)
        m_player.play(wanted);
    else if (isCallSound(m_player.sound()))
        m_player.stop();
}

void SoundAlerts::onMessage()
{
    // A ringing call is the louder news: the pop does not cut into it.
    if (!soundsOn() || isCallSound(m_player.sound()))
        return;
    m_player.play(Tones::Sound::Message);
}

} // namespace tern::client
