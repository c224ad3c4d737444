// SPDX-License-Identifier: Apache-2.0
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>
#include <nice/agent.h>

#include "mediasession.h"

#include "calldevices.h"

#include <QMetaObject>
#include <QRegularExpression>
#include <QThread>

#include <mutex>

namespace tern::client {

namespace {

// RTP payload types both sides use: webrtcbin matches an offer's formats to ours by them.
constexpr int kOpusPayload = 96;
constexpr int kVp8Payload = 97;

const char *const kOpusCaps = "application/x-rtp,media=audio,encoding-name=OPUS,payload=96,"
                              "clock-rate=48000";
constexpr int kH264Payload = 102;

// The RTP caps of a video codec at a payload type. H.264 in non-interleaved packets, with no
// profile-level-id: the payloader states the one of the stream openh264 makes (constrained
// baseline at the level of the picture size), and a fixed one here would refuse it.
QString videoCaps(MediaSession::VideoCodec codec, int payload)
{
    return (codec == MediaSession::VideoCodec::H264
                ? QStringLiteral("application/x-rtp,media=video,encoding-name=H264,payload=%1,"
                                 "clock-rate=90000,packetization-mode=(string)1")
                : QStringLiteral("application/x-rtp,media=video,encoding-name=VP8,payload=%1,"
                                 "clock-rate=90000"))
        .arg(payload);
}

// What this side can receive and send as video, preferred first.
QString videoCapsAll(bool h264)
{
    const QString vp8 = videoCaps(MediaSession::VideoCodec::VP8, kVp8Payload);
    return h264
        ? videoCaps(MediaSession::VideoCodec::H264, kH264Payload) + QLatin1String("; ") + vp8
        : vp8;
}

// The video codec of an SDP: for an answer its one format; for an offer H.264 when offered
// and available here, else VP8. Returns the payload type, or -1 when neither is there.
int videoPayloadFrom(const QString &sdp, bool answer, bool h264, MediaSession::VideoCodec *codec)
{
    const QRegularExpression mline(QStringLiteral("^m=video [0-9]+ [A-Z/]+ ([0-9 ]+)"),
                                   QRegularExpression::MultilineOption);
    const QRegularExpressionMatch m = mline.match(sdp);
    if (!m.hasMatch())
        return -1;
    const QStringList formats = m.captured(1).trimmed().split(u' ', Qt::SkipEmptyParts);
    const auto encodingOf = [&sdp](const QString &pt) {
        const QRegularExpression rtpmap(QStringLiteral("^a=rtpmap:%1 ([A-Za-z0-9]+)/").arg(pt),
                                        QRegularExpression::MultilineOption);
        return rtpmap.match(sdp).captured(1).toUpper();
    };
    int vp8 = -1;
    for (const QString &pt : formats) {
        const QString encoding = encodingOf(pt);
        if (encoding == u"H264" && (answer || h264)) {
            *codec = MediaSession::VideoCodec::H264;
            return pt.toInt();
        }
        if (encoding == u"VP8" && vp8 < 0)
            vp8 = pt.toInt();
        if (answer && vp8 >= 0)
            break;
    }
    *codec = MediaSession::VideoCodec::VP8;
    return vp8;
}

bool hasElement(const char *factory)
{
    GstElementFactory *found = gst_element_factory_find(factory);
    if (!found)
        return false;
    gst_object_unref(found);
    return true;
}

// A bin from a gst-launch description, its open ends as ghost pads.
GstElement *binFrom(const QString &description, QString *error)
{
    GError *gerror = nullptr;
    GstElement *bin =
        gst_parse_bin_from_description(description.toUtf8().constData(), TRUE, &gerror);
    if (gerror) {
        *error = QString::fromUtf8(gerror->message);
        g_error_free(gerror);
        if (bin)
            gst_object_unref(bin);
        return nullptr;
    }
    return bin;
}

QString sdpText(GstWebRTCSessionDescription *description)
{
    gchar *text = gst_sdp_message_as_text(description->sdp);
    const QString sdp = QString::fromUtf8(text);
    g_free(text);
    return sdp;
}

} // namespace

bool initGStreamer(QString *error)
{
    static std::once_flag once;
    static bool ok = false;
    static QString why;
    std::call_once(once, [] {
        GError *gerror = nullptr;
        ok = gst_init_check(nullptr, nullptr, &gerror);
        if (!ok) {
            why = gerror ? QString::fromUtf8(gerror->message) : QStringLiteral("gst_init failed");
            if (gerror)
                g_error_free(gerror);
        }
    });
    if (!ok && error)
        *error = why;
    return ok;
}

// The C callbacks GStreamer calls, on its own threads: each hands its work to the session's
// thread (a queued call; dropped if the session is gone by then).
struct MediaSessionCallbacks
{
    static void negotiationNeeded(GstElement *, gpointer data)
    {
        auto *self = static_cast<MediaSession *>(data);
        QMetaObject::invokeMethod(
            self, [self] { self->createOffer(); }, Qt::QueuedConnection);
    }

