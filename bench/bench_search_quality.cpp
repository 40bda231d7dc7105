// bench_search_quality: search quality end to end, through the product. A real rv::Library in a
// temporary folder indexes the honest set's original files (retrieval/honest_set.h: every
// wallpaper package, each picture once, split by original into CHOOSE and REPORT); every query
// (seeded edits of an original, ImageEdits.h) is searched with Library::search(RgbImage, k) as
// the app does, so the figures measure whatever search() does today (ranking, scores, adapters).
// A second library holds Fashion-MNIST (the first 100 test images of each class, as PNG files);
// each of them is searched and scored by label (mAP@10, the query itself left out).
// --fashion-skip 100 takes the next 100 of each class instead: the Fashion set to choose on.
//
//   build/bin/bench_search_quality [--threads N] [--k K] [--originals N] [--combined N]
//                                  [--honest-only | --fashion-only] [--fashion-skip N] [--json FILE]
//                                  [--keep DIR] [--tune] [--dump FILE]
//
// --tune: after indexing, each library is tuned to itself (rv::tune with the app's parameters, as
// the app does in the background after indexing) before it is searched.
//
// Printed per half (CHOOSE: make choices on it; REPORT: the figures to publish): R@1 and R@10 of
// the combined queries and of all queries, R@1 per single edit; the SHOWN scores: the median score
// of a right top result, the median score of the best wrong result, the AUC of right against
// wrong shown scores (right: the right original's score wherever it is in the top k; wrong: the
// best wrong result's score, one per query), text histograms of both. --json FILE writes all of
// it as JSON. About 4 minutes with 2 threads (decoding the large wallpapers is a third of it).
// --dump FILE (i13-scores): the honest queries are searched with k = max(K, 50) (judged on the
// first K) and FILE gets one JSON object per line: first one per library file {"file", "density"}
// (its best ranking score with another library file: the file searched by its path), then one per
// query {"q", "half", "combined", "rank" (1-based, 0 = not in the top 50), "results": [{"file",
// "ranking", "shown", "same", "alike", "word", "cosine", "right"}, ...]}, for bench/score_models to
// fit score models on; FILE.fashion gets one per Fashion query {"q", "results": [{"ranking", "shown",
// "same", "alike", "word", "right" (of the query's class)}, ...]} (its top 10, itself left out).
// The Fashion part also prints, per word, how many top-10 results carry it and how many of them
// are of the query's class: what "related" and "very similar" are worth on labelled look-alikes.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "retrieval/dataset.h"
#include "retrieval/evaluate.h"
#include "retrieval/honest_set.h"
#include "retrieval/shown_scores.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Tuning.h"

namespace fs = std::filesystem;
using namespace rvbench;
using json = nlohmann::json;

