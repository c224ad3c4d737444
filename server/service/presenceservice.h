// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "service/authservice.h"
#include "service/presencerules.h"

#include <QObject>

namespace tern::server {

class PresenceStore;
class PresenceTracker;

// Presence requests: a device's away/invisible flags (kept by the process-wide
// PresenceTracker) and the presence of any users, as the caller may see them. One per I/O
// worker, on the worker's database pool; callbacks run on that worker.
class PresenceService : public QObject
{
    Q_OBJECT
public:
    PresenceService(PresenceStore &store, PresenceTracker &tracker, QObject *parent = nullptr);

    // Sets the flags of the caller's device on `connectionId`; the value is the state the user
    // will be published with.
    void setPresence(const Caller &caller, quint64 connectionId,
                     const proto::SetPresenceRequest &request,
                     ResultCallback<proto::SetPresenceResult> done);
    // Up to kMaxPresenceQueryIds users; hidden and unknown users are reported OFFLINE with no
    // last-seen time, never as an error.
    void getPresence(const Caller &caller, const proto::GetPresenceRequest &request,
                     ResultCallback<proto::PresenceList> done);

private:
    PresenceStore &m_store;
    PresenceTracker &m_tracker;
};

} // namespace tern::server
