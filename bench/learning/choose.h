// Choosing bench_learning's parameters on the CHOOSE half of the held-out queries only (the
// figures are reported on the REPORT half). Coordinate search: one parameter at a time over a
// small grid, the others held at their current best, in a fixed order; a value replaces the
// current one only if it scores higher by more than a tolerance (choose.cpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "learning/person.h"

namespace rvlearn {

struct Choice {
    Settings settings;
    double lda_shrink = 0.1;
    std::vector<std::string> log;  // one line per value tried: "group param=value: score"
};

// The values `bench_learning --choose --seeds 3` chose (the engine's defaults where it kept them);
// the report run uses these unless --engine-defaults. They are not (yet) the engine's defaults:
// its tests use the defaults to show learning on synthetic sets, where these values learn too
// slowly (see the README's "Learning from marks").
Settings chosen_settings();

// `worlds` are built on CHOOSE queries (one per seed). `checkpoints` are the mark counts the
// learned parts are judged at (their mean mAP@10 is the score). `progress` gets each log line.
Choice choose_parameters(const std::vector<World>& worlds, const std::vector<int>& checkpoints, Settings start,
                         const std::function<void(const std::string&)>& progress);

// The LDA reference's shrinkage, chosen on the CHOOSE queries (cheap: every run chooses it).
double choose_lda_shrink(const std::vector<World>& worlds, std::vector<std::string>& log);

}  // namespace rvlearn
