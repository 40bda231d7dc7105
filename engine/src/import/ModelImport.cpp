#include "ruvision/engine/ModelImport.h"

#include <fstream>
#include <set>

#include "import/Importers.h"
#include "model/ModelFile.h"
#include "nn/GraphPasses.h"
#include "ruvision/engine/Embedder.h"

namespace rv {

namespace import {

Status finish_import(ModelData& m, nn::TensorMap& tensors, const std::vector<std::string>& outputs,
                     std::size_t* params) {
    nn::simplify(m.graph, outputs);
    std::string why;
    if (!nn::fold_output_scales(m.graph, tensors, &why))
        return Error{"cannot fold rounded activation constants: " + why};
    // Keep only the tensors the simplified graph uses.
    std::set<std::string> used;
    for (const auto& n : m.graph.nodes) {
        if (!n.weights.empty()) used.insert(n.weights);
        if (!n.bias.empty()) used.insert(n.bias);
    }
    std::map<std::string, std::vector<int>> shapes;
    if (params) *params = 0;
    for (const auto& name : used) {
        m.tensors[name] = std::move(tensors.at(name));
        shapes[name] = m.tensors[name].shape;
        if (params) *params += m.tensors[name].data.size();
    }
    if (auto st = nn::validate(m.graph, shapes, m.preprocess.height, m.preprocess.width); !st)
        return Error{"imported network is invalid: " + st.error().message};
    return Status::success();
}

}  // namespace import

Status import_model(const std::filesystem::path& recipe_path, const std::filesystem::path& source_dir,
                    const std::filesystem::path& out_file, std::string* summary) {
    std::ifstream f(recipe_path);
    if (!f) return Error{"cannot open recipe " + recipe_path.string()};
    auto r = nlohmann::json::parse(f, nullptr, false);
    if (r.is_discarded()) return Error{"recipe " + recipe_path.string() + ": not valid JSON"};

    ModelData m;
    std::vector<std::string> outputs;
    Result<import::Imported> imported = Error{};
    try {
        m.name = r.at("name");
        m.architecture = r.at("architecture");
        m.source = r.at("source");
        outputs = r.at("outputs").get<std::vector<std::string>>();
        auto pre = Preprocess::from_json(r.at("preprocess"));
        if (!pre) return Error{"recipe " + recipe_path.string() + ": " + pre.error().message};
        m.preprocess = *pre;
        m.descriptors = r.at("descriptors").get<std::map<std::string, std::string>>();
        const std::string format = r.at("format");
        if (format == "onnx")
            imported = import::import_onnx(source_dir / r.at("model_file").get<std::string>(), outputs);
        else if (format == "tfjs-layers")
            imported = import::import_tfjs_layers(source_dir / r.at("model_json").get<std::string>(), outputs);
        else if (format == "tfjs-graph")
            imported = import::import_tfjs_graph(source_dir / r.at("model_json").get<std::string>(), r.at("input"),
                                                 outputs);
        else
            return Error{"recipe " + recipe_path.string() + ": unknown format " + format};
        if (!imported) return imported.error();
        m.graph = std::move(imported->graph);
        if (r.contains("aliases"))
            for (const auto& [alias, node] : r["aliases"].get<std::map<std::string, std::string>>())
                m.graph.aliases[alias] = node;
    } catch (const nlohmann::json::exception& e) {
        return Error{"recipe " + recipe_path.string() + ": " + e.what()};
    }

    const std::size_t raw_nodes = m.graph.nodes.size();
    std::size_t params = 0;
    if (auto st = import::finish_import(m, imported->tensors, outputs, &params); !st) return st;
    // The reader's full validation, before anything is written: an import never leaves a file
    // that every command would then refuse.
    const auto bytes = model_file_bytes(m);
    if (auto check = ModelFile::from_bytes(bytes.data(), bytes.size(), out_file.string()); !check)
        return Error{"the imported model does not validate: " + check.error().message};
    if (auto st = write_model_file(out_file, m); !st) return st;
    if (summary)
        *summary = m.name + ": " + std::to_string(m.graph.nodes.size()) + " nodes (from " + std::to_string(raw_nodes) +
                   "), " + std::to_string(m.tensors.size()) + " tensors, " + std::to_string(params) +
                   " parameters -> " + out_file.string();
    return Status::success();
}

}  // namespace rv
