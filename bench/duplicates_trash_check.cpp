#include "duplicates_trash_check.h"
#include "wallpaper_picture.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <system_error>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace fs = std::filesystem;

namespace rvbench {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

bool is_image(const fs::path& p) {
    std::string e = p.extension().string();
    for (auto& ch : e) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return e == ".jpg" || e == ".jpeg" || e == ".png" || e == ".webp";
}

// Files of the roots as the library will see them (symlinks to one file counted once).
std::vector<fs::path> image_files(const std::vector<fs::path>& roots) {
    std::map<fs::path, fs::path> seen;
    for (const auto& root : roots) {
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec))
            if (it->is_regular_file(ec) && is_image(it->path())) seen.emplace(fs::weakly_canonical(it->path(), ec), it->path());
    }
    std::vector<fs::path> out;
    for (const auto& [canon, path] : seen) out.push_back(canon);
    return out;
}

// Indexes `roots` into a fresh library in dir and checks its groups.
bool run(const std::string& name, const fs::path& dir, const std::vector<fs::path>& roots,
         const std::function<std::string(const std::string&)>& label, int k, TrashCheck& out) {
    out = {};
    out.name = name;
    fs::remove_all(dir);
    auto lib = rv::Library::open(dir);
    if (!lib) return std::fprintf(stderr, "%s\n", lib.error().message.c_str()), false;
    std::atomic<bool> cancel{false};
    rv::IndexJobParams p;
    p.roots = roots;
    std::fprintf(stderr, "%s: indexing...\n", name.c_str());
    auto r = (*lib)->index(p, cancel);
    if (!r) return std::fprintf(stderr, "%s\n", r.error().message.c_str()), false;
    out.files = long(r->embedded + r->unchanged + r->moved);
    std::map<std::string, long> per_label;
    for (const auto& f : image_files(roots)) ++per_label[label(f.string())];
    for (const auto& [l, n] : per_label) out.same_pairs += n * (n - 1) / 2;
    rv::DuplicateParams dp;
    dp.neighbours = k;
    const auto t0 = std::chrono::steady_clock::now();
    auto groups = (*lib)->duplicates(dp, cancel);
    out.seconds = seconds_since(t0);
    if (!groups) return std::fprintf(stderr, "%s\n", groups.error().message.c_str()), false;
    count_offered(*groups, label, out);
    return true;
}

void write_png(const fs::path& f, const cv::Mat& bgr) { cv::imwrite(f.string(), bgr); }

}  // namespace

void count_offered(const std::vector<rv::DuplicateGroup>& groups,
                   const std::function<std::string(const std::string&)>& label, TrashCheck& c) {
    for (const auto& g : groups) {
        ++c.groups;
        c.grouped += long(g.members.size());
        std::vector<std::string> trashable;
        for (std::size_t m = 0; m < g.members.size(); ++m) {
            if (m > 0 && !g.members[m].verified) continue;
            if (m > 0) ++c.verified;
            trashable.push_back(label(fs::weakly_canonical(g.members[m].path).string()));
        }
        for (std::size_t a = 0; a < trashable.size(); ++a)
            for (std::size_t b = a + 1; b < trashable.size(); ++b) {
                ++c.offered_pairs;
                if (trashable[a] == trashable[b]) ++c.same_offered;
                else ++c.offered_different;
            }
    }
}

void print_trash_table_header() {
    std::printf("| library | files | groups | files grouped | verified members | offered pairs | "
                "offered pairs of different pictures (must be 0) | pairs of one picture offered / all | duplicates() s |\n");
    std::printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
}

void print_trash_row(const TrashCheck& c) {
    std::printf("| %s | %ld | %ld | %ld | %ld | %ld | **%ld** | %ld / %ld | %.2f |\n", c.name.c_str(), c.files, c.groups,
                c.grouped, c.verified, c.offered_pairs, c.offered_different, c.same_offered, c.same_pairs, c.seconds);
}

long trash_checks(const fs::path& workdir, int random8, int k) {
    std::vector<TrashCheck> rows;
    TrashCheck c;
    auto by_name = [](const std::string& p) { return fs::path(p).filename().string(); };
    if (run("wallpaper packages", workdir / "wallpapers", {"/usr/share/backgrounds", "/usr/share/wallpapers"},
            [](const std::string& p) { return wallpaper_picture(p); }, k, c))
        rows.push_back(c);
    if (fs::exists("/usr/share/icons/Adwaita/48x48") &&
        run("Adwaita 48x48 icons", workdir / "icons48", {"/usr/share/icons/Adwaita/48x48"},
            [](const std::string& p) { return fs::path(p).stem().string(); }, k, c))
        rows.push_back(c);
    {
        // MATE's transparent PNGs (as the user saw them grouped) and a tiny flat grey tile.
        const fs::path mate = workdir / "mate-files";
        fs::remove_all(mate);
        fs::create_directories(mate);
        std::error_code ec;
        for (const auto& f : image_files({"/usr/share/backgrounds/mate/abstract"}))
            if (f.extension() == ".png") fs::copy_file(f, mate / f.filename(), ec);
        write_png(mate / "grey-tile.png", cv::Mat(64, 64, CV_8UC3, cv::Scalar(128, 128, 128)));
        if (run("MATE transparent PNGs + a grey tile", workdir / "mate", {mate}, by_name, k, c)) rows.push_back(c);
    }
    {
        const fs::path tiles = workdir / "tile-files";
        fs::remove_all(tiles);
        fs::create_directories(tiles);
        for (int g = 100; g < 140; ++g)
            write_png(tiles / ("tile" + std::to_string(g) + ".png"), cv::Mat(256, 256, CV_8UC3, cv::Scalar(g, g, g)));
        if (run("flat tiles 256x256, greys 100..139", workdir / "tiles", {tiles}, by_name, k, c)) rows.push_back(c);
    }
    if (random8 > 0) {
        const fs::path r8 = workdir / "random8-files";
        fs::remove_all(r8);
        fs::create_directories(r8);
        std::mt19937 rng(20261129);
        std::uniform_int_distribution<int> byte(0, 255);
        for (int i = 0; i < random8; ++i) {
            cv::Mat m(8, 8, CV_8UC3);
            for (int b = 0; b < 8 * 8 * 3; ++b) m.data[b] = std::uint8_t(byte(rng));
            char name[32];
            std::snprintf(name, sizeof name, "r%05d.png", i);
            write_png(r8 / name, m);
        }
        if (run("random 8x8 images", workdir / "random8", {r8}, by_name, k, c)) rows.push_back(c);
    }
    std::printf("\n### What the window would offer for the trash (rv::Library end to end, default threshold, K = %d)\n\n", k);
    print_trash_table_header();
    long bad = 0;
    for (const auto& r : rows) print_trash_row(r), bad += r.offered_different;
    return bad;
}

}  // namespace rvbench
