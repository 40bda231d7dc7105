#include "ruvision/engine/Embedder.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "image/Preprocess.h"
#include "model/ModelFile.h"
#include "nn/Network.h"
#include "nn/int8/Int8Network.h"
#include "ruvision/kernels/kernels.h"

namespace rv {

struct Embedder::Impl {
    std::shared_ptr<const ModelFile> model;
    DescriptorSpec spec;
    std::vector<int> part_nodes;  // node index per part
    std::vector<int> part_dims;
    int dim = 0;
    Network net;
    std::unique_ptr<Int8Network> int8;  // set: the network runs in INT8
    std::vector<float> tensor;    // scratch input
    std::vector<float> turned;    // scratch: the input turned 90 degrees

    Impl(std::shared_ptr<const ModelFile> m) : model(m), net(std::move(m)) {}

    Status set_precision(Precision p) {
        if (p == Precision::Fp32) return Status::success();
        const auto& c = model->int8_calibration();
        if (!c)
            return Error{model->path().string() + ": model " + model->name() +
                         " carries no INT8 calibration (ruvision-cli calibrate-int8 makes one)"};
        auto n = Int8Network::create(model, c->ranges, nullptr, c->keep_float);
        if (!n) return Error{model->path().string() + ": " + n.error().message};
        int8 = std::move(*n);
        return Status::success();
    }
    Result<std::vector<Network::Map>> run(const float* input, int h, int w, const std::vector<int>& wanted) {
        return int8 ? int8->run(input, h, w, wanted) : net.run(input, h, w, wanted);
    }
};

std::string_view precision_name(Precision p) { return p == Precision::Int8 ? "int8" : "fp32"; }

Result<Precision> parse_precision(std::string_view text) {
    if (text == "fp32") return Precision::Fp32;
    if (text == "int8") return Precision::Int8;
    return Error{"unknown precision '" + std::string(text) + "' (fp32 or int8)"};
}

Embedder::Embedder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Embedder::~Embedder() = default;

Result<std::unique_ptr<Embedder>> Embedder::open(const ModelInfo& model, std::string_view descriptor,
                                                 Precision precision) {
    return open(model.path, descriptor, precision);
}

Result<std::unique_ptr<Embedder>> Embedder::open(const std::filesystem::path& model_file, std::string_view descriptor,
                                                 Precision precision) {
    auto m = ModelFile::load(model_file);
    if (!m) return m.error();
    // Images have 3 channels; an imported network may take others (nn::input_channels).
    if (const int c = nn::input_channels((*m)->graph().nodes.at(0)); c != 3)
        return Error{model_file.string() + ": the network takes " + std::to_string(c) +
                     " input channels, not an RGB image"};
    // Channel counts come from the validated graph: no forward pass at start-up.
    auto d = resolve_descriptor((*m)->header(), descriptor);
    if (!d) return d.error();
    auto impl = std::make_unique<Impl>(*m);
    impl->spec = std::move(d->spec);
    impl->part_nodes = std::move(d->part_nodes);
    impl->part_dims = std::move(d->part_dims);
    impl->dim = d->dim;
    if (auto st = impl->set_precision(precision); !st) return st.error();
    return std::unique_ptr<Embedder>(new Embedder(std::move(impl)));
}

std::unique_ptr<Embedder> Embedder::clone() const {
    auto impl = std::make_unique<Impl>(impl_->model);
    impl->spec = impl_->spec;
    impl->part_nodes = impl_->part_nodes;
    impl->part_dims = impl_->part_dims;
    impl->dim = impl_->dim;
    // The calibration was accepted when this embedder opened: the same again cannot fail.
    if (impl_->int8) (void)impl->set_precision(Precision::Int8);
    return std::unique_ptr<Embedder>(new Embedder(std::move(impl)));
}

const std::string& Embedder::model_name() const { return impl_->model->name(); }
Precision Embedder::precision() const { return impl_->int8 ? Precision::Int8 : Precision::Fp32; }
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

namespace {

// `in` (h x w x 3, NHWC) turned 90 degrees clockwise into `out` (w x h x 3): source row y becomes
// destination column h - 1 - y.
void turn_clockwise(const std::vector<float>& in, int h, int w, std::vector<float>& out) {
    out.resize(in.size());
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const float* s = &in[(static_cast<std::size_t>(y) * w + x) * 3];
            float* d = &out[(static_cast<std::size_t>(x) * h + (h - 1 - y)) * 3];
            d[0] = s[0], d[1] = s[1], d[2] = s[2];
        }
}

}  // namespace

