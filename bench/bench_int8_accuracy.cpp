// INT8 against fp32 on the honest set (bench/retrieval/honest_set.h), measured on the REPORT half's
// originals and their edited queries, with the model file's stored calibration (refused if one of
// its photos is a REPORT original) or, with --recalibrate or --percentile, one measured here on the
// CHOOSE half's originals. --write-choose FILE writes those originals' paths, one per line, for
// `ruvision-cli calibrate-int8` (packaging/models/int8-calibration.txt is that list). Prints the
// per-image cosine between the int8 and fp32 descriptors (mean, 5th percentile, worst) and the
// combined-edit recall of both. With --sensitivity, each int8 node alone is put back in float and
// the CHOOSE half's mean cosine printed, to find the layers that lose most.
//
// With --node NAME, that node alone runs in int8 and its error is printed per output channel.
//
// usage: bench_int8_accuracy [--model NAME] [--originals N] [--recalibrate] [--percentile P]
//                            [--sensitivity | --node NAME] [--write-choose FILE]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "image/Preprocess.h"
#include "model/ModelFile.h"
#include "nn/Network.h"
#include "nn/int8/Int8Network.h"
#include "nn/ops/OpDef.h"
#include "retrieval/honest_set.h"
#include "ruvision/kernels/kernels.h"

namespace {

struct Tensor {
    std::vector<float> data;
    int h = 0, w = 0;
};

// At the descriptor's first size (the model's native one if it names none).
Tensor input_of(const rv::ModelFile& m, const rv::ResolvedDescriptor& d, const rv::RgbImage& img) {
    Tensor t;
    rv::input_size(m.preprocess(), d.spec.sizes.empty() ? 0 : d.spec.sizes[0], img.width, img.height, &t.w, &t.h);
    rv::preprocess_image(img, m.preprocess(), t.w, t.h, false, t.data);
    return t;
}

template <class Runner>
std::vector<float> descriptor(Runner& net, const rv::ResolvedDescriptor& d, const Tensor& t) {
    const auto& k = rv::kernels::kernels();
    auto maps = net.run(t.data.data(), t.h, t.w, d.part_nodes);
    if (!maps) {
        std::fprintf(stderr, "run: %s\n", maps.error().message.c_str());
        std::exit(1);
    }
    std::vector<float> out(d.dim);
    int off = 0;
    for (std::size_t p = 0; p < maps->size(); ++p) {
        const auto& m = (*maps)[p];
        const std::size_t pixels = static_cast<std::size_t>(m.h) * m.w;
        if (d.spec.parts[p].pool == rv::DescriptorSpec::Part::Pool::Gem)
            k.gem_pool(m.data, out.data() + off, pixels, m.c, d.spec.parts[p].p);
        else
            k.global_avg_pool(m.data, out.data() + off, pixels, m.c);
        k.l2_normalize(out.data() + off, d.part_dims[p]);
        off += d.part_dims[p];
    }
    k.l2_normalize(out.data(), out.size());
    return out;
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
    return s;
}

struct Summary {
    double mean = 0, p5 = 0, worst = 1;
};

Summary summarize(std::vector<double> c) {
    Summary s;
    if (c.empty()) return s;
    std::sort(c.begin(), c.end());
    for (double v : c) s.mean += v;
    s.mean /= double(c.size());
    s.p5 = c[c.size() / 20];
    s.worst = c.front();
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    std::string model_name = "mobilenet_v2";
    int originals = 0;
    double percentile = 99.99;
    bool sensitivity = false, recalibrate = false;
    std::string node, choose_list;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--model" && i + 1 < argc) model_name = argv[++i];
        else if (a == "--originals" && i + 1 < argc) originals = std::atoi(argv[++i]);
        else if (a == "--percentile" && i + 1 < argc) percentile = std::atof(argv[++i]), recalibrate = true;
        else if (a == "--recalibrate") recalibrate = true;
        else if (a == "--write-choose" && i + 1 < argc) choose_list = argv[++i];
        else if (a == "--sensitivity") sensitivity = true;
        else if (a == "--node" && i + 1 < argc) node = argv[++i];
        else {
            std::fprintf(stderr, "usage: bench_int8_accuracy [--model NAME] [--originals N] [--recalibrate] [--percentile P]\n"
                                 "                           [--sensitivity | --node NAME] [--write-choose FILE]\n");
            return 2;
        }
    }
    auto info = rv::find_model(model_name);
    if (!info) return std::fprintf(stderr, "%s\n", info.error().message.c_str()), 1;
    auto model = rv::ModelFile::load(info->path);
    if (!model) return std::fprintf(stderr, "%s\n", model.error().message.c_str()), 1;
    const rv::ModelFile& m = **model;
    auto desc = rv::resolve_descriptor(m.header(), {});
    if (!desc) return std::fprintf(stderr, "%s\n", desc.error().message.c_str()), 1;

