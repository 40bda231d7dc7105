#include "onnx/OnnxCommon.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <system_error>

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

namespace rv::onnx_io {

void hwio_to_oihw(const float* src, int kh, int kw, int ci, int co, float* dst) {
    for (int y = 0; y < kh; ++y)
        for (int x = 0; x < kw; ++x)
            for (int i = 0; i < ci; ++i)
                for (int o = 0; o < co; ++o)
                    dst[((static_cast<std::size_t>(o) * ci + i) * kh + y) * kw + x] =
                        src[((static_cast<std::size_t>(y) * kw + x) * ci + i) * co + o];
}

void oihw_to_hwio(const float* src, int co, int ci, int kh, int kw, float* dst) {
    for (int o = 0; o < co; ++o)
        for (int i = 0; i < ci; ++i)
            for (int y = 0; y < kh; ++y)
                for (int x = 0; x < kw; ++x)
                    dst[((static_cast<std::size_t>(y) * kw + x) * ci + i) * co + o] =
                        src[((static_cast<std::size_t>(o) * ci + i) * kh + y) * kw + x];
}

void depthwise_hwc_to_c1hw(const float* src, int kh, int kw, int c, float* dst) { hwio_to_oihw(src, kh, kw, 1, c, dst); }

void depthwise_c1hw_to_hwc(const float* src, int c, int kh, int kw, float* dst) { oihw_to_hwio(src, c, 1, kh, kw, dst); }

void nhwc_to_nchw(const float* src, int h, int w, int c, float* dst) {
    const std::size_t plane = static_cast<std::size_t>(h) * w;
    for (std::size_t p = 0; p < plane; ++p)
        for (int k = 0; k < c; ++k) dst[k * plane + p] = src[p * c + k];
}

void nchw_to_nhwc(const float* src, int c, int h, int w, float* dst) {
    const std::size_t plane = static_cast<std::size_t>(h) * w;
    for (int k = 0; k < c; ++k)
        for (std::size_t p = 0; p < plane; ++p) dst[p * c + k] = src[k * plane + p];
}

void add_float_initializer(onnx::GraphProto& g, const std::string& name, const std::vector<std::int64_t>& dims,
                           const float* data, std::size_t count) {
    auto* t = g.add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (auto d : dims) t->add_dims(d);
    // raw_data is little-endian float32, as on every machine we build for (x86-64, arm64).
    t->set_raw_data(reinterpret_cast<const char*>(data), count * sizeof(float));
}

void add_int64_initializer(onnx::GraphProto& g, const std::string& name, const std::vector<std::int64_t>& values) {
    auto* t = g.add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<std::int64_t>(values.size()));
    for (auto v : values) t->add_int64_data(v);
}

void set_attr(onnx::NodeProto& n, const std::string& name, std::int64_t value) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
}

void set_attr(onnx::NodeProto& n, const std::string& name, float value) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(value);
}

void set_attr(onnx::NodeProto& n, const std::string& name, const std::vector<std::int64_t>& values) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (auto v : values) a->add_ints(v);
}

void set_attr(onnx::NodeProto& n, const std::string& name, const std::string& value) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(value);
}

void set_float_type(onnx::ValueInfoProto& v, const std::vector<std::int64_t>& dims,
                    const std::vector<std::string>& params) {
    auto* tt = v.mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    auto* shape = tt->mutable_shape();
    for (std::size_t i = 0; i < dims.size(); ++i) {
        auto* d = shape->add_dim();
        if (i < params.size() && !params[i].empty()) d->set_dim_param(params[i]);
        else if (dims[i] >= 0) d->set_dim_value(dims[i]);
    }
}

Result<onnx::ModelProto> read_model(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return Error{"ONNX file " + path.string() + ": not a regular file"};
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"ONNX file " + path.string() + ": cannot be opened"};
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return Error{"ONNX file " + path.string() + ": read error"};
    onnx::ModelProto model;
    if (!model.ParseFromString(bytes)) return Error{"ONNX file " + path.string() + ": not an ONNX model (protobuf parse failed)"};
    return model;
}

Status write_model(const onnx::ModelProto& model, const std::filesystem::path& path) {
    std::string bytes;
    if (!model.SerializeToString(&bytes)) return Error{"cannot serialise the ONNX model for " + path.string()};
    const std::filesystem::path tmp = path.string() + ".part";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return Error{"cannot write " + path.string() + ": " + std::strerror(errno)};
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            return Error{"cannot write " + path.string() + ": write failed (disk full?)"};
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        return Error{"cannot write " + path.string() + ": " + ec.message()};
    }
    return Status::success();
}

Status check_model(const onnx::ModelProto& model) {
    // libonnx reports through exceptions; they stop here.
    try {
        onnx::checker::check_model(model);
        onnx::ModelProto copy = model;
        onnx::shape_inference::InferShapes(copy, onnx::OpSchemaRegistry::Instance(),
                                           onnx::ShapeInferenceOptions(/*check_type=*/true, /*strict=*/1));
    } catch (const std::exception& e) {
        return Error{std::string("ONNX checker: ") + e.what()};
    }
    return Status::success();
}

}  // namespace rv::onnx_io