Result<std::vector<float>> Embedder::embed_turned(const RgbImage& image) {
    auto both = embed_impl(image, false, true);
    if (!both) return both.error();
    return std::move(both->turned);
}

Result<std::vector<float>> Embedder::embed(const RgbImage& image) {
    auto both = embed_impl(image, true, false);
    if (!both) return both.error();
    return std::move(both->plain);
}

Result<Embedder::PlainAndTurned> Embedder::embed_with_turned(const RgbImage& image) {
    return embed_impl(image, true, true);
}

Result<Embedder::PlainAndTurned> Embedder::embed_impl(const RgbImage& image, bool plain, bool turned) {
    auto& I = *impl_;
    if (image.width <= 0 || image.height <= 0) return Error{"the image is empty"};
    const auto& pre = I.model->preprocess();
    std::vector<double> acc[2] = {std::vector<double>(I.dim, 0.0), std::vector<double>(I.dim, 0.0)};
    std::vector<float> one(I.dim);
    std::vector<int> sizes = I.spec.sizes.empty() ? std::vector<int>{0} : I.spec.sizes;
    const auto& k = kernels::kernels();
    // One forward pass of an input tensor, its parts pooled and added to `sum`.
    auto run_into = [&](const std::vector<float>& tensor, int h, int w, std::vector<double>& sum) -> Status {
        auto maps = I.run(tensor.data(), h, w, I.part_nodes);
        if (!maps) return Error{"model " + I.model->name() + " cannot run on this image: " + maps.error().message};
        int off = 0;
        for (std::size_t p = 0; p < maps->size(); ++p) {
            pool((*maps)[p], I.spec.parts[p], one.data() + off);
            k.l2_normalize(one.data() + off, I.part_dims[p]);
            off += I.part_dims[p];
        }
        for (int i = 0; i < I.dim; ++i) sum[i] += one[i];
        return {};
    };
    for (int side : sizes)
        for (int flip = 0; flip <= (I.spec.flip ? 1 : 0); ++flip) {
            int w = 0, h = 0;
            input_size(pre, side, image.width, image.height, &w, &h);
            preprocess_image(image, pre, w, h, flip == 1, I.tensor);
            if (plain)
                if (auto st = run_into(I.tensor, h, w, acc[0]); !st) return st.error();
            // Turning the small input tensor gives what the turned image would (resizing and a
            // quarter turn commute) without a copy of the full decoded image, and one
            // preprocessing serves both passes.
            if (turned) {
                turn_clockwise(I.tensor, h, w, I.turned);
                if (auto st = run_into(I.turned, w, h, acc[1]); !st) return st.error();
            }
        }
    PlainAndTurned out;
    for (int t = 0; t < 2; ++t) {
        if (!(t ? turned : plain)) continue;
        // Never a zero or non-finite vector reported as an embedding: it would match everything
        // or nothing, silently.
        double norm2 = 0.0;
        for (double v : acc[t]) norm2 += v * v;
        if (!std::isfinite(norm2))
            return Error{"descriptor '" + I.spec.str() + "' gave non-finite values (NaN or infinity) on this image"};
        if (norm2 == 0.0) return Error{"descriptor '" + I.spec.str() + "' gave an all-zero vector on this image"};
        std::vector<float>& v = t ? out.turned : out.plain;
        v.assign(acc[t].begin(), acc[t].end());
        k.l2_normalize(v.data(), v.size());
    }
    return out;
}

Result<std::vector<float>> Embedder::embed_file(const std::filesystem::path& path) {
    DecodeOptions opt;
    opt.min_side = min_decode_side();
    auto img = decode_image(path, opt);
    if (!img) return img.error();
    auto v = embed(img->image);
    if (!v) return Error{path.string() + ": " + v.error().message};
    return v;
}

Result<std::vector<float>> Embedder::node_map(const float* input, int h, int w, std::string_view node, int* out_h,
                                              int* out_w, int* out_c) {
    const int idx = impl_->model->graph().find(std::string(node));
    if (idx < 0) return Error{"model " + model_name() + " has no node " + std::string(node)};
    auto maps = impl_->run(input, h, w, {idx});
    if (!maps) return maps.error();
    const auto& m = (*maps)[0];
    *out_h = m.h, *out_w = m.w, *out_c = m.c;
    return std::vector<float>(m.data, m.data + static_cast<std::size_t>(m.h) * m.w * m.c);
}

}  // namespace rv
