// bench_learning: what learning from a person's marks gains, on Fashion-MNIST, through the engine
// directly (issue 10, "Measured").
//
//   bench_learning [--fashion DIR] [--features FILE] [--threads N] [--seeds N] [--library N]
//                  [--heldout N] [--quick] [--json] [--json-file FILE] [--choose] [--engine-defaults]
//
// Data: every t10k image of Debian's dataset-fashion-mnist embedded with the default model
// (cached, learning/features.h). Per seed: a library (3000) and disjoint held-out queries (1000),
// half of the library the person's marking part; the held-out queries split into CHOOSE and
// REPORT halves. --choose runs the parameter search on CHOOSE (learning/choose.h) from the
// engine's defaults and prints the values; without it, every figure is on REPORT with the values
// that search chose (chosen_settings(), choose.h), or with --engine-defaults the defaults of
// AdapterTraining.h / Feedback.h; the LDA reference's shrinkage is chosen on CHOOSE in every run.
// Curves (learning/person.h): mAP@10 of the REPORT queries against the whole library after
// 0..1000 marks, mean ± sample standard deviation over seeds. Forgetting and speed:
// learning/experiments.h. Search is exact (brute force) here; the library's HNSW index is not in
// the loop. Output: a Markdown table on stdout (progress on stderr), or JSON with --json;
// --json-file FILE also writes the JSON there.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "learning/choose.h"
#include "learning/experiments.h"
#include "learning/features.h"
#include "learning/lda.h"
#include "learning/person.h"
#include "learning/report.h"
#include "learning/retrieval.h"

namespace fs = std::filesystem;
using namespace rvlearn;
using nlohmann::json;

namespace {

struct Options {
    fs::path fashion_dir = "/usr/share/datasets/fashion-mnist";
    fs::path features, json_file;
    int threads = 2, seeds = 3, library = 3000, heldout = 1000;
    int forgetting_sessions = 50;  // per phase: 500 marks
    int speed_marks = 200;
    std::vector<int> checkpoints = {0, 20, 50, 100, 200, 500, 1000};
    bool quick = false, as_json = false, choose = false, engine_defaults = false;
};

[[noreturn]] void die(const std::string& msg) {
    std::fprintf(stderr, "bench_learning: %s\n", msg.c_str());
    std::exit(2);
}

int int_arg(int& i, int argc, char** argv, int lo, int hi) {
    if (i + 1 >= argc) die(std::string(argv[i]) + " needs a number");
    char* end = nullptr;
    const long v = std::strtol(argv[++i], &end, 10);
    if (*end || v < lo || v > hi)
        die(std::string(argv[i - 1]) + ": '" + argv[i] + "' is not a number from " + std::to_string(lo) + " to " + std::to_string(hi));
    return static_cast<int>(v);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--fashion" && i + 1 < argc) o.fashion_dir = argv[++i];
        else if (a == "--features" && i + 1 < argc) o.features = argv[++i];
        else if (a == "--json-file" && i + 1 < argc) o.json_file = argv[++i];
        else if (a == "--threads") o.threads = int_arg(i, argc, argv, 1, 64);
        else if (a == "--seeds") o.seeds = int_arg(i, argc, argv, 1, 100);
        else if (a == "--library") o.library = int_arg(i, argc, argv, 500, 8000);
        else if (a == "--heldout") o.heldout = int_arg(i, argc, argv, 100, 5000);
        else if (a == "--quick") o.quick = true;
        else if (a == "--json") o.as_json = true;
        else if (a == "--choose") o.choose = true;
        else if (a == "--engine-defaults") o.engine_defaults = true;
        else die("unknown argument '" + a + "' (see the top of bench/bench_learning.cpp)");
    }
    if (o.quick) {
        o.seeds = 1;
        o.checkpoints = {0, 20, 50, 100, 200};
        o.forgetting_sessions = 20;
        o.speed_marks = 50;
    }
    return o;
}

struct Stat {
    double mean = 0, sd = 0;
};
Stat stat(const std::vector<double>& v) {
    Stat s;
    if (v.empty()) return s;
    for (double x : v) s.mean += x;
    s.mean /= static_cast<double>(v.size());
    if (v.size() > 1) {
        for (double x : v) s.sd += (x - s.mean) * (x - s.mean);
        s.sd = std::sqrt(s.sd / static_cast<double>(v.size() - 1));
    }
    return s;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string cpu_name() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
    return "unknown CPU";
}

