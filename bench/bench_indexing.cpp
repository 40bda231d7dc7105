// Indexing throughput end to end (scan, decode, preprocess, embed, store, index), with the share
// of time spent in decode vs the network, on two sets of real pictures:
//   12mp        N distinct 4000x3000 JPEGs (quality 92) made once from the wallpaper photos
//               (each scaled to cover 4000x3000 and cropped; later variants zoom in and mirror),
//               cached in --workdir;
//   wallpapers  every image file the engine's scanner finds under /usr/share/backgrounds and
//               /usr/share/wallpapers (symlinked copies included, as a user's folder would).
//
// Per image, single thread, medians over the set: full-size cv::imread; cv::imread at the DCT scale
// the engine picks (the raw "reduced decode", the floor for any decoder built on libjpeg);
// rv::decode_image as the indexer calls it (min side = Embedder::min_decode_side()); the
// preprocess; the network (Embedder::embed minus the preprocess). Shares are of the summed engine
// time over the set (medians do not add up). Also counted: files carrying an embedded JPEG preview
// (EXIF thumbnail, MPF) at least as large as the model input, i.e. files a preview could serve.
//
// End to end: rv::Library::open(fresh folder) then index() over the set with --threads workers
// and with one, images per second = embedded / seconds of index() (model loading excluded),
// median of --runs. Limits on the same machine, same run: decode limit = threads x files / summed
// reduced decode (also threads / median, as the issue defines it), network limit likewise from the
// network times, per-image limit from rv::decode_image + embed; the one-thread row shows the cost of
// scan, store and index without contention for the cores, CPU use shows whether the workers had
// their cores, and CPU ms per image (against the per-image CPU time) holds on a busy machine too.
//
// Markdown tables on stdout, progress on stderr; never passes or fails.
//
// usage: bench_indexing [--n 60] [--workdir /tmp/ruvision-bench-indexing] [--runs 3]
//                       [--threads 2] [--set 12mp|wallpapers|all] [--photos DIR]
//   --photos DIR  use the images under DIR (e.g. real camera JPEGs) instead of the generated set
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <time.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "image/ImageHeader.h"
#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/Image.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Scanner.h"

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// CPU time of the calling thread, ms (unlike wall time, not inflated by other processes).
double thread_cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return 1e3 * double(t.tv_sec) + 1e-6 * double(t.tv_nsec);
}

double median(std::vector<double> v) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double sum(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s;
}

double mean(const std::vector<double>& v) { return v.empty() ? 0.0 : sum(v) / double(v.size()); }

const std::vector<fs::path> kWallpaperRoots = {"/usr/share/backgrounds", "/usr/share/wallpapers"};

std::vector<std::uint8_t> read_file(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(f), {});
}

// The wallpapers as the indexer sees them: what scan_images finds under the roots, in its order.
std::vector<fs::path> wallpaper_files() {
    std::vector<fs::path> out;
    for (const auto& root : kWallpaperRoots)
        for (auto& f : rv::scan_images(root, rv::ScanOptions{})) out.push_back(f.path);
    return out;
}

// Sources for the 12 MP set: distinct JPEG/PNG photos (symlinked copies counted once), sorted.
std::vector<fs::path> wallpaper_sources() {
    std::set<fs::path> real;
    for (const auto& p : wallpaper_files()) {
        std::string ext = p.extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
        if (ext != ".jpg" && ext != ".jpeg" && ext != ".png") continue;
        if (p.filename().string().rfind("screenshot", 0) == 0) continue;  // Plasma's 400 px previews
        std::error_code ec;
        const fs::path c = fs::canonical(p, ec);
        if (!ec) real.insert(c);
    }
    return {real.begin(), real.end()};
}

