#include "ruvision/engine/Embedder.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "image/Preprocess.h"
#include "model/ModelFile.h"
#include "nn/Network.h"
#include "ruvision/kernels/kernels.h"

namespace rv {

struct Embedder::Impl {
    std::shared_ptr<const ModelFile> model;
    DescriptorSpec spec;
    std::vector<int> part_nodes;  // node index per part
    std::vector<int> part_dims;
    int dim = 0;
    Network net;
    std::vector<float> tensor;    // scratch input

    Impl(std::shared_ptr<const ModelFile> m) : model(m), net(std::move(m)) {}
};

Embedder::Embedder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Embedder::~Embedder() = default;

Result<std::unique_ptr<Embedder>> Embedder::open(const ModelInfo& model, std::string_view descriptor) {
    return open(model.path, descriptor);
}

Result<std::unique_ptr<Embedder>> Embedder::open(const std::filesystem::path& model_file, std::string_view descriptor) {
    auto m = ModelFile::load(model_file);
    if (!m) return m.error();
    auto impl = std::make_unique<Impl>(*m);
    std::string text(descriptor);
    if (text.empty()) text = (*m)->descriptors().at("default");
    else if (auto it = (*m)->descriptors().find(text); it != (*m)->descriptors().end()) text = it->second;
    auto spec = DescriptorSpec::parse(text);
    if (!spec) return Error{"descriptor '" + text + "': " + spec.error().message};
    impl->spec = *spec;
    const auto& pre = (*m)->preprocess();
    for (int s : impl->spec.sizes)
        if (s != 0 && !pre.any_size)
            return Error{"descriptor '" + text + "': model " + (*m)->name() + " only runs at its native size"};
    for (const auto& part : impl->spec.parts) {
        const int node = (*m)->graph().find(part.node);
        if (node < 0) return Error{"descriptor '" + text + "': model " + (*m)->name() + " has no node " + part.node};
        impl->part_nodes.push_back(node);
    }
    // Channel counts do not depend on the input size: one forward at the native size gives them
    // and proves the network runs.
    std::vector<float> probe(static_cast<std::size_t>(pre.width) * pre.height * 3, 0.5f);
    auto maps = impl->net.run(probe.data(), pre.height, pre.width, impl->part_nodes);
    if (!maps) return Error{"model " + model_file.string() + ": " + maps.error().message};
    for (const auto& map : *maps) {
        impl->part_dims.push_back(map.c);
        impl->dim += map.c;
    }
    return std::unique_ptr<Embedder>(new Embedder(std::move(impl)));
}

std::unique_ptr<Embedder> Embedder::clone() const {
    auto impl = std::make_unique<Impl>(impl_->model);
    impl->spec = impl_->spec;
    impl->part_nodes = impl_->part_nodes;
    impl->part_dims = impl_->part_dims;
    impl->dim = impl_->dim;
    return std::unique_ptr<Embedder>(new Embedder(std::move(impl)));
}

const std::string& Embedder::model_name() const { return impl_->model->name(); }
const DescriptorSpec& Embedder::descriptor() const { return impl_->spec; }
int Embedder::dim() const { return impl_->dim; }

int Embedder::min_decode_side() const {
    const auto& p = impl_->model->preprocess();
    int side = std::min(p.width, p.height);
    for (int s : impl_->spec.sizes) side = std::max(side, s);
    return side;
}

namespace {

void pool(const Network::Map& m, const DescriptorSpec::Part& part, float* out) {
    const auto& k = kernels::kernels();
    const std::size_t pixels = static_cast<std::size_t>(m.h) * m.w;
    switch (part.pool) {
        case DescriptorSpec::Part::Pool::Avg:
            k.global_avg_pool(m.data, out, pixels, m.c);
            break;
        case DescriptorSpec::Part::Pool::Gem:
            k.gem_pool(m.data, out, pixels, m.c, part.p);
            break;
        case DescriptorSpec::Part::Pool::Max:
            std::copy(m.data, m.data + m.c, out);
            for (std::size_t p = 1; p < pixels; ++p)
                for (int c = 0; c < m.c; ++c) out[c] = std::max(out[c], m.data[p * m.c + c]);
            break;
    }
}

}  // namespace

std::vector<float> Embedder::preprocess(const RgbImage& image, int side, int* out_h, int* out_w) const {
    const auto& pre = impl_->model->preprocess();
    input_size(pre, side, image.width, image.height, out_w, out_h);
    std::vector<float> t;
    preprocess_image(image, pre, *out_w, *out_h, false, t);
    return t;
}

std::vector<float> Embedder::embed(const RgbImage& image) {
    auto& I = *impl_;
    const auto& pre = I.model->preprocess();
    std::vector<float> acc(I.dim, 0.0f), one(I.dim);
    std::vector<int> sizes = I.spec.sizes.empty() ? std::vector<int>{0} : I.spec.sizes;
    const auto& k = kernels::kernels();
    for (int side : sizes)
        for (int flip = 0; flip <= (I.spec.flip ? 1 : 0); ++flip) {
            int w = 0, h = 0;
            input_size(pre, side, image.width, image.height, &w, &h);
            preprocess_image(image, pre, w, h, flip == 1, I.tensor);
            auto maps = I.net.run(I.tensor.data(), h, w, I.part_nodes);
            if (!maps) continue;  // only for inputs smaller than the network's receptive field
            int off = 0;
            for (std::size_t p = 0; p < maps->size(); ++p) {
                pool((*maps)[p], I.spec.parts[p], one.data() + off);
                k.l2_normalize(one.data() + off, I.part_dims[p]);
                off += I.part_dims[p];
            }
            for (int i = 0; i < I.dim; ++i) acc[i] += one[i];
        }
    k.l2_normalize(acc.data(), acc.size());
    return acc;
}

Result<std::vector<float>> Embedder::embed_file(const std::filesystem::path& path) {
    DecodeOptions opt;
    opt.min_side = min_decode_side();
    auto img = decode_image(path, opt);
    if (!img) return img.error();
    return embed(img->image);
}

Result<std::vector<float>> Embedder::node_map(const float* input, int h, int w, std::string_view node, int* out_h,
                                              int* out_w, int* out_c) {
    const int idx = impl_->model->graph().find(std::string(node));
    if (idx < 0) return Error{"model " + model_name() + " has no node " + std::string(node)};
    auto maps = impl_->net.run(input, h, w, {idx});
    if (!maps) return maps.error();
    const auto& m = (*maps)[0];
    *out_h = m.h, *out_w = m.w, *out_c = m.c;
    return std::vector<float>(m.data, m.data + static_cast<std::size_t>(m.h) * m.w * m.c);
}

Result<std::vector<float>> Embedder::pooled_node(const float* input, int h, int w, std::string_view node,
                                                 DescriptorSpec::Part::Pool pool_kind, float p) {
    const int idx = impl_->model->graph().find(std::string(node));
    if (idx < 0) return Error{"model " + model_name() + " has no node " + std::string(node)};
    auto maps = impl_->net.run(input, h, w, {idx});
    if (!maps) return maps.error();
    std::vector<float> out((*maps)[0].c);
    DescriptorSpec::Part part;
    part.pool = pool_kind;
    part.p = p;
    pool((*maps)[0], part, out.data());
    return out;
}

// ---- descriptor text form ----

Result<DescriptorSpec> DescriptorSpec::parse(std::string_view text) {
    DescriptorSpec d;
    std::string s(text);
    if (auto bar = s.find('|'); bar != std::string::npos) {
        if (s.substr(bar + 1) != "flip") return Error{"unknown option '" + s.substr(bar + 1) + "' (expected |flip)"};
        d.flip = true;
        s.resize(bar);
    }
    if (auto at = s.find('@'); at != std::string::npos) {
        std::string sizes = s.substr(at + 1);
        s.resize(at);
        std::size_t pos = 0;
        while (pos <= sizes.size()) {
            auto comma = sizes.find(',', pos);
            std::string one = sizes.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
            int v = 0;
            if (one == "native") v = 0;
            else {
                char* end = nullptr;
                long l = std::strtol(one.c_str(), &end, 10);
                if (one.empty() || *end || l < 32 || l > 2048) return Error{"bad input size '" + one + "' (32..2048)"};
                v = static_cast<int>(l);
            }
            d.sizes.push_back(v);
            if (comma == std::string::npos) break;
            pos = comma + 1;
        }
    }
    std::size_t pos = 0;
    while (pos <= s.size()) {
        auto plus = s.find('+', pos);
        std::string part = s.substr(pos, plus == std::string::npos ? std::string::npos : plus - pos);
        auto colon = part.find(':');
        if (colon == std::string::npos || colon + 1 >= part.size())
            return Error{"bad part '" + part + "' (expected avg:NODE, gemP:NODE or max:NODE)"};
        Part p;
        p.node = part.substr(colon + 1);
        std::string kind = part.substr(0, colon);
        if (kind == "avg") p.pool = Part::Pool::Avg;
        else if (kind == "max") p.pool = Part::Pool::Max;
        else if (kind.rfind("gem", 0) == 0) {
            p.pool = Part::Pool::Gem;
            if (kind.size() > 3) {
                char* end = nullptr;
                p.p = std::strtof(kind.c_str() + 3, &end);
                if (*end || !(p.p > 0.0f && p.p <= 64.0f)) return Error{"bad GeM exponent in '" + kind + "'"};
            }
        } else return Error{"unknown pooling '" + kind + "'"};
        d.parts.push_back(p);
        if (plus == std::string::npos) break;
        pos = plus + 1;
    }
    return d;
}

std::string DescriptorSpec::str() const {
    std::string s;
    for (const auto& p : parts) {
        if (!s.empty()) s += '+';
        if (p.pool == Part::Pool::Avg) s += "avg";
        else if (p.pool == Part::Pool::Max) s += "max";
        else {
            char buf[32];
            std::snprintf(buf, sizeof buf, "gem%g", p.p);
            s += buf;
        }
        s += ':' + p.node;
    }
    if (!sizes.empty()) {
        s += '@';
        for (std::size_t i = 0; i < sizes.size(); ++i)
            s += (i ? "," : "") + (sizes[i] ? std::to_string(sizes[i]) : std::string("native"));
    }
    if (flip) s += "|flip";
    return s;
}

}  // namespace rv