json settings_json(const Settings& s, double lda_shrink) {
    const auto& t = s.train;
    return {{"train", {{"rank", t.rank}, {"alpha", t.alpha}, {"epochs", t.epochs}, {"batch", t.batch},
                       {"learning_rate", t.learning_rate}, {"weight_decay", t.weight_decay}, {"margin", t.margin}, {"triplet_margin", t.triplet_margin},
                       {"temperature", t.temperature}, {"contrastive", t.losses.contrastive},
                       {"triplet", t.losses.triplet}, {"infonce", t.losses.infonce}, {"replay", t.replay},
                       {"ewc", t.ewc}, {"ewc_lambda", t.ewc_lambda},
                       {"discriminant_strength", t.discriminant_strength}, {"discriminant_shrink", t.discriminant_shrink}}},
            {"fast", {{"rank", s.fast.rank}, {"alpha", s.fast.alpha}, {"steps", s.fast.steps},
                      {"learning_rate", s.fast.learning_rate}, {"margin", s.fast.margin}, {"window", s.fast_window}}},
            {"rocchio", {{"a", s.rocchio.alike}, {"b", s.rocchio.different}}},
            {"patterns", {{"radius", s.pattern_radius}, {"clusters", s.patterns.clusters}}},
            {"lda_shrink", lda_shrink}};
}

