#include "learning/report.h"

#include <cstdio>
#include <string>
#include <vector>

namespace rvlearn {

namespace {

std::string cell(double mean, double sd) {
    char s[48];
    std::snprintf(s, sizeof s, "%.3f ± %.3f", mean, sd);
    return s;
}

std::string signed_cell(double mean, double sd) {
    char s[48];
    std::snprintf(s, sizeof s, "%+.3f ± %.3f", mean, sd);
    return s;
}

}  // namespace

void print_table(const nlohmann::json& run) {
    const auto& cps = run["checkpoints"];
    std::printf("Fashion-MNIST (t10k), %s; library %d, held-out %d (REPORT half: %d queries), %d seeds; "
                "mAP@10, mean ± sd over seeds; parameters: %s\n\n",
                run["model"].get<std::string>().c_str(), run["library"].get<int>(), run["heldout"].get<int>(),
                run["heldout"].get<int>() / 2, run["seeds"].get<int>(), run["parameters"].get<std::string>().c_str());
    // The gain columns: at 200 marks (if measured) and at the last checkpoint, paired by seed.
    std::vector<std::size_t> gain_at;
    for (std::size_t k = 0; k < cps.size(); ++k)
        if (cps[k].get<int>() == 200 && k + 1 != cps.size()) gain_at.push_back(k);
    gain_at.push_back(cps.size() - 1);
    std::printf("| marks |");
    for (const auto& c : cps) std::printf(" %d |", c.get<int>());
    for (std::size_t k : gain_at) std::printf(" gain at %d |", cps[k].get<int>());
    std::printf("\n|---|");
    for (std::size_t i = 0; i < cps.size() + gain_at.size(); ++i) std::printf("---|");
    std::printf("\n");
    for (const auto& r : run["curves"]) {
        std::printf("| %s |", r["name"].get<std::string>().c_str());
        for (std::size_t k = 0; k < cps.size(); ++k)
            std::printf(" %s |", cell(r["mean"][k].get<double>(), r["sd"][k].get<double>()).c_str());
        for (std::size_t k : gain_at)
            std::printf(" %s |", signed_cell(r["gain_mean"][k].get<double>(), r["gain_sd"][k].get<double>()).c_str());
        std::printf("\n");
    }
    const auto& lda = run["lda"];
    std::printf("| LDA given all %d labels of the marking part (reference) |", lda["labels"].get<int>());
    for (std::size_t k = 0; k < cps.size(); ++k) std::printf(" %s |", k == 0 ? cell(lda["mean"].get<double>(), lda["sd"].get<double>()).c_str() : "");
    for (std::size_t k = 0; k < gain_at.size(); ++k)
        std::printf(" %s |", signed_cell(lda["gain_mean"].get<double>(), lda["gain_sd"].get<double>()).c_str());
    std::printf("\n\nGains: against the plain features on the same queries, paired by seed (mean ± sd of the per-seed differences).\n\n");
    const auto& f = run["forgetting"];
    if (!f.empty()) {
        std::printf("Forgetting: %d marks on classes 0-4, then %d on 5-9 (training continued on the new marks only); "
                    "mAP@10 of the REPORT queries of each half, mean over seeds\n\n",
                    f[0]["marks_a"].get<int>(), f[0]["marks_b"].get<int>());
        std::printf("| variant | 0-4 plain | 0-4 after 0-4 | 0-4 after 5-9 | drop on 0-4 | 5-9 after 0-4 | 5-9 after 5-9 |\n");
        std::printf("|---|---|---|---|---|---|---|\n");
        for (const auto& v : f)
            std::printf("| %s | %.3f | %.3f | %.3f | %s | %.3f | %.3f |\n", v["variant"].get<std::string>().c_str(),
                        v["plain_04"].get<double>(), v["after_a_04"].get<double>(), v["after_b_04"].get<double>(),
                        cell(v["drop"].get<double>(), v["drop_sd"].get<double>()).c_str(), v["after_a_59"].get<double>(),
                        v["after_b_59"].get<double>());
        std::printf("\n");
    }
    std::printf("Speed (%s, %u hardware threads):\n", run["cpu"].get<std::string>().c_str(),
                run["hardware_threads"].get<unsigned>());
    for (const auto& s : run["mark_to_search"])
        std::printf("- a mark to the next re-ranked search (fast update + re-projection + exact top 10), library of %d: "
                    "median %.2f ms over %d marks\n",
                    s["library"].get<int>(), s["median_ms"].get<double>(), s["marks"].get<int>());
    const auto& rt = run["retrain_1000_seconds"];
    if (!rt["runs"].empty())
        std::printf("- a base retrain on 1000 marks: median %.2f s over %zu runs\n", rt["median"].get<double>(),
                    rt["runs"].size());
    std::printf("\nSettings: %s\n", run["settings"].dump().c_str());
}

}  // namespace rvlearn
