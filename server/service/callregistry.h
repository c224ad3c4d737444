// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "service/authservice.h"
#include "service/callpolicy.h"
#include "service/result.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace tern::server {

class ConnectionRegistry;

// Every call of this ternd, on the main thread: the state machine of calls.proto (ringing,
// connected, ended and why), who is busy, which device of each side is in the call, the ring
// timeout and the reconnect grace. CallService instances on the I/O workers hop here with
// requests they checked (friendship, blocks, sizes) and hop back with the answers. Pushes go
// to the devices (sessions) concerned through the ConnectionRegistry.
class CallRegistry : public QObject
{
    Q_OBJECT
public:
    CallRegistry(ConnectionRegistry &registry, CallPolicy policy, QObject *parent = nullptr);
    ~CallRegistry() override;

    // Watches connections come and go (before the workers start).
    void start();
    // Called with every call that ended, to write its record into the conversation.
    void setRecorder(std::function<void(const proto::Call &)> recorder)
    {
        m_recorder = std::move(recorder);
    }

    Result<proto::CallStarted> startCall(const Caller &caller, qint64 calleeId,
                                         qint64 conversationId, proto::CallMedia media,
                                         const std::string &sdpOffer);
    Result<proto::Call> answer(const Caller &caller, const QString &callId,
                               const std::string &sdpAnswer);
    Result<proto::Call> decline(const Caller &caller, const QString &callId);
    Result<proto::Call> hangUp(const Caller &caller, const QString &callId);
    Result<Done> signal(const Caller &caller, const proto::CallSignalRequest &request);
    proto::IceConfig iceConfig(qint64 userId) const;
    const CallPolicy &policy() const { return m_policy; }

private:
    struct ActiveCall
    {
        proto::Call call;
        qint64 callerSession = 0;
        qint64 calleeSession = 0; // the device that answered
        std::string offer;
        std::vector<proto::CallSignalPush> held; // the caller's candidates while ringing
        // Signals (the answer included) for a device of the call whose connection is away,
        // given when it is back within the grace.
        QHash<qint64, std::vector<proto::CallSignalPush>> heldForAway;
        std::unique_ptr<QTimer> ringTimer;
        // Devices in the call that lost their connection, until they come back.
        QHash<qint64, std::shared_ptr<QTimer>> grace;
    };

    ActiveCall *find(const QString &callId);
    // Ends the call (the ended Call; empty if there was none): tells both users' devices and
    // has its record written.
    proto::Call end(const QString &callId, proto::CallEndReason reason);
    void onConnection(qint64 userId, qint64 sessionId, bool added);
    void pushUpdate(const QList<qint64> &sessions, const proto::Call &call);
    // To the device `session` of the call, or held for it while its connection is away.
    void relay(ActiveCall &active, qint64 session, const proto::CallSignalPush &signal);
    void pushIncoming(const ActiveCall &active, const QList<qint64> &sessions, bool toUser);

    ConnectionRegistry &m_registry;
    CallPolicy m_policy;
    std::function<void(const proto::Call &)> m_recorder;
    QHash<QString, std::shared_ptr<ActiveCall>> m_calls;
    QHash<qint64, QString> m_callOfUser; // users in a ringing or connected call
};

} // namespace tern::server