struct RowSpec {
    std::string name;
    Parts parts;
};

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    auto pool = load_pool(o.fashion_dir, o.features, o.threads);
    if (!pool) die(pool.error().message);
    if (o.library + o.heldout > static_cast<int>(pool->labels.size())) die("--library + --heldout exceed the test split");
    std::fprintf(stderr, "bench_learning: %zu features of %d floats (%s)%s\n", pool->labels.size(), pool->features.dim,
                 pool->model.c_str(), pool->from_cache ? ", from the cache" : "");

    std::vector<World> choose_worlds, report_worlds;
    for (int seed = 1; seed <= o.seeds; ++seed) {
        const Split split = make_split(*pool, static_cast<std::uint64_t>(seed), o.library, o.heldout, 0.5);
        choose_worlds.push_back(make_world(*pool, split, split.choose));
        report_worlds.push_back(make_world(*pool, split, split.report));
    }
    Settings settings = o.engine_defaults ? Settings{} : chosen_settings();
    json out = {{"model", pool->model}, {"cpu", cpu_name()}, {"hardware_threads", std::thread::hardware_concurrency()},
                {"seeds", o.seeds}, {"library", o.library}, {"heldout", o.heldout}, {"checkpoints", o.checkpoints},
                {"parameters", o.engine_defaults ? "engine defaults" : "chosen on CHOOSE"}};

    if (o.choose) {
        const auto t0 = std::chrono::steady_clock::now();
        const Choice c = choose_parameters(choose_worlds, o.checkpoints, Settings{},
                                           [t0](const std::string& l) {
                                               std::fprintf(stderr, "choose [%.0f s]: %s\n", seconds_since(t0), l.c_str());
                                           });
        out["chosen"] = settings_json(c.settings, c.lda_shrink);
        out["log"] = c.log;
        if (o.as_json) std::printf("%s\n", out.dump(2).c_str());
        else std::printf("Chosen on CHOOSE (%d seeds):\n%s\n", o.seeds, out["chosen"].dump(2).c_str());
        return 0;
    }

    std::vector<std::string> lda_log;
    const double lda_shrink = choose_lda_shrink(choose_worlds, lda_log);
    out["settings"] = settings_json(settings, lda_shrink);

    std::vector<RowSpec> specs = {{"plain features", {}}};
    specs.push_back({"Rocchio, in-session (own top 10 marked)", {.rocchio = true}});
    specs.push_back({"session memory (patterns)", {.patterns = true}});
    specs.push_back({"fast adapter", {.fast = true}});
    specs.push_back({"base adapter", {.base = true}});
    specs.push_back({"base + fast", {.fast = true, .base = true}});
    specs.push_back({"all together (memory + fast + base)", {.patterns = true, .fast = true, .base = true}});
    specs.push_back({"all together + in-session Rocchio", {.patterns = true, .fast = true, .base = true, .rocchio = true}});
    // Not held-out: the person's own queries (see Parts::seen), against their own plain row.
    specs.push_back({"plain features, the person's own 100 queries (seen)", {.seen = true}});
    specs.push_back({"base adapter, the person's own 100 queries (seen)", {.base = true, .seen = true}});

    json rows = json::array();
    std::vector<double> retrain_1000;
    std::vector<std::vector<double>> plain, plain_seen;  // the plain rows' values, per checkpoint and seed
    for (const auto& spec : specs) {
        std::vector<std::vector<double>> per_point(o.checkpoints.size());
        for (std::size_t si = 0; si < report_worlds.size(); ++si) {
            std::fprintf(stderr, "bench_learning: %s, seed %zu\n", spec.name.c_str(), si + 1);
            const Curve c = run_curve(report_worlds[si], spec.parts, settings, o.checkpoints, si + 1);
            if (!c.error.empty()) die(spec.name + ": " + c.error);
            for (std::size_t k = 0; k < c.map.size(); ++k) per_point[k].push_back(c.map[k]);
            if (spec.parts.base && !spec.parts.fast && !spec.parts.seen && !c.train_seconds.empty() && o.checkpoints.back() == 1000)
                retrain_1000.push_back(c.train_seconds.back());
        }
        json r = {{"name", spec.name}, {"mean", json::array()}, {"sd", json::array()}, {"per_seed", per_point},
                  {"gain_mean", json::array()}, {"gain_sd", json::array()}};
        for (const auto& p : per_point) {
            const Stat st = stat(p);
            r["mean"].push_back(st.mean);
            r["sd"].push_back(st.sd);
        }
        if (rows.empty()) plain = per_point;
        if (spec.parts.seen && plain_seen.empty()) plain_seen = per_point;
        // Gains are paired by seed (same library, marks and queries), so the spread of the
        // libraries drawn does not hide them; seen rows against the plain features on the same queries.
        const auto& base_row = spec.parts.seen ? plain_seen : plain;
        for (std::size_t k = 0; k < per_point.size(); ++k) {
            std::vector<double> g;
            for (std::size_t si = 0; si < per_point[k].size(); ++si) g.push_back(per_point[k][si] - base_row[k][si]);
            r["gain_mean"].push_back(stat(g).mean);
            r["gain_sd"].push_back(stat(g).sd);
        }
        rows.push_back(r);
    }
    {
        std::vector<double> v;
        for (const auto& w : report_worlds) {
            std::vector<int> rows_m(w.marking.begin(), w.marking.end()), labels;
            for (int r : rows_m) labels.push_back(w.lib_labels[static_cast<std::size_t>(r)]);
            const Lda lda = Lda::learn(select(w.lib, rows_m), labels, lda_shrink);
            v.push_back(map10(lda.apply(w.lib), w.lib_labels, lda.apply(w.queries), w.q_labels));
        }
        const Stat st = stat(v);
        std::vector<double> g;
        for (std::size_t si = 0; si < v.size(); ++si) g.push_back(v[si] - plain[0][si]);
        out["lda"] = {{"mean", st.mean}, {"sd", st.sd}, {"per_seed", v}, {"labels", report_worlds[0].marking.size()},
                      {"gain_mean", stat(g).mean}, {"gain_sd", stat(g).sd}};
    }
    out["curves"] = rows;

    // Forgetting.
    json forgetting = json::array();
    {
        std::vector<std::vector<Forgetting>> per_seed;
        for (std::size_t si = 0; si < report_worlds.size(); ++si) {
            std::fprintf(stderr, "bench_learning: forgetting, seed %zu\n", si + 1);
            per_seed.push_back(run_forgetting(report_worlds[si], settings, o.forgetting_sessions, si + 1));
        }
        for (std::size_t v = 0; v < per_seed[0].size(); ++v) {
            std::vector<double> a04, b04, a59, b59, drop, plain04;
            for (const auto& s : per_seed) {
                if (!s[v].error.empty()) die("forgetting, " + s[v].variant + ": " + s[v].error);
                plain04.push_back(s[v].plain_04);
                a04.push_back(s[v].after_a_04);
                b04.push_back(s[v].after_b_04);
                a59.push_back(s[v].after_a_59);
                b59.push_back(s[v].after_b_59);
                drop.push_back(s[v].drop());
            }
            forgetting.push_back({{"variant", per_seed[0][v].variant}, {"plain_04", stat(plain04).mean},
                                  {"after_a_04", stat(a04).mean}, {"after_b_04", stat(b04).mean},
                                  {"after_a_59", stat(a59).mean}, {"after_b_59", stat(b59).mean},
                                  {"drop", stat(drop).mean}, {"drop_sd", stat(drop).sd},
                                  {"marks_a", per_seed[0][v].marks_a}, {"marks_b", per_seed[0][v].marks_b}});
        }
    }
    out["forgetting"] = forgetting;

    // Speed.
    {
        std::fprintf(stderr, "bench_learning: speed\n");
        json speed = json::array();
        World whole = report_worlds[0];
        {
            std::vector<int> all(pool->labels.size());
            for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
            Split s;
            s.library = all;
            Rng rng(99);
            rng.shuffle(s.library);
            for (std::size_t i = 0; i < s.library.size() / 2; ++i) s.marking.push_back(static_cast<int>(i));
            whole = make_world(*pool, s, {});
        }
        for (const World* w : {&report_worlds[0], &whole}) {
            const MarkSpeed m = measure_mark_speed(*w, settings, 20, o.speed_marks, 1);
            if (!m.error.empty()) die("speed: " + m.error);
            speed.push_back({{"library", m.library}, {"marks", m.ms.size()}, {"median_ms", median(m.ms)}});
        }
        out["mark_to_search"] = speed;
        out["retrain_1000_seconds"] = {{"median", median(retrain_1000)}, {"runs", retrain_1000}};
    }

    if (!o.json_file.empty()) {
        std::ofstream f(o.json_file);
        f << out.dump(2) << "\n";
        if (!f) die(o.json_file.string() + ": cannot write");
    }
    if (o.as_json) std::printf("%s\n", out.dump(2).c_str());
    else print_table(out);
    return 0;
}
