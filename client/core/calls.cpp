// SPDX-License-Identifier: Apache-2.0
// Calls: the call signaling of calls.proto between ternd and one MediaSession, GUI thread.
#include "calls.h"

#include "refusals.h"
#include "serverconnection.h"
#include "session.h"
#include "userstore.h"

#include <QDateTime>
#include <QUrl>

namespace tern::client {

namespace {

constexpr int kStatsIntervalMs = 2000;
// How long ICE may take after the answer, on top of the server's reconnect grace.
constexpr int kConnectingSeconds = 30;
// The server's defaults, for a server that does not announce its own.
constexpr int kDefaultRingSeconds = 45;
constexpr int kDefaultGraceSeconds = 20;

// "turn:host:port?transport=udp" -> "host:port" (webrtcbin takes the transport from the
// scheme, UDP unless turns:).
QString hostPort(const QString &uri)
{
    QString rest = uri.section(QLatin1Char(':'), 1);
    const qsizetype query = rest.indexOf(QLatin1Char('?'));
    if (query >= 0)
        rest.truncate(query);
    return rest;
}

QString endText(proto::CallEndReason reason, bool incoming)
{
    switch (reason) {
    case proto::CALL_END_REASON_HANGUP:
        return Calls::tr("Call ended");
    case proto::CALL_END_REASON_DECLINED:
        return incoming ? Calls::tr("You declined the call") : Calls::tr("The call was declined");
    case proto::CALL_END_REASON_BUSY:
        return Calls::tr("Busy: in another call");
    case proto::CALL_END_REASON_CANCELLED:
        return incoming ? Calls::tr("Missed call") : Calls::tr("Call cancelled");
    case proto::CALL_END_REASON_NO_ANSWER:
        return incoming ? Calls::tr("Missed call") : Calls::tr("No answer");
    case proto::CALL_END_REASON_CONNECTION_LOST:
        return Calls::tr("The connection was lost");
    case proto::CALL_END_REASON_ANSWERED_ELSEWHERE:
        return Calls::tr("Answered on another device");
    default:
        return Calls::tr("Call ended");
    }
}

QString errorText(const proto::Frame &answer)
{
    return answer.has_error() ? refusalText(answer.error())
                              : Calls::tr("The server gave an unexpected answer.");
}

} // namespace

Calls::Calls(ServerConnection &connection, Session &session, UserStore &users, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_session(session)
    , m_users(users)
{
    connect(&m_connection, &ServerConnection::pushReceived, this, &Calls::onPush);
    connect(&m_session, &Session::loggedOut, this, [this] {
        if (m_state != State::Idle && m_state != State::Ended)
            end(tr("Logged out"));
    });
    m_stallTimer.setSingleShot(true);
    connect(&m_stallTimer, &QTimer::timeout, this, &Calls::onStalled);
    m_statsTimer.setInterval(kStatsIntervalMs);
    connect(&m_statsTimer, &QTimer::timeout, this, [this] {
        if (m_media)
            m_media->requestStats();
    });
}

Calls::~Calls() = default;

QString Calls::peerName() const
{
    const std::optional<CachedUser> user = m_users.get(m_peerId);
    return user ? user->shownName() : QString();
}

QStringList Calls::notices() const
{
    return m_media ? m_media->notices() : QStringList();
}

IceServers Calls::iceServersFrom(const proto::IceConfig &config)
{
    IceServers servers;
    for (const proto::IceServer &server : config.servers()) {
        for (const std::string &url : server.urls()) {
            const QString uri = QString::fromStdString(url);
            if (uri.startsWith(u"stun:") && servers.stunUri.isEmpty()) {
                servers.stunUri = QStringLiteral("stun://") + hostPort(uri);
            } else if (uri.startsWith(u"turn:") || uri.startsWith(u"turns:")) {
                const QString scheme = uri.startsWith(u"turns:") ? QStringLiteral("turns://")
                                                                 : QStringLiteral("turn://");
                const auto encode = [](const std::string &text) {
                    return QString::fromLatin1(
                        QUrl::toPercentEncoding(QString::fromStdString(text)));
                };
                servers.turnUris.append(scheme + encode(server.username()) + QLatin1Char(':')
                                        + encode(server.credential()) + QLatin1Char('@')
                                        + hostPort(uri));
            }
        }
    }
    return servers;
}

void Calls::startCall(double peerId, bool video)
{
    if (m_state != State::Idle && m_state != State::Ended) {
        Q_EMIT actionFailed(tr("You are already in a call."));
        return;
    }
    if (!m_connection.isConnected() || !m_session.isAuthenticated()) {
        Q_EMIT actionFailed(tr("Calls need a connection to the server."));
        return;
    }
    reset();
    m_peerId = quint64(peerId);
    m_video = video;
    m_incoming = false;
    setState(State::Calling);
    const quint64 generation = m_generation;
    proto::Frame frame;
    frame.mutable_get_ice_config();
    m_connection.send(
        frame,
        [this, generation](const proto::Frame &answer) {
            if (generation != m_generation || m_state != State::Calling)
                return;
            if (!answer.has_ice_config())
                return end(errorText(answer));
            m_ice = answer.ice_config();
            beginMedia(MediaSession::Role::Offerer, m_ice, m_video);
        },
        this);
}

void Calls::accept(bool withVideo)
{
    if (m_state != State::Ringing)
        return;
    setState(State::Connecting);
    beginMedia(MediaSession::Role::Answerer, m_ice, m_video && withVideo);
    if (m_media)
        m_media->setRemoteDescription(QStringLiteral("offer"),
                                      QString::fromStdString(m_remoteOffer));
}

void Calls::decline()
{
    if (m_state != State::Ringing)
        return;
    hangUpWith(tr("You declined the call"));
}

void Calls::hangUp()
{
    if (m_state == State::Ringing)
        return decline();
    hangUpWith(m_state == State::Calling ? tr("Call cancelled") : tr("Call ended"));
}

void Calls::hangUpWith(const QString &text)
{
    if (m_state == State::Idle || m_state == State::Ended)
        return;
    const std::string callId = m_call.call_id();
    const bool ringing = m_state == State::Ringing;
    end(text);
    // Before the server knew of the call (no id yet) there is nothing to tell it: the
    // StartCall answer, stale now, hangs up the call it started (see onLocalDescription).
    if (callId.empty())
        return;
    proto::Frame frame;
    if (ringing)
        frame.mutable_decline_call()->set_call_id(callId);
    else
        frame.mutable_hang_up()->set_call_id(callId);
    // The answer is the ended call with the server's times (the history entry's duration).
    const quint64 generation = m_generation;
    m_connection.send(
        frame,
        [this, generation](const proto::Frame &answer) {
            if (generation == m_generation && answer.has_call_update()
                && answer.call_update().call().call_id() == m_call.call_id()) {
                m_call = answer.call_update().call();
                Q_EMIT changed();
            }
        },
        this);
}

void Calls::dismiss()
{
    if (m_state == State::Ended)
        setState(State::Idle);
}

void Calls::setVideoItems(QObject *remote, QObject *localPreview)
{
    if (m_media)
        m_media->setVideoItems(remote, localPreview);
    m_remoteItem = remote;
    m_localItem = localPreview;
}

void Calls::setMicrophoneMuted(bool muted)
{
    m_microphoneMuted = muted;
    if (m_media)
        m_media->setMicrophoneMuted(muted);
    Q_EMIT changed();
}

void Calls::setCameraEnabled(bool enabled)
{
    m_cameraEnabled = enabled;
    if (m_media)
        m_media->setCameraEnabled(enabled);
    Q_EMIT changed();
}

void Calls::beginMedia(MediaSession::Role role, const proto::IceConfig &ice, bool sendVideo)
{
    MediaOptions options = m_options;
    if (!sendVideo)
        options.camera = QStringLiteral("none");
    IceServers servers = iceServersFrom(ice);
    servers.relayOnly = options.relayOnly;
    m_media = std::make_unique<MediaSession>(role, m_video, options, servers);
    connect(m_media.get(), &MediaSession::localDescription, this, &Calls::onLocalDescription);
    connect(m_media.get(), &MediaSession::localCandidate, this, &Calls::onLocalCandidate);
    connect(m_media.get(), &MediaSession::iceStateChanged, this, &Calls::onIceState);
    connect(m_media.get(), &MediaSession::statsReady, this, &Calls::onStats);
    connect(m_media.get(), &MediaSession::failed, this, [this](const QString &message) {
        qWarning("call media failed: %s", qPrintable(message));
        hangUpWith(tr("The call failed: %1").arg(message));
    });
    m_media->setMicrophoneMuted(m_microphoneMuted);
    m_media->setVideoItems(m_remoteItem, m_localItem);
    if (!m_media->start(role == MediaSession::Role::Answerer ? QString::fromStdString(m_remoteOffer)
                                                             : QString())) {
        const QString message = m_media->error();
        hangUpWith(message);
        return;
    }
    m_media->setCameraEnabled(m_cameraEnabled);
    Q_EMIT changed(); // notices, sendingVideo
}

void Calls::onLocalDescription(const QString &type, const QString &sdp)
{
    const std::string text = sdp.toStdString();
    const quint64 generation = m_generation;
    proto::Frame frame;
    if (type == u"offer" && m_state == State::Calling && m_call.call_id().empty()) {
        auto *start = frame.mutable_start_call();
        start->set_callee_id(m_peerId);
        start->set_media(m_video ? proto::CALL_MEDIA_VIDEO : proto::CALL_MEDIA_AUDIO);
        start->set_sdp_offer(text);
        m_connection.send(
            frame,
            [this, generation](const proto::Frame &answer) {
                if (generation != m_generation) {
                    // Hung up before the server answered: end the call it started.
                    if (answer.has_call_started()
                        && answer.call_started().call().state() != proto::CALL_STATE_ENDED) {
                        proto::Frame hangUp;
                        hangUp.mutable_hang_up()->set_call_id(
                            answer.call_started().call().call_id());
                        m_connection.send(
                            hangUp, [](const proto::Frame &) {}, this);
                    }
                    return;
                }
                if (!answer.has_call_started())
                    return end(errorText(answer));
                m_call = answer.call_started().call();
                if (m_call.state() == proto::CALL_STATE_ENDED)
                    return end(endText(m_call.end_reason(), false));
                m_signalingOpen = true;
                flushCandidates();
                Q_EMIT changed();
            },
            this);
    } else if (type == u"answer" && m_state == State::Connecting && m_incoming
               && !m_signalingOpen) {
        auto *answerCall = frame.mutable_answer_call();
        answerCall->set_call_id(m_call.call_id());
        answerCall->set_sdp_answer(text);
        m_connection.send(
            frame,
            [this, generation](const proto::Frame &answer) {
                if (generation != m_generation)
                    return;
                if (!answer.has_call_update())
                    return end(answer.error().code() == proto::ERROR_CODE_CONFLICT
                                   ? endText(proto::CALL_END_REASON_ANSWERED_ELSEWHERE, true)
                                   : errorText(answer));
                m_signalingOpen = true;
                onUpdate(answer.call_update().call());
                flushCandidates();
            },
            this);
    } else if (m_signalingOpen) {
        // Renegotiation: an offer of ours, or our answer to the other side's.
        auto *signal = frame.mutable_call_signal();
        signal->set_call_id(m_call.call_id());
        if (type == u"offer")
            signal->set_sdp_offer(text);
        else
            signal->set_sdp_answer(text);
        m_connection.send(
            frame, [](const proto::Frame &) {}, this);
    }
}

void Calls::onLocalCandidate(quint32 mline, const QString &candidate)
{
    if (!m_signalingOpen) {
        m_queuedCandidates.append({mline, candidate});
        return;
    }
    sendCandidate(mline, candidate);
}

void Calls::sendCandidate(quint32 mline, const QString &candidate)
{
    proto::Frame frame;
    auto *signal = frame.mutable_call_signal();
    signal->set_call_id(m_call.call_id());
    signal->mutable_candidate()->set_candidate(candidate.toStdString());
    signal->mutable_candidate()->set_sdp_mline_index(mline);
    m_connection.send(
        frame, [](const proto::Frame &) {}, this);
}

void Calls::flushCandidates()
{
    const auto queued = std::exchange(m_queuedCandidates, {});
    for (const auto &[mline, candidate] : queued)
        sendCandidate(mline, candidate);
}

void Calls::onPush(const proto::Frame &frame)
{
    if (frame.has_incoming_call())
        onIncoming(frame.incoming_call());
    else if (frame.has_call_update())
        onUpdate(frame.call_update().call());
    else if (frame.has_call_signal_push())
        onSignal(frame.call_signal_push());
}

void Calls::onIncoming(const proto::IncomingCall &incoming)
{
    // Both called each other at once: the server kept the call that reached it first, and
    // refuses ours (its answer is stale after reset()). The user asked to talk to this person:
    // take the call as if accepted.
    const bool crossed = m_state == State::Calling && m_call.call_id().empty()
        && incoming.call().caller_id() == m_peerId;
    const bool wantVideo = m_video;
    if (m_state != State::Idle && m_state != State::Ended && !crossed)
        return; // the server rings a user only when not in a call; another device's, then
    reset();
    m_call = incoming.call();
    m_peerId = m_call.caller_id();
    m_video = m_call.media() == proto::CALL_MEDIA_VIDEO;
    m_incoming = true;
    m_remoteOffer = incoming.sdp_offer();
    m_ice = incoming.ice();
    setState(State::Ringing);
    if (crossed)
        return accept(wantVideo);
    Q_EMIT incomingCall();
}

void Calls::onUpdate(const proto::Call &call)
{
    if (m_call.call_id().empty() || call.call_id() != m_call.call_id() || m_state == State::Ended
        || m_state == State::Idle)
        return;
    m_call = call;
    switch (call.state()) {
    case proto::CALL_STATE_CONNECTED:
        if (m_state == State::Calling || m_state == State::Ringing) {
            setState(State::Connecting);
            if (m_media) // ICE may have got there before this update
                onIceState(m_media->iceState());
        }
        break;
    case proto::CALL_STATE_ENDED:
        end(endText(call.end_reason(), m_incoming));
        break;
    default:
        break;
    }
    Q_EMIT changed();
}

void Calls::onSignal(const proto::CallSignalPush &signal)
{
    if (!m_media || signal.call_id() != m_call.call_id())
        return;
    switch (signal.signal_case()) {
    case proto::CallSignalPush::kSdpOffer:
        m_media->setRemoteDescription(QStringLiteral("offer"),
                                      QString::fromStdString(signal.sdp_offer()));
        break;
    case proto::CallSignalPush::kSdpAnswer:
        m_media->setRemoteDescription(QStringLiteral("answer"),
                                      QString::fromStdString(signal.sdp_answer()));
        break;
    case proto::CallSignalPush::kCandidate:
        m_media->addRemoteCandidate(signal.candidate().sdp_mline_index(),
                                    QString::fromStdString(signal.candidate().candidate()));
        break;
    default:
        break;
    }
}

void Calls::onIceState(MediaSession::IceState state)
{
    if (state == MediaSession::IceState::Connected && m_state == State::Connecting) {
        m_connectedAtMs = QDateTime::currentMSecsSinceEpoch();
        m_statsTimer.start();
        setState(State::Connected);
    } else if (state == MediaSession::IceState::Failed
               && (m_state == State::Connecting || m_state == State::Connected)) {
        hangUpWith(tr("The connection to %1 failed.").arg(peerName()));
    }
}

// Quality from the last interval: packet loss, round trip, and whether media still arrives.
void Calls::onStats(qint64 lost, qint64 received, double rttMs)
{
    if (!m_media || m_state != State::Connected)
        return;
    const qint64 lostNow = lost - m_lastLost;
    const qint64 receivedNow = received - m_lastReceived;
    m_lastLost = lost;
    m_lastReceived = received;
    const qint64 audio = m_media->audioBuffersReceived();
    const qint64 frames = m_media->videoFramesReceived();
    const bool audioStalled = audio == m_lastAudio;
    const bool videoStalled = m_video && frames == m_lastFrames && m_lastFrames > 0;
    m_lastAudio = audio;
    m_lastFrames = frames;
    const double loss =
        receivedNow + lostNow > 0 ? double(lostNow) / double(receivedNow + lostNow) : 0.0;
    int quality = 3;
    if (audioStalled || loss > 0.10 || rttMs > 600)
        quality = 1;
    else if (videoStalled || loss > 0.02 || rttMs > 250)
        quality = 2;
    if (quality != m_quality) {
        m_quality = quality;
        Q_EMIT qualityChanged();
    }
}

void Calls::end(const QString &text)
{
    ++m_generation; // what this call still waits for is of no use now
    m_statsTimer.stop();
    m_media.reset(); // stops capture at once
    m_endedText = text;
    setState(State::Ended);
    Q_EMIT ended();
}

void Calls::setState(State state)
{
    m_state = state;
    armStallTimer();
    Q_EMIT changed();
}

void Calls::armStallTimer()
{
    const proto::ServerLimits &limits = m_connection.welcome().limits();
    const int ring =
        limits.call_ring_timeout_s() > 0 ? int(limits.call_ring_timeout_s()) : kDefaultRingSeconds;
    const int grace = limits.call_reconnect_grace_s() > 0 ? int(limits.call_reconnect_grace_s())
                                                          : kDefaultGraceSeconds;
    switch (m_state) {
    case State::Calling:
    case State::Ringing:
        // The server ends an unanswered call after `ring`; a device that was away meanwhile
        // is back within the grace or out of the call.
        m_stallTimer.start((ring + grace + 5) * 1000);
        break;
    case State::Connecting:
        m_stallTimer.start((grace + kConnectingSeconds) * 1000);
        break;
    default:
        m_stallTimer.stop();
        break;
    }
}

void Calls::onStalled()
{
    switch (m_state) {
    case State::Calling:
        return hangUpWith(tr("No answer"));
    case State::Ringing:
        return hangUpWith(tr("Missed call"));
    case State::Connecting:
        return hangUpWith(tr("The connection to %1 failed.").arg(peerName()));
    default:
        return;
    }
}

void Calls::reset()
{
    ++m_generation;
    m_media.reset();
    m_call.Clear();
    m_peerId = 0;
    m_incoming = false;
    m_video = false;
    m_signalingOpen = false;
    m_queuedCandidates.clear();
    m_remoteOffer.clear();
    m_ice.Clear();
    m_connectedAtMs = 0;
    m_endedText.clear();
    m_microphoneMuted = false;
    m_cameraEnabled = true;
    m_quality = 0;
    m_lastLost = m_lastReceived = m_lastFrames = m_lastAudio = 0;
}

} // namespace tern::client
