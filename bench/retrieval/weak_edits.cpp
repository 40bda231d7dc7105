// weak_edits: fixes for the edits the default descriptor handles worst (rotation, greyscale),
// tried on the honest set (retrieval/honest_set.h). Every variant is scored on both halves; a
// variant and its parameter are CHOSEN on the CHOOSE half's figures and only then read on REPORT.
//
//   build/bin/weak_edits [--threads N] [--originals N] [--combined N] [--theta DEG]
//
// Variants (gallery = the originals, as a library stores them; q = a query):
//   base            cosine of the default descriptor (mobilenet_v2 gem3:expand13)
//   rotq-max        the query also embedded turned by +-theta (black corners): max of the 3 cosines
//   rotq-mean       the same 3 embeddings averaged into one query vector
//   rotg-max-P      the gallery also stored turned by +-theta: max(cos(q, o), cos(q, o turned) - P)
//   grey-both       both sides in greyscale
//   grey-twin-P     a stored grey twin of each original: max(cos(q, o), cos(q, grey o) - P)
//   grey-mix        the mean of the colour and the greyscale cosines
//   fuse-W          W * cos(mobilenet_v2) + (1 - W) * cos(mobilenet_v3_centernet gem3:c11@224)
//   pcaw            base after PCA whitening learned on the gallery (shrink 10), for comparison
//   twins           rotg-max-0 and grey-twin-0 together (rv::twin_views, rv::twin_score), and
//                   combined with fuse-W and with the gallery's whitening (every view whitened)
// Output: a Markdown table per half: combined R@1, R@10 and R@1 per single edit.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>


#include "retrieval/evaluate.h"
#include "retrieval/honest_set.h"
#include "retrieval/metrics.h"
#include "augment/EditTwins.h"
#include "ruvision/engine/Embedder.h"

namespace fs = std::filesystem;
using namespace rvbench;

namespace {

[[noreturn]] void die(const std::string& msg) {
    std::fprintf(stderr, "weak_edits: %s\n", msg.c_str());
    std::exit(1);
}

rv::RgbImage grey(const rv::RgbImage& img) { return rv::twin_views(img)[static_cast<int>(rv::TwinView::Grey)]; }

// queries x originals cosines (rows of both L2-normalised).
std::vector<float> sims(const Matrix& q, const Matrix& o) {
    std::vector<float> s(static_cast<std::size_t>(q.rows) * o.rows);
    for (int i = 0; i < q.rows; ++i)
        for (int j = 0; j < o.rows; ++j) {
            double d = 0;
            for (int k = 0; k < q.cols; ++k) d += static_cast<double>(q.row(i)[k]) * o.row(j)[k];
            s[static_cast<std::size_t>(i) * o.rows + j] = static_cast<float>(d);
        }
    return s;
}

std::vector<float> combine(const std::vector<std::vector<float>>& parts, const std::function<float(const float*)>& f) {
    std::vector<float> out(parts[0].size());
    std::vector<float> v(parts.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        for (std::size_t p = 0; p < parts.size(); ++p) v[p] = parts[p][i];
        out[i] = f(v.data());
    }
    return out;
}

std::string fmt(double v) {
    char b[16];
    std::snprintf(b, sizeof b, "%.3f", v);
    return b;
}

}  // namespace