    rvbench::HonestParams hp;
    hp.max_originals = originals;
    hp.verbose = false;
    auto set = rvbench::build_honest(rvbench::honest_sources("/usr/share/backgrounds", "/usr/share/wallpapers"), hp);
    if (!set) return std::fprintf(stderr, "%s\n", set.error().message.c_str()), 1;

    // Calibration: the CHOOSE originals. Evaluation inputs per half: originals and queries.
    std::vector<Tensor> calib;
    std::vector<Tensor> eval[2];
    std::vector<int> eval_original[2];  // the original a tensor shows (-1: it is an original)
    for (std::size_t o = 0; o < set->originals.size(); ++o) {
        const int h = static_cast<int>(set->half[o]);
        Tensor t = input_of(m, *desc, set->originals[o]);
        if (set->half[o] == rvbench::Half::Choose) calib.push_back(t);
        eval[h].push_back(std::move(t));
        eval_original[h].push_back(-1);
    }
    for (std::size_t q = 0; q < set->queries.size(); ++q) {
        const auto& hq = set->queries[q];
        if (hq.single()) continue;
        const int h = static_cast<int>(set->half[hq.original]);
        eval[h].push_back(input_of(m, *desc, set->query_image(static_cast<int>(q))));
        eval_original[h].push_back(hq.original);
    }
    if (!choose_list.empty()) {  // the CHOOSE originals, for ruvision-cli calibrate-int8
        std::FILE* f = std::fopen(choose_list.c_str(), "w");
        if (!f) return std::fprintf(stderr, "%s: cannot write\n", choose_list.c_str()), 1;
        for (std::size_t o = 0; o < set->originals.size(); ++o)
            if (set->half[o] == rvbench::Half::Choose) std::fprintf(f, "%s\n", set->names[o].c_str());
        std::fclose(f);
    }
    // The model's stored calibration unless asked to measure one here (on the CHOOSE originals).
    rv::nn::ActivationRanges stored;
    std::vector<bool> keep_float;
    const auto& c = m.int8_calibration();
    if (c && !recalibrate) {
        for (std::size_t o = 0; o < set->originals.size(); ++o)
            if (set->half[o] == rvbench::Half::Report &&
                std::find(c->images.begin(), c->images.end(), set->names[o]) != c->images.end())
                return std::fprintf(stderr, "%s: calibrated on a REPORT original (%s): figures would not be held out\n",
                                    info->path.c_str(), set->names[o].c_str()), 1;
        std::printf("%s: stored calibration (%zu photos, none of them a REPORT original, percentile %g)\n",
                    info->path.c_str(), c->images.size(), c->percentile);
        stored = c->ranges;
        keep_float = c->keep_float;
    } else {
        std::vector<rv::nn::CalibrationInput> ci;
        for (const auto& t : calib) ci.push_back({t.data.data(), t.h, t.w});
        auto measured = rv::nn::calibrate(*model, ci, percentile);
        if (!measured) return std::fprintf(stderr, "%s\n", measured.error().message.c_str()), 1;
        stored = std::move(*measured);
        keep_float.assign(m.graph().nodes.size(), false);
        std::printf("calibrated here on the %zu CHOOSE originals, percentile %g\n", calib.size(), percentile);
    }
    const rv::nn::ActivationRanges* ranges = &stored;

    rv::Network fp32(*model);
    std::vector<std::vector<float>> ref[2];
    for (int h = 0; h < 2; ++h)
        for (const auto& t : eval[h]) ref[h].push_back(descriptor(fp32, *desc, t));

    auto cosines = [&](const std::vector<bool>& keep, int h, std::vector<std::vector<float>>* out) {
        auto net = rv::Int8Network::create(*model, *ranges, nullptr, keep);
        if (!net) std::fprintf(stderr, "%s\n", net.error().message.c_str()), std::exit(1);
        std::vector<double> c;
        for (std::size_t i = 0; i < eval[h].size(); ++i) {
            auto v = descriptor(**net, *desc, eval[h][i]);
            c.push_back(dot(v, ref[h][i]));
            if (out) out->push_back(std::move(v));
        }
        return std::make_pair(c, (*net)->int8_nodes());
    };

