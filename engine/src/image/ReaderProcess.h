// Runs a third-party reader (libraw, libheif) on untrusted bytes in a child process, so that a
// file which crashes it, hangs it or makes it eat memory is an error for that file alone, never a
// crash, hang or out-of-memory death of the indexer or the window. Both libraries have such bugs in
// the versions Debian 12 ships (fuzz_image_decode found a wild read in libraw 0.20's parse_tiff_ifd,
// and an 869-byte HEIF on which libheif 1.15 spins for minutes while its memory grows).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ruvision/engine/Result.h"

namespace rv {

struct ReaderLimits {
    int seconds = 30;                   // a child still reading after this long is stopped
    std::uint64_t memory_bytes = 0;     // a child whose memory grows by more than this is stopped; 0: no bound
};

// Forks (without exec); the child runs `work` on what it shares with the caller copy-on-write,
// writes the bytes `work` returns through a pipe and leaves with _exit. Returns those bytes, or an
// Error: "<reader> crashed on this file: <crash_hint>", "<reader> was still reading after N s",
// "<reader> needed more than N MiB of memory on this file". `work` must not throw across the fork
// (a throw ends the child as a crash). Thread-safe: one child per call.
[[nodiscard]] Result<std::vector<std::uint8_t>> run_reader_process(const std::string& reader, const std::string& crash_hint,
                                                                    const ReaderLimits& limits,
                                                                    const std::function<std::vector<std::uint8_t>()>& work);

}  // namespace rv
