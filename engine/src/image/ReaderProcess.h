// Runs a third-party reader (libraw, libheif) on untrusted bytes in a process of its own, so that a
// file which crashes it, hangs it or makes it eat memory is an error for that file alone, never a
// crash, hang or out-of-memory death of the indexer or the window. Both libraries have such bugs in
// the versions Debian 12 ships (fuzz_image_decode found a wild read in libraw 0.20's parse_tiff_ifd,
// and an 869-byte HEIF on which libheif 1.15 spins for minutes while its memory grows).
//
// The process is the helper executable `ruvision-reader`, started with posix_spawn: a fresh
// program, not a fork of the caller. A fork copies one thread of a threaded program (the window,
// the indexer's pool) with every lock another thread held at that moment (the dynamic loader's,
// an allocator's without fork handlers, as clang's ASan has): its child could wait forever on one
// and a good photo would come out as "still reading". Without the helper (a program built outside
// this project that links the engine) the reader is forked, as before.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ruvision/engine/Result.h"

namespace rv {

struct ReaderLimits {
    int seconds = 30;                   // a process still reading after this long is stopped
    std::uint64_t memory_bytes = 0;     // a process whose memory grows by more than this is stopped; 0: no bound
};

// What a reader does, named so that another process can do it.
struct ReaderJob {
    std::string kind;               // "heif" or "raw"
    std::vector<std::string> args;  // the reader's arguments (see reader_answer)
    const std::uint8_t* input = nullptr;  // the file's bytes, owned by the caller
    std::size_t input_size = 0;
};

// The helper executable: $RUVISION_READER if set (then that one or none), else `ruvision-reader`
// beside the running program, else the installed one; empty when there is none.
std::string reader_helper_path();

// Runs `job` in the helper (or a forked child) within `limits` and returns its answer's bytes, or
// an Error: "<reader> crashed on this file: <crash_hint>", "<reader> was still reading after N s",
// "<reader> needed more than N MiB of memory on this file", "cannot start <reader>: ...".
// Thread-safe: one process per call.
[[nodiscard]] Result<std::vector<std::uint8_t>> run_reader_process(const std::string& reader, const std::string& crash_hint,
                                                                    const ReaderLimits& limits, const ReaderJob& job);

// The job itself, in this process: the answer bytes the reader's own decoder understands
// (HeifDecode.cpp, RawDecode.cpp); wrong arguments give an error answer, an unknown kind one
// no decoder accepts.
std::vector<std::uint8_t> reader_answer(const ReaderJob& job);

// ruvision-reader's main: argv = {program, protocol, kind, args...}, the file on stdin, the answer
// on stdout. Exit status 0 (answered), 2 (stdout closed), 64 (not started by this RuVision).
int reader_helper_main(int argc, char** argv);

}  // namespace rv
