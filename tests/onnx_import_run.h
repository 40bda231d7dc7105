// An ONNX file imported the way `ruvision-cli import-model` does it (import_onnx_bytes, then
// finish_import), written as a model file image, loaded and run: the tests' way to compare an
// import with the file's other readers.
#pragma once

#include <string>
#include <vector>

#include "import/Importers.h"
#include "model/ModelFile.h"
#include "nn/Network.h"

namespace rv_test {

// Imports `bytes` and runs it on `input` (NHWC, h x w x c); the output node's map, NHWC.
inline rv::Result<std::vector<float>> import_and_run(const std::string& bytes, const std::string& output,
                                                     const std::vector<float>& input, int h, int w) {
    auto imported = rv::import::import_onnx_bytes(bytes, "case", {output});
    if (!imported) return imported.error();
    rv::ModelData m;
    m.name = "onnx_case";
    m.architecture = "ONNX test";
    m.source = "a test's ONNX bytes";
    m.preprocess.width = w;
    m.preprocess.height = h;
    m.descriptors = {{"default", "avg:" + output}};
    m.graph = std::move(imported->graph);
    if (auto st = rv::import::finish_import(m, imported->tensors, {output}); !st) return st.error();
    const auto file = rv::model_file_bytes(m);
    auto model = rv::ModelFile::from_bytes(file.data(), file.size(), "case");
    if (!model) return model.error();
    rv::Network net(*model);
    const int node = (*model)->graph().find(output);
    if (node < 0) return rv::Error{"no node " + output};
    auto maps = net.run(input.data(), h, w, {node});
    if (!maps) return maps.error();
    const auto& map = maps->at(0);
    return std::vector<float>(map.data, map.data + static_cast<std::size_t>(map.h) * map.w * map.c);
}

}  // namespace rv_test
