#include "search/ScoreModel.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

namespace rv {

namespace {

double logistic(double z, double mid, double slope) {
    const double t = slope * (z - mid);
    return t >= 0 ? 1.0 / (1.0 + std::exp(-t)) : std::exp(t) / (1.0 + std::exp(t));
}

}  // namespace

double ScoreCurves::same(double z, double margin) const {
    return logistic(z + same_margin * margin, same_mid, same_slope);
}
double ScoreCurves::alike(double z) const { return logistic(z, alike_mid, alike_slope); }

float ScoreCurves::shown(double z, double margin) const {
    const double p = same(z, margin);
    return static_cast<float>(std::max(p, kAlikeShare * alike(z) + (1 - 2 * kAlikeShare) * p));
}

std::string ScoreCurves::word(double z, double margin) const {
    const double p = same(z, margin), a = alike(z);
    if (p >= kSamePictureWord) return "same picture";
    if (p >= 0.5 || a >= kVerySimilarAlike) return "very similar";
    if (a >= kRelatedAlike) return "related";
    return "";
}

namespace {

nlohmann::json curves_json(const ScoreCurves& c) {
    return {{"same_mid", c.same_mid},   {"same_slope", c.same_slope},   {"same_margin", c.same_margin},
            {"alike_mid", c.alike_mid}, {"alike_slope", c.alike_slope}};
}

// Reads the curves of `j` into `c`; false when one is missing, not finite or has a slope <= 0.
// "same_margin" may be missing (0: a row stored before it).
bool read_curves(const nlohmann::json& j, ScoreCurves& c) {
    auto num = [&](const char* key, double* out) {
        const auto it = j.find(key);
        if (it == j.end() || !it->is_number()) return false;
        *out = it->get<double>();
        return std::isfinite(*out);
    };
    if (!num("same_mid", &c.same_mid) || !num("same_slope", &c.same_slope) || !num("alike_mid", &c.alike_mid) ||
        !num("alike_slope", &c.alike_slope) || c.same_slope <= 0 || c.alike_slope <= 0)
        return false;
    c.same_margin = 0;
    if (j.contains("same_margin") && (!num("same_margin", &c.same_margin) || c.same_margin < 0)) return false;
    return true;
}

bool read_count(const nlohmann::json& j, const char* key, int* out) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) return false;
    *out = it->get<int>();
    return *out >= 0;
}

}  // namespace

std::string ScoreModel::to_json() const {
    nlohmann::json j = curves_json(*this);
    j["whitened"] = whitened;
    j["source"] = source;
    j["positives"] = positives;
    j["negatives"] = negatives;
    j["marks"] = marks;
    j["form"] = form;
    if (region) {
        nlohmann::json r = curves_json(*region);
        r["positives"] = region->positives;
        r["negatives"] = region->negatives;
        j["region"] = r;
    }
    return j.dump();
}

Result<ScoreModel> ScoreModel::from_json(std::string_view text) {
    const auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Error{"the stored score model is not a JSON object"};
    ScoreModel m;
    if (!read_curves(j, m)) return Error{"the stored score model has no usable curves"};
    if (!read_count(j, "positives", &m.positives) || !read_count(j, "negatives", &m.negatives) ||
        !read_count(j, "marks", &m.marks))
        return Error{"the stored score model has no usable counts"};
    const auto w = j.find("whitened");
    const auto s = j.find("source");
    if (w == j.end() || !w->is_boolean() || s == j.end() || !s->is_string())
        return Error{"the stored score model does not say its space"};
    m.whitened = w->get<bool>();
    m.form = 1;
    if (j.contains("form") && !read_count(j, "form", &m.form)) return Error{"the stored score model's form is not a count"};
    m.source = s->get<std::string>();
    if (const auto r = j.find("region"); r != j.end()) {
        Region region;
        if (!r->is_object() || !read_curves(*r, region) || !read_count(*r, "positives", &region.positives) ||
            !read_count(*r, "negatives", &region.negatives))
            return Error{"the stored score model's region curves are not usable"};
        m.region = region;
    }
    return m;
}

Logistic fit_logistic(const std::vector<double>& positives, const std::vector<double>& negatives, Logistic prior) {
    if (positives.empty() || negatives.empty()) return prior;
    // p = sigmoid(a z + b), class weights 1/(2 n_class), a ridge lambda a^2 / 2; Newton's method
    // from (0, 0) with step halving (the loss is convex).
    const double wp = 0.5 / positives.size(), wn = 0.5 / negatives.size();
    const double lambda = 1e-4;
    auto loss = [&](double a, double b) {
        double l = 0.5 * lambda * a * a;
        auto softplus = [](double t) { return t > 30 ? t : std::log1p(std::exp(t)); };
        for (double z : positives) l += wp * softplus(-(a * z + b));
        for (double z : negatives) l += wn * softplus(a * z + b);
        return l;
    };
    double a = 0, b = 0, current = loss(a, b);
    for (int it = 0; it < 100; ++it) {
        double ga = lambda * a, gb = 0, haa = lambda, hab = 0, hbb = 1e-12;
        auto add = [&](double z, double y, double w) {
            const double p = logistic(a * z + b, 0, 1);
            const double r = w * (p - y), h = w * std::max(p * (1 - p), 1e-12);
            ga += r * z;
            gb += r;
            haa += h * z * z;
            hab += h * z;
            hbb += h;
        };
        for (double z : positives) add(z, 1, wp);
        for (double z : negatives) add(z, 0, wn);
        const double det = haa * hbb - hab * hab;
        if (!(det > 0)) break;
        const double da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det;
        double step = 1;
        while (step > 1e-6 && !(loss(a - step * da, b - step * db) <= current)) step /= 2;
        if (step <= 1e-6) break;
        a -= step * da;
        b -= step * db;
        const double next = loss(a, b);
        const bool done = current - next < 1e-12;
        current = next;
        if (done) break;
    }
    if (!std::isfinite(a) || !std::isfinite(b) || a <= 0) return prior;
    return {-b / a, a};
}

