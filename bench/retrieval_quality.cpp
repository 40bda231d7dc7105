// retrieval_quality: how well RuVision's descriptors retrieve, on two fixed evaluation sets.
//
//   retrieval_quality [--models DIR] [--configs FILE|default|none] [--fashion-only|--honest-only]
//                     [--dump-reference DIR] [--reference DIR] [--threads N]
//                     [--pcaw-shrink B] [--fashion-per-class N] [--ref-fashion-per-class N]
//                     [--originals N] [--combined N] [--ref-combined N] [--working-side PX]
//                     [--dump-examples DIR]
//
// Sets (see retrieval/dataset.h, retrieval/honest_set.h):
//   Fashion-MNIST: the first 100 t10k images of each class; every image queries the other 999;
//     reported: mAP@10 by class label (definition in retrieval/metrics.h).
//   The honest set: every wallpaper package's pictures (/usr/share/backgrounds recursively, the
//     largest image of each Plasma wallpaper and of its dark variant), each picture once (pixel
//     check), brought to a 640 px shorter side, split by original into CHOOSE and REPORT halves.
//     Queries: one per single edit and --combined (6) with 2-3 combined edits (ImageEdits.h);
//     every query searches the whole gallery of originals; reported per half: R@1 and R@10 of
//     the combined queries, R@1 per single edit. Choose on CHOOSE, report REPORT.
// Configs: one per line, `MODEL DESCRIPTOR [int8] [POST...]`, '#' starts a comment. MODEL is a model
//   name (DIR/NAME.rvm with --models, else the usual model search path) or a path to a .rvm file;
//   DESCRIPTOR is a DescriptorSpec text (Embedder.h); `int8` runs the model in INT8 (its file's
//   calibration); each POST adds a row post-processed with
//   PCA whitening: `pcaw` (shrinkage whitening, same dimension) or `pcawK` (top K components),
//   learned on the gallery of originals for the honest set (never on its queries) and on the
//   evaluated images themselves for Fashion (transductive: an upper bound). The shrinkage
//   (--pcaw-shrink, default 10) was picked on the old sets. `--configs default` uses
//   kDefaultConfigs below.
// Output: a Markdown table on stdout; progress on stderr. ms/img is the wall time of embed()
//   (preprocess + forward + pooling, decoding excluded) per honest-set image (Fashion images
//   when run with --fashion-only), measured on each of the N worker threads while all N run.
// Reference floor: --dump-reference DIR writes the images as the TF.js reference pipelines feed
//   them (retrieval/reference.h) and exits; run `node packaging/models/reference_embed.cjs
//   DIR/<model>/manifest.json` on each; then --reference DIR adds rows for the reference outputs,
//   for RuVision on the very same input tensors, and for RuVision's own pipeline, all scored on
//   the same (sub)set of images. The pure-JS reference needs ~1.1 s (mobilenet_v2, 224) and
//   ~1.3 s (centernet, 320) per image on one core, so all 1462 images of both models would take
//   hours: the reference set is a seeded subset of 40 Fashion images per class
//   (--ref-fashion-per-class), every honest original and the first --ref-combined (2) combined
//   queries of each REPORT original (about 630 images per model).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "retrieval/dataset.h"
#include "retrieval/evaluate.h"
#include "retrieval/honest_set.h"
#include "retrieval/metrics.h"
#include "retrieval/reference.h"
#include "retrieval/rows.h"
#include "ruvision/engine/Embedder.h"

namespace fs = std::filesystem;
using namespace rvbench;

