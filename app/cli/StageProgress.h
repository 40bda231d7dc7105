// The progress of a staged job (learn, tune, an adapter's activation or import) on stderr: on a
// terminal one line rewritten in place; otherwise a line when the stage changes, at a stage's end,
// and at most one a second. Thread: the one running the job (its progress callback); one at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace rv::cli {

class StageProgressLine {
public:
    StageProgressLine();
    ~StageProgressLine();  // ends a line drawn in place
    StageProgressLine(const StageProgressLine&) = delete;
    StageProgressLine& operator=(const StageProgressLine&) = delete;

    // Shows "<label> <done> / <total><suffix>" when due; `stage` is what counts as a change of stage.
    void update(const std::string& stage, std::size_t done, std::size_t total, const std::string& label,
                const std::string& suffix = {});

private:
    bool terminal_;
    bool drawn_ = false;
    std::string stage_;
    std::chrono::steady_clock::time_point shown_{};
};

}  // namespace rv::cli
