// ProgressLine (Progress.h).
#include "cli/Progress.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>

#include "cli/Commands.h"

namespace rv::cli {

namespace {

// Writes all of `size` bytes to fd 2 (retrying short writes and EINTR); gives up on other errors,
// as stderr itself would.
void write_all(const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(STDERR_FILENO, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

void write_all(const std::string& s) { write_all(s.data(), s.size()); }

constexpr const char* kEraseLine = "\r\x1b[K";  // to the line's start, erase to its end
constexpr auto kTerminalRedraw = std::chrono::milliseconds(200);

}  // namespace

ProgressLine::ProgressLine(bool terminal, double every_seconds)
    : terminal_(terminal), every_(every_seconds) {
    cookie_io_functions_t io{};
    io.write = &ProgressLine::write_through;
    own_ = fopencookie(this, "w", io);
    if (!own_) return;  // progress still works; codec warnings may then split the line
    std::setvbuf(own_, nullptr, _IOLBF, BUFSIZ);  // whole lines reach write_through
    std::fflush(stderr);
    saved_ = stderr;
    stderr = own_;
}

ProgressLine::~ProgressLine() {
    finish();
    if (own_) {
        std::fflush(own_);
        stderr = saved_;
        std::fclose(own_);
    }
}

std::string ProgressLine::text(const IndexProgress& p) {
    const double percent = p.total ? 100.0 * static_cast<double>(p.done) / static_cast<double>(p.total) : 100.0;
    char rate[32];
    std::snprintf(rate, sizeof rate, p.images_per_second < 9.95 ? "%.1f" : "%.0f", p.images_per_second);
    return "indexed " + thousands(p.done) + " / " + thousands(p.total) + " (" +
           std::to_string(static_cast<int>(std::floor(percent))) + " %), " + rate + " images/s, " +
           count(p.errors, "error");
}

void ProgressLine::update(const IndexProgress& p) {
    std::lock_guard lock(mutex_);
    latest_ = p;
    shown_ = text(p);
    pending_ = true;
    const auto now = std::chrono::steady_clock::now();
    if (last_ == std::chrono::steady_clock::time_point{}) last_ = now;  // the first line after a period
    const bool due = terminal_ ? now - last_ >= kTerminalRedraw : now - last_ >= every_;
    if (!due || partial_) return;
    last_ = now;
    draw_locked();
}

void ProgressLine::finish() {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    if (partial_) write_all("\n");  // a line someone left open ends here, not in our text
    partial_ = false;
    if (pending_) draw_locked();
    if (terminal_ && !erased_) write_all("\n");
    erased_ = true;
    for (const auto& [line, times] : repeats_)
        if (times > 0) write_all(line + " (" + count(times, "more time") + ")\n");
    finished_ = true;
    shown_.clear();
}

void ProgressLine::erase_locked() {
    if (!terminal_ || erased_) return;
    write_all(kEraseLine);
    erased_ = true;
}

void ProgressLine::draw_locked() {
    pending_ = false;
    if (shown_.empty() || finished_) return;
    if (terminal_) {
        write_all(kEraseLine + shown_);
        erased_ = false;
    } else {
        write_all(shown_ + "\n");
    }
}

ssize_t ProgressLine::write_through(void* cookie, const char* data, std::size_t size) {
    auto* self = static_cast<ProgressLine*>(cookie);
    std::lock_guard lock(self->mutex_);
    if (size == 0) return 0;
    // A whole line seen before is only counted (line buffering hands whole lines over here).
    if (!self->partial_ && data[size - 1] == '\n') {
        const auto [it, first] = self->repeats_.try_emplace(std::string(data, size - 1), 0);
        if (!first) {
            ++it->second;
            return static_cast<ssize_t>(size);
        }
    }
    self->erase_locked();
    write_all(data, size);
    self->partial_ = data[size - 1] != '\n';
    // On a terminal the progress comes back under the line just written.
    if (self->terminal_ && !self->partial_ && !self->finished_ && !self->shown_.empty()) {
        write_all(kEraseLine + self->shown_);
        self->erased_ = false;
    }
    return static_cast<ssize_t>(size);
}

}  // namespace rv::cli
