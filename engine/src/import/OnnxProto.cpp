#include "import/OnnxProto.h"

#include <cstring>

namespace rv::onnx_proto {

namespace {

template <typename T>
bool from_raw(const std::string& raw, std::size_t count, std::vector<float>& out) {
    if (raw.size() != count * sizeof(T)) return false;
    out.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        T v;
        std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));  // little-endian, as ONNX stores it
        out[i] = static_cast<float>(v);
    }
    return true;
}

template <typename Field>
bool from_field(const Field& f, std::size_t count, std::vector<float>& out) {
    if (static_cast<std::size_t>(f.size()) != count) return false;
    out.assign(f.begin(), f.end());
    return true;
}

}  // namespace

bool read_tensor(const onnx::TensorProto& t, nn::Tensor* out, std::string* why) {
    using TP = onnx::TensorProto;
    if (t.data_location() == TP::EXTERNAL) {
        *why = "tensor " + t.name() + " keeps its data in an external file (not supported)";
        return false;
    }
    std::size_t count = 1;
    out->shape.clear();
    for (std::int64_t d : t.dims()) {
        if (d < 0 || d > nn::kMaxMapElements || count * static_cast<std::size_t>(d) > std::size_t(nn::kMaxMapElements)) {
            *why = "tensor " + t.name() + " has a negative or too large shape";
            return false;
        }
        count *= static_cast<std::size_t>(d);
        out->shape.push_back(static_cast<int>(d));
    }
    const bool raw = t.has_raw_data();
    const std::string& r = t.raw_data();
    bool ok = false;
    switch (t.data_type()) {
    case TP::FLOAT: ok = raw ? from_raw<float>(r, count, out->data) : from_field(t.float_data(), count, out->data); break;
    case TP::DOUBLE: ok = raw ? from_raw<double>(r, count, out->data) : from_field(t.double_data(), count, out->data); break;
    case TP::INT64: ok = raw ? from_raw<std::int64_t>(r, count, out->data) : from_field(t.int64_data(), count, out->data); break;
    case TP::INT32: ok = raw ? from_raw<std::int32_t>(r, count, out->data) : from_field(t.int32_data(), count, out->data); break;
    case TP::UINT8: ok = raw ? from_raw<std::uint8_t>(r, count, out->data) : from_field(t.int32_data(), count, out->data); break;
    case TP::INT8: ok = raw ? from_raw<std::int8_t>(r, count, out->data) : from_field(t.int32_data(), count, out->data); break;
    default:
        *why = "tensor " + t.name() + " has element type " + std::to_string(t.data_type()) + " (not supported)";
        return false;
    }
    if (!ok) *why = "tensor " + t.name() + ": its data does not match its shape";
    return ok;
}

const onnx::AttributeProto* attribute(const onnx::NodeProto& n, const std::string& name) {
    for (const auto& a : n.attribute())
        if (a.name() == name) return &a;
    return nullptr;
}

std::int64_t attr_int(const onnx::NodeProto& n, const std::string& name, std::int64_t fallback) {
    const auto* a = attribute(n, name);
    return a && a->has_i() ? a->i() : fallback;
}

float attr_float(const onnx::NodeProto& n, const std::string& name, float fallback) {
    const auto* a = attribute(n, name);
    return a && a->has_f() ? a->f() : fallback;
}

std::string attr_string(const onnx::NodeProto& n, const std::string& name, const std::string& fallback) {
    const auto* a = attribute(n, name);
    return a && a->has_s() ? a->s() : fallback;
}

std::vector<std::int64_t> attr_ints(const onnx::NodeProto& n, const std::string& name) {
    const auto* a = attribute(n, name);
    return a ? std::vector<std::int64_t>(a->ints().begin(), a->ints().end()) : std::vector<std::int64_t>{};
}

}  // namespace rv::onnx_proto
