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

double ScoreModel::same(double z) const { return logistic(z, same_mid, same_slope); }
double ScoreModel::alike(double z) const { return logistic(z, alike_mid, alike_slope); }

float ScoreModel::shown(double z) const { return static_cast<float>(std::max(same(z), alike(z) / 2)); }

std::string ScoreModel::word(double z) const {
    const double p = same(z), a = alike(z);
    if (p >= kSamePictureWord) return "same picture";
    if (p >= 0.5 || a >= 0.5) return "very similar";
    if (a >= kRelatedAlike) return "related";
    return "";
}

std::string ScoreModel::to_json() const {
    nlohmann::json j = {{"same_mid", same_mid},   {"same_slope", same_slope}, {"alike_mid", alike_mid},
                        {"alike_slope", alike_slope}, {"whitened", whitened}, {"source", source},
                        {"positives", positives}, {"negatives", negatives}, {"marks", marks}};
    return j.dump();
}

Result<ScoreModel> ScoreModel::from_json(std::string_view text) {
    const auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Error{"the stored score model is not a JSON object"};
    ScoreModel m;
    auto num = [&](const char* key, double* out) {
        const auto it = j.find(key);
        if (it == j.end() || !it->is_number()) return false;
        *out = it->get<double>();
        return std::isfinite(*out);
    };
    auto count = [&](const char* key, int* out) {
        const auto it = j.find(key);
        if (it == j.end() || !it->is_number_integer()) return false;
        *out = it->get<int>();
        return *out >= 0;
    };
    if (!num("same_mid", &m.same_mid) || !num("same_slope", &m.same_slope) || !num("alike_mid", &m.alike_mid) ||
        !num("alike_slope", &m.alike_slope) || m.same_slope <= 0 || m.alike_slope <= 0)
        return Error{"the stored score model has no usable curves"};
    if (!count("positives", &m.positives) || !count("negatives", &m.negatives) || !count("marks", &m.marks))
        return Error{"the stored score model has no usable counts"};
    const auto w = j.find("whitened");
    const auto s = j.find("source");
    if (w == j.end() || !w->is_boolean() || s == j.end() || !s->is_string())
        return Error{"the stored score model does not say its space"};
    m.whitened = w->get<bool>();
    m.source = s->get<std::string>();
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

}  // namespace rv
