// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

namespace tern::client {

// Reconnect delays: exponential from `initialMs`, capped at `maxMs`, with "equal jitter" (a
// random point in the upper half of the step) so that thousands of clients dropped by the same
// server restart do not come back in lockstep.
class Backoff
{
public:
    explicit Backoff(int initialMs = 1000, int maxMs = 60000);

    // The delay before the next attempt; each call doubles the step up to the cap.
    int nextDelayMs();
    // After a successful connection: start again from the initial step.
    void reset() { m_attempt = 0; }
    int attempts() const { return m_attempt; }

private:
    int m_initialMs;
    int m_maxMs;
    int m_attempt = 0;
};

} // namespace tern::client