// Picture i of the 12 MP set: source i % S scaled to cover 4000x3000 (zoomed in by 15 % more for
// each further pass over the sources, mirrored on odd passes), centre-cropped. Written once to
// DIR/img_NNNN.jpg (quality 92); returns the N paths.
std::vector<fs::path> make_12mp_set(const fs::path& dir, int n) {
    constexpr int W = 4000, H = 3000;
    const auto sources = wallpaper_sources();
    std::vector<fs::path> out;
    if (sources.empty()) return out;
    fs::create_directories(dir);
    for (int i = 0; i < n; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "img_%04d.jpg", i);
        const fs::path p = dir / name;
        out.push_back(p);
        std::error_code ec;
        if (fs::exists(p, ec) && fs::file_size(p, ec) > 0) continue;
        const fs::path& src = sources[static_cast<std::size_t>(i) % sources.size()];
        const int pass = i / static_cast<int>(sources.size());
        std::fprintf(stderr, "generating %s from %s\n", p.c_str(), src.c_str());
        cv::Mat img = cv::imread(src.string(), cv::IMREAD_COLOR);
        if (img.empty()) {
            std::fprintf(stderr, "bench_indexing: cannot read %s\n", src.c_str());
            out.pop_back();
            continue;
        }
        const double s = std::max(double(W) / img.cols, double(H) / img.rows) * (1.0 + 0.15 * pass);
        cv::Mat scaled;
        cv::resize(img, scaled, cv::Size(std::max(W, int(std::ceil(img.cols * s))), std::max(H, int(std::ceil(img.rows * s)))),
                   0, 0, s < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
        cv::Mat crop = scaled(cv::Rect((scaled.cols - W) / 2, (scaled.rows - H) / 2, W, H));
        if (pass % 2) cv::flip(crop, crop, 1);
        const fs::path tmp = dir / (std::string(".") + name);  // hidden until complete
        if (!cv::imwrite(tmp.string(), crop, {cv::IMWRITE_JPEG_QUALITY, 92})) {
            std::fprintf(stderr, "bench_indexing: cannot write %s\n", tmp.c_str());
            out.pop_back();
            continue;
        }
        fs::rename(tmp, p);
    }
    return out;
}

// Shorter side of the largest JPEG embedded in a JPEG file (EXIF/APPn thumbnails, MPF previews
// appended after the main image); 0 if none. An SOI marker cannot occur inside entropy-coded data,
// so every FF D8 FF after offset 0 starts an embedded JPEG (or is a chance match in metadata, which
// the header reader then rejects).
int largest_embedded_preview(const std::vector<std::uint8_t>& b) {
    int best = 0;
    if (b.size() < 4 || b[0] != 0xFF || b[1] != 0xD8) return 0;
    for (std::size_t i = 2; i + 3 < b.size(); ++i) {
        const void* hit = std::memchr(b.data() + i, 0xFF, b.size() - i - 3);
        if (!hit) break;
        i = static_cast<const std::uint8_t*>(hit) - b.data();
        if (b[i + 1] != 0xD8 || b[i + 2] != 0xFF) continue;
        const rv::ImageHeader h = rv::sniff_image_header(b.data() + i, b.size() - i);
        if (h.width > 0 && h.height > 0) best = std::max(best, std::min(h.width, h.height));
    }
    return best;
}

int reduced_flag(int reduction) {
    switch (reduction) {
        case 8: return cv::IMREAD_REDUCED_COLOR_8;
        case 4: return cv::IMREAD_REDUCED_COLOR_4;
        case 2: return cv::IMREAD_REDUCED_COLOR_2;
        default: return cv::IMREAD_COLOR;
    }
}

// Per-file times in ms, single thread; one entry per file that decoded.
struct PerImage {
    std::vector<double> imread_full, imread_reduced, rv_decode, preprocess, network, engine_total, megapixels,
        megabytes;
    std::vector<double> engine_cpu;  // CPU ms of rv::decode_image + Embedder::embed
    std::vector<fs::path> paths;
    std::map<int, int> reductions;  // DCT reduction -> files
    int with_large_preview = 0;
    int failed = 0;
};