namespace {

constexpr std::uint64_t kHonestSeed = 20261130;  // as retrieval_quality

struct Options {
    int threads = 2, k = 10, originals = 0, combined = 6;
    int fashion_skip = 0;  // 100: a second Fashion set to choose on (the first 100 of a class are reported)
    bool honest = true, fashion = true;
    bool tune = false;
    fs::path json_out, keep, dump;
};

[[noreturn]] void die(const std::string& msg) {
    std::fprintf(stderr, "bench_search_quality: %s\n", msg.c_str());
    std::exit(1);
}

int int_arg(const std::string& flag, const char* v) {
    char* end = nullptr;
    const long l = std::strtol(v, &end, 10);
    if (*end || l < 0 || l > 1'000'000) die(flag + ": expected a non-negative integer");
    return static_cast<int>(l);
}

std::string canonical_name(const fs::path& p) {
    std::error_code ec;
    return fs::weakly_canonical(p, ec).string();
}

// A new library in dir/library indexing dir/photos (already written); with `tune`, then tuned to
// itself as the app does after indexing (the tune's verdict printed).
std::unique_ptr<rv::Library> index_library(const fs::path& dir, int threads, bool tune) {
    auto lib = rv::Library::open(dir / "library", rv::LibraryAccess::Create);
    if (!lib) die(lib.error().message);
    std::atomic<bool> cancel{false};
    rv::IndexJobParams p;
    p.roots = {dir / "photos"};
    p.threads = threads;
    p.commit_every = 256;  // fewer transactions: the bench measures search, not indexing
    const double t0 = now_s();
    auto r = (*lib)->index(p, cancel);
    if (!r) die(r.error().message);
    if (r->failed > 0)
        for (const auto& e : r->errors) std::fprintf(stderr, "index: %s: %s\n", e.path.c_str(), e.reason.c_str());
    std::fprintf(stderr, "%s: %zu files indexed (%zu failed) in %.1f s\n", (dir / "library").c_str(), r->embedded,
                 r->failed, now_s() - t0);
    // As `ruvision-cli index` and the app do after indexing: the search calibration learned on
    // edited views and stored (without it every search learns one in memory, without views).
    const double t1 = now_s();
    if (auto st = (*lib)->update_search_calibration(cancel); !st) die(st.error().message);
    auto row = (*lib)->catalog().search_calibration((*lib)->model_id(), 0);
    std::fprintf(stderr, "search calibration stored in %.1f s: %s\n", now_s() - t1,
                 row && *row ? (*row)->calibration.c_str() : "(none)");
    if (tune) {
        rv::TuneParams tp;
        tp.threads = threads;
        const double t2 = now_s();
        auto t = rv::tune(**lib, tp, cancel);
        if (!t) die("tune: " + t.error().message);
        std::fprintf(stderr, "%s: tuned in %.1f s: version %lld %s (held-out pair AUC %.4f -> %.4f): %s\n",
                     (dir / "library").c_str(), now_s() - t2, static_cast<long long>(t->version),
                     t->activated ? "active" : "not active", t->held_out_before, t->held_out_after, t->reason.c_str());
    }
    return std::move(*lib);
}

// What one search answered for one query, as a person sees it.
struct Answer {
    int rank = 0;             // of the right picture among the results, 0 = not in the top k
    double right = -2;        // its shown score (when found)
    double best_wrong = -2;   // the highest shown score of a wrong result (-2: none shown)
    double top = -2;          // the first result's score
    bool failed = false;
    json dumped;  // --dump: the query's results
};

// Runs `count` searches on `threads` threads; search(i) must be thread-safe.
template <class F>
std::vector<Answer> run_all(int count, int threads, F search) {
    std::vector<Answer> out(static_cast<std::size_t>(count));
    std::atomic<int> next{0};
    auto work = [&]() {
        for (int i; (i = next.fetch_add(1)) < count;) out[static_cast<std::size_t>(i)] = search(i);
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    return out;
}

// The answer for results where `is_right(path)` names the right picture (a result is right when
// its representative or one of its copies is).
template <class R>
Answer judge(const std::vector<rv::SearchResult>& results, std::size_t k, R is_right) {
    Answer a;
    for (std::size_t i = 0; i < std::min(k, results.size()); ++i) {
        const auto& r = results[i];
        bool right = is_right(r.path);
        for (const auto& c : r.copies) right = right || is_right(c.path);
        if (i == 0) a.top = r.shown;
        if (right && a.rank == 0) {
            a.rank = static_cast<int>(i) + 1;
            a.right = r.shown;
        } else if (!right && a.best_wrong < -1) {
            a.best_wrong = r.shown;
        }
    }
    return a;
}

// ---- the honest set ----

json honest_bench(const Options& o) {
    HonestParams hp;
    hp.seed = kHonestSeed;
    hp.combined_per_original = o.combined;
    hp.max_originals = o.originals;
    const auto sources = honest_sources("/usr/share/backgrounds", "/usr/share/wallpapers");
    auto built = build_honest(sources, hp);
    if (!built) die(built.error().message);
    const HonestSet& set = *built;
    std::fprintf(stderr, "honest set: %zu originals (CHOOSE %d, REPORT %d), %zu queries\n", set.originals.size(),
                 set.count(Half::Choose), set.count(Half::Report), set.queries.size());

    const fs::path dir = o.keep.empty() ? fs::temp_directory_path() / ("rv-search-quality-" + std::to_string(::getpid()))
                                        : o.keep / "honest";
    fs::remove_all(dir);
    fs::create_directories(dir / "photos");
    std::map<std::string, int> original_of;  // canonical library path -> original
    for (std::size_t i = 0; i < set.names.size(); ++i) {
        const fs::path src = set.names[i];
        char prefix[32];
        std::snprintf(prefix, sizeof prefix, "%03zu-", i);
        const fs::path dst = dir / "photos" / (prefix + src.filename().string());
        std::error_code ec;
        fs::copy_file(src, dst, fs::copy_options::overwrite_existing, ec);
        if (ec) die(dst.string() + ": " + ec.message());
        original_of[canonical_name(dst)] = static_cast<int>(i);
    }
    const auto lib = index_library(dir, o.threads, o.tune);
    std::ofstream dump;
    if (!o.dump.empty()) {
        dump.open(o.dump);
        if (!dump) die(o.dump.string() + ": cannot write");
        // Each library file's density: its best ranking score with another library file.
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(dir / "photos")) files.push_back(e.path());
        std::sort(files.begin(), files.end());
        std::vector<double> density(files.size(), -2);
        (void)run_all(static_cast<int>(files.size()), o.threads, [&](int i) {
            const auto& self = files[static_cast<std::size_t>(i)];
            auto res = lib->search(self, 3);
            if (!res) die(self.string() + ": " + res.error().message);
            for (const auto& r : *res)
                if (canonical_name(r.path) != canonical_name(self)) {
                    density[static_cast<std::size_t>(i)] = r.ranking;
                    break;
                }
            return Answer{};
        });
        for (std::size_t i = 0; i < files.size(); ++i)
            dump << json{{"file", canonical_name(files[i])}, {"density", density[i]}}.dump() << '\n';
    }
    const int k_search = o.dump.empty() ? o.k : std::max(o.k, 50);

    const double t0 = now_s();
    std::atomic<int> done{0};
    const auto answers = run_all(static_cast<int>(set.queries.size()), o.threads, [&](int q) {
        const int right = set.queries[static_cast<std::size_t>(q)].original;
        auto res = lib->search(set.query_image(q), k_search);
        if (const int d = ++done; d % 200 == 0) std::fprintf(stderr, "  %d / %zu queries\n", d, set.queries.size());
        if (!res) {
            std::fprintf(stderr, "query %d: %s\n", q, res.error().message.c_str());
            Answer a;
            a.failed = true;
            return a;
        }
        auto is_right = [&](const std::string& path) {
            const auto it = original_of.find(canonical_name(path));
            return it != original_of.end() && it->second == right;
        };
        Answer a = judge(*res, static_cast<std::size_t>(o.k), is_right);
        if (!o.dump.empty()) {
            const auto& hq = set.queries[static_cast<std::size_t>(q)];
            json list = json::array();
            int rank = 0;
            for (const auto& r : *res) {
                bool ok = is_right(r.path);
                for (const auto& c : r.copies) ok = ok || is_right(c.path);
                if (ok && rank == 0) rank = static_cast<int>(list.size()) + 1;
                list.push_back({{"file", canonical_name(r.path)}, {"ranking", r.ranking}, {"shown", r.shown},
                                {"same", r.same}, {"alike", r.alike}, {"word", r.word}, {"cosine", r.score},
                                {"right", ok}});
            }
            a.dumped = {{"q", q}, {"half", half_name(set.half[static_cast<std::size_t>(hq.original)])},
                        {"combined", !hq.single()}, {"rank", rank}, {"results", std::move(list)}};
        }
        return a;
    });
    for (const Answer& a : answers)
        if (dump.is_open() && !a.dumped.is_null()) dump << a.dumped.dump() << '\n';
    if (dump.is_open()) std::fprintf(stderr, "wrote %s\n", o.dump.c_str());
    const double search_s = now_s() - t0;

    json out;
    out["originals"] = set.originals.size();
    out["queries"] = set.queries.size();
    out["merged"] = set.merged;
    out["k"] = o.k;
    out["search_seconds"] = search_s;
    for (Half h : {Half::Choose, Half::Report}) {
        int all = 0, all1 = 0, all10 = 0, comb = 0, comb1 = 0, comb10 = 0, failed = 0;
        std::vector<int> single_n(rv::kImageEditCount, 0), single_1(rv::kImageEditCount, 0);
        std::vector<double> right_top, best_wrong, right_any;
        for (std::size_t q = 0; q < set.queries.size(); ++q) {
            const auto& hq = set.queries[q];
            if (set.half[static_cast<std::size_t>(hq.original)] != h) continue;
            const Answer& a = answers[q];
            failed += a.failed;
            ++all;
            all1 += a.rank == 1;
            all10 += a.rank >= 1;
            if (hq.single()) {
                ++single_n[static_cast<std::size_t>(hq.slot)];
                single_1[static_cast<std::size_t>(hq.slot)] += a.rank == 1;
            } else {
                ++comb;
                comb1 += a.rank == 1;
                comb10 += a.rank >= 1;
            }
            if (a.rank == 1) right_top.push_back(a.right);
            if (a.rank >= 1) right_any.push_back(a.right);
            if (a.best_wrong > -2) best_wrong.push_back(a.best_wrong);
        }
        json j;
        j["queries"] = all;
        j["failed"] = failed;
        j["r1"] = all ? double(all1) / all : 0.0;
        j["r10"] = all ? double(all10) / all : 0.0;
        j["combined_queries"] = comb;
        j["combined_r1"] = comb ? double(comb1) / comb : 0.0;
        j["combined_r10"] = comb ? double(comb10) / comb : 0.0;
        for (int e = 0; e < rv::kImageEditCount; ++e)
            j["single_r1"][rv::image_edit_name(static_cast<rv::ImageEdit>(e))] =
                single_n[static_cast<std::size_t>(e)] ? double(single_1[static_cast<std::size_t>(e)]) / single_n[static_cast<std::size_t>(e)] : 0.0;
        j["median_right_top_score"] = median(right_top);
        j["median_best_wrong_score"] = median(best_wrong);
        j["auc_right_vs_wrong"] = auc(right_any, best_wrong);
        j["histogram_bins"] = "20 bins over [0, 1]";
        j["histogram_right"] = histogram_counts(right_any, 0.0, 1.0, 20);
        j["histogram_best_wrong"] = histogram_counts(best_wrong, 0.0, 1.0, 20);
        out[half_name(h)] = j;

        std::printf("### %s half: %d originals, %d queries through Library::search (k = %d)\n\n", half_name(h),
                    set.count(h), all, o.k);
        std::printf("| %s | all R@1 | all R@10 | combined R@1 | combined R@10 |", half_name(h));
        for (int e = 0; e < rv::kImageEditCount; ++e) std::printf(" %s |", rv::image_edit_name(static_cast<rv::ImageEdit>(e)));
        std::printf("\n|---|--:|--:|--:|--:|");
        for (int e = 0; e < rv::kImageEditCount; ++e) std::printf("--:|");
        std::printf("\n| search | %.3f | %.3f | %.3f | %.3f |", j["r1"].get<double>(), j["r10"].get<double>(),
                    j["combined_r1"].get<double>(), j["combined_r10"].get<double>());
        for (int e = 0; e < rv::kImageEditCount; ++e)
            std::printf(" %.3f |", j["single_r1"][rv::image_edit_name(static_cast<rv::ImageEdit>(e))].get<double>());
        std::printf("\n\n%s shown scores: median of a right top result %.3f (%zu), median of the best wrong result %.3f "
                    "(%zu), AUC right vs wrong %.4f%s\n\n",
                    half_name(h), median(right_top), right_top.size(), median(best_wrong), best_wrong.size(),
                    auc(right_any, best_wrong), failed ? (" (" + std::to_string(failed) + " searches failed)").c_str() : "");
        std::printf("%s right results' shown scores (%zu):\n```\n%s```\n%s best wrong results' shown scores (%zu):\n```\n%s```\n\n",
                    half_name(h), right_any.size(), text_histogram(right_any, 0.0, 1.0, 20).c_str(), half_name(h),
                    best_wrong.size(), text_histogram(best_wrong, 0.0, 1.0, 20).c_str());
        std::fflush(stdout);
    }
    std::printf("Searches: %.1f s for %zu queries on %d threads.\n\n", search_s, set.queries.size(), o.threads);
    if (o.keep.empty()) fs::remove_all(dir);
    return out;
}

// ---- Fashion-MNIST through a library ----

json fashion_bench(const Options& o) {
    auto f = load_fashion("/usr/share/datasets/fashion-mnist", 100, o.fashion_skip);
    if (!f) die(f.error().message);
    const fs::path dir = o.keep.empty()
                             ? fs::temp_directory_path() / ("rv-search-quality-fashion-" + std::to_string(::getpid()))
                             : o.keep / "fashion";
    fs::remove_all(dir);
    fs::create_directories(dir / "photos");
    std::map<std::string, int> item_of;
    for (std::size_t i = 0; i < f->images.size(); ++i) {
        const auto& im = f->images[i];
        cv::Mat rgb(im.height, im.width, CV_8UC3, const_cast<std::uint8_t*>(im.data.data())), bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        char name[64];
        std::snprintf(name, sizeof name, "t10k-%05d-class%d.png", f->test_index[i], f->labels[i]);
        const fs::path p = dir / "photos" / name;
        if (!cv::imwrite(p.string(), bgr)) die(p.string() + ": cannot write");
        item_of[canonical_name(p)] = static_cast<int>(i);
    }
    const auto lib = index_library(dir, o.threads, o.tune);
    const int n = static_cast<int>(f->images.size());
    std::vector<double> ap(static_cast<std::size_t>(n), 0.0);
    std::vector<json> dumped(static_cast<std::size_t>(n));
    std::atomic<int> failed{0};
    (void)run_all(n, o.threads, [&](int i) {
        // One more than 10: the query is in the library and is left out of its own list.
        auto res = lib->search(f->images[static_cast<std::size_t>(i)], 11);
        if (!res) {
            ++failed;
            std::fprintf(stderr, "fashion %d: %s\n", i, res.error().message.c_str());
            return Answer{};
        }
        int k = 0, hits = 0;
        double sum = 0.0;
        json list = json::array();
        for (const auto& r : *res) {
            const auto it = item_of.find(canonical_name(r.path));
            if (it == item_of.end() || it->second == i) continue;
            if (++k > 10) break;
            const bool alike = f->labels[static_cast<std::size_t>(it->second)] == f->labels[static_cast<std::size_t>(i)];
            if (alike) sum += double(++hits) / k;
            list.push_back({{"ranking", r.ranking}, {"shown", r.shown}, {"same", r.same}, {"alike", r.alike},
                            {"word", r.word}, {"right", alike}});
        }
        dumped[static_cast<std::size_t>(i)] = {{"q", i}, {"results", std::move(list)}};
        ap[static_cast<std::size_t>(i)] = sum / 10.0;  // 99 relevant items per query: min(10, R) = 10
        return Answer{};
    });
    double map = 0.0;
    for (double a : ap) map += a / n;
    // What the words say on look-alikes: per word, how many of the top 10 results carry it and
    // the share of them of the query's class.
    std::map<std::string, std::pair<int, int>> words;  // word -> (results, of the query's class)
    for (const json& d : dumped)
        if (d.contains("results"))
            for (const json& r : d["results"]) {
                auto& w = words[r["word"].get<std::string>()];
                ++w.first;
                w.second += r["right"].get<bool>();
            }
    std::printf("Fashion words in the top 10:");
    for (const auto& [word, c] : words)
        std::printf(" \"%s\" %d (%.2f of the class)", word.c_str(), c.first, c.first ? double(c.second) / c.first : 0.0);
    std::printf("\n");
    if (!o.dump.empty()) {
        const fs::path file = o.dump.string() + ".fashion";
        std::ofstream out(file);
        for (const json& d : dumped)
            if (!d.is_null()) out << d.dump() << '\n';
        if (!out) die(file.string() + ": cannot write");
    }
    std::printf("Fashion-MNIST through a library: %d images (100 per class), each searched with Library::search, "
                "mAP@10 by label = %.3f%s%s\n\n",
                n, map, o.fashion_skip ? (" (images after the first " + std::to_string(o.fashion_skip) + " of each class: CHOOSE)").c_str() : "",
                failed ? (" (" + std::to_string(failed.load()) + " searches failed)").c_str() : "");
    if (o.keep.empty()) fs::remove_all(dir);
    json by_word = json::object();
    for (const auto& [word, c] : words) by_word[word.empty() ? "none" : word] = {{"results", c.first}, {"of_class", c.second}};
    return json{{"images", n}, {"map10", map}, {"failed", failed.load()}, {"words", by_word}};
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto val = [&]() -> const char* {
            if (i + 1 >= argc) die(a + " needs a value");
            return argv[++i];
        };
        if (a == "--threads") o.threads = std::max(1, int_arg(a, val()));
        else if (a == "--k") o.k = std::max(1, int_arg(a, val()));
        else if (a == "--originals") o.originals = int_arg(a, val());
        else if (a == "--combined") o.combined = int_arg(a, val());
        else if (a == "--honest-only") o.fashion = false;
        else if (a == "--fashion-only") o.honest = false;
        else if (a == "--fashion-skip") o.fashion_skip = std::max(0, int_arg(a, val()));
        else if (a == "--json") o.json_out = val();
        else if (a == "--keep") o.keep = val();
        else if (a == "--tune") o.tune = true;
        else if (a == "--dump") o.dump = val();
        else if (a == "-h" || a == "--help") {
            std::printf("usage: bench_search_quality [--threads N] [--k K] [--originals N] [--combined N]\n"
                        "         [--honest-only | --fashion-only] [--fashion-skip N] [--json FILE] [--keep DIR]\n"
                        "         [--tune] [--dump FILE]\n");
            return 0;
        } else die("unknown argument '" + a + "' (see --help)");
    }
    if (!o.honest && !o.fashion) die("--honest-only and --fashion-only exclude each other");
    const double t0 = now_s();
    json out;
    std::printf("## Search quality through rv::Library\n\n");
    if (o.honest) out["honest"] = honest_bench(o);
    if (o.fashion) out["fashion"] = fashion_bench(o);
    out["seconds"] = now_s() - t0;
    std::printf("Total run time %.1f s.\n", now_s() - t0);
    if (!o.json_out.empty()) {
        std::ofstream(o.json_out) << out.dump(2) << '\n';
        std::fprintf(stderr, "wrote %s\n", o.json_out.c_str());
    }
    return 0;
}
