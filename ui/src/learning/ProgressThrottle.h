// Which progress reports of a staged engine job (learn, activate, import, tune) reach the GUI thread:
// at most ten a second, and every stage's first and last. Thread: the one running the job (its
// progress callback); not shared.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace rv::ui {

class ProgressThrottle {
public:
    bool pass(const std::string& stage, std::size_t done, std::size_t total) {
        const auto now = std::chrono::steady_clock::now();
        const bool edge = stage != stage_ || done == total;
        if (!edge && now - last_ < std::chrono::milliseconds(100)) return false;
        stage_ = stage;
        last_ = now;
        return true;
    }

private:
    std::string stage_;
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace rv::ui
