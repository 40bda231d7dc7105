// DescriptorSpec's text form (grammar in Embedder.h), parsed whole and strictly: a spec comes
// from the command line or from a model file, so every number is checked against its range and
// nothing after it is ignored.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "model/ModelFile.h"
#include "ruvision/engine/Embedder.h"

namespace rv {

namespace {

constexpr std::size_t kMaxSpecLength = 1024;
constexpr std::size_t kMaxParts = 16;
constexpr std::size_t kMaxSizes = 8;

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    for (;;) {
        const auto at = s.find(sep, pos);
        out.push_back(s.substr(pos, at == std::string::npos ? std::string::npos : at - pos));
        if (at == std::string::npos) return out;
        pos = at + 1;
    }
}

bool all_digits(const std::string& s) {
    return !s.empty() && s.size() <= 9 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "3", "2.5": digits with at most one '.', digits on both sides of it (no sign, exponent, inf, nan).
bool plain_decimal(const std::string& s) {
    const auto dot = s.find('.');
    if (dot == std::string::npos) return all_digits(s);
    return all_digits(s.substr(0, dot)) && all_digits(s.substr(dot + 1));
}

bool valid_node_name(const std::string& s) {
    if (s.empty() || s.size() > 256) return false;
    for (unsigned char c : s)
        if (c <= ' ' || c == 0x7f || c == ',' || c == ':' || c == '@' || c == '|' || c == '+') return false;
    return true;
}

}  // namespace

Result<DescriptorSpec> DescriptorSpec::parse(std::string_view text) {
    DescriptorSpec d;
    if (text.size() > kMaxSpecLength) return Error{"longer than " + std::to_string(kMaxSpecLength) + " characters"};
    std::string s(text);
    if (auto bar = s.find('|'); bar != std::string::npos) {
        if (s.substr(bar + 1) != "flip") return Error{"unknown option '" + s.substr(bar + 1) + "' (expected |flip)"};
        d.flip = true;
        s.resize(bar);
    }
    if (auto at = s.find('@'); at != std::string::npos) {
        const auto sizes = split(s.substr(at + 1), ',');
        s.resize(at);
        if (sizes.size() > kMaxSizes) return Error{"more than " + std::to_string(kMaxSizes) + " input sizes"};
        for (const auto& one : sizes) {
            int v = 0;
            if (one != "native") {
                const long l = all_digits(one) ? std::strtol(one.c_str(), nullptr, 10) : -1;
                if (l < 32 || l > 2048) return Error{"bad input size '" + one + "' (32..2048 or native)"};
                v = static_cast<int>(l);
            }
            if (std::find(d.sizes.begin(), d.sizes.end(), v) != d.sizes.end())
                return Error{"input size '" + one + "' given twice"};
            d.sizes.push_back(v);
        }
    }
    const auto parts = split(s, '+');
    if (parts.size() > kMaxParts) return Error{"more than " + std::to_string(kMaxParts) + " parts"};
    for (const auto& part : parts) {
        const auto colon = part.find(':');
        if (colon == std::string::npos || colon + 1 >= part.size())
            return Error{"bad part '" + part + "' (expected avg:NODE, gemP:NODE or max:NODE)"};
        Part p;
        p.node = part.substr(colon + 1);
        if (!valid_node_name(p.node)) return Error{"bad node name '" + p.node + "'"};
        const std::string kind = part.substr(0, colon);
        if (kind == "avg") p.pool = Part::Pool::Avg;
        else if (kind == "max") p.pool = Part::Pool::Max;
        else if (kind.rfind("gem", 0) == 0) {
            p.pool = Part::Pool::Gem;
            if (kind.size() > 3) {
                const std::string e = kind.substr(3);
                // Above 16, x^p overflows float for activations of a few hundred.
                p.p = plain_decimal(e) ? std::strtof(e.c_str(), nullptr) : 0.0f;
                if (!(p.p >= 1.0f && p.p <= 16.0f))
                    return Error{"bad GeM exponent in '" + kind + "' (a number from 1 to 16, e.g. gem3)"};
            }
        } else return Error{"unknown pooling '" + kind + "' (avg, max or gemP)"};
        d.parts.push_back(p);
    }
    return d;
}

std::string DescriptorSpec::str() const {
    std::string s;
    for (const auto& p : parts) {
        if (!s.empty()) s += '+';
        if (p.pool == Part::Pool::Avg) s += "avg";
        else if (p.pool == Part::Pool::Max) s += "max";
        else {
            char buf[32];
            std::snprintf(buf, sizeof buf, "gem%g", p.p);
            s += buf;
        }
        s += ':' + p.node;
    }
    if (!sizes.empty()) {
        s += '@';
        for (std::size_t i = 0; i < sizes.size(); ++i) {
            if (i) s += ',';
            s += sizes[i] ? std::to_string(sizes[i]) : std::string("native");
        }
    }
    if (flip) s += "|flip";
    return s;
}

Result<ResolvedDescriptor> resolve_descriptor(const ModelHeader& model, std::string_view text) {
    ResolvedDescriptor r;
    r.text = std::string(text);
    if (r.text.empty()) {
        auto it = model.descriptors.find("default");
        if (it == model.descriptors.end()) return Error{"model " + model.name + " has no default descriptor"};
        r.text = it->second;
    } else if (auto it = model.descriptors.find(r.text); it != model.descriptors.end()) {
        r.text = it->second;
    }
    const std::string quoted = "descriptor '" + r.text + "': ";
    auto spec = DescriptorSpec::parse(r.text);
    if (!spec) return Error{quoted + spec.error().message};
    r.spec = std::move(*spec);
    for (int s : r.spec.sizes)
        if (s != 0 && !model.preprocess.any_size)
            return Error{quoted + "model " + model.name + " only runs at its native size"};
    for (const auto& part : r.spec.parts) {
        const int node = model.graph.find(part.node);
        if (node < 0) return Error{quoted + "model " + model.name + " has no node " + part.node};
        const int c = model.graph.channels(node);
        if (c <= 0) return Error{quoted + "cannot tell the channels of node " + part.node};
        r.part_nodes.push_back(node);
        r.part_dims.push_back(c);
        r.dim += c;
    }
    return r;
}

}  // namespace rv