PerImage measure_per_image(const std::vector<fs::path>& files, rv::Embedder& embedder) {
    PerImage r;
    rv::DecodeOptions opt;
    opt.min_side = embedder.min_decode_side();
    // Warm-up: page cache for every file, and one full pass through the network.
    for (const auto& f : files) (void)read_file(f);
    if (!files.empty())
        if (auto d = rv::decode_image(files[0], opt)) (void)embedder.embed(d->image);
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& f = files[i];
        if (i % 20 == 0) std::fprintf(stderr, "per image: %zu/%zu\n", i, files.size());
        auto t = Clock::now();
        cv::Mat full = cv::imread(f.string(), cv::IMREAD_COLOR);
        const double t_full = ms_since(t);
        if (full.empty()) {  // OpenCV cannot read it at all (e.g. a format it lacks)
            ++r.failed;
            continue;
        }
        full.release();
        const double cpu0 = thread_cpu_ms();
        t = Clock::now();
        auto d = rv::decode_image(f, opt);
        const double t_rv = ms_since(t);
        const double cpu_decode = thread_cpu_ms() - cpu0;
        if (!d) {
            std::fprintf(stderr, "bench_indexing: %s\n", d.error().message.c_str());
            ++r.failed;
            continue;
        }
        t = Clock::now();
        cv::Mat reduced = cv::imread(f.string(), reduced_flag(d->reduction));
        const double t_reduced = ms_since(t);
        int h = 0, w = 0;
        t = Clock::now();
        auto tensor = embedder.preprocess(d->image, 0, &h, &w);
        const double t_pre = ms_since(t);
        const double cpu1 = thread_cpu_ms();
        t = Clock::now();
        auto v = embedder.embed(d->image);
        if (!v) std::fprintf(stderr, "%s: %s\n", f.c_str(), v.error().message.c_str());
        const double t_embed = ms_since(t);
        const double cpu_embed = thread_cpu_ms() - cpu1;
        const auto bytes = read_file(f);
        r.imread_full.push_back(t_full);
        r.imread_reduced.push_back(t_reduced);
        r.rv_decode.push_back(t_rv);
        r.preprocess.push_back(t_pre);
        r.network.push_back(std::max(0.0, t_embed - t_pre));
        r.engine_total.push_back(t_rv + t_embed);
        r.engine_cpu.push_back(cpu_decode + cpu_embed);
        r.paths.push_back(f);
        r.megapixels.push_back(double(d->original_width) * d->original_height / 1e6);
        r.megabytes.push_back(double(bytes.size()) / (1 << 20));
        ++r.reductions[d->reduction];
        if (largest_embedded_preview(bytes) >= opt.min_side) ++r.with_large_preview;
    }
    return r;
}

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

struct EndToEnd {
    double images_per_second = 0;  // median over runs
    double cpu_use = 0;            // this process's CPU seconds / wall seconds, median over runs
    double cpu_ms_per_image = 0;   // this process's CPU ms / embedded files, median over runs
    std::size_t found = 0, embedded = 0, failed = 0;
};

// index() into a fresh library per run; images/s = embedded / seconds of index().
EndToEnd measure_end_to_end(const std::vector<fs::path>& roots, const fs::path& workdir, int runs, int threads) {
    EndToEnd e;
    std::vector<double> rates, cpu, cpu_per_image;
    for (int run = 0; run < runs; ++run) {
        const fs::path dir = workdir / ("library-run" + std::to_string(run));
        fs::remove_all(dir);
        auto lib = rv::Library::open(dir);
        if (!lib) {
            std::fprintf(stderr, "bench_indexing: %s\n", lib.error().message.c_str());
            return e;
        }
        rv::IndexJobParams params;
        params.roots = roots;
        params.threads = threads;
        std::atomic<bool> cancel{false};
        const double cpu0 = cpu_seconds();
        const auto t0 = Clock::now();
        auto r = (*lib)->index(params, cancel, [&](const rv::IndexProgress& p) {
            if (p.done % 50 == 0 || p.done == p.total)
                std::fprintf(stderr, "index run %d, %d threads: %zu/%zu, %.1f img/s\n", run + 1, threads, p.done,
                             p.total, p.images_per_second);
        });
        const double seconds = ms_since(t0) / 1000.0;
        const double cpu_used = cpu_seconds() - cpu0;
        cpu.push_back(seconds > 0 ? cpu_used / seconds : 0.0);
        if (!r) {
            std::fprintf(stderr, "bench_indexing: index: %s\n", r.error().message.c_str());
            return e;
        }
        for (const auto& err : r->errors) std::fprintf(stderr, "index error: %s\n", err.reason.c_str());
        e.found = r->found;
        e.embedded = r->embedded;
        e.failed = r->failed;
        rates.push_back(seconds > 0 ? double(r->embedded) / seconds : 0.0);
        cpu_per_image.push_back(r->embedded ? 1e3 * cpu_used / double(r->embedded) : 0.0);
        lib->reset();
        fs::remove_all(dir);
    }
    e.images_per_second = median(rates);
    e.cpu_use = median(cpu);
    e.cpu_ms_per_image = median(cpu_per_image);
    return e;
}

