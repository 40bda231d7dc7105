// ruvision-cli subcommands that work on a library (catalog + index).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "cli/Commands.h"
#include "cli/Progress.h"
#include "ruvision/engine/KeepSuggestion.h"
#include "ruvision/engine/ImageFormats.h"
#include "ruvision/engine/Learning.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Marks.h"

namespace rv::cli {

namespace {

using nlohmann::json;

std::atomic<bool> g_cancel{false};
extern "C" void on_sigint(int) { g_cancel = true; }

// The library, or null after printing why it cannot be opened. The "library DIR: model M, index
// STATE" line is printed with --verbose, and always when the index was not found in order (rebuilt,
// being updated elsewhere) or the catalog is read without shared memory: those explain what follows.
// `says_state`: the command's own output names library, model and index state (status in text),
// so the line would only repeat them.
std::unique_ptr<Library> open_library(const Parsed& a, LibraryAccess access, bool says_state = false) {
    const std::string dir = a.text("library");
    std::optional<Precision> precision;
    if (a.has("precision")) {
        auto p = parse_precision(a.text("precision"));
        if (!p) {
            print_error("--precision: " + p.error().message);
            return nullptr;
        }
        precision = *p;
    }
    auto lib = Library::open(dir, access, access == LibraryAccess::Read ? std::string() : a.text("model"), precision);
    if (!lib) {
        print_error(lib.error().message);
        return nullptr;
    }
    auto s = (*lib)->status();
    const std::string& fallback = (*lib)->catalog().read_fallback();
    const std::string state = s ? s->index_state : "?";
    // Unusual: rebuilt, or another process is indexing (Library::load_or_rebuild_index).
    const bool usual =
        (state == "new" || state.rfind("ok (", 0) == 0) && state.find("another process") == std::string::npos;
    if ((!says_state && (a.has("verbose") || !usual)) || !fallback.empty())
        std::fprintf(stderr, "library %s: model %s, index %s%s\n", printable(dir).c_str(),
                     printable((*lib)->model_id()).c_str(), printable(state).c_str(),
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

// `status --errors`: every file in error, one per line (text: the reason, which starts with the
// path; JSON: path and reason).
int print_errors(Library& lib, bool as_json) {
    auto errors = lib.errors();
    if (!errors) {
        print_error(errors.error().message);
        return 1;
    }
    for (const auto& e : *errors) {
        if (as_json) {
            std::printf("%s\n", dump({{"path", e.path}, {"reason", e.reason}}).c_str());
        } else {
            const bool named = e.reason.rfind(e.path + ": ", 0) == 0;
            std::printf("%s\n", printable(named ? e.reason : e.path + ": " + e.reason).c_str());
        }
    }
    return 0;
}

}  // namespace

int cmd_index(const Parsed& a) {
    const std::string library = a.text("library"), model = a.text("model");
    const std::vector<std::string>& roots = a.operands();
    // The roots are checked before anything is created: a mistyped folder creates no library.
    for (const auto& r : roots) {
        std::error_code ec;
        if (!std::filesystem::is_directory(r, ec)) {
            print_error("index: " + r + (std::filesystem::exists(r, ec) ? ": not a folder" : ": no such folder"));
            return 1;
        }
    }
    const bool exists = library_exists(library);
    if (!exists && roots.empty()) {
        print_error("no library at " + library + " (to create one, give the folders to index: ruvision-cli index --library DIR FOLDER...)");
        return 1;
    }
    const std::string before = exists && !model.empty() ? stored_model(library) : std::string();
    auto lib = open_library(a, exists ? LibraryAccess::Update : LibraryAccess::Create);
    if (!lib) return 1;
    if (!before.empty() && lib->model_id().rfind(before + "/", 0) != 0) {
        auto s = lib->status();
        if (s) {
            const long long other = static_cast<long long>(s->counts.indexed) - static_cast<long long>(s->index_size);
            std::fprintf(stderr, "model changes from %s to %s: %s will be embedded again (%s already %s its features)\n",
                         printable(before).c_str(), printable(lib->model_id()).c_str(),
                         count(static_cast<std::size_t>(std::max(0LL, other)), "indexed file").c_str(),
                         thousands(s->index_size).c_str(), s->index_size == 1 ? "has" : "have");
        }
    }
    for (const auto& r : roots) {
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
    // Progress on stderr, and every line written to stderr meanwhile kept whole (Progress.h).
    std::optional<ProgressLine> progress(std::in_place, isatty(STDERR_FILENO) == 1, a.number("progress-every", 5));
    auto r = lib->index(p, g_cancel, [&progress](const IndexProgress& pr) { progress->update(pr); });
    // What searches rank and score with, learned for the indexed images (kept while it fits);
    // before the progress line ends, so that decoders' warnings meanwhile are kept whole too.
    std::string calibration_error;
    if (r && !r->cancelled)
        if (auto st = lib->update_search_calibration(g_cancel); !st) calibration_error = st.error().message;
    progress.reset();
    if (!r) {
        print_error("index: " + r.error().message);
        return 1;
    }
    if (!calibration_error.empty()) print_error("index: the search calibration was not stored: " + calibration_error);
    // The hierarchy follows the files: --json, a field of the summary (and a line on stderr);
    // text, a line after the summary.
    const bool follow = !r->cancelled && !a.has("no-hierarchy");
    json hierarchy = nullptr;
    if (follow && a.has("json")) hierarchy = follow_hierarchy(*lib, g_cancel, true);
    json errors = json::array(), scan_problems = json::array();
    for (const auto& e : r->errors) errors.push_back({{"path", e.path}, {"reason", e.reason}});
    for (const auto& p : r->scan_problems) scan_problems.push_back({{"path", p.path.string()}, {"reason", p.reason}});
    json offline_roots = json::array();
    for (const auto& o : r->offline_roots)
        offline_roots.push_back({{"path", o.path}, {"reason", o.reason}, {"files", o.files}});
    if (a.has("json")) {
        std::printf("%s\n", dump({{"found", r->found}, {"embedded", r->embedded}, {"unchanged", r->unchanged},
                                  {"moved", r->moved}, {"removed", r->removed}, {"failed", r->failed},
                                  {"cancelled", r->cancelled}, {"seconds", r->seconds}, {"errors", errors},
                                  {"scan_problems", scan_problems}, {"offline_roots", offline_roots},
                                  {"repaired", r->repaired}, {"hierarchy", hierarchy}})
                                .c_str());
    } else {
        std::printf("%s in %.1f s: %s, %s embedded, %s unchanged, %s moved, %s removed, %s failed\n",
                    r->cancelled ? "cancelled" : "done", r->seconds, count(r->found, "image file").c_str(),
                    thousands(r->embedded).c_str(), thousands(r->unchanged).c_str(), thousands(r->moved).c_str(),
                    thousands(r->removed).c_str(), thousands(r->failed).c_str());
        // Every file in error in the library now, this run's failures and earlier ones.
        if (!r->errors.empty()) std::printf("%s in error:\n", count(r->errors.size(), "file").c_str());
        for (const auto& e : r->errors) std::printf("  %s\n", printable(e.reason).c_str());
        for (const auto& pr : r->scan_problems)
            std::printf("scan: %s: %s\n", printable(pr.path.string()).c_str(), printable(pr.reason).c_str());
        for (const auto& o : r->offline_roots)
            std::printf("offline: %s: %s (%s kept)\n", printable(o.path).c_str(), printable(o.reason).c_str(),
                        count(o.files, "file").c_str());
        if (follow) follow_hierarchy(*lib, g_cancel, false);
    }
    return r->cancelled ? 130 : (r->failed ? 1 : 0);
}

int cmd_search(const Parsed& a) {
    if (a.has("region")) return cmd_search_region(a);  // a rectangle of IMAGE (RegionCommands.cpp, i13-region)
    if (a.has("level")) return cmd_search_level(a);  // the hierarchy (HierarchyCommands.cpp)
    // Feedback is recorded as a search session where the library may be written.
    const bool feedback = a.has("alike") || a.has("different");
    const bool writable = feedback && library_exists(a.text("library")) &&
                          ::access(a.text("library").c_str(), W_OK) == 0 &&
                          ::access((a.text("library") + "/catalog.sqlite").c_str(), W_OK) == 0;
    auto lib = open_library(a, writable ? LibraryAccess::Update : LibraryAccess::Read);
    if (!lib) return 1;
    SearchOptions options;
    options.no_adapter = a.has("no-adapter");
    if (options.no_adapter && (a.has("alike") || a.has("different")))
        return usage_error("search", "--no-adapter goes without --alike/--different (feedback refines in the learned space)");
    // Feedback names library files: anything else is a usage error naming it.
    for (const char* kind : {"alike", "different"}) {
        for (const auto& p : a.list(kind)) {
            auto f = find_library_file(*lib, p);
            if (!f) {
                print_error("search: " + f.error().message);
                return 1;
            }
            if (!*f) return usage_error("search", "--" + std::string(kind) + " " + p + ": not a file of the library " + a.text("library"));
            (std::string_view(kind) == "alike" ? options.alike : options.different).emplace_back((*f)->path);
        }
    }
    auto found = search_with_feedback(*lib, a.operands()[0], static_cast<int>(a.number("top", 10)), options);
    if (!found) {
        print_error("search: " + found.error().message);
        return 1;
    }
    if (!found->session_note.empty()) print_error("search: " + found->session_note);
    else if (found->session && a.has("verbose"))
        std::fprintf(stderr, "search session %lld recorded\n", static_cast<long long>(found->session));
    const std::vector<SearchResult>* hits = &found->results;
    for (std::size_t i = 0; i < hits->size(); ++i) {
        const auto& h = (*hits)[i];
        // Text: the shown score to 3 decimals and its word; --json: the engine's floats ("score"
        // the space's cosine as before; "shown", "word", "same", "alike", "ranking": search/ScoreModel.h).
        // Copies of the hit's picture (SearchCopies.h): in the JSON object, or indented under it.
        if (a.has("json")) {
            json copies = json::array();
            for (const auto& c : h.copies) copies.push_back({{"path", c.path}, {"score", c.score}, {"why", c.why}});
            std::printf("%s\n", dump({{"rank", i + 1}, {"path", h.path}, {"score", h.score}, {"shown", h.shown},
                                      {"word", h.word}, {"same", h.same}, {"alike", h.alike}, {"ranking", h.ranking},
                                      {"copies", copies}})
                                    .c_str());
            continue;
        }
        std::printf("%3zu  %.3f  %-12s  %s\n", i + 1, h.shown, h.word.c_str(), printable(h.path).c_str());
        for (const auto& c : h.copies)
            std::printf("     %.3f    copy: %s (%s)\n", c.score, printable(c.path).c_str(), printable(c.why).c_str());
    }
    return 0;
}

namespace {
// A view index's state for the status line: it names its vector count ("ok (48 regions)"), except
// "new" and none loaded ("" : "none"), which get the count added.
std::string view_index_text(const std::string& state, std::size_t size, const std::string& what) {
    if (state.find(" " + what + ")") != std::string::npos) return state;
    return (state.empty() ? "none" : state) + " (" + thousands(size) + " " + what + ")";
}
}  // namespace

int cmd_status(const Parsed& a) {
    const std::string library = a.text("library");
    auto lib = open_library(a, LibraryAccess::Read, !a.has("json") && !a.has("errors"));
    if (!lib) return 1;
    auto s = lib->status();
    if (!s) {
        print_error(s.error().message);
        return 1;
    }
    if (a.has("errors")) return print_errors(*lib, a.has("json"));
    // Pictures in formats RuVision cannot read (GIF, PSD...), counted per format.
    auto errors = lib->errors();
    if (!errors) {
        print_error(errors.error().message);
        return 1;
    }
    const auto unsupported = rv::count_unsupported_formats(*errors);
    std::int64_t unsupported_files = 0;
    json unsupported_formats = json::array();
    std::string unsupported_text;
    for (const auto& u : unsupported) {
        unsupported_files += u.files;
        unsupported_formats.push_back({{"format", u.format}, {"files", u.files}});
        unsupported_text += (unsupported_text.empty() ? "" : ", ") + std::to_string(u.files) + " " + u.format;
    }
    json roots = json::array();
    json offline_roots = json::array();
    for (const auto& r : s->roots) {
        roots.push_back(r.path);
        if (!r.offline.empty()) offline_roots.push_back({{"path", r.path}, {"reason", r.offline}});
    }
    auto marks = count_marks(*lib);
    if (!marks) {
        print_error(marks.error().message);
        return 1;
    }
    if (a.has("json")) {
        std::printf("%s\n", dump({{"library", library}, {"model", s->model_id}, {"dim", s->dim},
                                  {"files", s->counts.total}, {"indexed", s->counts.indexed},
                                  {"pending", s->counts.pending}, {"errors", s->counts.errors},
                                  {"index", {{"vectors", s->index_size}, {"state", s->index_state}}},
                                  {"regions", {{"vectors", lib->region_index_size()}, {"state", lib->region_index_state()}}},
                                  {"twins", {{"vectors", lib->twin_index_size()}, {"state", lib->twin_index_state()}}},
                                  {"unsupported", {{"files", unsupported_files}, {"formats", unsupported_formats}}},
                                  {"roots", roots}, {"offline_roots", offline_roots}, {"marks", *marks},
                                  {"adapter", {{"active", s->adapter_version ? json(s->adapter_version) : json(nullptr)},
                                               {"state", s->adapter_state},
                                               {"fast_marks", s->fast_adapter_marks}}}})
                                .c_str());
    } else {
        // The index state names its vector count when it has one ("ok (158 vectors)").
        std::string index = s->index_state;
        if (index.find(" vectors") == std::string::npos) index += " (" + count(s->index_size, "vector") + ")";
        std::printf("library %s\nmodel %s (%d-d)\n%s: %s indexed, %s pending, %s\nindex: %s\n",
                    printable(library).c_str(), printable(s->model_id).c_str(), s->dim,
                    count(static_cast<std::size_t>(s->counts.total), "file").c_str(),
                    thousands(static_cast<std::size_t>(s->counts.indexed)).c_str(),
                    thousands(static_cast<std::size_t>(s->counts.pending)).c_str(),
                    count(static_cast<std::size_t>(s->counts.errors), "error").c_str(), printable(index).c_str());
        // The view indexes (regions.rvi, twins.rvi): searched next to the index, rebuilt from the catalog.
        std::printf("region index: %s\ntwin index: %s\n",
                    printable(view_index_text(lib->region_index_state(), lib->region_index_size(), "regions")).c_str(),
                    printable(view_index_text(lib->twin_index_state(), lib->twin_index_size(), "twins")).c_str());
        if (unsupported_files > 0)
            std::printf("%s in formats RuVision cannot read: %s\n",
                        count(static_cast<std::size_t>(unsupported_files), "file").c_str(), unsupported_text.c_str());
        std::printf("marks: %s\n", thousands(static_cast<std::size_t>(*marks)).c_str());
        if (s->adapter_version)
            std::printf("adapter: version %lld active, its index %s\n", static_cast<long long>(s->adapter_version),
                        printable(s->adapter_state).c_str());
        else
            std::printf("adapter: none active%s%s\n", s->adapter_state.empty() ? "" : " (",
                        s->adapter_state.empty() ? "" : (printable(s->adapter_state) + ")").c_str());
        if (s->fast_adapter_marks)
            std::printf("fast adapter: updated by %s\n", count(static_cast<std::size_t>(s->fast_adapter_marks), "mark").c_str());
        for (const auto& r : s->roots)
            std::printf("root %s%s%s%s\n", printable(r.path).c_str(), r.offline.empty() ? "" : " (offline: ",
                        printable(r.offline).c_str(), r.offline.empty() ? "" : ")");
        if (s->counts.errors > 0) std::printf("(ruvision-cli status --errors lists the files in error)\n");
    }
    return 0;
}

namespace {
// Whitened cosines of unit vectors lie in [-1, 1] up to float rounding; never shown outside it.
float shown(float score) { return std::clamp(score, -1.0f, 1.0f); }
}  // namespace

int cmd_duplicates(const Parsed& a) {
    const bool as_json = a.has("json");
    auto lib = open_library(a, LibraryAccess::Read);
    if (!lib) return 1;
    DuplicateParams p;
    p.threshold = static_cast<float>(a.number("threshold", -1));  // < 0: the library's default
    p.no_adapter = a.has("no-adapter");
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
        if (as_json) {
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
            std::printf("group %zu (%s)\n", i + 1, count(g.members.size(), "file").c_str());
            // "same" marks a member whose pixels verified it as the centre's picture (the centre
            // itself too); the others are only similar, with the reason.
            for (const auto& m : g.members)
                std::printf("  %.3f  %-7s %5dx%-5d %10lld  %s%s%s\n", shown(m.score), m.verified ? "same" : "similar",
                            m.width, m.height, static_cast<long long>(m.size), printable(m.path).c_str(),
                            m.verified ? "" : "  -- not verified: ", m.verified ? "" : printable(m.pixel_note).c_str());
            // No reason: no other member is a verified copy of it, so nothing is to be chosen.
            if (keep.index >= 0 && keep.reasons != 0)
                std::printf("  keep: %s (%s)\n", printable(keep_path).c_str(), keep_reason_text(keep.reasons).c_str());
            else
                std::printf("  keep all: none is a verified copy of another\n");
        }
    }
    if (!as_json)
        std::printf("%s at threshold %.4g\n", count(groups->size(), "group").c_str(),
                    p.threshold < 0 ? lib->default_duplicate_threshold() : p.threshold);
    return g_cancel ? 130 : 0;
}

int cmd_roots(const Parsed& a) {
    const std::string add = a.text("add"), remove = a.text("remove");
    if (a.has("add") && a.has("remove")) return usage_error("roots", "--add and --remove go in separate calls");
    const bool change = a.has("add") || a.has("remove");
    auto lib = open_library(a, change ? LibraryAccess::Update : LibraryAccess::Read);
    if (!lib) return 1;
    json out = json::object();
    std::string message;
    if (a.has("add")) {
        auto c = lib->add_root(add);
        if (!c) {
            print_error("roots: " + c.error().message);
            return 1;
        }
        message = c->message.empty()
                      ? "added " + c->root + " (to index it: ruvision-cli index --library " + a.text("library") + ")"
                      : c->message;
        out["added"] = c->added ? json(c->root) : json(nullptr);
        out["absorbed"] = c->absorbed;
    } else if (a.has("remove")) {
        auto n = lib->remove_root(remove);
        if (!n) {
            print_error("roots: " + n.error().message);
            return 1;
        }
        message = "removed " + remove + ": " + count(static_cast<std::size_t>(*n), "file") +
                  " forgotten by the library (the files themselves are untouched)";
        out["removed"] = canonical_root(remove).string();
        out["forgotten"] = *n;
    }
    auto s = lib->status();
    if (!s) {
        print_error(s.error().message);
        return 1;
    }
    if (a.has("json")) {
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
