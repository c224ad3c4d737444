// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>

namespace tern::server {

// How much one page of history, search hits or conversation changes carries: a page stops
// early (has_more) once its entries' serialized bytes pass kMaxBytes, so that no answer
// outgrows what a client takes in one frame and the send queue. The first entry always fits
// (one entry is at most a frame).
class PageBudget
{
public:
    static constexpr size_t kMaxBytes = 512 * 1024;

    // Counts an entry of `bytes` for a page that already has `taken` entries; false when the
    // entry does not fit and the page ends before it.
    bool fits(size_t bytes, size_t taken)
    {
        m_used += bytes;
        return taken == 0 || m_used <= kMaxBytes;
    }

private:
    size_t m_used = 0;
};

} // namespace tern::server
