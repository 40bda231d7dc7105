// libFuzzer target: the ONNX importer on arbitrary bytes (protobuf parse, tensors, attributes, the
// graph walk), then what import-model does next (simplify, scale folding, validate). An imported
// network that validates at a small size is run once: whatever the importer accepts must run.
#include <cstdint>
#include <string>
#include <vector>

#include "import/Importers.h"
#include "nn/Network.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    // The conformance seeds name their output y; other names are refused cleanly.
    for (const char* out : {"y", "b", "reshaped"}) {
        auto imported = rv::import::import_onnx_bytes(bytes, "fuzz.onnx", {out});
        if (!imported) continue;
        rv::ModelData m;
        m.name = "fuzz";
        m.preprocess.width = m.preprocess.height = 8;
        m.descriptors = {{"default", std::string("avg:") + out}};
        m.graph = std::move(imported->graph);
        if (!rv::import::finish_import(m, imported->tensors, {out})) continue;
        const auto file = rv::model_file_bytes(m);
        auto model = rv::ModelFile::from_bytes(file.data(), file.size(), "fuzz.rvm");
        if (!model) continue;  // e.g. non-finite weights: refused by the reader
        rv::Network net(*model);
        std::vector<float> input(64 * static_cast<std::size_t>(rv::nn::input_channels(m.graph.nodes.at(0))), 0.5f);
        if (!net.run(input.data(), 8, 8, {(*model)->graph().find(out)})) __builtin_trap();  // validated at 8 x 8
    }
    return 0;
}
