// ruvision-cli subcommands that work on a library (catalog + index).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "cli/Commands.h"
#include "ruvision/engine/KeepSuggestion.h"
#include "ruvision/engine/Library.h"

namespace rv::cli {

namespace {

using nlohmann::json;

std::atomic<bool> g_cancel{false};
extern "C" void on_sigint(int) { g_cancel = true; }

// The options of the library commands. Each command names the ones it takes; any other option is
// a usage error naming it, so that an option meant for another command never changes anything.
enum Option : unsigned { kJson = 1, kModel = 2, kTopK = 4, kThreshold = 8, kAdd = 16, kRemove = 32 };

struct LibraryArgs {
    std::string library, model, add, remove;
    bool json = false;
    int k = 10;
    float threshold = -1;  // duplicates: < 0 = the library default
    std::vector<std::string> rest;
};

// A number written whole: std::from_chars must take every character ("1e3" is not an integer,
// "0.5x" not a number), the value must be finite and within [lo, hi].
template <class T>
bool parse_number(const std::string& option, const std::string& text, T lo, T hi, T& out, std::string& error) {
    T v{};
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, v);
    bool ok = ec == std::errc() && ptr == end && !text.empty();
    if constexpr (std::is_floating_point_v<T>) ok = ok && std::isfinite(v);
    if (ok && v >= lo && v <= hi) {
        out = v;
        return true;
    }
    std::ostringstream expected;
    expected << (std::is_integral_v<T> ? "a whole number" : "a number") << " from " << lo << " to " << hi;
    error = option + " '" + printable(text) + "': " + (ok ? "out of range, " : "") + "expected " + expected.str();
    return false;
}

// Parses --library DIR and the options in `takes`; everything else goes to `rest` ("--" ends the
// options).
bool parse(const std::string& cmd, const Args& args, unsigned takes, LibraryArgs& out, std::string& error) {
    const std::map<std::string, unsigned> known = {{"--json", kJson},           {"--model", kModel},
                                                   {"-k", kTopK},               {"--threshold", kThreshold},
                                                   {"--add", kAdd},             {"--remove", kRemove}};
    bool have_library = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        if (a == "--") {
            out.rest.insert(out.rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
            break;
        }
        if (a.size() < 2 || a[0] != '-') {
            out.rest.push_back(a);
            continue;
        }
        const auto opt = known.find(a);
        if (a != "--library" && opt == known.end()) { error = "unknown option " + printable(a); return false; }
        if (a != "--library" && !(takes & opt->second)) {
            error = cmd + " does not take " + a;
            if (a == "--model") error += " (only index --model changes a library's model)";
            return false;
        }
        if (a == "--json") { out.json = true; continue; }
        if (i + 1 >= args.size()) { error = a + " needs a value"; return false; }
        const std::string& v = args[++i];
        if (a == "--library") {
            if (have_library) { error = "--library given twice"; return false; }
            have_library = true;
            out.library = v;
        } else if (a == "--model") out.model = v;
        else if (a == "--add") out.add = v;
        else if (a == "--remove") out.remove = v;
        else if (a == "--threshold") { if (!parse_number(a, v, 0.0f, 1.0f, out.threshold, error)) return false; }
        else if (!parse_number(a, v, 1, 10000, out.k, error)) return false;
    }
    if (out.library.empty()) { error = "--library DIR is required"; return false; }
    return true;
}

void print_error(const std::string& message) { std::fprintf(stderr, "ruvision-cli: %s\n", printable(message).c_str()); }

// The library, or null after printing why it cannot be opened.
std::unique_ptr<Library> open_library(const LibraryArgs& a, LibraryAccess access) {
    auto lib = Library::open(a.library, access, access == LibraryAccess::Read ? std::string() : a.model);
    if (!lib) {
        print_error(lib.error().message);
        return nullptr;
    }
    auto s = (*lib)->status();
    const std::string& fallback = (*lib)->catalog().read_fallback();
    std::fprintf(stderr, "library %s: model %s, index %s%s\n", printable(a.library).c_str(),
                 printable((*lib)->model_id()).c_str(), s ? printable(s->index_state).c_str() : "?",
                 fallback.empty() ? ""
                                  : " (read without shared memory: its folder is read-only here or the disk is full)");
    return std::move(*lib);
}

bool library_exists(const std::string& dir) {
    std::error_code ec;
    return std::filesystem::exists(std::filesystem::path(dir) / "catalog.sqlite", ec);
}

// The model the library in `dir` was last indexed with ("" if none or unreadable).
std::string stored_model(const std::string& dir) {
    auto db = CatalogDb::open(std::filesystem::path(dir) / "catalog.sqlite", CatalogDb::OpenMode::ReadOnly);
    if (!db) return {};
    auto m = db->get_meta("model");
    return m && *m ? **m : std::string();
}

}  // namespace

