// Int8 kernel benchmark: MobileNetV2 (224x224) 1x1-convolution GEMMs and depthwise layers, the
// float kernel (kernels(): the best float ISA) against every int8 path this CPU runs, on the same
// shape in the same run. Single-threaded; prints median ms, GFLOP/s or GOP/s (a multiply-add counts
// as 2) and x, the ratio fp32 / int8 (> 1: int8 is faster). The float and int8 runs of a shape are
// sampled in turn, and x is the median over rounds of the ratio within a round, so that a busy
// shared machine slows both sides of a ratio alike. Never passes or fails.
//
// usage: bench_kernels_int8 [--repeats N] [--filter SUBSTRING] [--no-scalar]
#include "kernel_bench_util.h"
#include "ruvision/kernels/int8.h"
#include "ruvision/kernels/kernels.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

using namespace rv::kernels;
using kernel_bench::AlignedBuffer;

namespace {

template <class T>
std::shared_ptr<AlignedBuffer<T>> filled(std::size_t n, std::uint32_t seed, int lo, int hi) {
    auto b = std::make_shared<AlignedBuffer<T>>(n);
    std::uint32_t s = seed * 2654435761u + 1u;
    for (std::size_t i = 0; i < n; ++i) {
        s = s * 1664525u + 1013904223u;
        b->data()[i] = T(lo + int((s >> 8) % std::uint32_t(hi - lo + 1)));
    }
    return b;
}
std::shared_ptr<AlignedBuffer<float>> filled_f(std::size_t n, std::uint32_t seed) {
    auto b = std::make_shared<AlignedBuffer<float>>(n);
    std::uint32_t s = seed * 2654435761u + 1u;
    for (std::size_t i = 0; i < n; ++i) {
        s = s * 1664525u + 1013904223u;
        b->data()[i] = -1.0f + 2.0f * float(s >> 8) / float(1u << 24);
    }
    return b;
}

// One shape: the float run and a factory of the int8 run for one table (which packs its own
// weights once, outside the timed call, as a model load would).
struct Case {
    std::string group, name;
    double ops;
    std::function<void()> fp32;
    std::function<std::function<void()>(const Int8Kernels&)> int8;
};

Case gemm_case(int M, int N, int K) {
    auto Af = filled_f(std::size_t(M) * K, 1), Bf = filled_f(std::size_t(K) * N, 2);
    auto biasf = filled_f(std::size_t(N), 3);
    auto Cf = std::make_shared<AlignedBuffer<float>>(std::size_t(M) * N);
    auto A = filled<std::uint8_t>(std::size_t(M) * K, 4, 0, 255);
    auto B = filled<std::int8_t>(std::size_t(K) * N, 5, -127, 127);
    auto bias = filled<std::int32_t>(std::size_t(N), 6, -1000, 1000);
    auto scale = std::make_shared<std::vector<float>>(std::size_t(N), 1.0f / (40.0f * float(K)));
    auto C = std::make_shared<AlignedBuffer<std::uint8_t>>(std::size_t(M) * N);
    char name[64];
    std::snprintf(name, sizeof name, "%5dx%4dx%4d", M, N, K);
    return {"gemm MxNxK", name, 2.0 * M * N * K,
            [=] { kernels().gemm(M, N, K, Af->data(), Bf->data(), biasf->data(), Cf->data(), Activation::Relu6); },
            [=](const Int8Kernels& t) -> std::function<void()> {
                auto packed = std::make_shared<AlignedBuffer<unsigned char>>(t.gemm_packed_size(K, N));
                t.gemm_pack(K, N, B->data(), packed->data());
                const Int8ToU8 out{bias->data(), scale->data(), 0, 0, 200};  // Relu6 as a clamp
                return [=, &t] { t.gemm_u8(M, N, K, A->data(), 128, packed->data(), out, C->data()); };
            }};
}

Case depthwise_case(int hw, int c, int k, int stride) {
    ConvShape s;
    s.in_h = s.in_w = hw, s.in_c = s.out_c = c, s.kernel_h = s.kernel_w = k;
    s.stride_h = s.stride_w = stride;
    s.out_h = s.out_w = (hw + stride - 1) / stride;  // TF SAME
    s.pad_top = s.pad_left = std::max((s.out_h - 1) * stride + k - hw, 0) / 2;
    auto inf = filled_f(std::size_t(hw) * hw * c, 7), wf = filled_f(std::size_t(k) * k * c, 8);
    auto biasf = filled_f(std::size_t(c), 9);
    auto outf = std::make_shared<AlignedBuffer<float>>(std::size_t(s.out_h) * s.out_w * c);
    auto in = filled<std::uint8_t>(std::size_t(hw) * hw * c, 10, 0, 255);
    auto w = filled<std::int8_t>(std::size_t(k) * k * c, 11, -127, 127);
    auto bias = filled<std::int32_t>(std::size_t(c), 12, -1000, 1000);
    auto scale = std::make_shared<std::vector<float>>(std::size_t(c), 1.0f / 4000.0f);
    auto out = std::make_shared<AlignedBuffer<std::uint8_t>>(std::size_t(s.out_h) * s.out_w * c);
    char name[64];
    std::snprintf(name, sizeof name, "%3dx%3dx%4d %dx%d s%d", hw, hw, c, k, k, stride);
    return {"depthwise", name, 2.0 * s.out_h * s.out_w * c * k * k,
            [=] {
                kernels().depthwise_conv2d(s, inf->data(), wf->data(), biasf->data(), outf->data(),
                                           Activation::Relu6);
            },
            [=](const Int8Kernels& t) -> std::function<void()> {
                const Int8ToU8 o{bias->data(), scale->data(), 0, 0, 200};
                return [=, &t] { t.depthwise_u8(s, in->data(), 128, w->data(), o, out->data()); };
            }};
}

std::vector<Case> all_cases() {
    std::vector<Case> cases;
    // MobileNetV2 1.0 at 224x224: 1x1 convolutions as GEMMs, M = H*W, N = out, K = in channels.
    const int gemms[][3] = {{12544, 16, 32}, {12544, 96, 16}, {3136, 144, 24}, {3136, 24, 144},
                            {784, 192, 32},  {784, 32, 192},  {196, 384, 64},  {196, 64, 384},
                            {196, 576, 96},  {196, 96, 576},  {49, 960, 160},  {49, 160, 960},
                            {49, 320, 960},  {49, 1280, 320}};
    for (const auto& g : gemms) cases.push_back(gemm_case(g[0], g[1], g[2]));
    const int dws[][4] = {{112, 32, 3, 1}, {112, 96, 3, 2}, {56, 144, 3, 1}, {28, 192, 3, 1},
                          {14, 576, 3, 1}, {7, 960, 3, 1},  {28, 72, 5, 2},  {14, 480, 5, 1}};
    for (const auto& d : dws) cases.push_back(depthwise_case(d[0], d[1], d[2], d[3]));
    return cases;
}

}  // namespace

