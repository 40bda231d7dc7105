// The few reads of ONNX protobuf messages the importer needs (Debian's libonnx-dev classes):
// a TensorProto as floats, attributes by name. Kept apart so that import and export can share them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

// The -ml variant (what libonnx_proto is built from); onnx_pb.h defines the ONNX_API it needs.
#ifndef ONNX_ML
#define ONNX_ML 1
#endif
#include <onnx/onnx_pb.h>

#include "nn/Graph.h"

namespace rv::onnx_proto {

// A tensor's dims and its values as floats (float, double, int32/64, uint8/int8 elements; raw or
// typed storage). False with `why` for external data, another element type, a negative or too
// large shape, or a payload whose size does not match the dims.
bool read_tensor(const onnx::TensorProto& t, nn::Tensor* out, std::string* why);

// The attribute named `name`, or nullptr.
const onnx::AttributeProto* attribute(const onnx::NodeProto& n, const std::string& name);

// Typed reads with a default when the attribute is absent.
std::int64_t attr_int(const onnx::NodeProto& n, const std::string& name, std::int64_t fallback);
float attr_float(const onnx::NodeProto& n, const std::string& name, float fallback);
std::string attr_string(const onnx::NodeProto& n, const std::string& name, const std::string& fallback);
std::vector<std::int64_t> attr_ints(const onnx::NodeProto& n, const std::string& name);

}  // namespace rv::onnx_proto