int cmd_index(const Args& args) {
    LibraryArgs a;
    std::string err;
    if (!parse("index", args, kJson | kModel, a, err)) return usage_error("index: " + err);
    // The roots are checked before anything is created: a mistyped folder creates no library.
    for (const auto& r : a.rest) {
        std::error_code ec;
        if (!std::filesystem::is_directory(r, ec)) {
            print_error("index: " + r + (std::filesystem::exists(r, ec) ? ": not a folder" : ": no such folder"));
            return 1;
        }
    }
    const bool exists = library_exists(a.library);
    if (!exists && a.rest.empty()) {
        print_error("no library at " + a.library + " (to create one, give the folders to index: ruvision-cli index --library DIR FOLDER...)");
        return 1;
    }
    const std::string before = exists && !a.model.empty() ? stored_model(a.library) : std::string();
    auto lib = open_library(a, exists ? LibraryAccess::Update : LibraryAccess::Create);
    if (!lib) return 1;
    if (!before.empty() && lib->model_id().rfind(before + "/", 0) != 0) {
        auto s = lib->status();
        if (s) {
            const long long other = static_cast<long long>(s->counts.indexed) - static_cast<long long>(s->index_size);
            std::fprintf(stderr, "model changes from %s to %s: %lld indexed file(s) will be re-embedded (%zu already have its features)\n",
                         printable(before).c_str(), printable(lib->model_id()).c_str(), std::max(0LL, other), s->index_size);
        }
    }
    for (const auto& r : a.rest) {
        auto change = lib->add_root(r);
        if (!change) {
            print_error("index: " + change.error().message);
            return 1;
        }
        if (!change->message.empty()) std::fprintf(stderr, "%s\n", printable(change->message).c_str());
    }
    IndexJobParams p;  // the roots are added above, with their messages
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
        print_error("index: " + r.error().message);
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
        for (const auto& e : r->errors) std::printf("error: %s\n", printable(e.reason).c_str());
        for (const auto& pr : r->scan_problems)
            std::printf("scan: %s: %s\n", printable(pr.path.string()).c_str(), printable(pr.reason).c_str());
        for (const auto& o : r->offline_roots)
            std::printf("offline: %s: %s (%zu files kept)\n", printable(o.path).c_str(), printable(o.reason).c_str(), o.files);
    }
    return r->cancelled ? 130 : (r->failed ? 1 : 0);
}

int cmd_search(const Args& args) {
    LibraryArgs a;
    std::string err;
    if (!parse("search", args, kJson | kTopK, a, err)) return usage_error("search: " + err);
    if (a.rest.size() != 1) return usage_error("search: expected one IMAGE");
    auto lib = open_library(a, LibraryAccess::Read);
    if (!lib) return 1;
    auto hits = lib->search(a.rest[0], a.k);
    if (!hits) {
        print_error("search: " + hits.error().message);
        return 1;
    }
    for (std::size_t i = 0; i < hits->size(); ++i) {
        const auto& h = (*hits)[i];
        if (a.json) std::printf("%s\n", dump({{"rank", i + 1}, {"path", h.path}, {"score", h.score}}).c_str());
        else std::printf("%3zu  %.4f  %s\n", i + 1, h.score, printable(h.path).c_str());
    }
    return 0;
}

int cmd_status(const Args& args) {
    LibraryArgs a;
    std::string err;
    if (!parse("status", args, kJson, a, err)) return usage_error("status: " + err);
    if (!a.rest.empty()) return usage_error("status: unexpected argument " + printable(a.rest[0]));
    auto lib = open_library(a, LibraryAccess::Read);
    if (!lib) return 1;
    auto s = lib->status();
    if (!s) {
        print_error(s.error().message);
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
                    printable(a.library).c_str(), printable(s->model_id).c_str(), s->dim, static_cast<long long>(s->counts.total),
                    static_cast<long long>(s->counts.indexed), static_cast<long long>(s->counts.pending),
                    static_cast<long long>(s->counts.errors), s->index_size, printable(s->index_state).c_str());
        for (const auto& r : s->roots)
            std::printf("root %s%s%s%s\n", printable(r.path).c_str(), r.offline.empty() ? "" : " (offline: ",
                        printable(r.offline).c_str(), r.offline.empty() ? "" : ")");
    }
    return 0;
}

namespace {
// Whitened cosines of unit vectors lie in [-1, 1] up to float rounding; never shown outside it.
float shown(float score) { return std::clamp(score, -1.0f, 1.0f); }
}  // namespace

