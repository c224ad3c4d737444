// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "service/authservice.h"
#include "service/result.h"
#include "tern/protocol.h"

#include <QObject>

namespace tern::server {

class CallRegistry;
class PgPool;

// Call requests (calls.proto) of one I/O worker: input limits here, who may call whom in SQL
// (friends both ways, no block either way, their direct conversation), then the state machine
// in the CallRegistry on the main thread; answers come back to this worker.
class CallService : public QObject
{
    Q_OBJECT
public:
    CallService(PgPool &pool, CallRegistry *calls, QObject *parent = nullptr);

    void startCall(const Caller &caller, const proto::StartCallRequest &request,
                   ResultCallback<proto::CallStarted> done);
    void answer(const Caller &caller, const proto::AnswerCallRequest &request,
                ResultCallback<proto::Call> done);
    void decline(const Caller &caller, const proto::DeclineCallRequest &request,
                 ResultCallback<proto::Call> done);
    void hangUp(const Caller &caller, const proto::HangUpRequest &request,
                ResultCallback<proto::Call> done);
    void signal(const Caller &caller, const proto::CallSignalRequest &request,
                ResultCallback<Done> done);
    void iceConfig(const Caller &caller, ResultCallback<proto::IceConfig> done);

private:
    // Runs `work` on the registry's thread and answers `done` back on this worker.
    template<typename T>
    void onRegistry(std::function<Result<T>(CallRegistry &)> work, ResultCallback<T> done);

    PgPool &m_pool;
    CallRegistry *m_calls;
};

} // namespace tern::server
