#include "import/TfjsWeights.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

namespace rv::tfjs {

namespace {

float half_to_float(std::uint16_t h) {
    const std::uint32_t sign = (h & 0x8000u) << 16;
    const int exp = (h >> 10) & 0x1f;
    const std::uint32_t mant = h & 0x3ffu;
    float f;
    if (exp == 0) {
        f = std::ldexp(static_cast<float>(mant), -24);  // zero or subnormal
    } else if (exp == 31) {
        f = mant ? NAN : INFINITY;
    } else {
        std::uint32_t bits = ((exp + 112u) << 23) | (mant << 13);
        std::memcpy(&f, &bits, 4);
    }
    return sign ? -f : f;
}

}  // namespace

std::string base64_decode(const std::string& in) {
    auto val = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+' || c == '-') return 62;
        if (c == '/' || c == '_') return 63;
        return -1;
    };
    std::string out;
    int bits = 0, acc = 0;
    for (char c : in) {
        int v = val(c);
        if (v < 0) continue;
        acc = (acc << 6) | v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    return out;
}

Result<nn::TensorMap> read_weights(const nlohmann::json& manifest, const std::filesystem::path& dir) {
    nn::TensorMap out;
    try {
        for (const auto& group : manifest) {
            std::vector<std::uint8_t> bytes;
            for (const auto& p : group.at("paths")) {
                auto file = dir / p.get<std::string>();
                std::ifstream f(file, std::ios::binary);
                if (!f) return Error{"TF.js weights: cannot open shard " + file.string()};
                bytes.insert(bytes.end(), std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
            }
            std::size_t off = 0;
            for (const auto& w : group.at("weights")) {
                const std::string name = w.at("name");
                nn::Tensor t;
                t.shape = w.at("shape").get<std::vector<int>>();
                std::size_t n = 1;
                for (int d : t.shape) n *= static_cast<std::size_t>(d);
                std::string dtype = w.at("dtype");
                std::string stored = dtype;
                float qmin = 0, qscale = 1;
                if (w.contains("quantization")) {
                    const auto& q = w["quantization"];
                    stored = q.at("dtype");
                    if (stored == "uint8" || stored == "uint16") {
                        qmin = q.at("min");
                        qscale = q.at("scale");
                    }
                }
                std::size_t width = stored == "uint8" ? 1 : (stored == "uint16" || stored == "float16") ? 2 : 4;
                if (stored != "uint8" && stored != "uint16" && stored != "float16" && stored != "float32" &&
                    stored != "int32")
                    return Error{"TF.js weights: " + name + " has unsupported dtype " + stored};
                if (off + n * width > bytes.size())
                    return Error{"TF.js weights: shard data ends before weight " + name + " (truncated shard in " +
                                 dir.string() + ")"};
                const std::uint8_t* p = bytes.data() + off;
                t.data.resize(n);
                for (std::size_t i = 0; i < n; ++i) {
                    if (stored == "uint8") {
                        t.data[i] = static_cast<float>(p[i]) * qscale + qmin;
                    } else if (stored == "uint16") {
                        std::uint16_t v;
                        std::memcpy(&v, p + 2 * i, 2);
                        t.data[i] = static_cast<float>(v) * qscale + qmin;
                    } else if (stored == "float16") {
                        std::uint16_t v;
                        std::memcpy(&v, p + 2 * i, 2);
                        t.data[i] = half_to_float(v);
                    } else if (stored == "int32") {
                        std::int32_t v;
                        std::memcpy(&v, p + 4 * i, 4);
                        t.data[i] = static_cast<float>(v);
                    } else {
                        std::memcpy(&t.data[i], p + 4 * i, 4);
                    }
                }
                off += n * width;
                out[name] = std::move(t);
            }
        }
    } catch (const nlohmann::json::exception& e) {
        return Error{std::string("TF.js weights manifest is malformed: ") + e.what()};
    }
    return out;
}

}  // namespace rv::tfjs
