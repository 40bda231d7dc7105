// Forward-pass latency of each backbone, single thread: ours on every SIMD path this CPU runs and
// on the scalar reference, in INT8 on every int8 path (when the model file carries a calibration), and the same network exported to ONNX (ruvision-cli export-onnx) run by
// the peers: ONNX Runtime 1.30 (node, packaging/models/ort_run.cjs, kept alive) and OpenCV DNN (in
// this process). All on the same preprocessed input, in one run, interleaved run by run (each
// round runs every path once) so that load changes on a shared machine hit all of them. Medians
// and minima in ms, after one untimed warm-up each (ONNX Runtime's session creation excluded).
//
// usage: bench_forward [--repeats N] [--models DIR] [--backbones] [--json] [--no-peers] [--profile] [IMAGE]
//   --backbones  instead of the installed models, the design's other backbones with seeded random
//              weights (tests/support/backbones.h: MobileNetV3-Small, ShuffleNetV2 1.0, EfficientNet-B0)
//   --json     one JSON object per line and path: model, input, precision, isa | peer, threads,
//              runs, median_ms, min_ms, vs_onnxruntime (ONNX Runtime's median / this one's) and
//              vs_scalar (our scalar median / this one's); the human table otherwise
//   --profile  also per-node medians of our best path (bench_forward_profile.cpp)
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include "OrtPeer.h"
#include "backbones.h"
#include "bench_forward_profile.h"
#include "image/Preprocess.h"
#include "model/ModelFile.h"
#include "nn/Network.h"
#include "nn/int8/Int8Network.h"
#include "onnx/OnnxCommon.h"
#include "onnx/OpenCvCompat.h"
#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/Image.h"
#include "ruvision/engine/OnnxExport.h"

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// One path's timings: ours on one ISA, or a peer.
struct Path {
    std::string label;       // "avx2", "onnxruntime-1.30", ...
    bool peer = false;
    bool scalar = false;
    std::vector<double> ms;
    const char* precision = "fp32";
};

struct Options {
    int repeats = 15;
    bool json = false, peers = true, profile = false, backbones = false;
    std::string image = "/usr/share/backgrounds/mate/nature/Aqua.jpg";
};

std::string major_minor(const std::string& version) {
    const auto first = version.find('.');
    const auto second = first == std::string::npos ? first : version.find('.', first + 1);
    return version.substr(0, second);
}

void print_results(const Options& opt, const std::string& model, int w, int h, const std::vector<Path>& paths) {
    double scalar = 0, ort = 0;
    for (const auto& p : paths) {
        if (p.scalar) scalar = median(p.ms);
        if (p.label.rfind("onnxruntime", 0) == 0) ort = median(p.ms);
    }
    for (const auto& p : paths) {
        if (p.ms.empty()) continue;
        const double med = median(p.ms), mn = *std::min_element(p.ms.begin(), p.ms.end());
        if (opt.json) {
            nlohmann::json j{{"model", model},  {"input", std::to_string(w) + "x" + std::to_string(h)},
                             {"precision", p.precision}, {p.peer ? "peer" : "isa", p.label},
                             {"threads", 1},    {"runs", p.ms.size()},
                             {"median_ms", med}, {"min_ms", mn}};
            if (ort > 0) j["vs_onnxruntime"] = ort / med;
            if (scalar > 0) j["vs_scalar"] = scalar / med;
            std::printf("%s\n", j.dump().c_str());
        } else {
            char vs_ort[32] = "-", vs_scalar[32] = "-";
            if (ort > 0) std::snprintf(vs_ort, sizeof vs_ort, "%.2fx", ort / med);
            if (scalar > 0) std::snprintf(vs_scalar, sizeof vs_scalar, "%.1fx", scalar / med);
            std::printf("| %s | %dx%d | %s %s | %.2f | %.2f | %s | %s |\n", model.c_str(), w, h, p.precision,
                        p.label.c_str(), med, mn, vs_ort, vs_scalar);
        }
    }
    std::fflush(stdout);
}

