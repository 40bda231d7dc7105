// score_models: fits shown-score models offline on what bench_search_quality --dump wrote, on the
// CHOOSE half, and reads them on the REPORT half (i13-scores).
//
//   build/bin/score_models DUMP.jsonl [--k K] [--model FROM,COUNT]
//
// Every model is a logistic curve p_same over a few features of a result in its query's ranked
// list (ranking score s; the query's background bg = the mean ranking score at 0-based ranks
// [FROM, FROM + COUNT) of its list; the gap to the next result; the file's
// density = its best ranking score with another library file), fitted by rv::fit_logistic_weights
// on CHOOSE: positives the right original's features wherever it is in the list, negatives the
// best wrong result's (one per query). The shown score is max(p_same, p_alike / 2) with p_alike a
// curve on the same linear predictor placed at the CHOOSE best wrong results' median (slope 4 /
// their 10-90 % spread), as SearchCalibration.cpp places it.
// Printed per model and half: AUC of right (the right original's shown score in the top K) vs
// wrong (the highest shown score of a wrong result in the top K, one per query), median shown
// score of a right top result and of the best wrong one, the share of best wrong results called
// "same picture" (p_same >= 0.8) and of right top results called so. With --model, the text
// histograms of that model's REPORT scores (README "Scores").
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <utility>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "retrieval/shown_scores.h"
#include "search/ScoreModel.h"

using json = nlohmann::json;

namespace {

struct Result {
    std::string file;
    double ranking = 0, shown = 0, density = 0;
    bool right = false;
};

struct Query {
    bool choose = false, combined = false;
    int rank = 0;
    std::vector<Result> results;
    std::vector<double> ranked;  // ranking scores, best first
};

// Parts appended one by one (GCC 12 warns, -Wrestrict, on chains of operator+ with temporaries).
std::string cat(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (std::string_view p : parts) out += p;
    return out;
}

[[noreturn]] void die(const std::string& msg) {
    std::fprintf(stderr, "score_models: %s\n", msg.c_str());
    std::exit(1);
}

// Features of result i of query q (the first `dims` of: s, bg, gap to the next, density).
using Features = std::function<std::vector<double>(const Query&, std::size_t)>;

struct Model {
    std::string name;
    Features features;
    std::vector<double> w;                  // p_same = sigmoid(w . x + b)
    double alike_mid = 0, alike_slope = 1;  // p_alike = sigmoid(slope (w . x + b) / w_0 - mid))
    bool alike_on_s = false;                // p_alike a curve of s alone (as the product's)
    double alike_at = 0.5;                  // its middle: this quantile of the best wrong results