int main(int argc, char** argv) {
    int repeats = 15;
    std::string filter;
    bool scalar = true;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--repeats") && i + 1 < argc) {
            repeats = std::max(1, std::atoi(argv[++i]));
        } else if (!std::strcmp(argv[i], "--filter") && i + 1 < argc) {
            filter = argv[++i];
        } else if (!std::strcmp(argv[i], "--no-scalar")) {
            scalar = false;
        } else {
            std::fprintf(stderr, "usage: %s [--repeats N] [--filter SUBSTRING] [--no-scalar]\n", argv[0]);
            return 2;
        }
    }
    std::vector<Int8Path> paths;
    for (Int8Path p : available_int8_paths())
        if (scalar || p != Int8Path::Scalar) paths.push_back(p);

    std::printf("RuVision int8 kernels, single thread, median of %d samples; G(FL)OP/s counts a multiply-add "
                "as 2;\n'x' = median over rounds of fp32 time / int8 time, sampled in turn (> 1: int8 faster). fp32: %s; cpu: %s; "
                "int8_kernels(): %s\n\n",
                repeats, std::string(isa_name(kernels().isa)).c_str(),
                cpu_features_string(cpu_features()).c_str(), int8_paths_string(int8_kernels()).c_str());
    std::printf("%-10s %-20s | %-6s %8s %7s", "group", "case", "fp32", "ms", "GFLOP/s");
    for (Int8Path p : paths) std::printf(" | %-10s %8s %7s %5s", std::string(int8_path_name(p)).c_str(), "ms", "GOP/s", "x");
    std::printf("\n");

    std::vector<double> log_ratio(paths.size());
    int n = 0;
    for (const Case& c : all_cases()) {
        if (!filter.empty() && (c.group + " " + c.name).find(filter) == std::string::npos) continue;
        ++n;
        std::vector<std::function<void()>> runs = {c.fp32};
        for (Int8Path p : paths) runs.push_back(c.int8(*int8_kernels_for(p)));
        const std::vector<std::vector<double>> samples = kernel_bench::interleaved_samples(runs, repeats);
        const double f = kernel_bench::median(samples[0]);
        std::printf("%-10s %-20s | %-6s %8.3f %7.2f", c.group.c_str(), c.name.c_str(), "", f * 1e3, c.ops / f * 1e-9);
        for (std::size_t i = 0; i < paths.size(); ++i) {
            const double s = kernel_bench::median(samples[i + 1]);
            const double x = kernel_bench::median_ratio(samples[0], samples[i + 1]);
            log_ratio[i] += std::log(x);
            std::printf(" | %-10s %8.3f %7.2f %5.2f", "", s * 1e3, c.ops / s * 1e-9, x);
        }
        std::printf("\n");
        std::fflush(stdout);
    }
    if (n) {
        std::printf("\ngeometric mean of x over %d cases:", n);
        for (std::size_t i = 0; i < paths.size(); ++i)
            std::printf(" %s %.2f", std::string(int8_path_name(paths[i])).c_str(), std::exp(log_ratio[i] / n));
        std::printf("\n");
    }
    return 0;
}
