#include "model/ModelFile.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace rv {

namespace {

constexpr char kMagic[8] = {'R', 'U', 'V', 'M', 'O', 'D', 'E', 'L'};
constexpr std::size_t kFixedHeader = 40;
constexpr std::size_t kAlign = 64;

std::uint64_t fnv1a64(const std::uint8_t* p, std::size_t n) {
    // Four independent lanes keep the multiply latency off the critical path; folded at the end.
    std::uint64_t h[4] = {14695981039346656037ull, 14695981039346656037ull ^ 1, 14695981039346656037ull ^ 2,
                          14695981039346656037ull ^ 3};
    constexpr std::uint64_t prime = 1099511628211ull;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int k = 0; k < 4; ++k) h[k] = (h[k] ^ p[i + k]) * prime;
    for (; i < n; ++i) h[0] = (h[0] ^ p[i]) * prime;
    std::uint64_t out = 14695981039346656037ull;
    for (auto v : h)
        for (int b = 0; b < 8; ++b) out = (out ^ ((v >> (8 * b)) & 0xff)) * prime;
    return out;
}

template <class T>
T read_le(const std::uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof v);  // little-endian hosts only (x86-64, arm64)
    return v;
}

std::size_t align_up(std::size_t v) { return (v + kAlign - 1) / kAlign * kAlign; }

std::string what(const std::filesystem::path& path) { return "model file " + path.string() + ": "; }

struct FixedHeader {
    std::uint32_t version;
    std::uint32_t json_len;
    std::uint64_t data_offset, data_len, checksum;
};

Result<FixedHeader> parse_fixed(const std::filesystem::path& path, const std::uint8_t* p, std::uint64_t file_size) {
    if (file_size < kFixedHeader) return Error{what(path) + "too short to be a RuVision model (" +
                                               std::to_string(file_size) + " bytes)"};
    if (std::memcmp(p, kMagic, 8) != 0) return Error{what(path) + "not a RuVision model (bad magic)"};
    FixedHeader h{read_le<std::uint32_t>(p + 8), read_le<std::uint32_t>(p + 12), read_le<std::uint64_t>(p + 16),
                  read_le<std::uint64_t>(p + 24), read_le<std::uint64_t>(p + 32)};
    if (h.version != kModelFormatVersion)
        return Error{what(path) + "format version " + std::to_string(h.version) + ", this build reads version " +
                     std::to_string(kModelFormatVersion) + " (re-run the model import)"};
    if (kFixedHeader + h.json_len > h.data_offset || h.data_offset % kAlign != 0)
        return Error{what(path) + "corrupt header (inconsistent offsets)"};
    if (h.data_offset + h.data_len != file_size)
        return Error{what(path) + "truncated or padded: expected " + std::to_string(h.data_offset + h.data_len) +
                     " bytes, found " + std::to_string(file_size)};
    return h;
}

}  // namespace

nlohmann::json Preprocess::to_json() const {
    return {{"width", width}, {"height", height}, {"any_size", any_size}, {"resize", resize},
            {"scale", scale}, {"offset", offset}, {"channels", "RGB"}, {"layout", "NHWC"}};
}

Result<Preprocess> Preprocess::from_json(const nlohmann::json& j) {
    Preprocess p;
    try {
        p.width = j.at("width");
        p.height = j.at("height");
        p.any_size = j.value("any_size", false);
        p.resize = j.value("resize", std::string("stretch"));
        p.scale = j.at("scale");
        p.offset = j.value("offset", 0.0f);
    } catch (const nlohmann::json::exception& e) {
        return Error{std::string("malformed preprocessing description: ") + e.what()};
    }
    if (p.width < 8 || p.height < 8 || p.width > 4096 || p.height > 4096)
        return Error{"preprocessing: input size out of range"};
    if (p.resize != "stretch" && p.resize != "shorter_side") return Error{"preprocessing: unknown resize " + p.resize};
    return p;
}

Result<nlohmann::json> ModelFile::read_header(const std::filesystem::path& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return Error{what(path) + "cannot open"};
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (ec) return Error{what(path) + ec.message()};
    std::uint8_t fixed[kFixedHeader] = {};
    f.read(reinterpret_cast<char*>(fixed), std::min<std::uint64_t>(size, kFixedHeader));
    auto h = parse_fixed(path, fixed, size);
    if (!h) return h.error();
    std::string json(h->json_len, '\0');
    if (!f.read(json.data(), h->json_len)) return Error{what(path) + "truncated header"};
    auto j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded()) return Error{what(path) + "corrupt header (invalid JSON)"};
    return j;
}