double result_margin(const std::vector<double>& ranked, std::size_t i) {
    if (i >= ranked.size()) return 0;
    if (ranked.size() == 1) return ranked[0];
    return ranked[i] - ranked[i == 0 ? 1 : 0];
}

std::vector<double> fit_logistic_weights(const std::vector<std::vector<double>>& positives,
                                         const std::vector<std::vector<double>>& negatives, double ridge) {
    if (positives.empty() || negatives.empty()) return {};
    const std::size_t d = positives.front().size(), n = d + 1;
    for (const auto* set : {&positives, &negatives})
        for (const auto& x : *set)
            if (x.size() != d) return {};
    const double wp = 0.5 / positives.size(), wn = 0.5 / negatives.size();
    std::vector<double> w(n, 0.0);
    auto margin_at = [d](const std::vector<double>& at, const std::vector<double>& x) {
        double t = at[d];
        for (std::size_t i = 0; i < d; ++i) t += at[i] * x[i];
        return t;
    };
    auto margin = [&](const std::vector<double>& x) { return margin_at(w, x); };
    auto loss_at = [&](const std::vector<double>& at) {
        double l = 0;
        for (std::size_t i = 0; i < d; ++i) l += 0.5 * ridge * at[i] * at[i];
        auto softplus = [](double t) { return t > 30 ? t : std::log1p(std::exp(t)); };
        for (const auto& x : positives) l += wp * softplus(-margin_at(at, x));
        for (const auto& x : negatives) l += wn * softplus(margin_at(at, x));
        return l;
    };
    double current = loss_at(w);
    std::vector<double> g(n), h(n * n), step(n), next(n);
    for (int it = 0; it < 100; ++it) {
        std::fill(g.begin(), g.end(), 0.0);
        std::fill(h.begin(), h.end(), 0.0);
        for (std::size_t i = 0; i < d; ++i) {
            g[i] = ridge * w[i];
            h[i * n + i] = ridge;
        }
        h[d * n + d] = 1e-12;
        auto add = [&](const std::vector<double>& x, double y, double weight) {
            const double p = logistic(margin(x), 0, 1);
            const double r = weight * (p - y), c = weight * std::max(p * (1 - p), 1e-12);
            for (std::size_t i = 0; i < n; ++i) {
                const double xi = i < d ? x[i] : 1.0;
                g[i] += r * xi;
                for (std::size_t j = 0; j < n; ++j) h[i * n + j] += c * xi * (j < d ? x[j] : 1.0);
            }
        };
        for (const auto& x : positives) add(x, 1, wp);
        for (const auto& x : negatives) add(x, 0, wn);
        // Solve h step = g by Gaussian elimination with partial pivoting (h is positive definite).
        std::vector<double> a = h, b = g;
        bool singular = false;
        for (std::size_t c = 0; c < n && !singular; ++c) {
            std::size_t piv = c;
            for (std::size_t r = c + 1; r < n; ++r)
                if (std::fabs(a[r * n + c]) > std::fabs(a[piv * n + c])) piv = r;
            if (!(std::fabs(a[piv * n + c]) > 1e-300)) singular = true;
            if (singular) break;
            for (std::size_t j = 0; j < n; ++j) std::swap(a[c * n + j], a[piv * n + j]);
            std::swap(b[c], b[piv]);
            for (std::size_t r = c + 1; r < n; ++r) {
                const double f = a[r * n + c] / a[c * n + c];
                for (std::size_t j = c; j < n; ++j) a[r * n + j] -= f * a[c * n + j];
                b[r] -= f * b[c];
            }
        }
        if (singular) break;
        for (std::size_t c = n; c-- > 0;) {
            double v = b[c];
            for (std::size_t j = c + 1; j < n; ++j) v -= a[c * n + j] * step[j];
            step[c] = v / a[c * n + c];
        }
        double t = 1;
        double l = current;
        for (; t > 1e-6; t /= 2) {
            for (std::size_t i = 0; i < n; ++i) next[i] = w[i] - t * step[i];
            l = loss_at(next);
            if (l <= current) break;
        }
        if (t <= 1e-6) break;
        w = next;
        const bool done = current - l < 1e-12;
        current = l;
        if (done) break;
    }
    for (double v : w)
        if (!std::isfinite(v)) return {};
    return w;
}

}  // namespace rv
