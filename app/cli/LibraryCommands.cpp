// ruvision-cli subcommands that work on a library (catalog + index).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <unistd.h>
#include <csignal>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/Commands.h"
#include "ruvision/engine/Library.h"

namespace rv::cli {

namespace {

using nlohmann::json;

std::atomic<bool> g_cancel{false};
extern "C" void on_sigint(int) { g_cancel = true; }

struct LibraryArgs {
    std::string library, model;
    bool json = false;
    int k = 10;
    float threshold = -1;  // duplicates: < 0 = the library default
    std::vector<std::string> rest;
};

// Parses --library DIR, --model NAME, --json, -k N; everything else goes to `rest`.
bool parse(const Args& args, LibraryArgs& out, std::string& error) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        auto value = [&]() -> const std::string* { return i + 1 < args.size() ? &args[++i] : nullptr; };
        if (a == "--json") out.json = true;
        else if (a == "--library" || a == "--model" || a == "-k" || a == "--threshold") {
            const std::string* v = value();
            if (!v) { error = a + " needs a value"; return false; }
            if (a == "--library") out.library = *v;
            else if (a == "--model") out.model = *v;
            else if (a == "--threshold") {
                try { out.threshold = std::stof(*v); } catch (...) { out.threshold = -2; }
                if (out.threshold < 0 || out.threshold > 1) { error = "--threshold must be 0..1"; return false; }
            } else {
                try { out.k = std::stoi(*v); } catch (...) { out.k = 0; }
                if (out.k < 1 || out.k > 10000) { error = "-k must be 1..10000"; return false; }
            }
        } else if (a == "--") {
            out.rest.insert(out.rest.end(), args.begin() + i + 1, args.end());
            break;
        } else if (a.rfind("--", 0) == 0) { error = "unknown option " + a; return false; }
        else out.rest.push_back(a);
    }
    if (out.library.empty()) { error = "--library DIR is required"; return false; }
    return true;
}

// The library, or null after printing why it cannot be opened.
std::unique_ptr<Library> open_library(const LibraryArgs& a) {
    auto lib = Library::open(a.library, a.model);
    if (!lib) {
        std::fprintf(stderr, "ruvision-cli: %s\n", lib.error().message.c_str());
        return nullptr;
    }
    auto s = (*lib)->status();
    std::fprintf(stderr, "library %s: model %s, index %s\n", a.library.c_str(), (*lib)->model_id().c_str(),
                 s ? s->index_state.c_str() : "?");
    return std::move(*lib);
}

}  // namespace

int cmd_index(const Args& args) {
    LibraryArgs a;
    std::string err;
    if (!parse(args, a, err)) return usage_error("index: " + err);
    auto lib = open_library(a);
    if (!lib) return 2;
    IndexJobParams p;
    for (const auto& r : a.rest) p.roots.emplace_back(r);
    std::signal(SIGINT, on_sigint);
    std::signal(SIGTERM, on_sigint);
    // Progress on stderr: redrawn in place on a terminal (5 times a second); otherwise a line per
    // 1% of the files or every 2 s, whichever comes first.
    const bool tty = isatty(STDERR_FILENO);
    auto last = std::chrono::steady_clock::time_point{};
    auto r = lib->index(p, g_cancel, [&](const IndexProgress& pr) {
        const auto now = std::chrono::steady_clock::now();
        const bool percent = !tty && pr.done % std::max<std::size_t>(1, pr.total / 100) == 0;
        if (pr.done != pr.total && !percent && now - last < std::chrono::milliseconds(tty ? 200 : 2000)) return;
        last = now;
        std::fprintf(stderr, "%s[%zu/%zu] %.1f img/s, %zu errors%s", tty ? "\r" : "", pr.done, pr.total,
                     pr.images_per_second, pr.errors, tty ? "  " : "\n");
    });
    if (tty) std::fprintf(stderr, "\n");
    if (!r) {
        std::fprintf(stderr, "ruvision-cli: index: %s\n", r.error().message.c_str());
        return 1;
    }
    json errors = json::array(), scan_problems = json::array();
    for (const auto& e : r->errors) errors.push_back({{"path", e.path}, {"reason", e.reason}});
    for (const auto& p : r->scan_problems) scan_problems.push_back({{"path", p.path.string()}, {"reason", p.reason}});
    json offline_roots = json::array();
    for (const auto& o : r->offline_roots)
        offline_roots.push_back({{"path", o.path}, {"reason", o.reason}, {"files", o.files}});
    if (a.json) {
        std::printf("%s\n", dump({{"found", r->found}, {"embedded", r->embedded}, {"unchanged", r->unchanged},
                                  {"moved", r->moved}, {"removed", r->removed}, {"failed", r->failed},
                                  {"cancelled", r->cancelled}, {"seconds", r->seconds}, {"errors", errors},
                                  {"scan_problems", scan_problems}, {"offline_roots", offline_roots},
                                  {"repaired", r->repaired}})
                                .c_str());
    } else {
        std::printf("%s: %zu image files, %zu embedded, %zu unchanged, %zu moved, %zu removed, %zu failed in %.1f s\n",
                    r->cancelled ? "cancelled" : "done", r->found, r->embedded, r->unchanged, r->moved, r->removed,
                    r->failed, r->seconds);
        for (const auto& e : r->errors) std::printf("error: %s\n", e.reason.c_str());
        for (const auto& pr : r->scan_problems) std::printf("scan: %s: %s\n", pr.path.c_str(), pr.reason.c_str());
        for (const auto& o : r->offline_roots)
            std::printf("offline: %s: %s (%zu files kept)\n", o.path.c_str(), o.reason.c_str(), o.files);
    }
    return r->cancelled ? 130 : (r->failed ? 1 : 0);
}

