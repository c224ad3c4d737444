// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediasession.h"

#include "tern/protocol.h"
#include "tern/v1/messaging.pb.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace tern::client {

class ServerConnection;
class Session;
class UserStore;

// This device's voice and video calls (calls.proto): at most one at a time. It carries the
// signaling between the server and a MediaSession (webrtcbin) and keeps the state the call
// screens show. The server owns the call's truth; this object follows its CallUpdates.
//
//   Idle -> Calling (startCall: ICE servers, our offer, then ringing at the callee)
//        -> Ringing (IncomingCall) -> Connecting (accepted here, or answered by the callee)
//        -> Connected (media flows) -> Ended (why: endedText) -> Idle (dismiss, or the next call)
class Calls : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Calls belong to an Account")
    Q_PROPERTY(State state READ state NOTIFY changed)
    Q_PROPERTY(QString callId READ callId NOTIFY changed)
    Q_PROPERTY(double peerId READ peerIdNumber NOTIFY changed)
    Q_PROPERTY(QString peerName READ peerName NOTIFY changed)
    Q_PROPERTY(bool incoming READ isIncoming NOTIFY changed)
    // The call has video (received; sent when a camera is there and on).
    Q_PROPERTY(bool video READ hasVideo NOTIFY changed)
    Q_PROPERTY(bool sendingVideo READ isSendingVideo NOTIFY changed)
    // Wall-clock ms when media started flowing (0 before); the screens count from it.
    Q_PROPERTY(double connectedAtMs READ connectedAtMs NOTIFY changed)
    Q_PROPERTY(QString endedText READ endedText NOTIFY changed)
    Q_PROPERTY(bool microphoneMuted READ isMicrophoneMuted WRITE setMicrophoneMuted NOTIFY changed)
    Q_PROPERTY(bool cameraEnabled READ isCameraEnabled WRITE setCameraEnabled NOTIFY changed)
    // 0 not known yet, 1 poor, 2 fair, 3 good (loss, round trip, media arriving).
    Q_PROPERTY(int quality READ quality NOTIFY qualityChanged)
    // Missing devices and the like, for a notice on the call screen.
    Q_PROPERTY(QStringList notices READ notices NOTIFY changed)
    // Video can be drawn in QML (GStreamer's qml6glsink is there; loading it registers the
    // GstGLQt6VideoItem type that VideoSurface.qml makes).
    Q_PROPERTY(bool videoAvailable READ isVideoAvailable CONSTANT)
public:
    enum class State { Idle, Calling, Ringing, Connecting, Connected, Ended };
    Q_ENUM(State)

    Calls(ServerConnection &connection, Session &session, UserStore &users,
          QObject *parent = nullptr);
    ~Calls() override;

    // Devices, test sources, loopback ICE: applies to calls started or accepted afterwards.
    void setMediaOptions(const MediaOptions &options) { m_options = options; }
    const MediaOptions &mediaOptions() const { return m_options; }

    Q_INVOKABLE void startCall(double peerId, bool video);
    // Takes the ringing call; `withVideo` false answers a video call without the camera.
    Q_INVOKABLE void accept(bool withVideo);
    Q_INVOKABLE void decline();
    // Cancels a call that rings at the other side, or ends a connected one.
    Q_INVOKABLE void hangUp();
    // Ended -> Idle (the call screen was closed).
    Q_INVOKABLE void dismiss();
    // The QML items (GstGLQt6VideoItem) remote video and the own camera are drawn into.
    Q_INVOKABLE void setVideoItems(QObject *remote, QObject *localPreview);

    State state() const { return m_state; }
    QString callId() const { return QString::fromStdString(m_call.call_id()); }
    const proto::Call &call() const { return m_call; }
    quint64 peerId() const { return m_peerId; }
    double peerIdNumber() const { return double(m_peerId); }
    QString peerName() const;
    bool isIncoming() const { return m_incoming; }
    bool hasVideo() const { return m_video; }
    bool isSendingVideo() const { return m_media && m_media->sendsVideo() && m_cameraEnabled; }
    double connectedAtMs() const { return double(m_connectedAtMs); }
    QString endedText() const { return m_endedText; }
    bool isMicrophoneMuted() const { return m_microphoneMuted; }
    void setMicrophoneMuted(bool muted);
    bool isCameraEnabled() const { return m_cameraEnabled; }
    void setCameraEnabled(bool enabled);
    int quality() const { return m_quality; }
    static bool isVideoAvailable() { return MediaSession::loadVideoSink(); }
    QStringList notices() const;
    // The running call's media (null when there is none): tests read its counters.
    MediaSession *media() const { return m_media.get(); }

    // webrtcbin's ICE server URIs from the server's IceConfig.
    static IceServers iceServersFrom(const proto::IceConfig &config);

Q_SIGNALS:
    void changed();
    void qualityChanged();
    // A call rings here: show the notification even when the window is hidden.
    void incomingCall();
    // The call ended (endedText says why).
    void ended();
    // Something the user asked for cannot be done ("already in a call"...).
    void actionFailed(const QString &message);

private:
    void onPush(const proto::Frame &frame);
    void onIncoming(const proto::IncomingCall &incoming);
    void onUpdate(const proto::Call &call);
    void onSignal(const proto::CallSignalPush &signal);
    void beginMedia(MediaSession::Role role, const proto::IceConfig &ice, bool sendVideo);
    void onLocalDescription(const QString &type, const QString &sdp);
    void onLocalCandidate(quint32 mline, const QString &candidate);
    void sendCandidate(quint32 mline, const QString &candidate);
    void flushCandidates();
    void onIceState(MediaSession::IceState state);
    void onStats(qint64 lost, qint64 received, double rttMs);
    // Tells the server (hang up, or decline while ringing here) and ends here with `text`.
    void hangUpWith(const QString &text);
    void end(const QString &text);
    void setState(State state);
    // Ends a call that stays ringing, calling or connecting past what the server allows: a
    // device whose connection was away when the call ended never hears of it.
    void armStallTimer();
    void onStalled();
    void reset();

    ServerConnection &m_connection;
    Session &m_session;
    UserStore &m_users;
    MediaOptions m_options;
    State m_state = State::Idle;
    proto::Call m_call;
    quint64 m_peerId = 0;
    bool m_incoming = false;
    bool m_video = false;
    // May our ICE candidates go to the server yet (the call exists and, for the callee, this
    // device answered)?
    bool m_signalingOpen = false;
    QList<QPair<quint32, QString>> m_queuedCandidates;
    std::string m_remoteOffer;
    proto::IceConfig m_ice;
    std::unique_ptr<MediaSession> m_media;
    QPointer<QObject> m_remoteItem;
    QPointer<QObject> m_localItem;
    qint64 m_connectedAtMs = 0;
    QString m_endedText;
    bool m_microphoneMuted = false;
    bool m_cameraEnabled = true;
    int m_quality = 0;
    QTimer m_statsTimer;
    QTimer m_stallTimer;
    qint64 m_lastLost = 0;
    qint64 m_lastReceived = 0;
    qint64 m_lastFrames = 0;
    qint64 m_lastAudio = 0;
    // A call generation, bumped when a call starts or ends: answers to requests made before
    // are ignored.
    quint64 m_generation = 0;
};

} // namespace tern::client
