// Replays saved fuzz inputs through a fuzz target without libFuzzer, so an ordinary build runs the
// seed corpus and every kept crash reproducer as a test. Arguments: files, or folders whose regular
// files are replayed (in name order). Exit 0 when every input ran, 1 if a path cannot be read;
// a crash is the target's own failure.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i) {
        const fs::path p = argv[i];
        if (fs::is_directory(p)) {
            for (const auto& e : fs::directory_iterator(p))
                if (e.is_regular_file()) inputs.push_back(e.path());
        } else {
            inputs.push_back(p);
        }
    }
    std::sort(inputs.begin(), inputs.end());
    int failed = 0;
    for (const auto& p : inputs) {
        std::ifstream f(p, std::ios::binary);
        if (!f) {
            std::fprintf(stderr, "%s: cannot read\n", p.c_str());
            failed = 1;
            continue;
        }
        const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(f), {}};
        // An empty vector's data() may be null; libFuzzer passes a valid pointer, so do we.
        static const std::uint8_t kNone = 0;
        LLVMFuzzerTestOneInput(bytes.empty() ? &kNone : bytes.data(), bytes.size());
    }
    std::printf("replayed %zu inputs\n", inputs.size());
    return failed;
}
