// Fused MobileNet blocks (nn/FusedBlocks.h) against the same network run node by node: single
// thread, every SIMD path this CPU runs, both real models at their native input size (and larger
// sizes for the any-size model, where the maps outgrow the caches). Runs alternate between the two
// so a busy machine slows both alike; medians and the ratio, measured in one run.
//
// usage: bench_fusion [--repeats N] [--band-kb K]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "model/ModelFile.h"
#include "nn/Network.h"
#include "ruvision/engine/Embedder.h"

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

double time_ms(rv::Network& net, const std::vector<float>& image, int h, int w, int out) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = net.run(image.data(), h, w, {out});
    const auto t1 = std::chrono::steady_clock::now();
    if (!r) {
        std::fprintf(stderr, "bench_fusion: %s\n", r.error().message.c_str());
        std::exit(1);
    }
    return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    int repeats = 21;
    std::size_t band_bytes = rv::nn::kBandBytes;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--repeats") && i + 1 < argc) repeats = std::max(3, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--band-kb") && i + 1 < argc) band_bytes = std::size_t(std::atoi(argv[++i])) * 1024;
        else {
            std::fprintf(stderr, "usage: bench_fusion [--repeats N] [--band-kb K]\n");
            return 2;
        }
    }
    std::printf("Fused blocks vs node by node, single thread, median of %d alternating runs, band %zu KB\n\n", repeats,
                band_bytes / 1024);
    std::printf("| model | input | ISA | node by node ms | fused ms | speed-up |\n|---|---|---|--:|--:|--:|\n");
    for (const auto& info : rv::list_models()) {
        auto model = rv::ModelFile::load(info.path);
        if (!model) continue;
        const auto& pre = (*model)->preprocess();
        const int out = (*model)->graph().find("last");
        std::vector<int> sides = pre.any_size ? std::vector<int>{pre.height, 448, 640} : std::vector<int>{pre.height};
        for (int side : sides) {
            const int h = side, w = pre.any_size ? side : pre.width;
            std::vector<float> image(static_cast<std::size_t>(h) * w * 3);
            std::mt19937 rng(1);
            std::uniform_real_distribution<float> u(-1.0f, 1.0f);
            for (float& x : image) x = u(rng);
            for (auto isa : rv::kernels::available_isas()) {
                if (isa == rv::kernels::Isa::Scalar) continue;
                rv::Network plain(*model), fused(*model);
                plain.set_kernels(*rv::kernels::kernels_for(isa));
                fused.set_kernels(*rv::kernels::kernels_for(isa));
                plain.set_fusion(false);
                fused.set_fusion(true, band_bytes);
                time_ms(plain, image, h, w, out);
                time_ms(fused, image, h, w, out);
                std::vector<double> a, b;
                for (int r = 0; r < repeats; ++r) {
                    a.push_back(time_ms(plain, image, h, w, out));
                    b.push_back(time_ms(fused, image, h, w, out));
                }
                std::printf("| %s | %dx%d | %s | %.2f | %.2f | %.2fx |\n", info.name.c_str(), w, h,
                            std::string(rv::kernels::isa_name(isa)).c_str(), median(a), median(b), median(a) / median(b));
                std::fflush(stdout);
            }
        }
    }
    return 0;
}
