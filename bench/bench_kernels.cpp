// Kernel benchmark: for each ISA this CPU runs (scalar reference included), the median time and
// GFLOP/s of the layers that dominate MobileNetV2 (224x224) and MobileNetV3-Large-0.75 (320x320),
// and the speed-up over the scalar reference measured in the same run. Single-threaded. Prints a
// plain table; never passes or fails.
//
// usage: bench_kernels [--repeats N] [--filter SUBSTRING] [--isa NAME]
#include "kernel_bench_util.h"
#include "ruvision/kernels/kernels.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

using namespace rv::kernels;

namespace {

using Buffer = kernel_bench::AlignedBuffer<float>;

std::shared_ptr<Buffer> filled(std::size_t n, std::uint32_t seed, float lo = -1.0f,
                               float hi = 1.0f) {
    auto b = std::make_shared<Buffer>(n);
    std::uint32_t s = seed * 2654435761u + 1u;
    for (std::size_t i = 0; i < n; ++i) {
        s = s * 1664525u + 1013904223u;
        b->data()[i] = lo + (hi - lo) * float(s >> 8) / float(1u << 24);
    }
    return b;
}

// One benchmark case: `run(table)` performs the operation once; `flops` counts multiply-adds as 2.
struct Case {
    std::string group, name;
    double flops;
    std::function<void(const KernelTable&)> run;
};

ConvShape conv_shape(int in_hw, int in_c, int out_c, int k, int stride, bool same) {
    ConvShape s;
    s.in_h = s.in_w = in_hw, s.in_c = in_c, s.out_c = out_c;
    s.kernel_h = s.kernel_w = k, s.stride_h = s.stride_w = stride;
    if (same) {  // TF SAME: the odd pad unit goes bottom/right
        s.out_h = s.out_w = (in_hw + stride - 1) / stride;
        s.pad_top = s.pad_left = std::max((s.out_h - 1) * stride + k - in_hw, 0) / 2;
    } else {  // Keras ZeroPadding2D(((0, 1), (0, 1))) + valid
        s.out_h = s.out_w = (in_hw + 1 - k) / stride + 1;
    }
    return s;
}

Case gemm_case(const char* net, int M, int N, int K) {
    auto A = filled(std::size_t(M) * K, 1);
    auto B = filled(std::size_t(K) * N, 2);
    auto bias = filled(std::size_t(N), 3);
    auto C = std::make_shared<Buffer>(std::size_t(M) * N);
    char name[96];
    std::snprintf(name, sizeof name, "%-6s %5dx%4dx%4d", net, M, N, K);
    return {"gemm (MxNxK)", name, 2.0 * M * N * K, [=](const KernelTable& t) {
                t.gemm(M, N, K, A->data(), B->data(), bias->data(), C->data(), Activation::Relu6);
            }};
}

Case depthwise_case(const char* net, int hw, int c, int k, int stride, bool same) {
    const ConvShape s = conv_shape(hw, c, c, k, stride, same);
    auto in = filled(std::size_t(hw) * hw * c, 4);
    auto w = filled(std::size_t(k) * k * c, 5);
    auto bias = filled(std::size_t(c), 6);
    auto out = std::make_shared<Buffer>(std::size_t(s.out_h) * s.out_w * c);
    char name[96];
    std::snprintf(name, sizeof name, "%-6s %3dx%3dx%4d %dx%d s%d %s", net, hw, hw, c, k, k, stride,
                  same ? "same" : "pad01");
    return {"depthwise", name, 2.0 * s.out_h * s.out_w * c * k * k, [=](const KernelTable& t) {
                t.depthwise_conv2d(s, in->data(), w->data(), bias->data(), out->data(),
                                   Activation::HardSwish);
            }};
}

Case conv_case(const char* net, int hw, int in_c, int out_c, int k, int stride) {
    const ConvShape s = conv_shape(hw, in_c, out_c, k, stride, true);
    auto in = filled(std::size_t(hw) * hw * in_c, 7);
    auto w = filled(std::size_t(k) * k * in_c * out_c, 8);
    auto bias = filled(std::size_t(out_c), 9);
    auto out = std::make_shared<Buffer>(std::size_t(s.out_h) * s.out_w * out_c);
    char name[96];
    std::snprintf(name, sizeof name, "%-6s %3dx%3dx%d->%d %dx%d s%d", net, hw, hw, in_c, out_c, k,
                  k, stride);
    return {"conv2d", name, 2.0 * s.out_h * s.out_w * out_c * k * k * in_c,
            [=](const KernelTable& t) {
                t.conv2d(s, in->data(), w->data(), bias->data(), out->data(), Activation::Relu6);
            }};
}

std::vector<Case> all_cases() {
    std::vector<Case> cases;
    // 1x1 convolutions as GEMMs: M = H*W, N = out channels, K = in channels.
    const struct {
        const char* net;
        int M, N, K;
    } gemms[] = {
        {"v2", 12544, 16, 32},   {"v2", 12544, 96, 16},    {"v2", 3136, 24, 96},
        {"v2", 3136, 144, 24},   {"v2", 3136, 24, 144},    {"v2", 784, 192, 32},
        {"v2", 784, 32, 192},    {"v2", 196, 384, 64},     {"v2", 196, 64, 384},
        {"v2", 196, 576, 96},    {"v2", 49, 960, 160},     {"v2", 49, 160, 960},
        {"v2", 49, 1280, 320},   {"v3.75", 25600, 16, 16}, {"v3.75", 6400, 48, 16},
        {"v3.75", 6400, 24, 48}, {"v3.75", 6400, 56, 24},  {"v3.75", 1600, 32, 56},
        {"v3.75", 1600, 88, 32}, {"v3.75", 400, 184, 64},  {"v3.75", 400, 64, 184},
        {"v3.75", 400, 360, 88}, {"v3.75", 100, 120, 504}, {"v3.75", 100, 720, 120},
    };
    for (const auto& g : gemms) cases.push_back(gemm_case(g.net, g.M, g.N, g.K));

    cases.push_back(conv_case("v2", 224, 3, 32, 3, 2));
    cases.push_back(conv_case("v3.75", 320, 3, 16, 3, 2));
    cases.push_back(conv_case("misc", 28, 32, 64, 3, 1));

    const struct {
        const char* net;
        int hw, c, k, stride;
        bool same;
    } dws[] = {
        {"v2", 112, 32, 3, 1, true},    {"v2", 112, 96, 3, 2, false},
        {"v2", 56, 144, 3, 1, true},    {"v2", 56, 144, 3, 2, false},
        {"v2", 28, 192, 3, 1, true},    {"v2", 14, 576, 3, 1, true},
        {"v2", 7, 960, 3, 1, true},     {"v3.75", 160, 16, 3, 1, true},
        {"v3.75", 80, 56, 5, 2, true},  {"v3.75", 40, 88, 5, 1, true},
        {"v3.75", 20, 360, 5, 1, true}, {"v3.75", 20, 504, 5, 2, true},
    };
    for (const auto& d : dws)
        cases.push_back(depthwise_case(d.net, d.hw, d.c, d.k, d.stride, d.same));

    {
        const std::size_t n = 56 * 56 * 144;
        auto x = filled(n, 10, -6.0f, 6.0f);
        auto z = filled(n, 11);
        cases.push_back({"element-wise", "hardswish in place 56x56x144", double(n) * 4,
                         [=](const KernelTable& t) {
                             t.activate(x->data(), x->data(), n, Activation::HardSwish);
                         }});
        cases.push_back({"element-wise", "add 56x56x144", double(n), [=](const KernelTable& t) {
                             t.add(x->data(), z->data(), z->data(), n, Activation::None);
                         }});
        auto gate = filled(144, 12);
        cases.push_back(
            {"element-wise", "scale_channels 56x56x144", double(n), [=](const KernelTable& t) {
                 t.scale_channels(x->data(), gate->data(), z->data(), 56 * 56, 144);
             }});
        auto f = filled(7 * 7 * 1280, 13, 0.0f, 4.0f);
        auto y = std::make_shared<Buffer>(1280);
        cases.push_back(
            {"pooling", "global_avg_pool 7x7x1280", 49.0 * 1280,
             [=](const KernelTable& t) { t.global_avg_pool(f->data(), y->data(), 49, 1280); }});
        cases.push_back(
            {"pooling", "gem_pool p=3 7x7x1280", 49.0 * 1280 * 3,
             [=](const KernelTable& t) { t.gem_pool(f->data(), y->data(), 49, 1280, 3.0f); }});
        cases.push_back(
            {"pooling", "gem_pool p=2.5 7x7x1280", 49.0 * 1280 * 3,
             [=](const KernelTable& t) { t.gem_pool(f->data(), y->data(), 49, 1280, 2.5f); }});
        auto u = filled(1280, 14);
        cases.push_back({"vector", "dot 1280", 2.0 * 1280, [=](const KernelTable& t) {
                             volatile float r = t.dot(u->data(), u->data() + 0, 1280);
                             (void)r;
                         }});
    }
    return cases;
}

double median_seconds(const Case& c, const KernelTable& t, int repeats) {
    return kernel_bench::median_seconds([&] { c.run(t); }, repeats);
}

}  // namespace