namespace {

constexpr std::uint32_t kSeed = 20240617;  // the Fashion reference subset
constexpr std::uint64_t kHonestSeed = 20261130;  // the honest set's split and edits

// The built-in config list (same syntax as --configs FILE).
constexpr const char* kDefaultConfigs = R"(
# mobilenet_v2: fixed 224 x 224 input
mobilenet_v2            avg:last                      pcaw pcaw64
mobilenet_v2            gem3:last                     pcaw pcaw64
mobilenet_v2            avg:proj16
mobilenet_v2            gem3:proj16
mobilenet_v2            avg:expand13
mobilenet_v2            gem3:expand13                 pcaw pcaw64
mobilenet_v2            gem3:add12
mobilenet_v2            gem3:last+gem3:proj16
mobilenet_v2            gem3:last+gem3:expand13       pcaw pcaw64
mobilenet_v2            gem3:expand13+gem3:add12      pcaw pcaw64
mobilenet_v2            gem3:last|flip
mobilenet_v2            gem3:last+gem3:expand13|flip
mobilenet_v2            gem3:expand13|flip
# mobilenet_v3_centernet: any size, shorter side = the size (native 320)
mobilenet_v3_centernet  avg:last                      pcaw pcaw64
mobilenet_v3_centernet  gem3:last                     pcaw pcaw64
mobilenet_v3_centernet  gem3:c14
mobilenet_v3_centernet  gem3:e12
mobilenet_v3_centernet  gem3:c11                      pcaw pcaw64
mobilenet_v3_centernet  gem3:last+gem3:e12            pcaw pcaw64
mobilenet_v3_centernet  gem3:c11+gem3:e12             pcaw pcaw64
mobilenet_v3_centernet  gem3:last+gem3:c11
mobilenet_v3_centernet  gem3:last@224
mobilenet_v3_centernet  gem3:last+gem3:e12@224
mobilenet_v3_centernet  gem3:c11@224
mobilenet_v3_centernet  gem3:last@448
mobilenet_v3_centernet  gem3:last+gem3:e12@448
mobilenet_v3_centernet  gem3:c11@448
mobilenet_v3_centernet  gem3:last@320,448
mobilenet_v3_centernet  gem3:last+gem3:e12@320,448    pcaw
mobilenet_v3_centernet  gem3:c11+gem3:e12@320,448
mobilenet_v3_centernet  gem3:last|flip
mobilenet_v3_centernet  gem3:last+gem3:e12|flip
mobilenet_v3_centernet  gem3:c11|flip
)";

struct Options {
    fs::path models_dir;
    std::string configs = "default";
    bool fashion = true, honest = true;
    fs::path dump_reference, reference;
    fs::path dump_examples;  // writes original 0 and its queries as PNG, then exits
    int threads = 2;
    double shrink = 10.0;  // alpha = shrink * mean eigenvalue (see the top of this file)
    int fashion_per_class = 100;
    int ref_fashion_per_class = 40;
    int ref_combined = 2;  // combined queries per REPORT original in the reference set
    int originals = 0;  // 0 = all
    int combined = 6;
    int working_side = 640;
    fs::path fashion_dir = "/usr/share/datasets/fashion-mnist";
    fs::path backgrounds_dir = "/usr/share/backgrounds";
    fs::path wallpaper_dir = "/usr/share/wallpapers";
};

struct Post {
    std::string name;
    int keep = 0;  // 0: full-dimension shrinkage whitening
};

struct Config {
    std::string model, descriptor;
    rv::Precision precision = rv::Precision::Fp32;
    std::vector<Post> posts;
};

[[noreturn]] void die(const std::string& msg) {
    std::fprintf(stderr, "retrieval_quality: %s\n", msg.c_str());
    std::exit(1);
}

std::vector<Config> parse_configs(const std::string& text) {
    std::vector<Config> out;
    std::istringstream in(text);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (auto h = line.find('#'); h != std::string::npos) line.resize(h);
        std::istringstream ls(line);
        Config c;
        if (!(ls >> c.model)) continue;
        if (!(ls >> c.descriptor)) die("configs line " + std::to_string(n) + ": expected MODEL DESCRIPTOR [int8] [POST...]");
        for (std::string p; ls >> p;) {
            if (p == "int8") {
                c.precision = rv::Precision::Int8;
                continue;
            }
            if (p.rfind("pcaw", 0) != 0) die("configs line " + std::to_string(n) + ": unknown post-processing '" + p + "'");
            Post post{p, 0};
            if (p.size() > 4) {
                char* end = nullptr;
                post.keep = static_cast<int>(std::strtol(p.c_str() + 4, &end, 10));
                if (*end || post.keep <= 0) die("configs line " + std::to_string(n) + ": bad '" + p + "' (pcaw or pcawK)");
            }
            c.posts.push_back(post);
        }
        out.push_back(c);
    }
    return out;
}

fs::path resolve_model(const std::string& token, const Options& o) {
    fs::path p;
    if (token.find('/') != std::string::npos || (token.size() > 4 && token.ends_with(".rvm"))) p = token;
    else if (!o.models_dir.empty()) p = o.models_dir / (token + ".rvm");
    else {
        auto m = rv::find_model(token);
        if (!m) die("model '" + token + "': " + m.error().message);
        p = m->path;
    }
    if (!fs::exists(p)) die("model file " + p.string() + " does not exist");
    return p;
}

