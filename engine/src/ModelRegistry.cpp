#include <algorithm>
#include <cstdlib>
#include <set>
#include <unistd.h>

#include "model/ModelFile.h"
#include "ruvision/engine/Embedder.h"

namespace rv {

namespace {

std::filesystem::path exe_dir() {
    std::error_code ec;
    auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : p.parent_path();
}

}  // namespace

std::vector<std::filesystem::path> model_search_path() {
    std::vector<std::filesystem::path> dirs;
    if (const char* env = std::getenv("RUVISION_MODELS"); env && *env) {
        std::string s(env);
        std::size_t pos = 0;
        while (pos <= s.size()) {
            auto colon = s.find(':', pos);
            auto one = s.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos);
            if (!one.empty()) dirs.emplace_back(one);
            if (colon == std::string::npos) break;
            pos = colon + 1;
        }
    }
    if (auto e = exe_dir(); !e.empty()) {
        dirs.push_back(e.parent_path() / "models");
        dirs.push_back(e.parent_path() / "share" / "ruvision" / "models");
    }
    dirs.emplace_back("/usr/share/ruvision/models");
    return dirs;
}

std::vector<ModelInfo> list_models(bool verify_data) {
    std::vector<ModelInfo> out;
    std::set<std::string> seen;
    for (const auto& dir : model_search_path()) {
        std::error_code ec;
        std::vector<std::filesystem::path> files;
        std::filesystem::directory_iterator it(dir, ec), end;
        for (; !ec && it != end; it.increment(ec)) {
            // Whatever is named *.rvm is listed; ModelFile reads regular files only (a FIFO or a
            // device is "not a regular file", never waited on).
            if (it->path().extension() == ".rvm") files.push_back(it->path());
        }
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            ModelInfo info;
            info.path = f;
            std::string claimed;
            auto h = ModelFile::inspect(f, &claimed);
            if (h && verify_data) {
                if (auto full = ModelFile::load(f); !full) h = full.error();
            }
            if (h) {
                info.name = h->name;
                info.source = h->source;
                info.architecture = h->architecture;
                info.default_descriptor = h->descriptors.at("default");
                info.dim = h->default_dim;
                info.int8 = h->int8.has_value();
            } else {
                info.name = claimed.empty() ? f.stem().string() : claimed;
                info.problem = h.error().message;
            }
            // The first file claiming a name (in search-path order) is the model of that name,
            // broken or not: a broken file is never silently replaced by a later one.
            if (!seen.insert(info.name).second) continue;
            out.push_back(std::move(info));
        }
    }
    return out;
}

Result<std::vector<NodeInfo>> model_nodes(const std::filesystem::path& model_file) {
    auto h = ModelFile::inspect(model_file);
    if (!h) return h.error();
    auto shapes = nn::infer_shapes(h->graph, h->tensor_shapes, h->preprocess.height, h->preprocess.width);
    if (!shapes) return Error{"model file " + model_file.string() + ": " + shapes.error().message};
    std::vector<NodeInfo> out;
    for (int i = 0; i < static_cast<int>(h->graph.nodes.size()); ++i) {
        const auto& n = h->graph.nodes[i];
        NodeInfo info;
        info.index = i;
        info.name = n.name;
        info.op = nn::op_name(n.op);
        info.inputs = n.inputs;
        for (const auto& [alias, target] : h->graph.aliases)
            if (target == n.name) info.aliases.push_back(alias);
        info.h = (*shapes)[i].h, info.w = (*shapes)[i].w, info.c = (*shapes)[i].c;
        out.push_back(std::move(info));
    }
    return out;
}

Result<ModelInfo> find_model(std::string_view name) {
    auto models = list_models();
    std::string want(name.empty() ? kDefaultModelName : name);
    for (auto& m : models)
        if (m.name == want) {
            if (!m.problem.empty()) return Error{"model " + want + " cannot be used: " + m.problem};
            return m;
        }
    if (name.empty())
        for (auto& m : models)
            if (m.problem.empty()) return m;
    std::string where;
    for (const auto& d : model_search_path()) where += (where.empty() ? "" : ", ") + d.string();
    if (models.empty())
        return Error{"no models installed (searched " + where + "); run packaging/quickstart.sh to import them"};
    std::string names;
    for (const auto& m : models) names += (names.empty() ? "" : ", ") + m.name + (m.problem.empty() ? "" : " (broken)");
    if (name.empty()) return Error{"no usable model installed (found: " + names + ")"};
    return Error{"no model named '" + want + "' (installed: " + names + ")"};
}

}  // namespace rv