    static void iceCandidate(GstElement *, guint mline, gchar *candidate, gpointer data)
    {
        auto *self = static_cast<MediaSession *>(data);
        const QString text = QString::fromUtf8(candidate);
        QMetaObject::invokeMethod(
            self, [self, mline, text] { Q_EMIT self->localCandidate(mline, text); },
            Qt::QueuedConnection);
    }

    static void padAdded(GstElement *, GstPad *pad, gpointer data)
    {
        if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC)
            return;
        // Linking inside the streaming thread is what GStreamer expects here.
        static_cast<MediaSession *>(data)->onIncomingStream(pad);
    }

    static void decodedPad(GstElement *, GstPad *pad, gpointer data)
    {
        static_cast<MediaSession *>(data)->onDecodedPad(pad);
    }

    static void iceState(GstElement *webrtc, GParamSpec *, gpointer data)
    {
        auto *self = static_cast<MediaSession *>(data);
        GstWebRTCICEConnectionState state = GST_WEBRTC_ICE_CONNECTION_STATE_NEW;
        g_object_get(webrtc, "ice-connection-state", &state, nullptr);
        MediaSession::IceState mapped = MediaSession::IceState::New;
        switch (state) {
        case GST_WEBRTC_ICE_CONNECTION_STATE_CHECKING:
            mapped = MediaSession::IceState::Checking;
            break;
        case GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED:
        case GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED:
            mapped = MediaSession::IceState::Connected;
            break;
        case GST_WEBRTC_ICE_CONNECTION_STATE_FAILED:
        case GST_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED:
            mapped = MediaSession::IceState::Failed;
            break;
        case GST_WEBRTC_ICE_CONNECTION_STATE_CLOSED:
            mapped = MediaSession::IceState::Closed;
            break;
        default:
            break;
        }
        QMetaObject::invokeMethod(
            self, [self, mapped] { self->setIceState(mapped); }, Qt::QueuedConnection);
    }

    static void offerCreated(GstPromise *promise, gpointer data)
    {
        static_cast<MediaSession *>(data)->onDescriptionCreated(true, promise);
    }

    static void answerCreated(GstPromise *promise, gpointer data)
    {
        static_cast<MediaSession *>(data)->onDescriptionCreated(false, promise);
    }

    static void remoteOfferSet(GstPromise *promise, gpointer data)
    {
        gst_promise_unref(promise);
        auto *self = static_cast<MediaSession *>(data);
        QMetaObject::invokeMethod(
            self, [self] { self->createAnswer(); }, Qt::QueuedConnection);
    }

    // Decoded audio (S16 from opusdec): counted, and its loudest sample kept for the level.
    static GstPadProbeReturn measureAudio(GstPad *, GstPadProbeInfo *info, gpointer data)
    {
        auto *self = static_cast<MediaSession *>(data);
        self->m_audioBuffers.fetch_add(1, std::memory_order_relaxed);
        GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER(info);
        GstMapInfo map;
        if (buffer && gst_buffer_map(buffer, &map, GST_MAP_READ)) {
            int peak = 0;
            const auto *samples = reinterpret_cast<const qint16 *>(map.data);
            for (gsize i = 0; i < map.size / 2; ++i)
                peak = std::max(peak, std::abs(int(samples[i])));
            gst_buffer_unmap(buffer, &map);
            self->m_audioPeak.store(peak, std::memory_order_relaxed);
        }
        return GST_PAD_PROBE_OK;
    }

    static GstPadProbeReturn countBuffer(GstPad *, GstPadProbeInfo *, gpointer counter)
    {
        static_cast<std::atomic<qint64> *>(counter)->fetch_add(1, std::memory_order_relaxed);
        return GST_PAD_PROBE_OK;
    }

    static gboolean busMessage(GstBus *, GstMessage *message, gpointer data)
    {
        if (GST_MESSAGE_TYPE(message) != GST_MESSAGE_ERROR)
            return TRUE;
        GError *gerror = nullptr;
        gst_message_parse_error(message, &gerror, nullptr);
        const QString text = gerror ? QString::fromUtf8(gerror->message) : QString();
        if (gerror)
            g_error_free(gerror);
        auto *self = static_cast<MediaSession *>(data);
        if (QThread::currentThread() == self->thread() && self->m_startError.isEmpty())
            self->m_startError = text; // posted while start() changes the state: say why
        QMetaObject::invokeMethod(
            self, [self, text] { self->fail(text); }, Qt::QueuedConnection);
        return TRUE;
    }

