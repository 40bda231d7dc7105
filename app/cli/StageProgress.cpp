// StageProgressLine (StageProgress.h).
#include "cli/StageProgress.h"

#include <unistd.h>

#include <cstdio>

#include "cli/Commands.h"

namespace rv::cli {

StageProgressLine::StageProgressLine() : terminal_(isatty(STDERR_FILENO) == 1) {}

StageProgressLine::~StageProgressLine() {
    if (terminal_ && drawn_) std::fputc('\n', stderr);
}

void StageProgressLine::update(const std::string& stage, std::size_t done, std::size_t total,
                               const std::string& label, const std::string& suffix) {
    const auto now = std::chrono::steady_clock::now();
    const bool last = total > 0 && done >= total;
    if (stage == stage_ && !last && now - shown_ < std::chrono::seconds(1)) return;
    const std::string text = label + " " + thousands(done) + " / " + thousands(total) + suffix;
    if (terminal_) std::fprintf(stderr, "\r\033[K%s", text.c_str());
    else std::fprintf(stderr, "%s\n", text.c_str());
    std::fflush(stderr);
    drawn_ = true;
    stage_ = stage;
    shown_ = now;
}

}  // namespace rv::cli