int cmd_duplicates(const Args& args) {
    LibraryArgs a;
    std::string err;
    if (!parse("duplicates", args, kJson | kThreshold, a, err)) return usage_error("duplicates: " + err);
    if (!a.rest.empty()) return usage_error("duplicates: unexpected argument " + printable(a.rest[0]));
    auto lib = open_library(a, LibraryAccess::Read);
    if (!lib) return 1;
    DuplicateParams p;
    p.threshold = a.threshold;
    std::signal(SIGINT, on_sigint);
    auto groups = lib->duplicates(p, g_cancel);
    if (!groups) {
        print_error("duplicates: " + groups.error().message);
        return 1;
    }
    for (std::size_t i = 0; i < groups->size(); ++i) {
        const auto& g = (*groups)[i];
        const KeepSuggestion keep = suggest_keep(g.members);
        const std::string keep_path = keep.index < 0 ? std::string() : g.members[keep.index].path;
        if (a.json) {
            json members = json::array();
            for (const auto& m : g.members)
                members.push_back({{"path", m.path}, {"score", shown(m.score)}, {"size", m.size}, {"width", m.width},
                                   {"height", m.height}, {"verified", m.verified}, {"pixel_score", m.pixel_score},
                                   {"pixel_note", m.pixel_note}});
            std::printf("%s\n", dump({{"group", i + 1},
                                      {"members", members},
                                      {"suggested_keep", keep.index < 0 ? json(nullptr) : json(keep_path)},
                                      {"keep_reason", keep_reason_text(keep.reasons)}})
                                    .c_str());
        } else {
            std::printf("group %zu (%zu files)\n", i + 1, g.members.size());
            // "same" marks a member whose pixels verified it as the centre's picture (the centre
            // itself too); the others are only similar, with the reason.
            for (const auto& m : g.members)
                std::printf("  %.4f  %-7s %5dx%-5d %10lld  %s%s%s\n", shown(m.score), m.verified ? "same" : "similar",
                            m.width, m.height, static_cast<long long>(m.size), printable(m.path).c_str(),
                            m.verified ? "" : "  -- not verified: ", m.verified ? "" : printable(m.pixel_note).c_str());
            if (keep.index >= 0)
                std::printf("  keep: %s (%s)\n", printable(keep_path).c_str(), keep_reason_text(keep.reasons).c_str());
        }
    }
    if (!a.json)
        std::printf("%zu groups at threshold %.3f\n", groups->size(),
                    a.threshold < 0 ? lib->default_duplicate_threshold() : a.threshold);
    return g_cancel ? 130 : 0;
}

int cmd_roots(const Args& args) {
    LibraryArgs a;
    std::string err;
    if (!parse("roots", args, kJson | kAdd | kRemove, a, err)) return usage_error("roots: " + err);
    if (!a.rest.empty()) return usage_error("roots: unexpected argument " + printable(a.rest[0]));
    if (!a.add.empty() && !a.remove.empty()) return usage_error("roots: --add and --remove go in separate calls");
    const bool change = !a.add.empty() || !a.remove.empty();
    auto lib = open_library(a, change ? LibraryAccess::Update : LibraryAccess::Read);
    if (!lib) return 1;
    json out = json::object();
    std::string message;
    if (!a.add.empty()) {
        auto c = lib->add_root(a.add);
        if (!c) {
            print_error("roots: " + c.error().message);
            return 1;
        }
        message = c->message.empty() ? "added " + c->root + " (ruvision-cli index indexes it)" : c->message;
        out["added"] = c->added ? json(c->root) : json(nullptr);
        out["absorbed"] = c->absorbed;
    } else if (!a.remove.empty()) {
        auto n = lib->remove_root(a.remove);
        if (!n) {
            print_error("roots: " + n.error().message);
            return 1;
        }
        message = "removed " + a.remove + ": " + std::to_string(*n) + " file(s) forgotten by the library (the files themselves are untouched)";
        out["removed"] = canonical_root(a.remove).string();
        out["forgotten"] = *n;
    }
    auto s = lib->status();
    if (!s) {
        print_error(s.error().message);
        return 1;
    }
    if (a.json) {
        json roots = json::array();
        for (const auto& r : s->roots) roots.push_back(r.path);
        out["roots"] = roots;
        if (!message.empty()) out["message"] = message;
        std::printf("%s\n", dump(out).c_str());
    } else {
        if (!message.empty()) std::printf("%s\n", printable(message).c_str());
        for (const auto& r : s->roots) std::printf("root %s\n", printable(r.path).c_str());
    }
    return 0;
}

}  // namespace rv::cli
