// ruvision-cli tune: self-supervised tuning to the library now (ruvision/engine/Tuning.h). Exit
// status: 0 a version stored (active or not), 1 the library is too small, read-only, or the catalog
// failed, 2 a usage error, 130 interrupted (nothing stored).
#include <atomic>
#include <csignal>
#include <cstdio>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/Commands.h"
#include "cli/StageProgress.h"
#include "ruvision/engine/Tuning.h"

namespace rv::cli {

namespace {

using nlohmann::json;

std::atomic<bool> g_cancel{false};
extern "C" void on_tune_signal(int) { g_cancel = true; }

void show_progress(StageProgressLine& line, const TuneProgress& p) {
    line.update(p.stage, p.done, p.total, p.stage == "views" ? "decoding and embedding views of images" : p.stage);
}

json marks_or_null(double v) { return v < 0 ? json(nullptr) : json(v); }

}  // namespace

int cmd_tune(const Parsed& a) {
    TuneParams params;
    params.images = static_cast<std::size_t>(a.number("images", static_cast<double>(params.images)));
    params.seed = static_cast<std::uint64_t>(a.number("seed", static_cast<double>(params.seed)));
    auto lib = open_for(a, LibraryAccess::Update);
    if (!lib) return 1;
    std::signal(SIGINT, on_tune_signal);
    std::signal(SIGTERM, on_tune_signal);
    std::optional<StageProgressLine> progress(std::in_place);
    auto r = tune(*lib, params, g_cancel, [&progress](const TuneProgress& p) { show_progress(*progress, p); });
    progress.reset();
    if (!r) {
        print_error("tune: " + r.error().message);
        return g_cancel ? 130 : 1;
    }
    if (a.has("json")) {
        std::printf("%s\n", dump({{"version", r->version},
                                  {"activated", r->activated},
                                  {"reason", r->reason},
                                  {"images", r->images},
                                  {"held_out_images", r->held_out_images},
                                  {"views", r->views},
                                  {"skipped", r->skipped},
                                  {"marks", r->marks},
                                  {"held_out_marks", r->held_out_marks},
                                  {"held_out_before", r->held_out_before},
                                  {"held_out_after", r->held_out_after},
                                  {"marks_before", marks_or_null(r->marks_before)},
                                  {"marks_after", marks_or_null(r->marks_after)},
                                  {"seed", r->seed},
                                  {"seconds", r->seconds}})
                                .c_str());
    } else {
        std::printf("version %lld tuned on %s of %s (%s held out), %s trained on, seed %llu, in %.1f s: %s\n",
                    static_cast<long long>(r->version), count(r->views, "view").c_str(),
                    count(r->images, "image").c_str(), thousands(r->held_out_images).c_str(),
                    count(r->marks, "mark").c_str(), static_cast<unsigned long long>(r->seed), r->seconds,
                    r->activated ? "active" : "stored, not active");
        std::printf("  %s\n", printable(r->reason).c_str());
        if (r->skipped) std::printf("  %s could not be decoded now and were left out\n", count(r->skipped, "file").c_str());
    }
    if (r->activated && !g_cancel) follow_hierarchy(*lib, g_cancel, true);  // the map follows
    return g_cancel ? 130 : 0;
}

}  // namespace rv::cli
