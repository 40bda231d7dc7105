// Forward-pass latency of each backbone, single thread, on every SIMD path this CPU runs and on
// the scalar reference: median ms per image and the speed-up over scalar, measured in one run.
//
// usage: bench_forward [--repeats N] [--models DIR] [IMAGE]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "image/Preprocess.h"
#include "model/ModelFile.h"
#include "nn/Network.h"
#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/Image.h"

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    int repeats = 15;
    std::string image = "/usr/share/backgrounds/mate/nature/Aqua.jpg";
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--repeats") && i + 1 < argc) repeats = std::max(3, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--models") && i + 1 < argc) setenv("RUVISION_MODELS", argv[++i], 1);
        else image = argv[i];
    }
    auto decoded = rv::decode_image(image);
    if (!decoded) {
        std::fprintf(stderr, "bench_forward: %s\n", decoded.error().message.c_str());
        return 1;
    }
    auto models = rv::list_models();
    if (models.empty()) {
        std::fprintf(stderr, "bench_forward: no models installed\n");
        return 1;
    }
    std::printf("Forward pass, single thread, median of %d runs (after one warm-up), image %s\n\n", repeats,
                image.c_str());
    std::printf("| model | input | ISA | median ms | min ms | speed-up vs scalar |\n|---|---|---|---|---|---|\n");
    for (const auto& info : models) {
        auto model = rv::ModelFile::load(info.path);
        if (!model) continue;
        const auto& pre = (*model)->preprocess();
        std::vector<int> sides = pre.any_size ? std::vector<int>{224, 320, 448} : std::vector<int>{0};
        const int out = (*model)->graph().find("last");
        for (int side : sides) {
            int w = 0, h = 0;
            rv::input_size(pre, side, decoded->image.width, decoded->image.height, &w, &h);
            std::vector<float> tensor;
            rv::preprocess_image(decoded->image, pre, w, h, false, tensor);
            double scalar_ms = 0;
            for (auto isa : rv::kernels::available_isas()) {
                rv::Network net(*model);
                net.set_kernels(*rv::kernels::kernels_for(isa));
                std::vector<double> ms;
                for (int r = 0; r <= repeats; ++r) {
                    auto t0 = std::chrono::steady_clock::now();
                    auto maps = net.run(tensor.data(), h, w, {out});
                    auto t1 = std::chrono::steady_clock::now();
                    if (!maps) {
                        std::fprintf(stderr, "bench_forward: %s\n", maps.error().message.c_str());
                        return 1;
                    }
                    if (r > 0) ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
                    if (isa == rv::kernels::Isa::Scalar && r >= 3) break;  // scalar is slow; 3 runs suffice
                }
                const double med = median(ms);
                if (isa == rv::kernels::Isa::Scalar) scalar_ms = med;
                std::printf("| %s | %dx%d | %s | %.2f | %.2f | %.1fx |\n", info.name.c_str(), w, h,
                            rv::kernels::isa_name(isa).data(), med, *std::min_element(ms.begin(), ms.end()),
                            scalar_ms > 0 ? scalar_ms / med : 1.0);
            }
        }
    }
    return 0;
}
