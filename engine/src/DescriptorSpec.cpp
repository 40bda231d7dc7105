// DescriptorSpec's text form (grammar in Embedder.h).
#include <cstdio>
#include <cstdlib>

#include "ruvision/engine/Embedder.h"

namespace rv {

Result<DescriptorSpec> DescriptorSpec::parse(std::string_view text) {
    DescriptorSpec d;
    std::string s(text);
    if (auto bar = s.find('|'); bar != std::string::npos) {
        if (s.substr(bar + 1) != "flip") return Error{"unknown option '" + s.substr(bar + 1) + "' (expected |flip)"};
        d.flip = true;
        s.resize(bar);
    }
    if (auto at = s.find('@'); at != std::string::npos) {
        std::string sizes = s.substr(at + 1);
        s.resize(at);
        std::size_t pos = 0;
        while (pos <= sizes.size()) {
            auto comma = sizes.find(',', pos);
            std::string one = sizes.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
            int v = 0;
            if (one == "native") v = 0;
            else {
                char* end = nullptr;
                long l = std::strtol(one.c_str(), &end, 10);
                if (one.empty() || *end || l < 32 || l > 2048) return Error{"bad input size '" + one + "' (32..2048)"};
                v = static_cast<int>(l);
            }
            d.sizes.push_back(v);
            if (comma == std::string::npos) break;
            pos = comma + 1;
        }
    }
    std::size_t pos = 0;
    while (pos <= s.size()) {
        auto plus = s.find('+', pos);
        std::string part = s.substr(pos, plus == std::string::npos ? std::string::npos : plus - pos);
        auto colon = part.find(':');
        if (colon == std::string::npos || colon + 1 >= part.size())
            return Error{"bad part '" + part + "' (expected avg:NODE, gemP:NODE or max:NODE)"};
        Part p;
        p.node = part.substr(colon + 1);
        std::string kind = part.substr(0, colon);
        if (kind == "avg") p.pool = Part::Pool::Avg;
        else if (kind == "max") p.pool = Part::Pool::Max;
        else if (kind.rfind("gem", 0) == 0) {
            p.pool = Part::Pool::Gem;
            if (kind.size() > 3) {
                char* end = nullptr;
                p.p = std::strtof(kind.c_str() + 3, &end);
                if (*end || !(p.p > 0.0f && p.p <= 64.0f)) return Error{"bad GeM exponent in '" + kind + "'"};
            }
        } else return Error{"unknown pooling '" + kind + "'"};
        d.parts.push_back(p);
        if (plus == std::string::npos) break;
        pos = plus + 1;
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
        for (std::size_t i = 0; i < sizes.size(); ++i)
            s += (i ? "," : "") + (sizes[i] ? std::to_string(sizes[i]) : std::string("native"));
    }
    if (flip) s += "|flip";
    return s;
}

}  // namespace rv
