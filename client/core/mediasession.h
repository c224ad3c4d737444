// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <atomic>

typedef struct _GstElement GstElement;
typedef struct _GstPad GstPad;
typedef struct _GstPromise GstPromise;

namespace tern::client {

// Where a call's media comes from and goes to. The defaults are the system's default devices.
struct MediaOptions
{
    // GStreamer test sources (a tone and a moving pattern) instead of microphone and camera:
    // demos and tests on machines without either.
    bool testSources = false;
    // Device ids from CallDevices (empty: the default device). "none": do not use one.
    QString microphone;
    QString camera;
    QString speaker;
    // Gather ICE candidates on 127.0.0.1 only (libnice skips loopback otherwise): two peers on
    // one machine, in tests and demos. Never for real calls.
    bool loopbackOnly = false;
    // Media only through the server's TURN relay: the other side never learns this device's
    // addresses (and tests prove the relay works).
    bool relayOnly = false;
    // Offer and prefer H.264 when openh264 is installed (VP8 is always offered); off sends
    // VP8 only (peers whose H.264 decoding misbehaves).
    bool h264 = true;
};

// ICE servers for webrtcbin, from the server's IceConfig.
struct IceServers
{
    QString stunUri; // "stun://host:port"
    QStringList turnUris; // "turn://user:password@host:port" (user and password URL-encoded)
    bool relayOnly = false; // every candidate through TURN (privacy, or tests of the relay)
};

// One side of a WebRTC call on GStreamer's webrtcbin: captures and encodes (Opus audio, VP8
// video), negotiates with the other side through SDP and ICE candidates that the caller of
// this class carries (the server's call signaling), and decodes and plays what arrives.
//
// GStreamer calls back on its own threads; everything is handed to this object's thread before
// a signal is emitted. Remote video is drawn into a QML item (qml6glsink's GstGLQt6VideoItem)
// when one is set, else discarded after counting; decoded buffers are counted either way (the
// call's health, and what tests check).
class MediaSession : public QObject
{
    Q_OBJECT
public:
    enum class Role { Offerer, Answerer };
    enum class VideoCodec { VP8, H264 };
    enum class IceState { New, Checking, Connected, Failed, Closed };
    Q_ENUM(IceState)

    // Makes the GStreamer pipeline (not yet playing). `video`: the call has video (sent when a
    // camera is there, received either way).
    MediaSession(Role role, bool video, const MediaOptions &options, const IceServers &ice,
                 QObject *parent = nullptr);
    ~MediaSession() override;

    // Builds and starts the pipeline. An offerer then emits localDescription("offer", ...);
    // an answerer gives the offer here (its codecs decide the encoders) and then emits its
    // answer. False with error() when GStreamer lacks something (no webrtcbin, no VP8...).
    bool start(const QString &remoteOffer = {});
    QString error() const { return m_error; }

    // The other side's offer (an answerer, or a renegotiation) or answer.
    void setRemoteDescription(const QString &type, const QString &sdp);
    void addRemoteCandidate(quint32 mlineIndex, const QString &candidate);

    void setMicrophoneMuted(bool muted);
    void setCameraEnabled(bool enabled);
    // Where remote video and the local preview are drawn (GstGLQt6VideoItem), or null.
    void setVideoItems(QObject *remote, QObject *localPreview);