    Model(std::string n, Features f) : name(std::move(n)), features(std::move(f)) {}
    double linear(const Query& q, std::size_t i) const {
        const auto x = features(q, i);
        double t = w.back();
        for (std::size_t j = 0; j < x.size(); ++j) t += w[j] * x[j];
        return t;
    }
    double same(const Query& q, std::size_t i) const { return 1 / (1 + std::exp(-linear(q, i))); }
    // The predictor in units of the ranking score (w_0 > 0: s's weight).
    double adjusted(const Query& q, std::size_t i) const {
        return alike_on_s ? q.results[i].ranking : linear(q, i) / w[0];
    }
    double shown(const Query& q, std::size_t i) const {
        const double a = 1 / (1 + std::exp(-alike_slope * (adjusted(q, i) - alike_mid)));
        return std::max(same(q, i), a / 2);
    }
};

double quantile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const double at = p * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(at);
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (at - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

// A query's background: the mean ranking score at 0-based ranks [from, from + count) of its list;
// with fewer, the mean of those there are; with none, 0.
double query_background(const std::vector<double>& ranked, int from, int count) {
    if (from < 0 || count < 1 || ranked.size() <= static_cast<std::size_t>(from)) return 0;
    const std::size_t end = std::min(ranked.size(), static_cast<std::size_t>(from) + static_cast<std::size_t>(count));
    double sum = 0;
    for (std::size_t i = static_cast<std::size_t>(from); i < end; ++i) sum += ranked[i];
    return sum / static_cast<double>(end - static_cast<std::size_t>(from));
}

std::size_t first_wrong(const Query& q) {
    for (std::size_t i = 0; i < q.results.size(); ++i)
        if (!q.results[i].right) return i;
    return q.results.size();
}

std::size_t right_at(const Query& q) { return q.rank > 0 ? static_cast<std::size_t>(q.rank - 1) : q.results.size(); }

bool with_outside = false;  // --outside: fit with left-out negatives too

bool fit(Model& m, const std::vector<Query>& queries) {
    std::vector<std::vector<double>> pos, neg;
    for (const Query& q : queries) {
        if (!q.choose) continue;
        if (right_at(q) < q.results.size()) pos.push_back(m.features(q, right_at(q)));
        if (first_wrong(q) < q.results.size()) neg.push_back(m.features(q, first_wrong(q)));
        // Left out: the list without the right original, as a query whose picture is not in the
        // library sees it (its best wrong result first), when --outside.
        if (with_outside && right_at(q) < q.results.size() && q.results.size() > 1) {
            Query out = q;
            out.results.erase(out.results.begin() + static_cast<std::ptrdiff_t>(right_at(q)));
            out.ranked.erase(out.ranked.begin() + static_cast<std::ptrdiff_t>(right_at(q)));
            out.rank = 0;
            neg.push_back(m.features(out, 0));
        }
    }
    m.w = rv::fit_logistic_weights(pos, neg, 1e-4);
    if (m.w.empty() || !(m.w[0] > 0)) return false;
    std::vector<double> wrong;
    for (const Query& q : queries)
        if (q.choose && first_wrong(q) < q.results.size()) wrong.push_back(m.adjusted(q, first_wrong(q)));
    m.alike_mid = quantile(wrong, m.alike_at);
    m.alike_slope = std::clamp(4.0 / std::max(quantile(wrong, 0.9) - quantile(wrong, 0.1), 1e-3), 5.0, 200.0);
    return true;
}

struct Read {
    double auc = 0, right_top = 0, best_wrong = 0, wrong_same = 0, right_same = 0;
    double outside_same = 0;  // left-out lists (the right original removed) whose top says "same picture"
    std::vector<double> right, wrong;
};

// shown(q, i) and same(q, i) of the half's queries, judged on the top k.
Read read(const std::vector<Query>& queries, bool choose, std::size_t k,
          const std::function<double(const Query&, std::size_t)>& shown,
          const std::function<double(const Query&, std::size_t)>& same) {
    Read r;
    std::vector<double> top;
    int wrong_same = 0, right_same = 0, outside = 0, outside_same = 0;
    for (const Query& q : queries) {
        if (q.choose != choose) continue;
        if (right_at(q) < q.results.size() && q.results.size() > 1) {
            Query out = q;
            out.results.erase(out.results.begin() + static_cast<std::ptrdiff_t>(right_at(q)));
            out.ranked.erase(out.ranked.begin() + static_cast<std::ptrdiff_t>(right_at(q)));
            out.rank = 0;
            ++outside;
            outside_same += same(out, 0) >= rv::kSamePictureWord;
        }
        const std::size_t n = std::min(k, q.results.size());
        double best = -1;
        std::size_t best_at = n;
        for (std::size_t i = 0; i < n; ++i) {
            const double s = shown(q, i);
            if (q.results[i].right) {
                if (i == right_at(q)) r.right.push_back(s);
                if (i == 0) {
                    top.push_back(s);
                    right_same += same(q, i) >= rv::kSamePictureWord;
                }
            } else if (s > best) {
                best = s;
                best_at = i;
            }
        }
        if (best_at < n) {
            r.wrong.push_back(best);
            wrong_same += same(q, best_at) >= rv::kSamePictureWord;
        }
    }
    r.auc = rvbench::auc(r.right, r.wrong);
    r.right_top = rvbench::median(top);
    r.best_wrong = rvbench::median(r.wrong);
    r.wrong_same = r.wrong.empty() ? 0 : double(wrong_same) / r.wrong.size();
    r.right_same = top.empty() ? 0 : double(right_same) / top.size();
    r.outside_same = outside ? double(outside_same) / outside : 0;
    return r;
}

void print_row(const std::string& name, const Read& c, const Read& r) {
    std::printf("| %s | %.4f | %.4f | %.3f / %.3f | %.3f / %.3f | %.3f | %.3f | %.3f |\n", name.c_str(), c.auc, r.auc,
                r.right_top, r.best_wrong, c.right_top, c.best_wrong, r.wrong_same, r.right_same, r.outside_same);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) die("usage: score_models DUMP.jsonl [--k K] [--model FROM,COUNT]");
    std::size_t k = 10;
    int pick_from = -1, pick_count = -1;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--k" && i + 1 < argc) k = static_cast<std::size_t>(std::max(1, std::atoi(argv[++i])));
        else if (a == "--outside") with_outside = true;
        else if (a == "--model" && i + 1 < argc) {
            if (std::sscanf(argv[++i], "%d,%d", &pick_from, &pick_count) != 2) die("--model FROM,COUNT");
        } else die(cat({"unknown argument '", a, "'"}));
    }
    std::ifstream in(argv[1]);
    if (!in) die(cat({argv[1], ": cannot read"}));
    std::map<std::string, double> density;
    std::vector<Query> queries;
    for (std::string line; std::getline(in, line);) {
        const auto j = json::parse(line, nullptr, false);
        if (j.is_discarded()) die(cat({argv[1], ": a line is not JSON"}));
        if (j.contains("density")) {
            density[j["file"].get<std::string>()] = j["density"].get<double>();
            continue;
        }
        Query q;
        q.choose = j["half"].get<std::string>() == "CHOOSE";
        q.combined = j["combined"].get<bool>();
        q.rank = j["rank"].get<int>();
        for (const auto& r : j["results"]) {
            Result x;
            x.file = r["file"].get<std::string>();
            x.ranking = r["ranking"].get<double>();
            x.shown = r["shown"].get<double>();
            x.right = r["right"].get<bool>();
            q.results.push_back(x);
            q.ranked.push_back(x.ranking);
        }
        queries.push_back(std::move(q));
    }
    for (Query& q : queries)
        for (Result& r : q.results) r.density = density.count(r.file) ? density[r.file] : 0.0;
    std::fprintf(stderr, "%zu queries, %zu library files\n", queries.size(), density.size());