std::string reductions_text(const std::map<int, int>& m) {
    std::string s;
    for (auto it = m.rbegin(); it != m.rend(); ++it)
        s += (s.empty() ? "" : ", ") + (it->first == 1 ? std::string("1") : "1/" + std::to_string(it->first)) + ": " +
             std::to_string(it->second);
    return s;
}

struct SetResult {
    std::string name;
    std::size_t files = 0;
    PerImage per;
    EndToEnd e2e, e2e_one;  // with --threads workers, and with one
};

}  // namespace

int main(int argc, char** argv) {
    int n = 60, runs = 3, threads = 2;
    fs::path workdir = fs::temp_directory_path() / "ruvision-bench-indexing";
    std::string which = "all";
    fs::path photos;  // real camera JPEGs to use as the 12 MP set instead of generated ones
    for (int i = 1; i < argc; ++i) {
        auto arg = [&](const char* name) { return !std::strcmp(argv[i], name) && i + 1 < argc; };
        if (arg("--n")) n = std::max(1, std::atoi(argv[++i]));
        else if (arg("--runs")) runs = std::max(1, std::atoi(argv[++i]));
        else if (arg("--threads")) threads = std::max(1, std::atoi(argv[++i]));
        else if (arg("--workdir")) workdir = argv[++i];
        else if (arg("--set")) which = argv[++i];
        else if (arg("--photos")) photos = argv[++i];
        else {
            std::fprintf(stderr, "usage: bench_indexing [--n N] [--workdir DIR] [--runs R] [--threads T] "
                                 "[--set 12mp|wallpapers|all] [--photos DIR]\n");
            return 2;
        }
    }
    if (which != "12mp" && which != "wallpapers" && which != "all") {
        std::fprintf(stderr, "bench_indexing: --set must be 12mp, wallpapers or all\n");
        return 2;
    }
    auto model = rv::find_model();
    if (!model) {
        std::fprintf(stderr, "bench_indexing: %s\n", model.error().message.c_str());
        return 1;
    }
    auto embedder = rv::Embedder::open(*model);
    if (!embedder) {
        std::fprintf(stderr, "bench_indexing: %s\n", embedder.error().message.c_str());
        return 1;
    }
    fs::create_directories(workdir);

    std::vector<SetResult> results;
    if (which != "wallpapers") {
        std::vector<fs::path> files;
        fs::path root;
        std::string name;
        if (!photos.empty()) {
            for (auto& f : rv::scan_images(photos, rv::ScanOptions{})) files.push_back(f.path);
            root = photos;
            name = "photos in " + photos.string();
        } else {
            files = make_12mp_set(workdir / "12mp", n);
            // The indexed root holds exactly these N files (hard links into the cache).
            root = workdir / ("12mp-set-" + std::to_string(files.size()));
            fs::remove_all(root);
            fs::create_directories(root);
            for (const auto& f : files) {
                std::error_code ec;
                fs::create_hard_link(f, root / f.filename(), ec);
                if (ec) fs::copy_file(f, root / f.filename());
            }
            name = "12 MP JPEG (4000x3000, q92)";
        }
        SetResult s{name, files.size(), {}, {}, {}};
        s.per = measure_per_image(files, **embedder);
        s.e2e = measure_end_to_end({root}, workdir, runs, threads);
        s.e2e_one = measure_end_to_end({root}, workdir, runs, 1);
        results.push_back(std::move(s));
    }
    if (which != "12mp") {
        const auto files = wallpaper_files();
        SetResult s{"wallpapers (/usr/share/{backgrounds,wallpapers})", files.size(), {}, {}, {}};
        s.per = measure_per_image(files, **embedder);
        s.e2e = measure_end_to_end(kWallpaperRoots, workdir, runs, threads);
        s.e2e_one = measure_end_to_end(kWallpaperRoots, workdir, runs, 1);
        results.push_back(std::move(s));
    }

    std::printf("Model %s (descriptor %s), decoder min side %d px; %d threads for the end-to-end runs.\n\n",
                (*embedder)->model_name().c_str(), (*embedder)->descriptor().str().c_str(),
                (*embedder)->min_decode_side(), threads);
    std::printf("Per image, one thread, median ms over the set (shares: of the summed engine time "
                "rv::decode_image + preprocess + network)\n\n");
    std::printf("| set | files | MB/file | MP/file | imread full | imread at DCT scale | rv::decode_image | DCT scales "
                "| preprocess | network | decode share | preprocess share | network share | preview >= %d px |\n",
                (*embedder)->min_decode_side());
    std::printf("|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|\n");
    for (const auto& s : results) {
        const auto& p = s.per;
        const double total = sum(p.rv_decode) + sum(p.preprocess) + sum(p.network);
        auto share = [&](const std::vector<double>& v) { return total > 0 ? 100.0 * sum(v) / total : 0.0; };
        std::printf("| %s | %zu | %.2f | %.1f | %.1f | %.1f | %.1f | %s | %.2f | %.1f | %.0f %% | %.0f %% | %.0f %% | %d / %zu |\n",
                    s.name.c_str(), p.rv_decode.size(), median(p.megabytes), median(p.megapixels), median(p.imread_full),
                    median(p.imread_reduced), median(p.rv_decode), reductions_text(p.reductions).c_str(),
                    median(p.preprocess), median(p.network), share(p.rv_decode), share(p.preprocess),
                    share(p.network), p.with_large_preview, p.rv_decode.size());
    }
    std::printf("\nEnd to end: Library::index() into a fresh library, median of %d runs. Limits = threads x files / "
                "summed single-thread time of the step over the set (the mean decides a set's throughput; "
                "the brief's median-based decode limit is shown too). CPU use = process CPU seconds / wall "
                "seconds (below the thread count: waiting, or other processes on the cores). CPU ms/img = "
                "process CPU / embedded files, against the mean single-thread CPU time of rv::decode_image "
                "+ embed, the work no pipeline avoids (this ratio holds on a busy machine too).\n\n", runs);
    std::printf("| set | threads | found | embedded | failed | images/s | CPU use | decode limit (median) | vs it "
                "| decode limit (mean) | vs it | network limit | vs it | per-image limit (decode+embed) | vs it "
                "| CPU ms/img (decode+embed) | ratio |\n");
    std::printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (const auto& s : results)
        for (const auto* e : {&s.e2e, &s.e2e_one}) {
            const int t = e == &s.e2e ? threads : 1;
            const auto& p = s.per;
            auto limit = [&](double ms) { return ms > 0 ? t * 1000.0 / ms : 0.0; };
            auto vs = [](double a, double b) { return b > 0 ? a / b : 0.0; };
            const double ips = e->images_per_second;
            const double dec_med = limit(median(p.imread_reduced)), dec = limit(mean(p.imread_reduced)),
                         net = limit(mean(p.network)), img = limit(mean(p.engine_total));
            const double cpu_ref = mean(p.engine_cpu);
            std::printf("| %s | %d | %zu | %zu | %zu | %.1f | %.2f | %.1f | %.2f | %.1f | %.2f | %.1f | %.2f | %.1f | %.2f "
                        "| %.1f (%.1f) | %.2f |\n",
                        s.name.c_str(), t, e->found, e->embedded, e->failed, ips, e->cpu_use, dec_med, vs(ips, dec_med),
                        dec, vs(ips, dec), net, vs(ips, net), img, vs(ips, img), e->cpu_ms_per_image, cpu_ref,
                        vs(e->cpu_ms_per_image, cpu_ref));
        }

    // Where a heavy-tailed set spends its time.
    for (const auto& s : results) {
        const auto& p = s.per;
        std::vector<std::size_t> order(p.engine_total.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](auto a, auto b) { return p.engine_total[a] > p.engine_total[b]; });
        const std::size_t shown = std::min<std::size_t>(5, order.size());
        double top = 0;
        for (std::size_t k = 0; k < shown; ++k) top += p.engine_total[order[k]];
        std::printf("\nSlowest files of %s: %zu files, %.0f %% of the set's decode + embed time\n\n", s.name.c_str(),
                    shown, sum(p.engine_total) > 0 ? 100.0 * top / sum(p.engine_total) : 0.0);
        for (std::size_t k = 0; k < shown; ++k) {
            const std::size_t i = order[k];
            std::printf("- %s: %.1f MP, %.2f MB, rv::decode_image %.1f ms, decode + embed %.1f ms\n", p.paths[i].c_str(),
                        p.megapixels[i], p.megabytes[i], p.rv_decode[i], p.engine_total[i]);
        }
    }
    return 0;
}
