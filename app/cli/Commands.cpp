#include "cli/Commands.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/ModelImport.h"

namespace rv::cli {

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

namespace {

// `models --nodes NAME`: the nodes a descriptor can name, with their output at the native size.
int print_nodes(const std::string& name, bool as_json) {
    auto model = find_model(name);
    if (!model) {
        std::fprintf(stderr, "ruvision-cli: %s\n", model.error().message.c_str());
        return 2;
    }
    auto nodes = model_nodes(model->path);
    if (!nodes) {
        std::fprintf(stderr, "ruvision-cli: %s\n", nodes.error().message.c_str());
        return 1;
    }
    for (const auto& n : *nodes) {
        if (as_json) {
            std::printf("%s\n", dump({{"index", n.index}, {"name", n.name}, {"op", n.op}, {"inputs", n.inputs},
                                      {"aliases", n.aliases}, {"shape", {n.h, n.w, n.c}}})
                                    .c_str());
        } else {
            std::string aliases;
            for (const auto& a : n.aliases) aliases += (aliases.empty() ? "  (" : ", ") + a;
            if (!aliases.empty()) aliases += ")";
            std::printf("%3d  %-18s %4dx%-4d x%5d  %s%s\n", n.index, n.op.c_str(), n.h, n.w, n.c, n.name.c_str(),
                        aliases.c_str());
        }
    }
    return 0;
}

}  // namespace

int cmd_models(const Parsed& args) {
    const bool as_json = args.has("json");
    if (args.has("nodes")) return print_nodes(args.text("nodes"), as_json);
    // Every file is read whole and checked (checksum included), so "ok" here means usable.
    auto models = list_models(/*verify_data=*/true);
    if (models.empty()) {
        std::string where;
        for (const auto& d : model_search_path()) where += "\n  " + d.string();
        std::fprintf(stderr, "ruvision-cli: no models installed; searched:%s\nrun packaging/quickstart.sh to import them\n",
                     where.c_str());
        return 1;
    }
    int broken = 0;
    for (const auto& m : models) {
        const bool is_default = m.name == kDefaultModelName;
        if (!m.problem.empty()) {
            ++broken;
            if (as_json)
                std::printf("%s\n", dump({{"name", m.name}, {"path", m.path.string()}, {"broken", true},
                                          {"error", m.problem}, {"default", is_default}})
                                        .c_str());
            else
                std::printf("%s%s (broken)\n  file: %s\n  problem: %s\n", m.name.c_str(), is_default ? " (default)" : "",
                            m.path.string().c_str(), m.problem.c_str());
            continue;
        }
        if (as_json) {
            std::printf("%s\n", dump({{"name", m.name}, {"dim", m.dim}, {"architecture", m.architecture},
                                      {"source", m.source}, {"descriptor", m.default_descriptor},
                                      {"int8", m.int8}, {"path", m.path.string()}, {"broken", false},
                                      {"default", is_default}})
                                    .c_str());
        } else {
            std::printf("%s%s\n  dim %d, descriptor %s, precision fp32%s\n  %s\n  source: %s\n  file: %s\n",
                        m.name.c_str(), is_default ? " (default)" : "", m.dim, m.default_descriptor.c_str(),
                        m.int8 ? " or int8 (calibrated)" : "", m.architecture.c_str(), m.source.c_str(),
                        m.path.string().c_str());
        }
    }
    if (broken) std::fprintf(stderr, "ruvision-cli: %d model file%s cannot be used (see above)\n", broken,
                             broken == 1 ? "" : "s");
    return broken ? 1 : 0;
}

int cmd_embed(const Parsed& args) {
    const std::string model_name = args.text("model"), descriptor = args.text("descriptor");
    const bool as_json = args.has("json");
    const std::vector<std::string>& images = args.operands();
    auto model = find_model(model_name);
    if (!model) {
        std::fprintf(stderr, "ruvision-cli: %s\n", model.error().message.c_str());
        return 2;
    }
    auto precision = parse_precision(args.text("precision", "fp32"));
    if (!precision) return usage_error("embed", "--precision: " + precision.error().message);
    auto embedder = Embedder::open(*model, descriptor, *precision);
    if (!embedder) {
        std::fprintf(stderr, "ruvision-cli: %s\n", embedder.error().message.c_str());
        return 2;
    }
    int failures = 0;
    for (const auto& path : images) {
        auto v = (*embedder)->embed_file(path);
        if (!v) {
            ++failures;
            if (as_json) std::printf("%s\n", dump({{"path", path}, {"error", v.error().message}}).c_str());
            std::fprintf(stderr, "ruvision-cli: error: %s\n", v.error().message.c_str());
            std::fflush(stdout);
            continue;
        }
        if (as_json) {
            std::printf("%s\n", dump({{"path", path}, {"model", (*embedder)->model_name()},
                                      {"precision", precision_name((*embedder)->precision())},
                                      {"dim", (*embedder)->dim()}, {"embedding", *v}})
                                    .c_str());
        } else {
            std::printf("%s\t", path.c_str());
            for (std::size_t i = 0; i < v->size(); ++i) std::printf(i ? " %.6g" : "%.6g", (*v)[i]);
            std::printf("\n");
        }
        std::fflush(stdout);
    }
    return failures ? 1 : 0;
}

int cmd_rank(const Parsed& args) {
    const std::string model_name = args.text("model");
    const std::vector<std::string>& images = args.operands();
    auto model = find_model(model_name);
    if (!model) {
        std::fprintf(stderr, "ruvision-cli: %s\n", model.error().message.c_str());
        return 2;
    }
    auto embedder = Embedder::open(*model);
    if (!embedder) {
        std::fprintf(stderr, "ruvision-cli: %s\n", embedder.error().message.c_str());
        return 2;
    }
    auto query = (*embedder)->embed_file(images[0]);
    if (!query) {
        std::fprintf(stderr, "ruvision-cli: error: %s\n", query.error().message.c_str());
        return 1;
    }
    int failures = 0;
    std::vector<std::pair<float, std::string>> ranked;
    for (std::size_t i = 1; i < images.size(); ++i) {
        auto v = (*embedder)->embed_file(images[i]);
        if (!v) {
            ++failures;
            std::fprintf(stderr, "ruvision-cli: error: %s\n", v.error().message.c_str());
            continue;
        }
        float dot = 0;
        for (std::size_t k = 0; k < v->size(); ++k) dot += (*v)[k] * (*query)[k];
        ranked.emplace_back(dot, images[i]);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t r = 0; r < ranked.size(); ++r)
        std::printf("%2zu  %.3f  %s\n", r + 1, ranked[r].first, ranked[r].second.c_str());
    return failures ? 1 : 0;
}

int cmd_import_model(const Parsed& parsed) {
    const std::vector<std::string>& args = parsed.operands();
    std::string summary;
    auto st = import_model(args[0], args[1], args[2], &summary);
    if (!st) {
        std::fprintf(stderr, "ruvision-cli: import failed: %s\n", st.error().message.c_str());
        return 1;
    }
    std::printf("%s\n", summary.c_str());
    return 0;
}

}  // namespace rv::cli