    static GstBusSyncReply busSync(GstBus *bus, GstMessage *message, gpointer data)
    {
        busMessage(bus, message, data);
        gst_message_unref(message);
        return GST_BUS_DROP;
    }

    static void statsReady(GstPromise *promise, gpointer data)
    {
        qint64 lost = 0;
        qint64 received = 0;
        double rttMs = -1;
        if (gst_promise_wait(promise) == GST_PROMISE_RESULT_REPLIED) {
            const GstStructure *reply = gst_promise_get_reply(promise);
            struct Totals
            {
                qint64 *lost;
                qint64 *received;
                double *rttMs;
            } totals {&lost, &received, &rttMs};
            gst_structure_foreach(
                reply,
                [](GQuark, const GValue *value, gpointer out) -> gboolean {
                    if (!GST_VALUE_HOLDS_STRUCTURE(value))
                        return TRUE;
                    const GstStructure *stats = gst_value_get_structure(value);
                    GstWebRTCStatsType type;
                    if (!gst_structure_get(stats, "type", GST_TYPE_WEBRTC_STATS_TYPE, &type,
                                           nullptr))
                        return TRUE;
                    auto *t = static_cast<Totals *>(out);
                    if (type == GST_WEBRTC_STATS_INBOUND_RTP) {
                        gint64 lostHere = 0;
                        guint64 receivedHere = 0;
                        if (gst_structure_get_int64(stats, "packets-lost", &lostHere))
                            *t->lost += std::max<gint64>(lostHere, 0);
                        if (gst_structure_get_uint64(stats, "packets-received", &receivedHere))
                            *t->received += qint64(receivedHere);
                    } else if (type == GST_WEBRTC_STATS_REMOTE_INBOUND_RTP) {
                        double rtt = 0;
                        if (gst_structure_get_double(stats, "round-trip-time", &rtt))
                            *t->rttMs = std::max(*t->rttMs, rtt * 1000.0);
                    }
                    return TRUE;
                },
                &totals);
        }
        gst_promise_unref(promise);
        auto *self = static_cast<MediaSession *>(data);
        QMetaObject::invokeMethod(
            self, [self, lost, received, rttMs] { Q_EMIT self->statsReady(lost, received, rttMs); },
            Qt::QueuedConnection);
    }
};

MediaSession::MediaSession(Role role, bool video, const MediaOptions &options,
                           const IceServers &ice, QObject *parent)
    : QObject(parent)
    , m_role(role)
    , m_video(video)
    , m_options(options)
    , m_ice(ice)
{ }

MediaSession::~MediaSession()
{
    if (m_pendingCamera)
        gst_object_unref(m_pendingCamera);
    if (m_pipeline) {
        // Stops every streaming thread before the callbacks' target goes away.
        gst_element_set_state(m_pipeline, GST_STATE_NULL);
        GstBus *bus = gst_element_get_bus(m_pipeline);
        gst_bus_set_sync_handler(bus, nullptr, nullptr, nullptr);
        gst_object_unref(bus);
        gst_object_unref(m_pipeline);
    }
}