// The reference section: for each dumped model, three row groups on the same images.
std::vector<Row> reference_rows(const Options& o, const RefItems& items, const FashionSet* fashion,
                                const HonestSet* honest, std::vector<std::string>& notes) {
    std::vector<Row> rows;
    const HonestSet sub = honest ? item_set(items, *honest) : HonestSet{};
    Layout L{static_cast<int>(items.fashion_rows.size()), items.originals, static_cast<int>(items.queries.size()), {},
             honest ? &sub : nullptr};
    for (int r : items.fashion_rows) L.labels.push_back(fashion->labels[r]);
    const std::vector<rv::RgbImage> own_images = item_images(items, fashion, honest);
    std::vector<const rv::RgbImage*> own_in;
    for (const auto& img : own_images) own_in.push_back(&img);
    for (const auto& m : reference_models()) {
        if (!fs::exists(o.reference / m.name / "manifest.json")) {
            std::fprintf(stderr, "reference: no %s, skipping %s\n", (o.reference / m.name / "manifest.json").c_str(),
                         m.name.c_str());
            continue;
        }
        auto inputs = load_reference_inputs(o.reference, m, items);
        if (!inputs) die(inputs.error().message);
        const fs::path model_file = resolve_model(m.name, o);
        // One forward per image for all nodes: each part of a concatenated descriptor is
        // normalised on its own, so slicing a part out and re-normalising gives that node's
        // avg descriptor exactly.
        std::string desc;
        std::vector<int> dims;
        for (const auto& [alias, node] : m.nodes) {
            desc += (desc.empty() ? "avg:" : "+avg:") + alias;
            auto one = rv::Embedder::open(model_file, "avg:" + alias);
            if (!one) die(one.error().message);
            dims.push_back((*one)->dim());
        }
        auto emb = rv::Embedder::open(model_file, desc);
        if (!emb) die(emb.error().message);
        std::vector<const rv::RgbImage*> ref_in;
        for (const auto& img : *inputs) ref_in.push_back(&img);
        std::vector<double> ms_ref, ms_own;
        std::fprintf(stderr, "reference: %s: RuVision on the %d reference inputs\n", m.name.c_str(), items.count());
        const Matrix on_ref = embed_all(**emb, ref_in, o.threads, ms_ref);
        std::fprintf(stderr, "reference: %s: RuVision's own pipeline on the same images\n", m.name.c_str());
        const Matrix own = embed_all(**emb, own_in, o.threads, ms_own);
        int off = 0;
        for (std::size_t p = 0; p < m.nodes.size(); ++p) {
            const std::string& alias = m.nodes[p].first;
            const Matrix ours_on_ref = slice_cols(on_ref, off, off + dims[p]);
            if (auto ref = load_reference_output(o.reference, m, alias, items.count()); ref) {
                Row r{"TF.js reference " + m.name, "avg:" + alias, "", 0, -1.0, -1.0, {}, false};
                score(*ref, L, r);
                rows.push_back(r);
                log_row(r);
                if (ref->cols == ours_on_ref.cols) {
                    const auto [mean, lo] = row_agreement(*ref, ours_on_ref);
                    char b[256];
                    std::snprintf(b, sizeof b, "%s avg:%s: 1 - cosine(TF.js, RuVision) on the same inputs: mean %.2e, max %.2e",
                                  m.name.c_str(), alias.c_str(), 1.0 - mean, 1.0 - lo);
                    notes.push_back(b);
                }
            } else {
                std::fprintf(stderr, "reference: %s\n", ref.error().message.c_str());
            }
            Row a{"RuVision on TF.js inputs " + m.name, "avg:" + alias, "", 0, -1.0, -1.0, {}, false};
            score(ours_on_ref, L, a);
            Row b{"RuVision " + m.name, "avg:" + alias, "", 0, -1.0, -1.0, {}, false};
            score(slice_cols(own, off, off + dims[p]), L, b);
            rows.push_back(a);
            rows.push_back(b);
            log_row(a);
            log_row(b);
            off += dims[p];
        }
        // The model's default descriptor (what the app uses) on the same images: the row that
        // must not fall below the reference rows.
        auto def = rv::Embedder::open(model_file);
        if (!def) die(def.error().message);
        std::vector<double> ms_def;
        const Matrix own_default = embed_all(**def, own_in, o.threads, ms_def);
        Row d{"RuVision default " + m.name, (*def)->descriptor().str(), "", 0, -1.0, -1.0, {}, false};
        score(own_default, L, d);
        rows.push_back(d);
        log_row(d);
    }
    return rows;
}

void write_png(const fs::path& path, const rv::RgbImage& img) {
    cv::Mat rgb(img.height, img.width, CV_8UC3, const_cast<std::uint8_t*>(img.data.data())), bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    cv::imwrite(path.string(), bgr);
}