int cmd_search(const Args& args) {
    LibraryArgs a;
    std::string err;
    if (!parse(args, a, err)) return usage_error("search: " + err);
    if (a.rest.size() != 1) return usage_error("search: expected one IMAGE");
    auto lib = open_library(a);
    if (!lib) return 2;
    auto hits = lib->search(a.rest[0], a.k);
    if (!hits) {
        std::fprintf(stderr, "ruvision-cli: error: %s\n", hits.error().message.c_str());
        return 1;
    }
    for (std::size_t i = 0; i < hits->size(); ++i) {
        const auto& h = (*hits)[i];
        if (a.json) std::printf("%s\n", dump({{"rank", i + 1}, {"path", h.path}, {"score", h.score}}).c_str());
        else std::printf("%3zu  %.4f  %s\n", i + 1, h.score, h.path.c_str());
    }
    return 0;
}

int cmd_status(const Args& args) {
    LibraryArgs a;
    std::string err;
    if (!parse(args, a, err)) return usage_error("status: " + err);
    auto lib = open_library(a);
    if (!lib) return 2;
    auto s = lib->status();
    if (!s) {
        std::fprintf(stderr, "ruvision-cli: %s\n", s.error().message.c_str());
        return 1;
    }
    json roots = json::array();
    json offline_roots = json::array();
    for (const auto& r : s->roots) {
        roots.push_back(r.path);
        if (!r.offline.empty()) offline_roots.push_back({{"path", r.path}, {"reason", r.offline}});
    }
    if (a.json) {
        std::printf("%s\n", dump({{"library", a.library}, {"model", s->model_id}, {"dim", s->dim},
                                  {"files", s->counts.total}, {"indexed", s->counts.indexed},
                                  {"pending", s->counts.pending}, {"errors", s->counts.errors},
                                  {"index", {{"vectors", s->index_size}, {"state", s->index_state}}},
                                  {"roots", roots}, {"offline_roots", offline_roots}})
                                .c_str());
    } else {
        std::printf("library %s\nmodel %s (%d-d)\nfiles %lld: %lld indexed, %lld pending, %lld errors\nindex: %zu vectors, %s\n",
                    a.library.c_str(), s->model_id.c_str(), s->dim, static_cast<long long>(s->counts.total),
                    static_cast<long long>(s->counts.indexed), static_cast<long long>(s->counts.pending),
                    static_cast<long long>(s->counts.errors), s->index_size, s->index_state.c_str());
        for (const auto& r : s->roots)
            std::printf("root %s%s%s%s\n", r.path.c_str(), r.offline.empty() ? "" : " (offline: ", r.offline.c_str(),
                        r.offline.empty() ? "" : ")");
    }
    return 0;
}

int cmd_duplicates(const Args& args) {
    LibraryArgs a;
    std::string err;
    if (!parse(args, a, err)) return usage_error("duplicates: " + err);
    if (!a.rest.empty()) return usage_error("duplicates: unexpected argument " + a.rest[0]);
    auto lib = open_library(a);
    if (!lib) return 2;
    DuplicateParams p;
    p.threshold = a.threshold;
    std::signal(SIGINT, on_sigint);
    auto groups = lib->duplicates(p, g_cancel);
    if (!groups) {
        std::fprintf(stderr, "ruvision-cli: duplicates: %s\n", groups.error().message.c_str());
        return 1;
    }
    for (std::size_t i = 0; i < groups->size(); ++i) {
        const auto& g = (*groups)[i];
        if (a.json) {
            json members = json::array();
            for (const auto& m : g.members)
                members.push_back({{"path", m.path}, {"score", m.score}, {"size", m.size}, {"width", m.width},
                                   {"height", m.height}});
            std::printf("%s\n", dump({{"group", i + 1}, {"members", members}}).c_str());
        } else {
            std::printf("group %zu (%zu files)\n", i + 1, g.members.size());
            for (const auto& m : g.members)
                std::printf("  %.4f  %5dx%-5d %10lld  %s\n", m.score, m.width, m.height, static_cast<long long>(m.size),
                            m.path.c_str());
        }
    }
    if (!a.json)
        std::printf("%zu groups at threshold %.3f\n", groups->size(),
                    a.threshold < 0 ? lib->default_duplicate_threshold() : a.threshold);
    return g_cancel ? 130 : 0;
}

}  // namespace rv::cli