bool MediaSession::start(const QString &remoteOffer)
{
    m_remoteOffer = remoteOffer;
    m_useH264 = m_options.h264 && h264Available();
    if (!initGStreamer(&m_error))
        return false;
    for (const char *needed : {"webrtcbin", "opusenc", "opusdec", "vp8enc", "vp8dec", "nicesrc"}) {
        if (!hasElement(needed)) {
            m_error = tr("The GStreamer element %1 is missing; install the GStreamer plugins "
                         "(good, bad, nice).")
                          .arg(QLatin1String(needed));
            return false;
        }
    }
    m_pipeline = gst_pipeline_new("call");
    // Both sides on the system clock: a sound card's clock (which the pipeline would otherwise
    // pick from the microphone) has its own time base, and the other side's player would wait
    // seconds for buffers stamped with it. Capture is slaved to this clock instead.
    GstClock *clock = gst_system_clock_obtain();
    gst_pipeline_use_clock(GST_PIPELINE(m_pipeline), clock);
    gst_object_unref(clock);
    m_webrtc = gst_element_factory_make("webrtcbin", "webrtc");
    g_object_set(m_webrtc, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, nullptr);
    if (!m_ice.stunUri.isEmpty())
        g_object_set(m_webrtc, "stun-server", m_ice.stunUri.toUtf8().constData(), nullptr);
    for (const QString &turn : m_ice.turnUris) {
        gboolean added = FALSE;
        g_signal_emit_by_name(m_webrtc, "add-turn-server", turn.toUtf8().constData(), &added);
    }
    if (m_ice.relayOnly)
        g_object_set(m_webrtc, "ice-transport-policy", GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY,
                     nullptr);
    gst_bin_add(GST_BIN(m_pipeline), m_webrtc);

    if (m_options.loopbackOnly) {
        GstWebRTCICE *ice = nullptr;
        g_object_get(m_webrtc, "ice-agent", &ice, nullptr);
        NiceAgent *agent = nullptr;
        if (ice)
            g_object_get(ice, "agent", &agent, nullptr);
        if (agent) {
            NiceAddress address;
            nice_address_init(&address);
            nice_address_set_from_string(&address, "127.0.0.1");
            nice_agent_add_local_address(agent, &address);
            g_object_unref(agent);
        }
        if (ice)
            gst_object_unref(ice);
    }

    GstBus *bus = gst_element_get_bus(m_pipeline);
    gst_bus_set_sync_handler(bus, &MediaSessionCallbacks::busSync, this, nullptr);
    gst_object_unref(bus);

    // webrtcdsp cancels the echo of our own speaker at the microphone (it pairs with the
    // webrtcechoprobe in front of the speaker); test tones have no echo to cancel.
    m_echoCancellation = !m_options.testSources && m_options.microphone != u"none"
        && hasElement("webrtcdsp") && hasElement("webrtcechoprobe");
    if (!buildSpeaker(m_echoCancellation) || !buildSenders())
        return false;

    g_signal_connect(m_webrtc, "on-ice-candidate", G_CALLBACK(&MediaSessionCallbacks::iceCandidate),
                     this);
    g_signal_connect(m_webrtc, "pad-added", G_CALLBACK(&MediaSessionCallbacks::padAdded), this);
    g_signal_connect(m_webrtc, "notify::ice-connection-state",
                     G_CALLBACK(&MediaSessionCallbacks::iceState), this);
    if (m_role == Role::Offerer)
        g_signal_connect(m_webrtc, "on-negotiation-needed",
                         G_CALLBACK(&MediaSessionCallbacks::negotiationNeeded), this);

    if (gst_element_set_state(m_pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
        m_error = tr("The call's media pipeline could not start.");
        if (!m_startError.isEmpty())
            m_error += QLatin1Char(' ') + m_startError;
        return false;
    }
    return true;
}

bool MediaSession::buildSenders()
{
    bool audioOk = false;
    if (GstElement *mic = makeSource(false, &audioOk))
        m_sendAudio = addAudioSender(mic);
    if (!audioOk)
        return false;
    if (!m_sendAudio)
        addTransceiver(false, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY);
    if (!m_video)
        return true;
    bool videoOk = false;
    GstElement *camera = makeSource(true, &videoOk);
    if (!videoOk)
        return false;
    if (camera && m_role == Role::Offerer) {
        // The answer picks the codec: offer every one (a transceiver with their caps), and
        // connect the camera with the chosen encoder once the answer is here.
        m_pendingCamera = GST_ELEMENT(gst_object_ref_sink(camera));
        addTransceiver(true, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
        m_sendVideo = true;
        return true;
    }
    if (camera) {
        int payload = videoPayloadFrom(m_remoteOffer, false, m_useH264, &m_videoCodec);
        if (payload < 0) {
            // The offer has no video codec this side knows: receive nothing, send nothing.
            gst_object_unref(camera);
            m_notices.append(tr("The other side's video cannot be shown here."));
            return true;
        }
        m_sendVideo = addVideoSender(camera, m_videoCodec, payload);
    }
    if (!m_sendVideo)
        addTransceiver(true, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY);
    return true;
}

// The microphone or camera element; null with *ok true when there is none (receive only, with
// a notice), null with *ok false when building failed.
GstElement *MediaSession::makeSource(bool video, bool *ok)
{
    *ok = true;
    const QString wanted = video ? m_options.camera : m_options.microphone;
    if (wanted == u"none")
        return nullptr;
    if (m_options.testSources)
        return gst_element_factory_make(video ? "videotestsrc" : "audiotestsrc", nullptr);
    bool usedDefault = false;
    GstElement *source = CallDevices::createElement(
        video ? CallDevices::Kind::Camera : CallDevices::Kind::Microphone, wanted, &usedDefault);
    if (usedDefault)
        m_notices.append(
            video ? tr("The camera “%1” is not there: using the default one.").arg(wanted)
                  : tr("The microphone “%1” is not there: using the default one.").arg(wanted));
    if (!source)
        m_notices.append(video ? tr("No camera was found: the other side will not see you.")
                               : tr("No microphone was found: the other side will not hear "
                                    "you."));
    // A microphone's audio in 10 ms pieces with 40 ms of buffering, not the 200 ms default:
    // a call's delay is the sum of such buffers.
    if (source && !video && g_object_class_find_property(G_OBJECT_GET_CLASS(source), "buffer-time"))
        g_object_set(source, "buffer-time", gint64(40000), "latency-time", gint64(10000), nullptr);
    return source;
}

bool MediaSession::addAudioSender(GstElement *source)
{
    if (m_options.testSources)
        g_object_set(source, "is-live", TRUE, "wave", 0 /* sine */, "freq", 440.0, "volume", 0.3,
                     nullptr);
    const bool dsp = m_echoCancellation;
    const QString chain =
        QStringLiteral("queue ! audioconvert ! audioresample ! %1 volume name=mic ! "
                       "audioconvert ! opusenc ! rtpopuspay pt=%2 ! capsfilter caps=\"%3\"")
            .arg(dsp ? QStringLiteral("webrtcdsp probe=echoprobe ! audioconvert !") : QString())
            .arg(kOpusPayload)
            .arg(QLatin1String(kOpusCaps));
    QString error;
    GstElement *bin = binFrom(chain, &error);
    if (!bin) {
        gst_object_unref(source);
        m_notices.append(tr("The microphone could not be used: %1").arg(error));
        return false;
    }
    gst_bin_add_many(GST_BIN(m_pipeline), source, bin, nullptr);
    m_micVolume = gst_bin_get_by_name(GST_BIN(bin), "mic");
    gst_object_unref(m_micVolume); // owned by the pipeline; kept as a plain pointer
    return gst_element_link(source, bin) && gst_element_link(bin, m_webrtc);
}

bool MediaSession::addVideoSender(GstElement *source, VideoCodec codec, int payload,
                                  const char *padName)
{
    if (m_options.testSources)
        g_object_set(source, "is-live", TRUE, "pattern", 0 /* SMPTE colour bars */, nullptr);
    // 640x360 at 15 frames a second keeps a software encoder light on a small machine; the tee
    // feeds the local preview when one is shown.
    const QString encoder = codec == VideoCodec::H264
        ? QStringLiteral("openh264enc bitrate=600000 gop-size=60 complexity=low ! "
                         "video/x-h264,stream-format=byte-stream,alignment=au ! h264parse ! "
                         "rtph264pay pt=%1 config-interval=-1 aggregate-mode=zero-latency ! "
                         "capsfilter caps=\"%2\"")
              .arg(payload)
              .arg(videoCaps(codec, payload))
        : QStringLiteral("vp8enc deadline=1 cpu-used=8 target-bitrate=600000 "
                         "keyframe-max-dist=60 ! rtpvp8pay pt=%1 picture-id-mode=15-bit ! "
                         "capsfilter caps=\"%2\"")
              .arg(payload)
              .arg(videoCaps(codec, payload));
    // The local preview, when its item is there already, is a branch of the same description
    // (adding it to the running tee later is the fallback, and less dependable).
    const bool preview = m_localItem && loadVideoSink();
    const QString chain =
        QStringLiteral("videoconvert ! videoscale ! videorate ! "
                       "video/x-raw,width=640,height=360,framerate=15/1 ! tee name=camera "
                       "allow-not-linked=true ! queue ! valve name=camvalve ! videoconvert ! ")
        + encoder
        + (preview ? QStringLiteral(" camera. ! queue leaky=downstream max-size-buffers=2 ! "
                                    "glupload ! glcolorconvert ! qml6glsink name=preview "
                                    "sync=false")
                   : QString());
    m_videoCodec = codec;
    QString error;
    GstElement *bin = binFrom(chain, &error);
    if (!bin) {
        gst_object_unref(source);
        m_notices.append(tr("The camera could not be used: %1").arg(error));
        return false;
    }
    if (preview) {
        m_localVideoSink = gst_bin_get_by_name(GST_BIN(bin), "preview");
        g_object_set(m_localVideoSink, "widget", static_cast<gpointer>(m_localItem.data()),
                     nullptr);
        gst_object_unref(m_localVideoSink); // owned by the pipeline
    }
    gst_bin_add_many(GST_BIN(m_pipeline), source, bin, nullptr);
    m_cameraValve = gst_bin_get_by_name(GST_BIN(bin), "camvalve");
    gst_object_unref(m_cameraValve);
    if (!gst_element_link(source, bin))
        return false;
    if (!padName)
        return gst_element_link(bin, m_webrtc);
    // Into the transceiver offered earlier (its m-line's pad), while the pipeline plays.
    GstPad *target = gst_element_request_pad_simple(m_webrtc, padName);
    GstPad *out = gst_element_get_static_pad(bin, "src");
    const bool linked = target && out && gst_pad_link(out, target) == GST_PAD_LINK_OK;
    if (out)
        gst_object_unref(out);
    if (target)
        gst_object_unref(target);
    gst_element_sync_state_with_parent(bin);
    gst_element_sync_state_with_parent(source);
    return linked;
}

bool MediaSession::h264Available()
{
    static const bool available = initGStreamer() && hasElement("openh264enc")
        && hasElement("openh264dec") && hasElement("rtph264pay") && hasElement("rtph264depay")
        && hasElement("h264parse");
    return available;
}

void MediaSession::addTransceiver(bool video, int direction)
{
    GstCaps *caps =
        gst_caps_from_string(video ? videoCapsAll(m_useH264).toUtf8().constData() : kOpusCaps);
    GstWebRTCRTPTransceiver *transceiver = nullptr;
    g_signal_emit_by_name(m_webrtc, "add-transceiver", GstWebRTCRTPTransceiverDirection(direction),
                          caps, &transceiver);
    gst_caps_unref(caps);
    if (transceiver)
        gst_object_unref(transceiver);
}

void MediaSession::createOffer()
{
    if (!m_webrtc || m_haveRemoteDescription)
        return; // negotiation-needed again after the answer (renegotiation is the peer's)
    GstPromise *promise =
        gst_promise_new_with_change_func(&MediaSessionCallbacks::offerCreated, this, nullptr);
    g_signal_emit_by_name(m_webrtc, "create-offer", nullptr, promise);
}

void MediaSession::createAnswer()
{
    GstPromise *promise =
        gst_promise_new_with_change_func(&MediaSessionCallbacks::answerCreated, this, nullptr);
    g_signal_emit_by_name(m_webrtc, "create-answer", nullptr, promise);
}

// On a GStreamer thread: sets the new description locally, then hands its text over.
void MediaSession::onDescriptionCreated(bool offer, GstPromise *promise)
{
    GstWebRTCSessionDescription *description = nullptr;
    if (gst_promise_wait(promise) == GST_PROMISE_RESULT_REPLIED) {
        const GstStructure *reply = gst_promise_get_reply(promise);
        gst_structure_get(reply, offer ? "offer" : "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
                          &description, nullptr);
    }
    gst_promise_unref(promise);
    if (!description) {
        QMetaObject::invokeMethod(
            this, [this] { fail(tr("The call could not be negotiated.")); }, Qt::QueuedConnection);
        return;
    }
    g_signal_emit_by_name(m_webrtc, "set-local-description", description, nullptr);
    const QString sdp = sdpText(description);
    gst_webrtc_session_description_free(description);
    const QString type = offer ? QStringLiteral("offer") : QStringLiteral("answer");
    QMetaObject::invokeMethod(
        this, [this, type, sdp] { Q_EMIT localDescription(type, sdp); }, Qt::QueuedConnection);
}

void MediaSession::setRemoteDescription(const QString &type, const QString &sdp)
{
    if (!m_webrtc)
        return;
    GstSDPMessage *message = nullptr;
    gst_sdp_message_new(&message);
    const QByteArray text = sdp.toUtf8();
    if (gst_sdp_message_parse_buffer(reinterpret_cast<const guint8 *>(text.constData()),
                                     guint(text.size()), message)
        != GST_SDP_OK) {
        gst_sdp_message_free(message);
        fail(tr("The other side sent a description that cannot be read."));
        return;
    }
    const bool isOffer = type == u"offer";
    if (!isOffer && m_pendingCamera) {
        GstElement *camera = std::exchange(m_pendingCamera, nullptr);
        const int payload = videoPayloadFrom(sdp, true, m_useH264, &m_videoCodec);
        // The video transceiver is the second m-line (audio is the first).
        if (payload < 0 || !addVideoSender(camera, m_videoCodec, payload, "sink_1")) {
            m_sendVideo = false;
            m_notices.append(tr("The other side takes no video this side can send."));
        }
        gst_object_unref(camera); // the pipeline holds it now (or nobody)
        attachVideoItems(); // the local preview, now that the camera runs
    }
    GstWebRTCSessionDescription *description = gst_webrtc_session_description_new(
        isOffer ? GST_WEBRTC_SDP_TYPE_OFFER : GST_WEBRTC_SDP_TYPE_ANSWER, message);
    GstPromise *promise = isOffer
        ? gst_promise_new_with_change_func(&MediaSessionCallbacks::remoteOfferSet, this, nullptr)
        : gst_promise_new();
    g_signal_emit_by_name(m_webrtc, "set-remote-description", description, promise);
    if (!isOffer)
        gst_promise_unref(promise);
    gst_webrtc_session_description_free(description);
    m_haveRemoteDescription = true;
    applyRemoteCandidates();
}

void MediaSession::addRemoteCandidate(quint32 mlineIndex, const QString &candidate)
{
    m_pendingCandidates.append({mlineIndex, candidate});
    if (m_haveRemoteDescription)
        applyRemoteCandidates();
}

void MediaSession::applyRemoteCandidates()
{
    for (const auto &[mline, candidate] : std::as_const(m_pendingCandidates))
        g_signal_emit_by_name(m_webrtc, "add-ice-candidate", guint(mline),
                              candidate.toUtf8().constData());
    m_pendingCandidates.clear();
}

// On a GStreamer thread: a stream from the other side: decode it, then onDecodedPad.
void MediaSession::onIncomingStream(GstPad *pad)
{
    GstElement *decode = gst_element_factory_make("decodebin", nullptr);
    g_signal_connect(decode, "pad-added", G_CALLBACK(&MediaSessionCallbacks::decodedPad), this);
    gst_bin_add(GST_BIN(m_pipeline), decode);
    gst_element_sync_state_with_parent(decode);
    GstPad *sink = gst_element_get_static_pad(decode, "sink");
    gst_pad_link(pad, sink);
    gst_object_unref(sink);
}

// The speaker's element (or a fakesink when there is none, none is wanted, or a test tone needs
// no hearing), clock-synchronized. async=false: it may wait for its first buffer without
// holding the pipeline's state change (the speaker is made before anything arrives).
GstElement *MediaSession::makeSpeaker() const
{
    GstElement *speaker = nullptr;
    if (!(m_options.testSources && m_options.speaker.isEmpty()) && m_options.speaker != u"none")
        speaker = CallDevices::createElement(CallDevices::Kind::Speaker, m_options.speaker);
    if (!speaker)
        speaker = gst_element_factory_make("fakesink", nullptr);
    g_object_set(speaker, "sync", TRUE, "async", FALSE, nullptr);
    return speaker;
}

// Made at start: what the other side's voice plays through. With echo cancellation, the echo
// probe sits in front of the speaker (webrtcdsp at the microphone needs it from the start).
bool MediaSession::buildSpeaker(bool echoProbe)
{
    GstElement *speaker = makeSpeaker();
    if (echoProbe) {
        QString error;
        GstElement *bin =
            binFrom(QStringLiteral("webrtcechoprobe name=echoprobe ! audioconvert ! audioresample"),
                    &error);
        if (!bin) {
            gst_object_unref(speaker);
            m_error = error;
            return false;
        }
        gst_bin_add_many(GST_BIN(m_pipeline), bin, speaker, nullptr);
        gst_element_link(bin, speaker);
        m_speakerInput = bin;
    } else {
        gst_bin_add(GST_BIN(m_pipeline), speaker);
        m_speakerInput = speaker;
    }
    return true;
}

// On a GStreamer thread: decoded audio goes to the speaker, decoded video to the QML item (or
// nowhere); both are counted.
void MediaSession::onDecodedPad(GstPad *pad)
{
    GstCaps *caps = gst_pad_get_current_caps(pad);
    if (!caps)
        caps = gst_pad_query_caps(pad, nullptr);
    const GstStructure *structure = gst_caps_get_structure(caps, 0);
    const QString name = QString::fromUtf8(gst_structure_get_name(structure));
    const QString format = QString::fromUtf8(gst_structure_get_string(structure, "format"));
    gst_caps_unref(caps);
    const bool video = name.startsWith(u"video/");
    if (!video && !name.startsWith(u"audio/"))
        return;

    QString chain;
    QObject *remoteItem = m_remoteItemForStreaming.load();
    const bool display = video && remoteItem && loadVideoSink();
    if (display) {
        // Straight to the screen. (Adding this branch to the tee below later works for the
        // camera, but stalled the decoder here: keep that only for items that come late.)
        chain = QStringLiteral("queue ! videoconvert ! glupload ! glcolorconvert ! "
                               "qml6glsink name=display sync=false");
    } else if (video) {
        chain = QStringLiteral("queue ! videoconvert ! tee name=remote allow-not-linked=true ! "
                               "queue ! fakesink sync=true");
    } else {
        chain = QStringLiteral("queue ! audioconvert ! audioresample ! audioconvert");
    }
    // The first audio stream goes to the speaker made at start (behind the echo probe, when
    // there is one), any other to a speaker of its own.
    GstElement *speaker = nullptr;
    if (!video)
        speaker = m_speakerTaken.exchange(true) ? makeSpeaker() : m_speakerInput;
    const bool ownSpeaker = speaker && speaker != m_speakerInput;
    QString error;
    GstElement *bin = binFrom(chain, &error);
    if (!bin) {
        QMetaObject::invokeMethod(
            this, [this, error] { fail(error); }, Qt::QueuedConnection);
        return;
    }
    if (display) {
        GstElement *sink = gst_bin_get_by_name(GST_BIN(bin), "display");
        g_object_set(sink, "widget", static_cast<gpointer>(remoteItem), nullptr);
        gst_object_unref(sink);
        QMetaObject::invokeMethod(
            this, [this, sink] { m_remoteVideoSink = sink; }, Qt::QueuedConnection);
    }
    gst_bin_add(GST_BIN(m_pipeline), bin);
    if (ownSpeaker) {
        gst_bin_add(GST_BIN(m_pipeline), speaker);
        gst_element_sync_state_with_parent(speaker);
    }
    if (speaker)
        gst_element_link(bin, speaker);
    gst_element_sync_state_with_parent(bin);
    GstPad *sink = gst_element_get_static_pad(bin, "sink");
    gst_pad_link(pad, sink);
    gst_object_unref(sink);
    if (video)
        gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, &MediaSessionCallbacks::countBuffer,
                          &m_videoFrames, nullptr);
    else if (name == u"audio/x-raw" && format == u"S16LE")
        gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, &MediaSessionCallbacks::measureAudio,
                          this, nullptr);
    else
        gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, &MediaSessionCallbacks::countBuffer,
                          &m_audioBuffers, nullptr);
    if (video && !display) {
        QMetaObject::invokeMethod(
            this, [this] { attachVideoItems(); }, Qt::QueuedConnection);
    }
}

