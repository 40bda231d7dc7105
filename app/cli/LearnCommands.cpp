// ruvision-cli learn / adapters: adapter versions learned from the person's marks
// (ruvision/engine/Learning.h). Exit status: 0 done, 1 the library, the catalog or a file failed,
// 2 a usage error, 130 interrupted.
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/Commands.h"
#include "cli/StageProgress.h"
#include "ruvision/engine/Learning.h"
#include "ruvision/engine/Library.h"

namespace rv::cli {

namespace {

using nlohmann::json;

std::atomic<bool> g_cancel{false};
extern "C" void on_learn_signal(int) { g_cancel = true; }

void show_progress(StageProgressLine& line, const LearnProgress& p) {
    std::string loss;
    if (p.stage == "training") {
        char text[32];
        std::snprintf(text, sizeof text, ", loss %.4f", p.loss);
        loss = text;
    }
    line.update(p.stage, p.done, p.total, p.stage, loss);
}

json result_json(const LearnResult& r) {
    return {{"version", r.version},          {"activated", r.activated},
            {"reason", r.reason},            {"marks", r.marks},
            {"held_out", r.held_out},        {"held_out_before", r.held_out_before},
            {"held_out_after", r.held_out_after}, {"seconds", r.seconds}};
}

void print_result(const LearnResult& r, bool as_json, const char* verb) {
    if (as_json) {
        std::printf("%s\n", dump(result_json(r)).c_str());
        return;
    }
    std::printf("version %lld %s from %s (%s held out) in %.1f s: %s\n", static_cast<long long>(r.version), verb,
                count(r.marks, "mark").c_str(), thousands(r.held_out).c_str(), r.seconds,
                r.activated ? "active" : "stored, not active");
    std::printf("  %s\n", printable(r.reason).c_str());
}

// held_out_* are -1 in the catalog when the guard did not measure them.
json score_or_null(double v) { return v < 0 ? json(nullptr) : json(v); }

int list_versions(Library& lib, bool as_json) {
    auto versions = list_adapter_versions(lib);
    if (!versions) {
        print_error(versions.error().message);
        return 1;
    }
    for (const auto& v : *versions) {
        if (as_json) {
            std::printf("%s\n", dump({{"version", v.version},
                                      {"active", v.active},
                                      {"activated", v.activated},
                                      {"reason", v.reason},
                                      {"source", v.source},
                                      {"model", v.model_id},
                                      {"dim", v.dim},
                                      {"rank", v.rank},
                                      {"alpha", v.alpha},
                                      {"marks", v.marks},
                                      {"held_out", v.held_out},
                                      {"held_out_before", score_or_null(v.held_out_before)},
                                      {"held_out_after", score_or_null(v.held_out_after)},
                                      {"created", v.created}})
                                    .c_str());
            continue;
        }
        std::string scores;
        if (v.held_out_after >= 0) {
            char s[96];
            std::snprintf(s, sizeof s, ", held-out AUC %.3f (before %.3f)", v.held_out_after, v.held_out_before);
            scores = s;
        }
        std::printf("%s version %lld  %s, rank %d, %s%s\n  %s\n", v.active ? "*" : " ",
                    static_cast<long long>(v.version), v.source.c_str(), v.rank, count(v.marks, "mark").c_str(),
                    scores.c_str(), printable(v.reason).c_str());
    }
    if (!as_json) {
        const auto active = lib.active_adapter()->version;
        if (versions->empty()) std::printf("no adapter versions yet (ruvision-cli learn --help)\n");
        else if (active) std::printf("active: version %lld (* above)\n", static_cast<long long>(active));
        else std::printf("active: none (search uses the plain features)\n");
    }
    return 0;
}

}  // namespace

int cmd_learn(const Parsed& a) {
    auto lib = open_for(a, LibraryAccess::Update);
    if (!lib) return 1;
    std::signal(SIGINT, on_learn_signal);
    std::signal(SIGTERM, on_learn_signal);
    std::optional<StageProgressLine> progress(std::in_place);
    auto r = learn(*lib, LearnParams{}, g_cancel, [&progress](const LearnProgress& p) { show_progress(*progress, p); });
    progress.reset();
    if (!r) {
        print_error("learn: " + r.error().message);
        return g_cancel ? 130 : 1;
    }
    print_result(*r, a.has("json"), "learned");
    if (r->activated && !g_cancel) follow_hierarchy(*lib, g_cancel, true);  // the map follows
    return g_cancel ? 130 : 0;
}

// The versions a library has, for a message: "versions 1 to 4", "versions 1, 3 and 7", "version 2",
// or "no versions yet (ruvision-cli learn makes one)".
std::string versions_text(const std::vector<AdapterVersion>& versions) {
    if (versions.empty()) return "no versions yet (ruvision-cli learn makes one)";
    std::vector<std::int64_t> v;
    for (const auto& x : versions) v.push_back(x.version);
    std::sort(v.begin(), v.end());
    if (v.size() == 1) return "version " + std::to_string(v[0]);
    if (v.back() - v.front() + 1 == static_cast<std::int64_t>(v.size()))
        return "versions " + std::to_string(v.front()) + " to " + std::to_string(v.back());
    std::string s = "versions ";
    for (std::size_t i = 0; i < v.size(); ++i)
        s += (i == 0 ? "" : i + 1 == v.size() ? " and " : ", ") + std::to_string(v[i]);
    return s;
}

// --activate N: N must be a version of this library. A malformed N is a usage error (2), a
// version it does not have an error (1); both name the versions there are. 0: N is fine.
int check_activate(Library& lib, const std::string& n, std::int64_t& version) {
    auto versions = list_adapter_versions(lib);
    if (!versions) {
        print_error("adapters: " + versions.error().message);
        return 1;
    }
    const std::string have = "the library has " + versions_text(*versions) + "; --none activates none";
    try {
        std::size_t used = 0;
        version = std::stoll(n, &used);
        if (used != n.size() || version < 1) throw std::invalid_argument(n);
    } catch (const std::exception&) {
        return usage_error("adapters", "--activate '" + printable(n) + "': not a version number; " + have);
    }
    for (const auto& v : *versions)
        if (v.version == version) return 0;
    print_error("adapters: no adapter version " + std::to_string(version) + ": " + have);
    return 1;
}

int cmd_adapters(const Parsed& a) {
    const bool as_json = a.has("json");
    const int actions = int(a.has("activate")) + int(a.has("none")) + int(a.has("export")) + int(a.has("import"));
    if (actions > 1) return usage_error("adapters", "--activate, --none, --export and --import go in separate calls");
    const auto& ops = a.operands();
    if (a.has("export") && ops.size() != 1) return usage_error("adapters", "--export needs a version and a file: --export N FILE");
    if (!a.has("export") && !ops.empty()) return usage_error("adapters", "unexpected argument " + printable(ops[0]));
    std::int64_t export_version = 0;
    if (a.has("export")) {
        const std::string n = a.text("export");
        try {
            std::size_t used = 0;
            export_version = std::stoll(n, &used);
            if (used != n.size() || export_version < 1) throw std::invalid_argument(n);
        } catch (const std::exception&) {
            return usage_error("adapters", "--export '" + printable(n) + "': expected a version number (1, 2, ...)");
        }
    }
    const bool writes = a.has("activate") || a.has("none") || a.has("import");
    auto lib = open_for(a, writes ? LibraryAccess::Update : LibraryAccess::Read);
    if (!lib) return 1;
    std::signal(SIGINT, on_learn_signal);
    std::signal(SIGTERM, on_learn_signal);
    if (a.has("activate") || a.has("none")) {
        std::int64_t version = 0;
        if (a.has("activate"))
            if (const int code = check_activate(*lib, a.text("activate"), version); code != 0) return code;
        std::optional<StageProgressLine> progress(std::in_place);
        auto st = activate_adapter(*lib, version, g_cancel, [&progress](const LearnProgress& p) { show_progress(*progress, p); });
        progress.reset();
        if (!st) {
            print_error("adapters: " + st.error().message);
            return g_cancel ? 130 : 1;
        }
        if (as_json)
            std::printf("%s\n", dump({{"active", version ? json(version) : json(nullptr)}}).c_str());
        else if (version)
            std::printf("version %lld is active\n", static_cast<long long>(version));
        else
            std::printf("no adapter version is active: search uses the plain features\n");
        follow_hierarchy(*lib, g_cancel, true);  // the map follows
        return 0;
    }
    if (a.has("export")) {
        const std::string file = ops[0];
        if (auto st = export_adapter(*lib, export_version, file); !st) {
            print_error("adapters --export: " + st.error().message);
            return 1;
        }
        if (as_json) std::printf("%s\n", dump({{"exported", export_version}, {"file", file}}).c_str());
        else std::printf("exported version %lld to %s\n", static_cast<long long>(export_version), printable(file).c_str());
        return 0;
    }
    if (a.has("import")) {
        std::optional<StageProgressLine> progress(std::in_place);
        auto r = import_adapter(*lib, a.text("import"), g_cancel,
                                [&progress](const LearnProgress& p) { show_progress(*progress, p); });
        progress.reset();
        if (!r) {
            print_error("adapters --import: " + r.error().message);
            return g_cancel ? 130 : 1;
        }
        print_result(*r, as_json, "imported, judged on");
        if (r->activated && !g_cancel) follow_hierarchy(*lib, g_cancel, true);  // the map follows
        return 0;
    }
    return list_versions(*lib, as_json);
}

}  // namespace rv::cli