int int_arg(const std::string& flag, const char* v) {
    char* end = nullptr;
    const long l = std::strtol(v, &end, 10);
    if (*end || l < 0 || l > 1'000'000) die(flag + ": expected a non-negative integer");
    return static_cast<int>(l);
}

}  // namespace

int main(int argc, char** argv) {
    const double t_start = now_s();
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto val = [&]() -> const char* {
            if (i + 1 >= argc) die(a + " needs a value");
            return argv[++i];
        };
        if (a == "--models") o.models_dir = val();
        else if (a == "--configs") o.configs = val();
        else if (a == "--fashion-only") o.honest = false;
        else if (a == "--honest-only") o.fashion = false;
        else if (a == "--dump-reference") o.dump_reference = val();
        else if (a == "--reference") o.reference = val();
        else if (a == "--dump-examples") o.dump_examples = val();
        else if (a == "--threads") o.threads = std::max(1, int_arg(a, val()));
        else if (a == "--pcaw-shrink") o.shrink = std::atof(val());
        else if (a == "--fashion-per-class") o.fashion_per_class = std::max(1, int_arg(a, val()));
        else if (a == "--ref-fashion-per-class") o.ref_fashion_per_class = int_arg(a, val());
        else if (a == "--originals") o.originals = int_arg(a, val());
        else if (a == "--combined") o.combined = int_arg(a, val());
        else if (a == "--ref-combined") o.ref_combined = int_arg(a, val());
        else if (a == "--working-side") o.working_side = std::max(64, int_arg(a, val()));
        else if (a == "-h" || a == "--help") {
            std::printf("usage: retrieval_quality [--models DIR] [--configs FILE|default|none] [--fashion-only|--honest-only]\n"
                        "         [--dump-reference DIR] [--reference DIR] [--threads N] [--pcaw-shrink B]\n"
                        "         [--fashion-per-class N] [--ref-fashion-per-class N] [--originals N] [--combined N]\n"
                        "         [--ref-combined N] [--working-side PX] [--dump-examples DIR]\n");
            return 0;
        } else die("unknown argument '" + a + "' (see --help)");
    }
    if (!o.fashion && !o.honest) die("--fashion-only and --honest-only exclude each other");

    std::vector<Config> configs;
    if (o.configs == "default") configs = parse_configs(kDefaultConfigs);
    else if (o.configs != "none") {
        std::ifstream f(o.configs);
        if (!f) die("cannot read configs file " + o.configs);
        std::stringstream ss;
        ss << f.rdbuf();
        configs = parse_configs(ss.str());
    }

    // ---- data ----
    FashionSet fashion;
    HonestSet honest;
    if (o.fashion) {
        auto f = load_fashion(o.fashion_dir, o.fashion_per_class);
        if (!f) die(f.error().message);
        fashion = std::move(*f);
        std::fprintf(stderr, "Fashion-MNIST: %zu images (%d per class)\n", fashion.images.size(), o.fashion_per_class);
    }
    if (o.honest) {
        const double t0 = now_s();
        HonestParams hp;
        hp.working_side = o.working_side;
        hp.seed = kHonestSeed;
        hp.combined_per_original = o.combined;
        hp.max_originals = o.originals;
        auto h = build_honest(honest_sources(o.backgrounds_dir, o.wallpaper_dir), hp);
        if (!h) die(h.error().message);
        honest = std::move(*h);
        std::fprintf(stderr, "honest set: %zu originals (CHOOSE %d, REPORT %d; %zu pictures packaged twice merged), %zu queries (%.1f s)\n",
                     honest.originals.size(), honest.count(Half::Choose), honest.count(Half::Report), honest.merged.size(),
                     honest.queries.size(), now_s() - t0);
    }
    if (!o.dump_examples.empty() && o.honest) {
        fs::create_directories(o.dump_examples);
        write_png(o.dump_examples / "original.png", honest.originals[0]);
        for (int q = 0; q < static_cast<int>(honest.queries.size()) && honest.queries[q].original == 0; ++q)
            write_png(o.dump_examples / (std::to_string(q) + "-" + rv::edits_label(honest.queries[q].edits) + ".png"),
                      honest.query_image(q));
        return 0;
    }
    const FashionSet* fp = o.fashion ? &fashion : nullptr;
    const HonestSet* hp = o.honest ? &honest : nullptr;
    const RefItems ref_items = reference_items(fp, hp, o.ref_fashion_per_class, kSeed, o.ref_combined);

    if (!o.dump_reference.empty()) {
        if (auto s = dump_reference(o.dump_reference, ref_items, fp, hp); !s) die(s.error().message);
        std::fprintf(stderr, "reference: %d images per model (Fashion %zu = %d per class, seeded; honest %d originals + %zu REPORT combined queries)\n",
                     ref_items.count(), ref_items.fashion_rows.size(), o.ref_fashion_per_class, ref_items.originals,
                     ref_items.queries.size());
        return 0;
    }

    // ---- configs ----
    Layout L{static_cast<int>(fashion.images.size()), static_cast<int>(honest.originals.size()),
             static_cast<int>(honest.queries.size()), fashion.labels, hp};
    std::vector<const rv::RgbImage*> images;  // the queries are made on demand
    for (const auto& i : fashion.images) images.push_back(&i);
    for (const auto& i : honest.originals) images.push_back(&i);
    std::vector<Row> rows;
    for (std::size_t c = 0; c < configs.size(); ++c) {
        const auto& cfg = configs[c];
        const fs::path model_file = resolve_model(cfg.model, o);
        auto emb = rv::Embedder::open(model_file, cfg.descriptor, cfg.precision);
        if (!emb) {
            std::fprintf(stderr, "[%zu/%zu] %s %s: %s (skipped)\n", c + 1, configs.size(), cfg.model.c_str(),
                         cfg.descriptor.c_str(), emb.error().message.c_str());
            continue;
        }
        std::fprintf(stderr, "[%zu/%zu] %s %s: embedding %zu images...\n", c + 1, configs.size(), cfg.model.c_str(),
                     cfg.descriptor.c_str(), images.size() + honest.queries.size());
        const double t0 = now_s();
        std::vector<double> ms, ms_q;
        const Matrix known = embed_all(**emb, images, o.threads, ms);
        const Matrix queries = embed_generated(
            **emb, L.queries, [&honest](int q) { return honest.query_image(q); }, o.threads, ms_q);
        Matrix e(known.rows + queries.rows, known.cols);
        std::copy(known.v.begin(), known.v.end(), e.v.begin());
        std::copy(queries.v.begin(), queries.v.end(), e.v.begin() + static_cast<std::ptrdiff_t>(known.v.size()));
        ms.insert(ms.end(), ms_q.begin(), ms_q.end());
        Row row{(*emb)->model_name(), cfg.descriptor + (cfg.precision == rv::Precision::Int8 ? " int8" : ""), "", 0,
                -1.0, -1.0, {}, false};
        row.ms = L.originals > 0 ? mean_of(ms, L.fashion, ms.size()) : mean_of(ms, 0, ms.size());
        score(e, L, row);
        rows.push_back(row);
        log_row(row);
        for (const auto& p : cfg.posts) {
            rows.push_back(whitened(e, L, p.name, p.keep, o.shrink, row));
            log_row(rows.back());
        }
        std::fprintf(stderr, "  (%.1f s)\n", now_s() - t0);
    }
    if (!rows.empty()) {
        std::printf("## Retrieval quality\n\nFashion-MNIST: %zu images (%d per class), mAP@10. Honest set: %zu originals "
                    "(CHOOSE %d, REPORT %d), %d single-edit + %d combined queries per original, searched against all "
                    "originals. ms/img: embed() per honest-set image, %d threads busy. post: pcaw = PCA whitening "
                    "learned on the gallery (Fashion: on itself), shrink %.2g; pcawK = top K.\n\n",
                    fashion.images.size(), o.fashion_per_class, honest.originals.size(), honest.count(Half::Choose),
                    honest.count(Half::Report), rv::kImageEditCount, o.combined, o.threads, o.shrink);
        for (Half h : {Half::Choose, Half::Report}) {
            std::printf("### %s half (%s)\n\n", half_name(h),
                        h == Half::Choose ? "choices are made on these figures" : "the figures to report");
            print_table(rows, true, h);
            std::printf("\n");
        }
    }

    if (!o.reference.empty()) {
        std::vector<std::string> notes;
        const auto ref_rows = reference_rows(o, ref_items, fp, hp, notes);
        std::printf("\n## Reference floor (same images for every row: Fashion %zu = %d per class seeded from the %d loaded, "
                    "honest set: %d originals + %zu combined queries of the REPORT half)\n\n",
                    ref_items.fashion_rows.size(), o.ref_fashion_per_class, o.fashion_per_class, ref_items.originals,
                    ref_items.queries.size());
        print_table(ref_rows, false, Half::Report);
        if (!notes.empty()) std::printf("\n");
        for (const auto& n : notes) std::printf("- %s\n", n.c_str());
    }
    std::fprintf(stderr, "total %.1f s\n", now_s() - t_start);
    std::printf("\nTotal run time %.1f s.\n", now_s() - t_start);
    return 0;
}
