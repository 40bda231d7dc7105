// The progress of an indexing run on stderr, sharing stderr with everything else that writes to it
// meanwhile: our own messages and the warnings codecs print from the decoding threads (libpng's
// "iCCP: known incorrect sRGB profile" and libjpeg's warnings, written with fprintf(stderr)).
//
// On a terminal the progress is one line, rewritten in place. For as long as a ProgressLine lives,
// `stderr` is a stream of its own (glibc lets a program assign stderr; libpng and libjpeg use the
// same variable): every line written to it first erases the progress line, is written whole, and
// the progress line is drawn again below it, so a warning never lands in the middle of the
// progress text and the progress never lands in the middle of a warning. A line exactly like one
// already written (a codec's warning names no file: the same text for every such file) is written
// once; finish() says how many times each was repeated. Nothing is redirected at the
// file-descriptor level: what is written straight to fd 2 (a sanitizer's report) still appears.
//
// Without a terminal (a script, a CI log) progress is a whole line every `every_seconds` (the
// last one always), never one per file unless every_seconds is 0.
//
// Threads: update() and finish() from the thread running the index job; lines written to stderr
// from any thread. One ProgressLine at a time in a process.
#pragma once

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>

#include "ruvision/engine/Library.h"

namespace rv::cli {

class ProgressLine {
public:
    ProgressLine(bool terminal, double every_seconds);
    ~ProgressLine();  // finish(), then stderr is the process's own stream again
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    void update(const IndexProgress& p);
    // Draws the last state (if any was reported) and ends the progress line with a newline.
    void finish();

    // "indexed 1,200 / 5,000 (24 %), 41 images/s, 3 errors"
    static std::string text(const IndexProgress& p);

private:
    static ssize_t write_through(void* self, const char* data, std::size_t size);
    void erase_locked();
    void draw_locked();

    const bool terminal_;
    const std::chrono::duration<double> every_;
    std::mutex mutex_;  // guards what follows and every write to fd 2 made here
    FILE* saved_ = nullptr;  // the process's stderr, restored by the destructor
    FILE* own_ = nullptr;
    std::string shown_;      // the progress text (terminal: on the screen unless erased_)
    bool erased_ = true;     // terminal: the progress line is not on the screen
    bool partial_ = false;   // a line written to stderr has not ended yet: draw nothing
    bool pending_ = false;   // an update not drawn yet (too soon, or partial_)
    bool finished_ = false;
    std::chrono::steady_clock::time_point last_{};
    IndexProgress latest_;
    std::map<std::string, std::size_t> repeats_;  // whole lines written to stderr -> times seen again
};

}  // namespace rv::cli