Result<std::shared_ptr<const ModelFile>> ModelFile::load(const std::filesystem::path& path) {
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (ec) return Error{what(path) + ec.message()};
    auto m = std::make_shared<ModelFile>();
    m->path_ = path;
    m->buffer_ = {static_cast<std::uint8_t*>(std::aligned_alloc(kAlign, align_up(std::max<std::uint64_t>(size, 1)))),
                  [](std::uint8_t* p) { std::free(p); }};
    if (!m->buffer_) return Error{what(path) + "out of memory"};
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return Error{what(path) + "cannot open: " + std::strerror(errno)};
    std::size_t got = std::fread(m->buffer_.get(), 1, size, f);
    std::fclose(f);
    if (got != size) return Error{what(path) + "read failed"};
    const std::uint8_t* p = m->buffer_.get();

    auto h = parse_fixed(path, p, size);
    if (!h) return h.error();
    if (fnv1a64(p + kFixedHeader, size - kFixedHeader) != h->checksum)
        return Error{what(path) + "checksum mismatch (the file is corrupt; re-run the model import)"};

    auto j = nlohmann::json::parse(p + kFixedHeader, p + kFixedHeader + h->json_len, nullptr, false);
    if (j.is_discarded()) return Error{what(path) + "corrupt header (invalid JSON)"};
    try {
        m->name_ = j.at("name");
        m->architecture_ = j.value("architecture", "");
        m->source_ = j.value("source", "");
        auto pre = Preprocess::from_json(j.at("preprocess"));
        if (!pre) return Error{what(path) + pre.error().message};
        m->preprocess_ = *pre;
        m->descriptors_ = j.at("descriptors").get<std::map<std::string, std::string>>();
        auto g = nn::Graph::from_json(j.at("network"));
        if (!g) return Error{what(path) + g.error().message};
        m->graph_ = std::move(*g);
        std::map<std::string, std::vector<int>> shapes;
        for (const auto& t : j.at("tensors")) {
            TensorView v;
            v.shape = t.at("shape").get<std::vector<int>>();
            std::uint64_t n = 1;
            for (int d : v.shape) {
                if (d <= 0) return Error{what(path) + "tensor " + t.at("name").get<std::string>() + " has a bad shape"};
                n *= static_cast<std::uint64_t>(d);
            }
            std::uint64_t off = t.at("offset");
            if (off % kAlign != 0 || off + n * sizeof(float) > h->data_len)
                return Error{what(path) + "tensor " + t.at("name").get<std::string>() + " lies outside the data"};
            v.data = reinterpret_cast<const float*>(p + h->data_offset + off);
            v.size = n;
            std::string name = t.at("name");
            shapes[name] = v.shape;
            m->tensors_[name] = std::move(v);
        }
        if (auto st = nn::validate(m->graph_, shapes); !st) return Error{what(path) + st.error().message};
        if (!m->descriptors_.count("default")) return Error{what(path) + "no default descriptor"};
    } catch (const nlohmann::json::exception& e) {
        return Error{what(path) + "malformed header: " + e.what()};
    }
    return std::shared_ptr<const ModelFile>(std::move(m));
}

const ModelFile::TensorView* ModelFile::tensor(const std::string& name) const {
    auto it = tensors_.find(name);
    return it == tensors_.end() ? nullptr : &it->second;
}

Status write_model_file(const std::filesystem::path& path, const ModelData& model) {
    nlohmann::json tensors = nlohmann::json::array();
    std::size_t data_len = 0;
    for (const auto& [name, t] : model.tensors) {
        tensors.push_back({{"name", name}, {"shape", t.shape}, {"offset", data_len}});
        data_len = align_up(data_len + t.data.size() * sizeof(float));
    }
    nlohmann::json j = {{"name", model.name},
                        {"architecture", model.architecture},
                        {"source", model.source},
                        {"preprocess", model.preprocess.to_json()},
                        {"descriptors", model.descriptors},
                        {"network", model.graph.to_json()},
                        {"tensors", tensors}};
    const std::string json = j.dump();
    const std::size_t data_offset = align_up(kFixedHeader + json.size());
    std::vector<std::uint8_t> out(data_offset + data_len, 0);
    std::memcpy(out.data(), kMagic, 8);
    auto put32 = [&](std::size_t at, std::uint32_t v) { std::memcpy(out.data() + at, &v, 4); };
    auto put64 = [&](std::size_t at, std::uint64_t v) { std::memcpy(out.data() + at, &v, 8); };
    put32(8, kModelFormatVersion);
    put32(12, static_cast<std::uint32_t>(json.size()));
    put64(16, data_offset);
    put64(24, data_len);
    std::memcpy(out.data() + kFixedHeader, json.data(), json.size());
    std::size_t off = 0;
    for (const auto& [name, t] : model.tensors) {
        std::memcpy(out.data() + data_offset + off, t.data.data(), t.data.size() * sizeof(float));
        off = align_up(off + t.data.size() * sizeof(float));
    }
    put64(32, fnv1a64(out.data() + kFixedHeader, out.size() - kFixedHeader));

    // Write beside, then rename: a crash never leaves a half-written model under the real name.
    auto tmp = path;
    tmp += ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) return Error{"cannot write " + tmp.string()};
        f.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
        if (!f) return Error{"write failed: " + tmp.string()};
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) return Error{"cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message()};
    return Status::success();
}

}  // namespace rv
