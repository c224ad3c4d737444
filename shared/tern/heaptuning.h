// SPDX-License-Identifier: Apache-2.0
#pragma once

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace tern {

// File chunks are ~256 KiB buffers, several per frame on each side (WebSocket frame, parse,
// copies). glibc serves blocks that large with mmap and hands freed memory straight back, so
// every chunk paid for page faults on fresh pages (a third of ternd's time in a transfer).
// Keeping such blocks in the heap, and up to 64 MiB of freed heap, roughly tripled transfer
// speed and halved chat latency during transfers (ternbench --scenario files,
// docs/benchmarks.md). Call first thing in main().
inline void keepLargeBuffersInHeap()
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

} // namespace tern