void MediaSession::setVideoItems(QObject *remote, QObject *localPreview)
{
    m_remoteItem = remote;
    m_localItem = localPreview;
    m_remoteItemForStreaming.store(remote);
    attachVideoItems();
}

// Adds a qml6glsink branch to the remote and the camera tees for items that have none yet
// (GStreamer allows adding branches to a playing tee). The new sink must not change state
// asynchronously (async=false): the pipeline would drop to PAUSED until it prerolled, while the
// tee's other, clock-synchronized branch holds the buffer it needs: everything would stall.
void MediaSession::attachVideoItems()
{
    if (!m_pipeline || !hasElement("qml6glsink"))
        return;
    const auto attach = [this](const char *teeName, QObject *item, GstElement **sink) {
        if (!item)
            return;
        if (*sink) {
            g_object_set(*sink, "widget", static_cast<gpointer>(item), nullptr);
            return;
        }
        GstElement *tee = gst_bin_get_by_name(GST_BIN(m_pipeline), teeName); // recursive
        if (!tee)
            return;
        QString error;
        GstElement *branch = binFrom(
            QStringLiteral("queue leaky=downstream max-size-buffers=2 ! glupload ! "
                           "glcolorconvert ! qml6glsink name=display sync=false async=false"),
            &error);
        if (!branch) {
            gst_object_unref(tee);
            return;
        }
        GstElement *display = gst_bin_get_by_name(GST_BIN(branch), "display");
        g_object_set(display, "widget", static_cast<gpointer>(item), nullptr);
        gst_object_unref(display);
        *sink = display;
        // Playing before it is linked: a buffer the tee pushes into a pad that is still
        // flushing returns FLUSHING, and the source's task then pauses for good, silently.
        gst_bin_add(GST_BIN(m_pipeline), branch);
        gst_element_sync_state_with_parent(branch);
        gst_element_link(tee, branch);
        gst_object_unref(tee);
    };
    attach("remote", m_remoteItem, &m_remoteVideoSink);
    attach("camera", m_localItem, &m_localVideoSink);
}

