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

std::vector<ModelInfo> list_models() {
    std::vector<ModelInfo> out;
    std::set<std::string> seen;
    for (const auto& dir : model_search_path()) {
        std::error_code ec;
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(dir, ec))
            if (e.path().extension() == ".rvm") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            auto h = ModelFile::read_header(f);
            if (!h) continue;
            ModelInfo info;
            info.name = h->value("name", "");
            if (info.name.empty() || !seen.insert(info.name).second) continue;
            info.path = f;
            info.source = h->value("source", "");
            info.architecture = h->value("architecture", "");
            info.default_descriptor = (*h)["descriptors"].value("default", "");
            // The dimension follows from the graph alone: no need to read the weights.
            auto graph = nn::Graph::from_json((*h)["network"]);
            auto spec = DescriptorSpec::parse(info.default_descriptor);
            if (graph && spec)
                for (const auto& part : spec->parts) info.dim += graph->channels(graph->find(part.node));
            out.push_back(std::move(info));
        }
    }
    return out;
}

Result<ModelInfo> find_model(std::string_view name) {
    auto models = list_models();
    std::string want(name.empty() ? kDefaultModelName : name);
    for (auto& m : models)
        if (m.name == want) return m;
    if (name.empty() && !models.empty()) return models.front();
    std::string where;
    for (const auto& d : model_search_path()) where += (where.empty() ? "" : ", ") + d.string();
    if (models.empty())
        return Error{"no models installed (searched " + where + "); run packaging/quickstart.sh to import them"};
    std::string names;
    for (const auto& m : models) names += (names.empty() ? "" : ", ") + m.name;
    return Error{"no model named '" + want + "' (installed: " + names + ")"};
}

}  // namespace rv