    const auto& nodes = m.graph().nodes;
    if (!node.empty()) {  // that node alone in int8: its error per output channel on CHOOSE
        const int idx = m.graph().find(node);
        if (idx < 0 || !rv::nn::op_def(nodes[idx].op).prepare_int8)
            return std::fprintf(stderr, "%s: no node with an int8 run of that name\n", node.c_str()), 1;
        std::vector<bool> keep(nodes.size(), true);
        keep[idx] = false;
        auto net = rv::Int8Network::create(*model, *ranges, nullptr, keep);
        if (!net) return std::fprintf(stderr, "%s\n", net.error().message.c_str()), 1;
        std::vector<double> err, energy, seen;
        for (const auto& t : eval[0]) {
            auto a = (*net)->run(t.data.data(), t.h, t.w, {idx});
            auto b = fp32.run(t.data.data(), t.h, t.w, {idx});
            if (!a || !b) return std::fprintf(stderr, "run failed\n"), 1;
            const auto &ma = (*a)[0], &mb = (*b)[0];
            err.resize(ma.c), energy.resize(ma.c), seen.resize(ma.c);
            for (std::size_t e = 0, n = std::size_t(ma.h) * ma.w * ma.c; e < n; ++e) {
                const std::size_t c = e % std::size_t(ma.c);
                err[c] += double(ma.data[e] - mb.data[e]) * (ma.data[e] - mb.data[e]);
                energy[c] += double(mb.data[e]) * mb.data[e];
                seen[c] = std::max<double>(seen[c], mb.data[e]);
            }
        }
        const auto& hi = ranges->channel_hi[idx];
        for (std::size_t c = 0; c < err.size(); ++c)
            std::printf("channel %zu: relative error %.4f, largest seen %.3f, calibrated %.3f\n", c,
                        std::sqrt(err[c] / std::max(energy[c], 1e-30)), seen[c], c < hi.size() ? hi[c] : 0.0f);
        return 0;
    }
    if (sensitivity) {
        const auto base = summarize(cosines(keep_float, 0, nullptr).first);
        std::printf("CHOOSE all int8: mean %.5f p5 %.5f worst %.5f\n", base.mean, base.p5, base.worst);
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            if (!rv::nn::op_def(nodes[i].op).prepare_int8) continue;
            if (keep_float[i]) continue;
            std::vector<bool> keep = keep_float;
            keep[i] = true;
            auto [c, n8] = cosines(keep, 0, nullptr);
            if (n8 == 0) continue;
            const auto s = summarize(c);
            std::printf("float %-28s %-10s mean %.5f (%+.5f) worst %.5f\n", nodes[i].name.c_str(),
                        rv::nn::op_def(nodes[i].op).name, s.mean, s.mean - base.mean, s.worst);
        }
        return 0;
    }

    for (int h = 0; h < 2; ++h) {
        std::vector<std::vector<float>> got;
        auto [c, n8] = cosines(keep_float, h, &got);
        const auto s = summarize(c);
        // Recall of the combined queries against the half's originals, fp32 and int8.
        // Recall of the combined queries among the half's originals (which come first in
        // eval[h], in set order), fp32 and int8.
        std::vector<int> position(set->originals.size(), -1);
        for (std::size_t o = 0, p = 0; o < set->originals.size(); ++o)
            if (static_cast<int>(set->half[o]) == h) position[o] = static_cast<int>(p++);
        auto recall = [&](const std::vector<std::vector<float>>& v) {
            int r1 = 0, r10 = 0, nq = 0;
            for (std::size_t q = 0; q < v.size(); ++q) {
                if (eval_original[h][q] < 0) continue;
                const double own = dot(v[q], v[position[eval_original[h][q]]]);
                int rank = 1;
                for (std::size_t o = 0; o < v.size() && eval_original[h][o] < 0; ++o) rank += dot(v[q], v[o]) > own;
                r1 += rank == 1, r10 += rank <= 10, ++nq;
            }
            return std::make_pair(double(r1) / nq, double(r10) / nq);
        };
        const auto rf = recall(ref[h]), ri = recall(got);
        std::printf("%s: %d of %zu nodes int8; %zu images; cosine mean %.5f p5 %.5f worst %.5f; "
                    "R@1 %.3f -> %.3f, R@10 %.3f -> %.3f\n",
                    rvbench::half_name(static_cast<rvbench::Half>(h)), n8, nodes.size(), c.size(), s.mean, s.p5,
                    s.worst, rf.first, ri.first, rf.second, ri.second);
    }
    return 0;
}