void MediaSession::setMicrophoneMuted(bool muted)
{
    if (m_micVolume)
        g_object_set(m_micVolume, "mute", gboolean(muted), nullptr);
}

void MediaSession::setCameraEnabled(bool enabled)
{
    if (m_cameraValve)
        g_object_set(m_cameraValve, "drop", gboolean(!enabled), nullptr);
}

bool MediaSession::loadVideoSink()
{
    static const bool loaded = [] {
        if (!initGStreamer())
            return false;
        GstElement *sink = gst_element_factory_make("qml6glsink", nullptr);
        if (!sink)
            return false;
        gst_object_unref(sink);
        return true;
    }();
    return loaded;
}

void MediaSession::requestStats()
{
    if (!m_webrtc)
        return;
    GstPromise *promise =
        gst_promise_new_with_change_func(&MediaSessionCallbacks::statsReady, this, nullptr);
    g_signal_emit_by_name(m_webrtc, "get-stats", nullptr, promise);
}

void MediaSession::setIceState(IceState state)
{
    if (state == m_iceState)
        return;
    m_iceState = state;
    Q_EMIT iceStateChanged(state);
}

void MediaSession::fail(const QString &message)
{
    if (!m_error.isEmpty())
        return;
    m_error = message;
    Q_EMIT failed(message);
}

} // namespace tern::client