    std::printf("| model | CHOOSE AUC | REPORT AUC | REPORT median right top / best wrong | CHOOSE medians | "
                "REPORT best wrong \"same picture\" | REPORT right top \"same picture\" | REPORT left out: top \"same picture\" |\n|---|--:|--:|--:|--:|--:|--:|--:|\n");
    auto shown_today = [](const Query& q, std::size_t i) { return q.results[i].shown; };
    print_row("today (stored curves of s)", read(queries, true, k, shown_today, shown_today),
              read(queries, false, k, shown_today, shown_today));
    auto raw = [](const Query& q, std::size_t i) { return q.results[i].ranking; };
    print_row("ranking score s itself", read(queries, true, k, raw, raw), read(queries, false, k, raw, raw));

    auto feature_s = [](const Query& q, std::size_t i) { return std::vector<double>{q.results[i].ranking}; };
    auto bg_of = [](const Query& q, int from, int count) {
        return query_background(q.ranked, from, count);
    };
    auto gap = [](const Query& q, std::size_t i) {
        return i + 1 < q.results.size() ? q.results[i].ranking - q.results[i + 1].ranking : 0.0;
    };
    std::vector<Model> models;
    models.push_back({"logistic(s)", feature_s});
    for (int from : {1, 2, 3, 5, 10, 20})
        for (int count : {5, 10, 20}) {
            if (from + count > 50) continue;
            models.push_back({cat({"logistic(s, bg ", std::to_string(from), "+", std::to_string(count), ")"}),
                              [=](const Query& q, std::size_t i) {
                                  return std::vector<double>{q.results[i].ranking, bg_of(q, from, count)};
                              }});
        }
    for (int from : {1, 3, 10}) {
        const int count = 10;
        const std::string bg = cat({std::to_string(from), "+", std::to_string(count)});
        models.push_back({cat({"logistic(s, bg ", bg, ", gap)"}), [=](const Query& q, std::size_t i) {
                              return std::vector<double>{q.results[i].ranking, bg_of(q, from, count), gap(q, i)};
                          }});
        models.push_back({cat({"logistic(s, bg ", bg, ", density)"}), [=](const Query& q, std::size_t i) {
                              return std::vector<double>{q.results[i].ranking, bg_of(q, from, count),
                                                         q.results[i].density};
                          }});
        models.push_back({cat({"logistic(s, bg ", bg, ", gap, density)"}), [=](const Query& q, std::size_t i) {
                              return std::vector<double>{q.results[i].ranking, bg_of(q, from, count), gap(q, i),
                                                         q.results[i].density};
                          }});
    }
    // The candidate's margin over the best other result of its list, and the spread of the
    // background (DISC-style z-score).
    auto margin = [](const Query& q, std::size_t i) {
        const double other = i == 0 ? (q.results.size() > 1 ? q.results[1].ranking : 0.0) : q.results[0].ranking;
        return q.results[i].ranking - other;
    };
    auto spread = [](const Query& q, int from, int count) {
        const double m = query_background(q.ranked, from, count);
        double v = 0;
        int n = 0;
        for (int i = from; i < from + count && i < static_cast<int>(q.ranked.size()); ++i, ++n)
            v += (q.ranked[static_cast<std::size_t>(i)] - m) * (q.ranked[static_cast<std::size_t>(i)] - m);
        return n > 1 ? std::sqrt(v / n) : 0.05;
    };
    // s minus the k-th best ranking score among the other results (k = 1: the margin).
    auto over = [](const Query& q, std::size_t i, std::size_t k) {
        const std::size_t at = i < k ? k : k - 1;  // the k-th other, 0-based in the list
        return q.results[i].ranking - (at < q.results.size() ? q.results[at].ranking : 0.0);
    };
    models.push_back({"logistic(s, over1, over2)", [over](const Query& q, std::size_t i) {
                          return std::vector<double>{q.results[i].ranking, over(q, i, 1), over(q, i, 2)};
                      }});
    models.push_back({"logistic(s, over1, over2, over3)", [over](const Query& q, std::size_t i) {
                          return std::vector<double>{q.results[i].ranking, over(q, i, 1), over(q, i, 2), over(q, i, 3)};
                      }});
    models.push_back({"logistic(s, over1, over3)", [over](const Query& q, std::size_t i) {
                          return std::vector<double>{q.results[i].ranking, over(q, i, 1), over(q, i, 3)};
                      }});
    models.push_back({"logistic(s, over2)", [over](const Query& q, std::size_t i) {
                          return std::vector<double>{q.results[i].ranking, over(q, i, 2)};
                      }});
    models.push_back({"logistic(s, over1, over2, density)", [over](const Query& q, std::size_t i) {
                          return std::vector<double>{q.results[i].ranking, over(q, i, 1), over(q, i, 2),
                                                     q.results[i].density};
                      }});
    models.push_back({"logistic(s, over1, over2, bg 10+10)", [=](const Query& q, std::size_t i) {
                          return std::vector<double>{q.results[i].ranking, over(q, i, 1), over(q, i, 2),
                                                     bg_of(q, 10, 10)};
                      }});
    models.push_back({"logistic(s, margin)", [margin](const Query& q, std::size_t i) {
                          return std::vector<double>{q.results[i].ranking, margin(q, i)};
                      }});
    models.push_back({"logistic(s, margin), alike on s", [margin](const Query& q, std::size_t i) {
                          return std::vector<double>{q.results[i].ranking, margin(q, i)};
                      }});
    models.back().alike_on_s = true;
    for (double at : {0.75, 0.9, 0.95}) {
        models.push_back({cat({"logistic(s, margin), alike on s at q", std::to_string(at).substr(0, 4)}),
                          [margin](const Query& q, std::size_t i) {
                              return std::vector<double>{q.results[i].ranking, margin(q, i)};
                          }});
        models.back().alike_on_s = true;
        models.back().alike_at = at;
    }
    for (int from : {1, 3, 10})
        for (int count : {10, 20}) {
            const std::string bg = cat({std::to_string(from), "+", std::to_string(count)});
            models.push_back({cat({"logistic(s, margin, bg ", bg, ")"}), [=](const Query& q, std::size_t i) {
                                  return std::vector<double>{q.results[i].ranking, margin(q, i), bg_of(q, from, count)};
                              }});
            models.push_back({cat({"logistic(s, z ", bg, ")"}), [=](const Query& q, std::size_t i) {
                                  return std::vector<double>{q.results[i].ranking,
                                                             (q.results[i].ranking - bg_of(q, from, count)) /
                                                                 std::max(spread(q, from, count), 1e-3)};
                              }});
            models.push_back({cat({"logistic(s, margin, z ", bg, ")"}), [=](const Query& q, std::size_t i) {
                                  return std::vector<double>{q.results[i].ranking, margin(q, i),
                                                             (q.results[i].ranking - bg_of(q, from, count)) /
                                                                 std::max(spread(q, from, count), 1e-3)};
                              }});
            models.push_back({cat({"logistic(s, margin, z, density ", bg, ")"}), [=](const Query& q, std::size_t i) {
                                  return std::vector<double>{q.results[i].ranking, margin(q, i),
                                                             (q.results[i].ranking - bg_of(q, from, count)) /
                                                                 std::max(spread(q, from, count), 1e-3),
                                                             q.results[i].density};
                              }});
        }
    models.push_back({"logistic(s, top-2 gap)", [gap](const Query& q, std::size_t i) {
                          return std::vector<double>{q.results[i].ranking, gap(q, i)};
                      }});
    for (Model& m : models) {
        if (!fit(m, queries)) {
            std::printf("| %s | (no fit) |\n", m.name.c_str());
            continue;
        }
        auto shown = [&m](const Query& q, std::size_t i) { return m.shown(q, i); };
        auto same = [&m](const Query& q, std::size_t i) { return m.same(q, i); };
        std::string name = cat({m.name, " [w"});
        for (double v : m.w) {
            name += ' ';
            name += std::to_string(v).substr(0, 7);
        }
        name += "]";
        print_row(name, read(queries, true, k, shown, same), read(queries, false, k, shown, same));
    }
    if (pick_from >= 0) {
        Model m{"pick", [=](const Query& q, std::size_t i) {
                    return std::vector<double>{q.results[i].ranking, bg_of(q, pick_from, pick_count)};
                }};
        if (!fit(m, queries)) die("the picked model does not fit");
        auto shown = [&m](const Query& q, std::size_t i) { return m.shown(q, i); };
        auto same = [&m](const Query& q, std::size_t i) { return m.same(q, i); };
        const Read r = read(queries, false, k, shown, same);
        std::printf("\nbeta %.4f, mid %.4f, slope %.3f; alike mid %.4f slope %.3f\n", -m.w[1] / m.w[0],
                    -m.w[2] / m.w[0], m.w[0], m.alike_mid, m.alike_slope);
        std::printf("\nREPORT right results' shown scores (%zu):\n```\n%s```\nREPORT best wrong results' shown scores "
                    "(%zu):\n```\n%s```\n",
                    r.right.size(), rvbench::text_histogram(r.right, 0.0, 1.0, 20).c_str(), r.wrong.size(),
                    rvbench::text_histogram(r.wrong, 0.0, 1.0, 20).c_str());
    }
    return 0;
}
