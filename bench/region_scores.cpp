// bench_region --scores (i13-scores): see region_scores.h.
#include "region_scores.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <thread>

#include <fstream>

#include <nlohmann/json.hpp>

#include "retrieval/shown_scores.h"
#include "ruvision/engine/ImageEdits.h"
#include "ruvision/engine/Library.h"

namespace fs = std::filesystem;

namespace rvbench {

namespace {

std::string canonical_name(const fs::path& p) {
    std::error_code ec;
    return fs::weakly_canonical(p, ec).string();
}

struct Judged {
    int rank = 0;                      // of the right original, 0: not in the top 10
    double right = -1, right_cos = -2; // its shown score and cosine
    double wrong = -1, wrong_cos = -2; // the best wrong result's
    bool right_same = false, wrong_same = false;
    bool failed = false;
    nlohmann::json results = nlohmann::json::array();  // for --dump
};

}  // namespace

int region_scores(const HonestSet& set, const std::string& half, int threads, const std::string& dump) {
    const fs::path dir = fs::temp_directory_path() / ("rv-region-scores-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "photos");
    std::map<std::string, int> original_of;
    for (std::size_t i = 0; i < set.names.size(); ++i) {
        const fs::path dst = dir / "photos" / (std::to_string(1000 + i) + "-" + fs::path(set.names[i]).filename().string());
        std::error_code ec;
        fs::copy_file(set.names[i], dst, ec);
        if (ec) return std::fprintf(stderr, "%s: %s\n", dst.c_str(), ec.message().c_str()), 1;
        original_of[canonical_name(dst)] = static_cast<int>(i);
    }
    auto lib = rv::Library::open(dir / "library", rv::LibraryAccess::Create);
    if (!lib) return std::fprintf(stderr, "%s\n", lib.error().message.c_str()), 1;
    std::atomic<bool> cancel{false};
    rv::IndexJobParams p;
    p.roots = {dir / "photos"};
    p.threads = threads;
    auto run = (*lib)->index(p, cancel);
    if (!run) return std::fprintf(stderr, "%s\n", run.error().message.c_str()), 1;
    if (auto st = (*lib)->update_search_calibration(cancel); !st)
        return std::fprintf(stderr, "%s\n", st.error().message.c_str()), 1;
    auto row = (*lib)->catalog().search_calibration((*lib)->model_id(), 0);
    std::fprintf(stderr, "library of %zu originals indexed; calibration: %s\n", run->embedded,
                 row && *row ? (*row)->calibration.c_str() : "(none)");

    // 3 crops of 10-30 % per original, as bench_region's (the same seeds).
    struct Query {
        int original, crop;
    };
    std::vector<Query> queries;
    for (int i = 0; i < static_cast<int>(set.originals.size()); ++i)
        for (int q = 0; q < 3; ++q) queries.push_back({i, q});
    std::vector<Judged> judged(queries.size());
    std::atomic<std::size_t> next{0};
    auto work = [&]() {
        for (std::size_t n; (n = next.fetch_add(1)) < queries.size();) {
            const Query& q = queries[n];
            rv::EditRandom r(set.seed, static_cast<std::uint64_t>(q.original), 1000 + static_cast<std::uint64_t>(q.crop));
            rv::EditRanges ranges;
            ranges.crop_area_min = 0.10;
            ranges.crop_area_max = 0.30;
            const rv::RgbImage crop = rv::apply_edit(set.originals[static_cast<std::size_t>(q.original)], rv::ImageEdit::Crop, r, ranges);
            auto res = (*lib)->search_region(crop, rv::RegionRect{}, dump.empty() ? 10 : 30);
            Judged& j = judged[n];
            if (!res) {
                std::fprintf(stderr, "crop %d of %d: %s\n", q.crop, q.original, res.error().message.c_str());
                j.failed = true;
                continue;
            }
            for (std::size_t i = 0; i < res->size(); ++i) {
                const auto& h = (*res)[i];
                bool right = false;
                const bool judged_here = i < 10;
                auto is_right = [&](const std::string& path) {
                    const auto it = original_of.find(canonical_name(path));
                    return it != original_of.end() && it->second == q.original;
                };
                right = is_right(h.path);
                for (const auto& c : h.copies) right = right || is_right(c.path);
                j.results.push_back({{"file", canonical_name(h.path)}, {"ranking", h.ranking}, {"shown", h.shown},
                                     {"cosine", h.score}, {"right", right}});
                if (!judged_here) continue;
                if (right && j.rank == 0) {
                    j.rank = static_cast<int>(i) + 1;
                    j.right = h.shown;
                    j.right_cos = h.score;
                    j.right_same = h.word == "same picture";
                } else if (!right && h.shown > j.wrong) {
                    j.wrong = h.shown;
                    j.wrong_cos = std::max(j.wrong_cos, static_cast<double>(h.score));
                    j.wrong_same = h.word == "same picture";
                } else if (!right) {
                    j.wrong_cos = std::max(j.wrong_cos, static_cast<double>(h.score));
                }
            }
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();

    if (!dump.empty()) {
        std::ofstream out(dump);
        for (std::size_t i = 0; i < queries.size(); ++i) {
            int rank = 0;
            for (std::size_t r = 0; r < judged[i].results.size() && !rank; ++r)
                if (judged[i].results[r]["right"].get<bool>()) rank = static_cast<int>(r) + 1;
            out << nlohmann::json{{"q", i}, {"half", half_name(set.half[static_cast<std::size_t>(queries[i].original)])},
                                  {"combined", false}, {"rank", rank}, {"results", judged[i].results}}
                       .dump()
                << '\n';
        }
        std::fprintf(stderr, "wrote %s\n", dump.c_str());
    }
    std::printf("| region search, crops of 10-30 %% | queries | R@1 | AUC shown (cosine) | median shown: right top / best wrong "
                "| right top \"same picture\" | best wrong \"same picture\" |\n|---|--:|--:|--:|--:|--:|--:|\n");
    for (Half h : {Half::Choose, Half::Report}) {
        if ((half == "choose" && h != Half::Choose) || (half == "report" && h != Half::Report)) continue;
        std::vector<double> right, wrong, right_cos, wrong_cos, top;
        int n = 0, r1 = 0, top_same = 0, wrong_same = 0, failed = 0;
        for (std::size_t i = 0; i < queries.size(); ++i) {
            if (set.half[static_cast<std::size_t>(queries[i].original)] != h) continue;
            const Judged& j = judged[i];
            ++n;
            failed += j.failed;
            r1 += j.rank == 1;
            if (j.rank >= 1) right.push_back(j.right), right_cos.push_back(j.right_cos);
            if (j.rank == 1) top.push_back(j.right), top_same += j.right_same;
            if (j.wrong >= 0) wrong.push_back(j.wrong), wrong_cos.push_back(j.wrong_cos), wrong_same += j.wrong_same;
        }
        std::printf("| %s | %d%s | %.3f | %.4f (%.4f) | %.3f / %.3f | %.3f | %.3f |\n", half_name(h), n,
                    failed ? (" (" + std::to_string(failed) + " failed)").c_str() : "", n ? double(r1) / n : 0.0,
                    auc(right, wrong), auc(right_cos, wrong_cos), median(top), median(wrong),
                    top.empty() ? 0.0 : double(top_same) / top.size(), wrong.empty() ? 0.0 : double(wrong_same) / wrong.size());
        std::printf("\n%s right results' shown scores (%zu):\n```\n%s```\n%s best wrong results' shown scores (%zu):\n```\n%s```\n\n",
                    half_name(h), right.size(), text_histogram(right, 0.0, 1.0, 20).c_str(), half_name(h), wrong.size(),
                    text_histogram(wrong, 0.0, 1.0, 20).c_str());
    }
    fs::remove_all(dir);
    return 0;
}

}  // namespace rvbench
