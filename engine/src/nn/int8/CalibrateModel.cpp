#include <algorithm>

#include "image/Preprocess.h"
#include "model/ModelFile.h"
#include "nn/int8/Calibration.h"
#include "nn/int8/Int8Network.h"
#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/Int8Calibration.h"

namespace rv {

namespace {

constexpr int kMinImages = 8;

double dot(const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
    return s;
}

}  // namespace

Result<Int8CalibrationReport> calibrate_int8(const std::filesystem::path& model_file,
                                             const std::vector<std::filesystem::path>& images,
                                             const std::filesystem::path& out, const Int8CalibrationOptions& options) {
    auto model = ModelFile::load(model_file);
    if (!model) return model.error();
    const ModelFile& m = **model;
    auto desc = resolve_descriptor(m.header(), {});
    if (!desc) return Error{model_file.string() + ": " + desc.error().message};
    const auto& graph = m.graph();
    nn::Int8Calibration c;
    c.percentile = options.percentile;
    c.keep_float.assign(graph.nodes.size(), false);
    for (const auto& name : options.float_nodes) {
        const int i = graph.find(name);
        if (i < 0) return Error{"model " + m.name() + " has no node " + name};
        c.keep_float[i] = true;
    }

    // The photos at the descriptor's sizes (the model's native size if it names none).
    Int8CalibrationReport report;
    std::vector<RgbImage> decoded;
    std::vector<std::vector<float>> tensors;
    std::vector<nn::CalibrationInput> inputs;
    DecodeOptions opt;
    opt.min_side = std::max(m.preprocess().width, m.preprocess().height);
    for (int s : desc->spec.sizes) opt.min_side = std::max(opt.min_side, s);
    const std::vector<int> sizes = desc->spec.sizes.empty() ? std::vector<int>{0} : desc->spec.sizes;
    for (const auto& f : images) {
        auto img = decode_image(f, opt);
        if (!img) {
            report.skipped.push_back(img.error().message);
            continue;
        }
        for (int side : sizes) {
            int w = 0, h = 0;
            input_size(m.preprocess(), side, img->image.width, img->image.height, &w, &h);
            tensors.emplace_back();
            preprocess_image(img->image, m.preprocess(), w, h, false, tensors.back());
            inputs.push_back({nullptr, h, w});
        }
        c.images.push_back(f.string());
        decoded.push_back(std::move(img->image));
    }
    report.images = static_cast<int>(decoded.size());
    if (report.images < kMinImages)
        return Error{"INT8 calibration of " + m.name() + " needs at least " + std::to_string(kMinImages) +
                     " photos that decode; " + std::to_string(report.images) + " did" +
                     (report.skipped.empty() ? std::string() : " (" + report.skipped.front() + ")")};
    for (std::size_t i = 0; i < inputs.size(); ++i) inputs[i].data = tensors[i].data();
    auto ranges = nn::calibrate(*model, inputs, options.percentile);
    if (!ranges) return ranges.error();
    c.ranges = std::move(*ranges);

    ModelData data = m.data();
    data.int8 = std::move(c);
    if (auto st = write_model_file(out, data); !st) return st.error();

    // Read back as any user of it will, and compared with fp32 on the same photos.
    auto fp32 = Embedder::open(out, {}, Precision::Fp32);
    if (!fp32) return fp32.error();
    auto int8 = Embedder::open(out, {}, Precision::Int8);
    if (!int8) return int8.error();
    report.worst_cosine = 1.0;
    for (const auto& img : decoded) {
        auto a = (*fp32)->embed(img);
        auto b = (*int8)->embed(img);
        if (!a || !b) return Error{"INT8 check: " + (a ? b.error().message : a.error().message)};
        const double cos = dot(*a, *b);
        report.mean_cosine += cos / double(decoded.size());
        report.worst_cosine = std::min(report.worst_cosine, cos);
    }
    auto net = Int8Network::create(*model, data.int8->ranges, nullptr, data.int8->keep_float);
    if (!net) return net.error();
    report.int8_nodes = (*net)->int8_nodes();
    report.nodes = static_cast<int>(graph.nodes.size());
    return report;
}

}  // namespace rv