int main(int argc, char** argv) {
    int repeats = 15;
    std::string filter;
    std::vector<Isa> isas = available_isas();
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--repeats") && i + 1 < argc) {
            repeats = std::max(1, std::atoi(argv[++i]));
        } else if (!std::strcmp(argv[i], "--filter") && i + 1 < argc) {
            filter = argv[++i];
        } else if (!std::strcmp(argv[i], "--isa") && i + 1 < argc) {
            Isa isa{};
            if (!parse_isa(argv[++i], isa) || !kernels_for(isa)) {
                std::fprintf(stderr, "unknown or unavailable ISA %s\n", argv[i]);
                return 2;
            }
            isas = {Isa::Scalar, isa};
            if (isa == Isa::Scalar) isas.pop_back();
        } else {
            std::fprintf(stderr, "usage: %s [--repeats N] [--filter SUBSTRING] [--isa NAME]\n",
                         argv[0]);
            return 2;
        }
    }

    std::printf(
        "RuVision kernels, single thread, median of %d samples; GFLOP/s counts a multiply-add as "
        "2;\n"
        "'x' is the speed-up over the scalar reference measured in this run. Default ISA: %s\n\n",
        repeats, std::string(isa_name(kernels().isa)).c_str());
    std::printf("%-13s %-34s %9s", "group", "case", "MFLOP");
    for (Isa isa : isas)
        std::printf(" | %-6s %8s %7s %6s", std::string(isa_name(isa)).c_str(), "ms", "GFLOP/s",
                    "x");
    std::printf("\n");

    // Per group and ISA: sums of log(GFLOP/s) and log(speed-up), for geometric means.
    struct Summary {
        std::vector<double> log_gflops, log_speedup;
        int cases = 0;
    };
    std::vector<std::pair<std::string, Summary>> summaries;
    std::string last_group;
    for (const Case& c : all_cases()) {
        if (!filter.empty() && (c.group + " " + c.name).find(filter) == std::string::npos) continue;
        if (c.group != last_group) {
            if (!last_group.empty()) std::printf("\n");
            summaries.push_back({c.group, Summary{std::vector<double>(isas.size()),
                                                  std::vector<double>(isas.size()), 0}});
        }
        last_group = c.group;
        Summary& sum = summaries.back().second;
        ++sum.cases;
        std::printf("%-13s %-34s %9.2f", c.group.c_str(), c.name.c_str(), c.flops * 1e-6);
        double scalar_s = 0.0;
        for (std::size_t i = 0; i < isas.size(); ++i) {
            const double s = median_seconds(c, *kernels_for(isas[i]), repeats);
            if (isas[i] == Isa::Scalar) scalar_s = s;
            const double speedup = scalar_s > 0 ? scalar_s / s : 0.0;
            sum.log_gflops[i] += std::log(c.flops / s * 1e-9);
            sum.log_speedup[i] += std::log(speedup > 0 ? speedup : 1.0);
            std::printf(" | %-6s %8.3f %7.2f %6.1f", "", s * 1e3, c.flops / s * 1e-9, speedup);
        }
        std::printf("\n");
        std::fflush(stdout);
    }

    std::printf("\ngeometric means per group (GFLOP/s, speed-up over scalar)\n");
    for (const auto& [group, sum] : summaries) {
        std::printf("%-13s %-34s %9s", group.c_str(),
                    (std::to_string(sum.cases) + " cases").c_str(), "");
        for (std::size_t i = 0; i < isas.size(); ++i) {
            std::printf(" | %-6s %8s %7.2f %6.1f", std::string(isa_name(isas[i])).c_str(), "",
                        std::exp(sum.log_gflops[i] / sum.cases),
                        std::exp(sum.log_speedup[i] / sum.cases));
        }
        std::printf("\n");
    }
    return 0;
}
