// libFuzzer target: the descriptor-spec parser (command line and model files), and resolving a
// spec against a small real model (tests/model_file_util.h).
// Properties: parse never crashes; a parsed spec prints (str) to a text that parses to the same
// text again; resolving gives one node and a positive channel count per part.
#include <cstdint>
#include <string>
#include <string_view>

#include "model_file_util.h"
#include "ruvision/engine/Embedder.h"

namespace {

const rv::ModelHeader& tiny_header() {
    static const auto model = [] {
        model_test::TinyOptions o;
        o.any_size = true;  // sizes in specs are allowed
        const auto bytes = model_test::tiny_bytes(o);
        auto m = rv::ModelFile::from_bytes(bytes.data(), bytes.size(), "tiny.rvm");
        if (!m) __builtin_trap();
        return *m;
    }();
    return model->header();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto spec = rv::DescriptorSpec::parse(text);
    if (spec) {
        if (spec->parts.empty() || spec->parts.size() > 16 || spec->sizes.size() > 8) __builtin_trap();
        for (const auto& p : spec->parts)
            if (p.node.empty() || !(p.p >= 1.0f && p.p <= 16.0f)) __builtin_trap();
        const std::string once = spec->str();
        auto again = rv::DescriptorSpec::parse(once);
        if (!again || again->str() != once) __builtin_trap();
    }
    auto resolved = rv::resolve_descriptor(tiny_header(), text);
    if (resolved) {
        if (resolved->part_nodes.size() != resolved->spec.parts.size()) __builtin_trap();
        int dim = 0;
        for (int c : resolved->part_dims) {
            if (c <= 0) __builtin_trap();
            dim += c;
        }
        if (dim != resolved->dim) __builtin_trap();
    }
    return 0;
}
