// bench_learning's forgetting and speed measurements (the curves are in person.h).
#pragma once

#include <string>
#include <vector>

#include "learning/person.h"

namespace rvlearn {

// Marks on classes 0-4 only (the person searches the library's images of those classes), a base
// adapter trained on them; then marks on 5-9 only (searched with that adapter) and training
// continued with the same trainer on the new marks alone. mAP@10 of the held-out queries of
// each half of the classes, against the whole library.
struct Forgetting {
    std::string variant;  // "neither", "replay", "EWC", "replay + EWC"
    double plain_04 = 0, plain_59 = 0;  // no adapter
    double after_a_04 = 0, after_a_59 = 0;
    double after_b_04 = 0, after_b_59 = 0;
    int marks_a = 0, marks_b = 0;
    std::string error;
    double drop() const { return after_a_04 - after_b_04; }  // what classes 0-4 lost to the second phase
};
inline constexpr int kForgettingEpochs = 40;  // gradient epochs of each phase when the settings have none
std::vector<Forgetting> run_forgetting(const World& w, const Settings& s, int sessions_per_phase, std::uint64_t seed);

// A mark to the next re-ranked search: fast update on the newest marks, the fast adapter
// re-applied to every base-adapted library row, and the next query's top 10 (exact search).
// Milliseconds per mark, for `marks` marks, after a base adapter trained on `base_sessions` sessions.
struct MarkSpeed {
    int library = 0;
    std::vector<double> ms;
    std::string error;
};
MarkSpeed measure_mark_speed(const World& w, const Settings& s, int base_sessions, int marks, std::uint64_t seed);

double median(std::vector<double> v);

}  // namespace rvlearn
