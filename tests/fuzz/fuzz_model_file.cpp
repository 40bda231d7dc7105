// libFuzzer target: the model file reader and its full validation on arbitrary bytes.
// Each input is tried as is (the checksum then almost always fails) and with its checksum fixed,
// so that mutations reach the header parser, the graph checks and the static shape propagation.
// A file that validates is run once at its native size when small: the validation must make
// every accepted network runnable (no crash, no allocation beyond the bounds).
#include <cstdint>
#include <cstring>
#include <vector>

#include "model/ModelFile.h"
#include "nn/Network.h"

namespace {

void run_small(const std::shared_ptr<const rv::ModelFile>& m) {
    const auto& pre = m->preprocess();
    if (pre.width > 64 || pre.height > 64) return;  // keep each input fast
    auto d = rv::resolve_descriptor(m->header(), {});
    if (!d) __builtin_trap();  // validation promised a resolvable default descriptor
    std::vector<float> input(static_cast<std::size_t>(pre.width) * pre.height * rv::nn::input_channels(m->graph().nodes.at(0)),
                             0.5f);
    rv::Network net(m);
    auto maps = net.run(input.data(), pre.height, pre.width, d->part_nodes);
    if (!maps) __builtin_trap();  // the native size was checked statically: it must run
    for (std::size_t i = 0; i < maps->size(); ++i)
        if ((*maps)[i].c != d->part_dims[i]) __builtin_trap();  // static channels == run channels
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (auto m = rv::ModelFile::from_bytes(data, size, "fuzz.rvm"); m) run_small(*m);
    if (size >= 40) {
        std::vector<std::uint8_t> fixed(data, data + size);
        const std::uint64_t sum = rv::model_file_checksum(fixed.data(), fixed.size());
        std::memcpy(fixed.data() + 32, &sum, sizeof sum);
        if (auto m = rv::ModelFile::from_bytes(fixed.data(), fixed.size(), "fuzz.rvm"); m) run_small(*m);
    }
    return 0;
}
