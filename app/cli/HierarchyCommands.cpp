// ruvision-cli hierarchy, search --level, and the hierarchy update that index and the adapter
// activations end with (ruvision/engine/Hierarchy.h). Exit status: 0 done, 1 the library or the
// catalog failed, 2 a usage error, 130 interrupted.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "cli/Commands.h"
#include "ruvision/engine/Hierarchy.h"

namespace rv::cli {

namespace {

using nlohmann::json;
using Kind = HierarchyNode::Kind;

std::atomic<bool> g_cancel{false};
extern "C" void on_hierarchy_signal(int) { g_cancel = true; }

// The library exists and this process may write its folder and catalog.
bool writable_library(const std::string& dir) {
    std::error_code ec;
    return std::filesystem::exists(std::filesystem::path(dir) / "catalog.sqlite", ec) &&
           ::access(dir.c_str(), W_OK) == 0 && ::access((dir + "/catalog.sqlite").c_str(), W_OK) == 0;
}

std::string utc(std::int64_t ms) {
    if (ms <= 0) return "never";
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}

std::string update_line(const HierarchyUpdate& u) {
    char figures[160];
    std::snprintf(figures, sizeof figures, " (%s, mean distortion %.4f, MAP %.3f, %.1f s)",
                  count(u.nodes, "node").c_str(), u.quality.mean_distortion, u.quality.map, u.seconds);
    return u.reason + (u.reason == "up to date" ? std::string() : std::string(figures));
}

// Every catalog file's path by id (the writer's connection; this thread is the writer).
Result<std::unordered_map<std::int64_t, std::string>> paths_of(Library& lib) {
    std::unordered_map<std::int64_t, std::string> out;
    auto roots = lib.catalog().roots();
    if (!roots) return roots.error();
    for (const auto& r : *roots) {
        auto files = lib.catalog().files_under_root(r.id);
        if (!files) return files.error();
        for (auto& f : *files) out.emplace(f.id, std::move(f.path));
    }
    return out;
}

// The hierarchy to show: the stored one when it is current; else brought up to date and stored
// (a writable library) or computed in memory (read-only), saying so on stderr.
struct Shown {
    Hierarchy tree;
    EmbeddingQuality quality;
    bool stale = false;      // read-only and could not be refreshed: never (computed instead)
    bool in_memory = false;  // computed, not stored
    std::int64_t built = 0, updated = 0;
};

Result<Shown> current_hierarchy(Library& lib, bool writable, bool with_centroids) {
    Shown out;
    bool stale = false;
    auto loaded = load_hierarchy(lib, with_centroids, &stale);
    if (!loaded) return loaded.error();
    if (!*loaded || stale) {
        const char* why = *loaded ? "stale" : "none stored";
        if (writable) {
            auto u = update_hierarchy(lib, HierarchyParams{}, g_cancel);
            if (!u) return u.error();
            std::fprintf(stderr, "hierarchy (%s): %s\n", why, printable(update_line(*u)).c_str());
            loaded = load_hierarchy(lib, with_centroids, &stale);
            if (!loaded) return loaded.error();
            if (!*loaded) return Error{"the hierarchy was stored but cannot be read back"};
        } else {
            HierarchyUpdate u;
            auto h = compute_hierarchy(lib, HierarchyParams{}, g_cancel, {}, &u);
            if (!h) return h.error();
            std::fprintf(stderr, "hierarchy (%s): %s; built in memory only: the library is read-only here\n", why,
                         printable(update_line(u)).c_str());
            out.tree = std::move(*h);
            out.quality = u.quality;
            out.in_memory = true;
            out.built = out.tree.built;
            return out;
        }
    }
    out.tree = std::move(**loaded);
    auto info = stored_hierarchy_info(lib);
    if (!info) return info.error();
    if (*info) {
        out.quality = (*info)->quality;
        out.built = (*info)->built;
        out.updated = (*info)->updated;
    }
    return out;
}

void print_json(const Hierarchy& h, const EmbeddingQuality& q, const std::unordered_map<std::int64_t, std::string>& paths) {
    for (const auto& n : h.nodes) {
        const json parent = n.parent < 0 ? json(nullptr) : json(h.nodes[static_cast<std::size_t>(n.parent)].id);
        // nlohmann writes a double's shortest text that reads back to the same double: full precision.
        if (n.kind == Kind::Image) {
            auto p = paths.find(n.file_id);
            std::printf("%s\n", dump({{"id", n.id}, {"parent", parent}, {"depth", n.depth},
                                      {"path", p == paths.end() ? json(nullptr) : json(p->second)},
                                      {"x", n.x}, {"y", n.y}})
                                    .c_str());
        } else {
            const json rep = n.representative < 0 ? json(nullptr)
                                                  : json(h.nodes[static_cast<std::size_t>(n.representative)].id);
            std::printf("%s\n", dump({{"id", n.id}, {"parent", parent}, {"depth", n.depth}, {"size", n.size},
                                      {"representative", rep}, {"x", n.x}, {"y", n.y}})
                                    .c_str());
        }
    }
    std::printf("%s\n", dump({{"distortion", {{"mean", q.mean_distortion}, {"max", q.max_distortion}}}, {"map", q.map}})
                            .c_str());
}

void print_summary(const std::string& library, const Shown& s) {
    const Hierarchy& h = s.tree;
    std::size_t images = 0, duplicate_groups = 0, duplicate_images = 0;
    std::map<int, std::size_t> groups;  // by level
    for (const auto& n : h.nodes) {
        if (n.kind == Kind::Image) ++images;
        if (n.kind == Kind::Duplicates) {
            ++duplicate_groups;
            duplicate_images += static_cast<std::size_t>(n.size);
        }
        if ((n.kind == Kind::Group || n.kind == Kind::Duplicates) && n.depth > 0) ++groups[n.depth - 1];
    }
    std::printf("hierarchy of %s: %s, %s\n", printable(library).c_str(), count(images, "image").c_str(),
                count(h.nodes.size(), "node").c_str());
    std::printf("model %s, %s\n", printable(h.model_id).c_str(),
                h.adapter_version ? ("adapter version " + std::to_string(h.adapter_version)).c_str()
                                  : "no adapter (plain features)");
    for (const auto& [level, n] : groups) std::printf("level %d: %s\n", level, count(n, "group").c_str());
    std::printf("near-duplicate groups: %s (%s)\n", thousands(duplicate_groups).c_str(),
                count(duplicate_images, "image").c_str());
    std::printf("disk: edge length %.3f, distortion mean %.4f, worst %.4f, MAP %.3f\n", h.scale,
                s.quality.mean_distortion, s.quality.max_distortion, s.quality.map);
    if (s.in_memory)
        std::printf("built in memory just now (not stored: the library is read-only here)\n");
    else
        std::printf("built %s, updated %s, up to date\n", utc(s.built).c_str(), utc(s.updated).c_str());
}

}  // namespace

json follow_hierarchy(Library& lib, const std::atomic<bool>& cancel, bool to_stderr) {
    auto u = update_hierarchy(lib, HierarchyParams{}, cancel);
    FILE* out = to_stderr ? stderr : stdout;
    if (!u) {
        std::fprintf(out, "hierarchy: not updated: %s\n", printable(u.error().message).c_str());
        return {{"error", u.error().message}};
    }
    std::fprintf(out, "hierarchy: %s\n", printable(update_line(*u)).c_str());
    return {{"rebuilt", u->rebuilt}, {"added", u->added}, {"removed", u->removed}, {"nodes", u->nodes},
            {"reason", u->reason}, {"seconds", u->seconds},
            {"distortion", {{"mean", u->quality.mean_distortion}, {"max", u->quality.max_distortion}}},
            {"map", u->quality.map}};
}

int cmd_hierarchy(const Parsed& a) {
    const std::string library = a.text("library");
    const bool writable = writable_library(library);
    auto lib = open_for(a, writable ? LibraryAccess::Update : LibraryAccess::Read);
    if (!lib) return 1;
    std::signal(SIGINT, on_hierarchy_signal);
    std::signal(SIGTERM, on_hierarchy_signal);
    auto shown = current_hierarchy(*lib, writable, false);
    if (!shown) {
        print_error("hierarchy: " + shown.error().message);
        return g_cancel ? 130 : 1;
    }
    if (a.has("json")) {
        auto paths = paths_of(*lib);
        if (!paths) {
            print_error("hierarchy: " + paths.error().message);
            return 1;
        }
        print_json(shown->tree, shown->quality, *paths);
    } else {
        print_summary(library, *shown);
    }
    return 0;
}

int cmd_search_level(const Parsed& a) {
    for (const char* other : {"alike", "different", "no-adapter"})
        if (a.has(other))
            return usage_error("search", "--level goes without --" + std::string(other) +
                                             " (a level search ranks the hierarchy's groups)");
    const std::string library = a.text("library");
    const bool writable = writable_library(library);
    auto lib = open_for(a, writable ? LibraryAccess::Update : LibraryAccess::Read);
    if (!lib) return 1;
    std::signal(SIGINT, on_hierarchy_signal);
    std::signal(SIGTERM, on_hierarchy_signal);
    // The stored hierarchy is searched: brought up to date first where it may be written.
    bool stale = false;
    auto loaded = load_hierarchy(*lib, false, &stale);
    if (!loaded) {
        print_error("search: " + loaded.error().message);
        return 1;
    }
    if (!*loaded || stale) {
        if (writable) {
            auto u = update_hierarchy(*lib, HierarchyParams{}, g_cancel);
            if (!u) {
                print_error("search: the hierarchy: " + u.error().message);
                return g_cancel ? 130 : 1;
            }
            std::fprintf(stderr, "hierarchy: %s\n", printable(update_line(*u)).c_str());
        } else if (!*loaded) {
            print_error("search: library " + library +
                        " has no hierarchy stored and is read-only here (ruvision-cli hierarchy shows one built in memory)");
            return 1;
        } else {
            print_error("search: the stored hierarchy is stale (the library changed since it was stored) and the "
                        "library is read-only here: searching it as it is");
        }
    }
    const int level = static_cast<int>(a.number("level", 0));
    auto found = search_at_level(*lib, std::filesystem::path(a.operands()[0]), level,
                                 static_cast<int>(a.number("top", 10)));
    if (!found) {
        print_error("search: " + found.error().message);
        return 1;
    }
    for (std::size_t i = 0; i < found->hits.size(); ++i) {
        const LevelHit& h = found->hits[i];
        if (a.has("json")) {
            std::printf("%s\n", dump({{"rank", i + 1}, {"id", h.id}, {"depth", h.depth}, {"size", h.size},
                                      {"distance", h.distance}, {"path", h.representative_path}})
                                    .c_str());
        } else {
            std::printf("%3zu  %8.3f  %6lld  %s\n", i + 1, h.distance, static_cast<long long>(h.size),
                        printable(h.representative_path).c_str());
        }
    }
    return 0;
}

}  // namespace rv::cli
