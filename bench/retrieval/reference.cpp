#include "retrieval/reference.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

namespace rvbench {

namespace fs = std::filesystem;

const std::vector<RefModel>& reference_models() {
    // Node names as in packaging/models/*.recipe.json ("aliases").
    static const std::vector<RefModel> models = {
        {"mobilenet_v2",
         224,
         224,
         true,
         {{"last", "out_relu"},
          {"proj16", "block_16_project_BN"},
          {"expand13", "block_13_expand_relu"},
          {"add12", "block_12_add"}}},
        {"mobilenet_v3_centernet",
         320,
         320,
         false,
         {{"last", "tower_0/extern1/hard_swish/mul_1"},
          {"c14", "tower_0/MobilenetV3/expanded_conv_14/add"},
          {"e12", "tower_0/MobilenetV3/expanded_conv_12/expand/hard_swish/mul_1"},
          {"c11", "tower_0/MobilenetV3/expanded_conv_11/add"}}},
    };
    return models;
}

RefItems reference_items(const FashionSet* fashion, const HonestSet* honest, int fashion_per_class,
                         std::uint32_t seed) {
    RefItems items;
    std::ostringstream tsv;
    if (fashion) {
        std::vector<std::vector<int>> by_class(10);
        for (int i = 0; i < static_cast<int>(fashion->labels.size()); ++i) by_class[fashion->labels[i]].push_back(i);
        std::mt19937 g(seed);
        for (auto& rows : by_class) {
            if (fashion_per_class > 0 && fashion_per_class < static_cast<int>(rows.size())) {
                // Fisher-Yates on raw draws (std::shuffle is implementation-defined).
                for (int i = static_cast<int>(rows.size()) - 1; i > 0; --i)
                    std::swap(rows[i], rows[g() % static_cast<std::uint32_t>(i + 1)]);
                rows.resize(fashion_per_class);
            }
            items.fashion_rows.insert(items.fashion_rows.end(), rows.begin(), rows.end());
        }
        std::sort(items.fashion_rows.begin(), items.fashion_rows.end());
        for (int r : items.fashion_rows)
            tsv << "fashion\t" << fashion->test_index[r] << '\t' << fashion->labels[r] << '\n';
    }
    if (honest) {
        items.originals = static_cast<int>(honest->originals.size());
        for (const auto& n : honest->names) tsv << "original\t" << n << '\n';
        for (int q = 0; q < static_cast<int>(honest->queries.size()); ++q) {
            const HonestQuery& hq = honest->queries[static_cast<std::size_t>(q)];
            if (hq.single() || honest->half[static_cast<std::size_t>(hq.original)] != Half::Report) continue;
            items.queries.push_back(q);
            tsv << "query\t" << hq.original << '\t' << hq.slot << '\t' << rv::edits_label(hq.edits) << '\n';
        }
    }
    items.tsv = tsv.str();
    return items;
}

std::vector<rv::RgbImage> item_images(const RefItems& items, const FashionSet* fashion, const HonestSet* honest) {
    std::vector<rv::RgbImage> out;
    for (int r : items.fashion_rows) out.push_back(fashion->images[static_cast<std::size_t>(r)]);
    for (int o = 0; o < items.originals; ++o) out.push_back(honest->originals[static_cast<std::size_t>(o)]);
    for (int q : items.queries) out.push_back(honest->query_image(q));
    return out;
}

HonestSet item_set(const RefItems& items, const HonestSet& set) {
    HonestSet sub = set;
    sub.queries.clear();
    for (int q : items.queries) sub.queries.push_back(set.queries[static_cast<std::size_t>(q)]);
    return sub;
}

rv::RgbImage reference_input(const RefModel& model, const rv::RgbImage& img) {
    // tfjs-backend-cpu resizeBilinear, in double like the JS: with alignCorners the ratio is
    // (in - 1) / (out - 1), else in / out; src = ratio * dst (no half-pixel centres);
    // floor/ceil neighbours clamped to the image; lerp along x, then y.
    const int W = model.width, H = model.height;
    const bool ac = model.align_corners;
    const double ry = (ac && H > 1) ? double(img.height - 1) / (H - 1) : double(img.height) / H;
    const double rx = (ac && W > 1) ? double(img.width - 1) / (W - 1) : double(img.width) / W;
    rv::RgbImage out;
    out.width = W;
    out.height = H;
    out.data.resize(static_cast<std::size_t>(W) * H * 3);
    auto at = [&](int y, int x, int c) { return double(img.data[(static_cast<std::size_t>(y) * img.width + x) * 3 + c]); };
    for (int y = 0; y < H; ++y) {
        const double sy = ry * y;
        const int y0 = std::max(0, static_cast<int>(std::floor(sy)));
        const int y1 = std::min(img.height - 1, static_cast<int>(std::ceil(sy)));
        const double fy = sy - y0;
        for (int x = 0; x < W; ++x) {
            const double sx = rx * x;
            const int x0 = std::max(0, static_cast<int>(std::floor(sx)));
            const int x1 = std::min(img.width - 1, static_cast<int>(std::ceil(sx)));
            const double fx = sx - x0;
            for (int c = 0; c < 3; ++c) {
                const double top = at(y0, x0, c) + (at(y0, x1, c) - at(y0, x0, c)) * fx;
                const double bottom = at(y1, x0, c) + (at(y1, x1, c) - at(y1, x0, c)) * fx;
                const double v = top + (bottom - top) * fy;
                out.data[(static_cast<std::size_t>(y) * W + x) * 3 + c] =
                    static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
            }
        }
    }
    return out;
}

rv::Status dump_reference(const fs::path& dir, const RefItems& items, const FashionSet* fashion,
                          const HonestSet* honest) {
    const auto images = item_images(items, fashion, honest);
    for (const auto& m : reference_models()) {
        const fs::path sub = dir / m.name;
        std::error_code ec;
        fs::create_directories(sub, ec);
        if (ec) return rv::Error{sub.string() + ": " + ec.message()};
        {
            std::ofstream in(sub / "inputs.u8", std::ios::binary);
            for (const auto& img : images) {
                const auto r = reference_input(m, img);
                in.write(reinterpret_cast<const char*>(r.data.data()), static_cast<std::streamsize>(r.data.size()));
            }
            if (!in) return rv::Error{(sub / "inputs.u8").string() + ": write failed"};
        }
        std::ofstream(sub / "items.tsv") << items.tsv;
        std::ofstream man(sub / "manifest.json");
        man << "{\n  \"model\": \"" << m.name << "\",\n  \"width\": " << m.width << ",\n  \"height\": " << m.height
            << ",\n  \"count\": " << items.count() << ",\n  \"inputs\": \"inputs.u8\",\n  \"resize\": \""
            << (m.align_corners ? "tf resizeBilinear alignCorners=true (nsfwjs)"
                                : "tf resizeBilinear alignCorners=false halfPixelCenters=false, stretch (human, at 320 not 512)")
            << ", rounded to uint8\",\n  \"outputs\": [\n";
        for (std::size_t i = 0; i < m.nodes.size(); ++i)
            man << "    {\"node\": \"" << m.nodes[i].second << "\", \"file\": \"" << m.nodes[i].first << ".f32\"}"
                << (i + 1 < m.nodes.size() ? "," : "") << '\n';
        man << "  ]\n}\n";
        if (!man) return rv::Error{(sub / "manifest.json").string() + ": write failed"};
        std::fprintf(stderr, "reference: wrote %s (%d images, %dx%d)\n", (sub / "manifest.json").c_str(), items.count(),
                     m.width, m.height);
    }
    return {};
}

rv::Result<std::vector<rv::RgbImage>> load_reference_inputs(const fs::path& dir, const RefModel& model,
                                                            const RefItems& items) {
    const fs::path sub = dir / model.name;
    std::ifstream t(sub / "items.tsv");
    if (!t) return rv::Error{(sub / "items.tsv").string() + ": missing (run --dump-reference first)"};
    std::stringstream ss;
    ss << t.rdbuf();
    if (ss.str() != items.tsv)
        return rv::Error{(sub / "items.tsv").string() +
                         ": the dumped images differ from this run's (other data set flags, subset or seed?)"};
    std::ifstream in(sub / "inputs.u8", std::ios::binary);
    const std::size_t per = static_cast<std::size_t>(model.width) * model.height * 3;
    std::vector<rv::RgbImage> out(items.count());
    for (auto& img : out) {
        img.width = model.width;
        img.height = model.height;
        img.data.resize(per);
        in.read(reinterpret_cast<char*>(img.data.data()), static_cast<std::streamsize>(per));
    }
    if (!in) return rv::Error{(sub / "inputs.u8").string() + ": short read"};
    return out;
}

rv::Result<Matrix> load_reference_output(const fs::path& dir, const RefModel& model, const std::string& alias,
                                         int count) {
    const fs::path file = dir / model.name / (alias + ".f32");
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec) return rv::Error{file.string() + ": missing (run node packaging/models/reference_embed.cjs on the manifest)"};
    if (count <= 0 || size % (4ull * count) != 0) return rv::Error{file.string() + ": size is not count x C float32"};
    Matrix m(count, static_cast<int>(size / (4ull * count)));
    std::ifstream in(file, std::ios::binary);
    in.read(reinterpret_cast<char*>(m.v.data()), static_cast<std::streamsize>(size));  // little-endian host
    if (!in) return rv::Error{file.string() + ": short read"};
    l2_normalize_rows(m);
    return m;
}

}  // namespace rvbench