// Times every path on one model at one size; false after printing why.
bool bench_one(const Options& opt, const rv::ModelInfo& info, const std::shared_ptr<const rv::ModelFile>& model,
               const std::vector<float>& nhwc, int w, int h, const std::filesystem::path& scratch) {
    const int out = model->graph().find("last");
    if (out < 0) {
        std::fprintf(stderr, "bench_forward: model %s has no node 'last'\n", info.name.c_str());
        return false;
    }
    std::vector<Path> paths;
    std::vector<std::unique_ptr<rv::Network>> nets;
    for (auto isa : rv::kernels::available_isas()) {
        nets.push_back(std::make_unique<rv::Network>(model));
        nets.back()->set_kernels(*rv::kernels::kernels_for(isa));
        paths.push_back({std::string(rv::kernels::isa_name(isa)), false, isa == rv::kernels::Isa::Scalar, {}});
    }
    // INT8, on every int8 path but the scalar reference, when the model carries a calibration.
    std::vector<std::unique_ptr<rv::Int8Network>> nets8;
    if (const auto& c = model->int8_calibration())
        for (auto path : rv::kernels::available_int8_paths()) {
            if (path == rv::kernels::Int8Path::Scalar) continue;
            auto n = rv::Int8Network::create(model, c->ranges, rv::kernels::int8_kernels_for(path), c->keep_float);
            if (!n) {
                std::fprintf(stderr, "bench_forward: %s in INT8: %s\n", info.name.c_str(), n.error().message.c_str());
                continue;
            }
            nets8.push_back(std::move(*n));
            paths.push_back({std::string(rv::kernels::int8_path_name(path)), false, false, {}, "int8"});
        }

    // The same network (input to "last") for the peers, at this very size.
    std::unique_ptr<rv::bench::OrtPeer> ort;
    cv::dnn::Net cv_net;
    bool have_cv = false;
    std::vector<float> nchw(nhwc.size());
    rv::onnx_io::nhwc_to_nchw(nhwc.data(), h, w, 3, nchw.data());
    const int blob_dims[4] = {1, 3, h, w};
    cv::Mat blob(4, blob_dims, CV_32F, nchw.data());
    if (opt.peers) {
        const auto onnx = scratch / (info.name + "_" + std::to_string(w) + "x" + std::to_string(h) + ".onnx");
        rv::OnnxExportOptions eo;
        eo.outputs = {"last"};
        eo.default_outputs = false;
        if (model->preprocess().any_size) eo.width = w, eo.height = h;
        auto exported = rv::export_onnx(info.path, onnx, eo);
        if (!exported) {
            std::fprintf(stderr, "bench_forward: no peers for %s: %s\n", info.name.c_str(), exported.error().message.c_str());
        } else {
            const auto input = scratch / "input.f32";
            std::ofstream(input, std::ios::binary)
                .write(reinterpret_cast<const char*>(nchw.data()), static_cast<std::streamsize>(nchw.size() * 4));
            ort = std::make_unique<rv::bench::OrtPeer>();
            std::string why;
            const std::string shape = "1,3," + std::to_string(h) + "," + std::to_string(w);
            if (ort->start(RUVISION_SOURCE_DIR "/packaging/models/ort_run.cjs", onnx.string(), input.string(), shape, &why)) {
                paths.push_back({"onnxruntime-" + major_minor(ort->version()), true, false, {}});
            } else {
                std::fprintf(stderr, "bench_forward: ONNX Runtime not measured: %s\n", why.c_str());
                ort.reset();
            }
            // OpenCV 4.6's reader wants Clip's bounds as attributes (onnx/OpenCvCompat.h).
            auto proto = rv::onnx_io::read_model(onnx);
            auto bytes = proto ? rv::onnx_io::for_opencv_dnn46(*proto) : rv::Result<std::string>(proto.error());
            try {
                if (!bytes) throw std::runtime_error(bytes.error().message);
                cv_net = cv::dnn::readNetFromONNX(bytes->data(), bytes->size());
                cv_net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
                cv_net.setInput(blob);
                have_cv = true;
                paths.push_back({"opencv-dnn-" + std::to_string(CV_VERSION_MAJOR) + "." +
                                     std::to_string(CV_VERSION_MINOR),
                                 true, false, {}});
            } catch (const std::exception& e) {
                std::fprintf(stderr, "bench_forward: OpenCV DNN not measured: %s\n", e.what());
            }
        }
    }

    // Round r runs every path once (scalar only in the first 3 rounds: it is slow); round 0 is
    // the untimed warm-up (ONNX Runtime warmed up before it said ready).
    std::string why;
    // One timed forward pass of ours (fp32 or INT8) into path p; false after printing why it failed.
    auto time_ours = [&](auto& net, Path& path, int round) {
        const auto t0 = Clock::now();
        auto maps = net.run(nhwc.data(), h, w, {out});
        const double ms = ms_since(t0);
        if (!maps) {
            std::fprintf(stderr, "bench_forward: %s %s: %s\n", path.precision, path.label.c_str(),
                         maps.error().message.c_str());
            return false;
        }
        if (round > 0) path.ms.push_back(ms);
        return true;
    };
    for (int r = 0; r <= opt.repeats; ++r) {
        std::size_t p = 0;
        for (std::size_t n = 0; n < nets.size(); ++n, ++p)
            if (!(paths[p].scalar && r > 3) && !time_ours(*nets[n], paths[p], r)) return false;
        for (std::size_t n = 0; n < nets8.size(); ++n, ++p)
            if (!time_ours(*nets8[n], paths[p], r)) return false;
        if (ort) {
            if (r > 0) {
                auto t = ort->run(1, &why);
                if (t.empty()) {
                    std::fprintf(stderr, "bench_forward: ONNX Runtime: %s\n", why.c_str());
                    return false;
                }
                paths[p].ms.push_back(t[0]);
            }
            ++p;
        }
        if (have_cv) {
            const auto t0 = Clock::now();
            cv_net.setInput(blob);
            cv::Mat o = cv_net.forward("last");
            const double ms = ms_since(t0);
            if (r > 0) paths[p].ms.push_back(ms);
        }
    }
    print_results(opt, info.name, w, h, paths);
    if (opt.profile) rv::bench::print_profile(*model, nhwc, h, w, info.name, opt.json, opt.repeats);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);  // a peer that died is reported, not fatal
    Options opt;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--repeats") && i + 1 < argc) opt.repeats = std::max(3, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--models") && i + 1 < argc) setenv("RUVISION_MODELS", argv[++i], 1);
        else if (!std::strcmp(argv[i], "--json")) opt.json = true;
        else if (!std::strcmp(argv[i], "--no-peers")) opt.peers = false;
        else if (!std::strcmp(argv[i], "--profile")) opt.profile = true;
        else if (!std::strcmp(argv[i], "--backbones")) opt.backbones = true;
        else opt.image = argv[i];
    }
    auto decoded = rv::decode_image(opt.image);
    if (!decoded) {
        std::fprintf(stderr, "bench_forward: %s\n", decoded.error().message.c_str());
        return 1;
    }
    cv::setNumThreads(1);
    std::error_code ec;
    const auto scratch = std::filesystem::temp_directory_path() / ("bench_forward." + std::to_string(getpid()));
    std::filesystem::create_directories(scratch, ec);
    std::vector<rv::ModelInfo> models;
    if (opt.backbones) {
        for (const auto& name : rv::backbones::names()) {
            rv::ModelInfo info;
            info.name = name;
            info.path = scratch / (name + ".rvm");
            auto built = rv::backbones::build(name);
            auto st = built ? rv::write_model_file(info.path, *built) : rv::Status(built.error());
            if (!st) {
                std::fprintf(stderr, "bench_forward: %s: %s\n", name.c_str(), st.error().message.c_str());
                return 1;
            }
            models.push_back(std::move(info));
        }
    } else {
        models = rv::list_models();
    }
    if (models.empty()) {  // (--backbones always has its three)
        std::fprintf(stderr, "bench_forward: no models installed (RUVISION_MODELS, --models DIR)\n");
        return 1;
    }
    if (!opt.json) {
        std::printf("Forward pass to the node 'last', single thread, median of %d interleaved runs (after one warm-up), "
                    "image %s.\nvs ONNX Runtime: its median / this path's (above 1: faster than ONNX Runtime); "
                    "vs scalar: our scalar median / this path's.\n\n", opt.repeats, opt.image.c_str());
        std::printf("| model | input | precision and path | median ms | min ms | vs ONNX Runtime | vs scalar |\n"
                    "|---|---|---|---|---|---|---|\n");
    }
    int status = 0;
    for (const auto& info : models) {
        auto model = rv::ModelFile::load(info.path);
        if (!model) continue;
        const auto& pre = (*model)->preprocess();
        std::vector<int> sides = pre.any_size ? std::vector<int>{224, 320, 448} : std::vector<int>{0};
        for (int side : sides) {
            int w = 0, h = 0;
            rv::input_size(pre, side, decoded->image.width, decoded->image.height, &w, &h);
            std::vector<float> tensor;
            rv::preprocess_image(decoded->image, pre, w, h, false, tensor);
            if (!bench_one(opt, info, *model, tensor, w, h, scratch)) status = 1;
        }
    }
    std::filesystem::remove_all(scratch, ec);
    return status;
}