    // What went missing when devices were looked for ("No microphone was found"...): the call
    // still goes on, receiving only.
    QStringList notices() const { return m_notices; }
    bool sendsAudio() const { return m_sendAudio; }
    bool sendsVideo() const { return m_sendVideo; }
    // The video codec this side sends (known once negotiated): H.264 when both sides have it,
    // else VP8.
    VideoCodec videoCodec() const { return m_videoCodec; }
    // openh264 and its RTP (de)payloaders are installed.
    static bool h264Available();
    IceState iceState() const { return m_iceState; }
    // Decoded buffers received so far.
    qint64 audioBuffersReceived() const { return m_audioBuffers.load(); }
    qint64 videoFramesReceived() const { return m_videoFrames.load(); }
    // The other side's loudness lately: the peak of the last decoded audio buffer, 0..1.
    double audioLevelReceived() const { return m_audioPeak.load() / 32768.0; }
    // Loads GStreamer's qml6glsink once, which registers the QML type
    // org.freedesktop.gstreamer.Qt6GLVideoItem/GstGLQt6VideoItem; false if it is missing.
    // Needs a QGuiApplication.
    static bool loadVideoSink();
    // Asks webrtcbin for its statistics; statsReady follows.
    void requestStats();

Q_SIGNALS:
    void localDescription(const QString &type, const QString &sdp);
    void localCandidate(quint32 mlineIndex, const QString &candidate);
    void iceStateChanged(tern::client::MediaSession::IceState state);
    // Packets lost and received on all inbound streams, round-trip time (ms, -1 unknown).
    void statsReady(qint64 packetsLost, qint64 packetsReceived, double roundTripMs);
    // Something broke for good (a GStreamer error); the call cannot go on.
    void failed(const QString &message);

private:
    bool buildSenders();
    bool addAudioSender(GstElement *source);
    // Camera -> encoder -> payloader into webrtcbin (a new pad, or `padName`'s).
    bool addVideoSender(GstElement *source, VideoCodec codec, int payload,
                        const char *padName = nullptr);
    // A transceiver for audio or video with every codec this side has (direction:
    // GstWebRTCRTPTransceiverDirection).
    void addTransceiver(bool video, int direction);
    GstElement *makeSource(bool video, bool *ok);
    GstElement *makeSpeaker() const;
    bool buildSpeaker(bool echoProbe);
    void createOffer();
    void createAnswer();
    void onDescriptionCreated(bool offer, GstPromise *promise);
    void onIncomingStream(GstPad *pad);
    void onDecodedPad(GstPad *pad);
    void applyRemoteCandidates();
    void setIceState(IceState state);
    void attachVideoItems();
    void fail(const QString &message);

    friend struct MediaSessionCallbacks; // GStreamer's C callbacks (mediasession.cpp)

    const Role m_role;
    const bool m_video;
    const MediaOptions m_options;
    const IceServers m_ice;
    GstElement *m_pipeline = nullptr;
    GstElement *m_webrtc = nullptr;
    GstElement *m_micVolume = nullptr;
    GstElement *m_pendingCamera = nullptr; // the offerer's, until the answer picks the codec
    VideoCodec m_videoCodec = VideoCodec::VP8;
    bool m_useH264 = false;
    QString m_remoteOffer; // an answerer's, read when its senders are built
    GstElement *m_speakerInput = nullptr; // owned by the pipeline
    std::atomic<bool> m_speakerTaken {false};
    bool m_echoCancellation = false;
    GstElement *m_cameraValve = nullptr;
    GstElement *m_remoteVideoSink = nullptr;
    GstElement *m_localVideoSink = nullptr;
    QPointer<QObject> m_remoteItem;
    QPointer<QObject> m_localItem;
    // The remote item as the streaming thread that builds the video branch reads it.
    std::atomic<QObject *> m_remoteItemForStreaming {nullptr};
    bool m_sendAudio = false;
    bool m_sendVideo = false;
    bool m_haveRemoteDescription = false;
    QList<QPair<quint32, QString>> m_pendingCandidates;
    QStringList m_notices;
    QString m_error;
    QString m_startError; // a GStreamer error posted while start() set the pipeline playing
    IceState m_iceState = IceState::New;
    std::atomic<qint64> m_audioBuffers {0};
    std::atomic<qint64> m_videoFrames {0};
    std::atomic<int> m_audioPeak {0};
};

// Makes sure GStreamer is initialized (once per process); false if it cannot be.
bool initGStreamer(QString *error = nullptr);

} // namespace tern::client