int main(int argc, char** argv) {
    int threads = 2, originals = 0, combined = 6;
    double theta = 10.0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto val = [&]() -> const char* {
            if (i + 1 >= argc) die(a + " needs a value");
            return argv[++i];
        };
        if (a == "--threads") threads = std::max(1, std::atoi(val()));
        else if (a == "--originals") originals = std::atoi(val());
        else if (a == "--combined") combined = std::atoi(val());
        else if (a == "--theta") theta = std::atof(val());
        else die("unknown argument '" + a + "'");
    }
    const double t_start = now_s();
    HonestParams hp;
    hp.combined_per_original = combined;
    hp.max_originals = originals;
    auto built = build_honest(honest_sources("/usr/share/backgrounds", "/usr/share/wallpapers"), hp);
    if (!built) die(built.error().message);
    const HonestSet& set = *built;
    const int nq = static_cast<int>(set.queries.size());
    std::fprintf(stderr, "honest set: %zu originals, %d queries\n", set.originals.size(), nq);

    auto v2m = rv::find_model("mobilenet_v2");
    auto cnm = rv::find_model("mobilenet_v3_centernet");
    if (!v2m || !cnm) die("models not found (build the models target; set RUVISION_MODELS)");
    auto v2 = rv::Embedder::open(*v2m, "gem3:expand13");
    auto cn = rv::Embedder::open(*cnm, "gem3:c11@224");
    if (!v2 || !cn) die("cannot open the embedders");

    std::vector<double> ms;
    auto gallery = [&](rv::Embedder& e, const std::function<rv::RgbImage(const rv::RgbImage&)>& f) {
        return embed_generated(e, static_cast<int>(set.originals.size()),
                               [&](int i) { return f(set.originals[static_cast<std::size_t>(i)]); }, threads, ms);
    };
    auto queries = [&](rv::Embedder& e, const std::function<rv::RgbImage(const rv::RgbImage&)>& f) {
        return embed_generated(e, nq, [&](int q) { return f(set.query_image(q)); }, threads, ms);
    };
    const auto same = [](const rv::RgbImage& i) { return i; };
    const auto plus = [theta](const rv::RgbImage& i) { return rv::turned_by(i, theta); };
    const auto minus = [theta](const rv::RgbImage& i) { return rv::turned_by(i, -theta); };

    std::fprintf(stderr, "embedding: base\n");
    const Matrix G = gallery(**v2, same), Q = queries(**v2, same);
    std::fprintf(stderr, "embedding: turned queries\n");
    const Matrix Qp = queries(**v2, plus), Qm = queries(**v2, minus);
    std::fprintf(stderr, "embedding: turned and grey gallery\n");
    const Matrix Gp = gallery(**v2, plus), Gm = gallery(**v2, minus), Gg = gallery(**v2, grey);
    std::fprintf(stderr, "embedding: grey queries\n");
    const Matrix Qg = queries(**v2, grey);
    std::fprintf(stderr, "embedding: centernet\n");
    const Matrix Gc = gallery(**cn, same), Qc = queries(**cn, same);

    const auto s_base = sims(Q, G);
    std::map<std::string, std::vector<float>> variants;
    std::vector<std::string> order;
    auto add = [&](const std::string& name, std::vector<float> s) {
        order.push_back(name);
        variants[name] = std::move(s);
    };
    add("base", s_base);
    {
        const auto w = Whitening::learn(G, 10.0, 0);
        Matrix wg = w.apply(G), wq = w.apply(Q);
        l2_normalize_rows(wg);
        l2_normalize_rows(wq);
        add("pcaw", sims(wq, wg));
    }
    const auto s_qp = sims(Qp, G), s_qm = sims(Qm, G);
    add("rotq-max", combine({s_base, s_qp, s_qm}, [](const float* v) { return std::max({v[0], v[1], v[2]}); }));
    {
        Matrix mean(Q.rows, Q.cols);
        for (std::size_t i = 0; i < mean.v.size(); ++i) mean.v[i] = Q.v[i] + Qp.v[i] + Qm.v[i];
        l2_normalize_rows(mean);
        add("rotq-mean", sims(mean, G));
    }
    const auto s_gp = sims(Q, Gp), s_gm = sims(Q, Gm);
    for (float p : {0.0f, 0.02f, 0.05f})
        add("rotg-max-" + fmt(p), combine({s_base, s_gp, s_gm}, [p](const float* v) { return std::max({v[0], v[1] - p, v[2] - p}); }));
    const auto s_grey_both = sims(Qg, Gg), s_grey_twin = sims(Q, Gg);
    add("grey-both", s_grey_both);
    for (float p : {0.0f, 0.02f, 0.05f})
        add("grey-twin-" + fmt(p), combine({s_base, s_grey_twin}, [p](const float* v) { return std::max(v[0], v[1] - p); }));
    add("grey-mix", combine({s_base, s_grey_both}, [](const float* v) { return 0.5f * (v[0] + v[1]); }));
    const auto s_cn = sims(Qc, Gc);
    for (float w : {0.3f, 0.5f, 0.7f})
        add("fuse-" + fmt(w), combine({s_base, s_cn}, [w](const float* v) { return w * v[0] + (1 - w) * v[1]; }));
    // The combination of the two twins stored in the gallery and both backbones.
    const auto twins = [](const float* v) { return rv::twin_score(v[0], v + 1, 3); };
    add("rotg+grey-twin-0.02", combine({s_base, s_gp, s_gm, s_grey_twin},
                                       [](const float* v) { return std::max({v[0], v[1] - 0.02f, v[2] - 0.02f, v[3] - 0.02f}); }));
    const auto s_twins = combine({s_base, s_gp, s_gm, s_grey_twin}, twins);
    add("twins (rotg+grey-twin-0)", s_twins);
    for (float w : {0.3f, 0.5f})
        add("twins+fuse-" + fmt(w), combine({s_twins, s_cn}, [w](const float* v) { return w * v[0] + (1 - w) * v[1]; }));
    {
        // The gallery's whitening (learned on the originals only) applied to every view.
        const auto w = Whitening::learn(G, 10.0, 0);
        auto white = [&w](const Matrix& m) {
            Matrix o = w.apply(m);
            l2_normalize_rows(o);
            return o;
        };
        const Matrix wq = white(Q), wg = white(G);
        const auto s_w = sims(wq, wg);
        const auto s_wt = combine({s_w, sims(wq, white(Gp)), sims(wq, white(Gm)), sims(wq, white(Gg))}, twins);
        add("pcaw+twins", s_wt);
        const auto wc = Whitening::learn(Gc, 10.0, 0);
        Matrix wqc = wc.apply(Qc), wgc = wc.apply(Gc);
        l2_normalize_rows(wqc);
        l2_normalize_rows(wgc);
        const auto s_wc = sims(wqc, wgc);
        for (float f : {0.3f, 0.5f}) {
            add("pcaw-fuse-" + fmt(f), combine({s_w, s_wc}, [f](const float* v) { return f * v[0] + (1 - f) * v[1]; }));
            add("pcaw+twins+pcaw-fuse-" + fmt(f), combine({s_wt, s_wc}, [f](const float* v) { return f * v[0] + (1 - f) * v[1]; }));
        }
    }

    std::printf("## Weak edits on the honest set (%zu originals: CHOOSE %d, REPORT %d; %d queries; theta %.0f)\n\n",
                set.originals.size(), set.count(Half::Choose), set.count(Half::Report), nq, theta);
    for (Half h : {Half::Choose, Half::Report}) {
        std::printf("### %s half\n\n| variant | %s combined R@1 | combined R@10 |", half_name(h), half_name(h));
        for (int e = 0; e < rv::kImageEditCount; ++e) std::printf(" %s |", rv::image_edit_name(static_cast<rv::ImageEdit>(e)));
        std::printf("\n|---|--:|--:|");
        for (int e = 0; e < rv::kImageEditCount; ++e) std::printf("--:|");
        std::printf("\n");
        for (const auto& name : order) {
            const HonestScore s = honest_score(set, right_ranks(set, variants[name]));
            const auto& p = s.half[static_cast<int>(h)];
            std::printf("| %s | %s | %s |", name.c_str(), fmt(p.combined_r1).c_str(), fmt(p.combined_r10).c_str());
            for (double r : p.single_r1) std::printf(" %s |", fmt(r).c_str());
            std::printf("\n");
        }
        std::printf("\n");
        std::fflush(stdout);
    }
    std::printf("Run time %.1f s, %d threads.\n", now_s() - t_start, threads);
    return 0;
}
