// What ONNX export and import share: the opset we write, layout conversions between our NHWC
// world and ONNX's NCHW one, names, and the protobuf helpers (Debian's libonnx-dev classes,
// namespace onnx, ONNX_ML=1).
//
// Layouts (all float32, row-major, batch 1):
//   our maps      H x W x C           ONNX maps     1 x C x H x W
//   our Conv2D    HWIO [kh][kw][ci][co]   ONNX Conv     OIHW [co][ci][kh][kw]
//   our depthwise [kh][kw][c]         ONNX Conv     [c][1][kh][kw] with group = c
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <onnx/onnx_pb.h>

#include "ruvision/engine/Result.h"

namespace rv::onnx_io {

// Opset 14 is the first with HardSwish; Clip takes min/max as inputs (since 11). IR version 7 is
// the one ONNX 1.9 (which introduced opset 14) writes, so older readers (OpenCV 4.6) accept it.
inline constexpr std::int64_t kOpsetVersion = 14;
inline constexpr std::int64_t kIrVersion = 7;
inline constexpr const char* kProducerName = "RuVision";

// Names: the graph input is "input" (1 x 3 x H x W, the preprocessed image, RGB); every node's
// output value is named after the node; a graph output is named after the alias it was asked
// by (e.g. "last"), else after its node. The symbolic sizes of an any-size input are these.
inline constexpr const char* kInputName = "input";
inline constexpr const char* kHeightParam = "height";
inline constexpr const char* kWidthParam = "width";
// metadata_props key carrying our preprocessing (JSON: scale, offset, resize, channels), so an
// importer (or a person) knows what the input tensor holds.
inline constexpr const char* kPreprocessKey = "ruvision.preprocess";

// Weight layouts. `dst` holds as many floats as `src`.
void hwio_to_oihw(const float* src, int kh, int kw, int ci, int co, float* dst);
void oihw_to_hwio(const float* src, int co, int ci, int kh, int kw, float* dst);
void depthwise_hwc_to_c1hw(const float* src, int kh, int kw, int c, float* dst);
void depthwise_c1hw_to_hwc(const float* src, int c, int kh, int kw, float* dst);
// Map layouts (batch 1).
void nhwc_to_nchw(const float* src, int h, int w, int c, float* dst);
void nchw_to_nhwc(const float* src, int c, int h, int w, float* dst);

// Protobuf helpers.
void add_float_initializer(onnx::GraphProto& g, const std::string& name, const std::vector<std::int64_t>& dims,
                           const float* data, std::size_t count);
// A 1-D int64 tensor (the shapes, axes and bounds that Reshape and Slice take as inputs).
void add_int64_initializer(onnx::GraphProto& g, const std::string& name, const std::vector<std::int64_t>& values);
void set_attr(onnx::NodeProto& n, const std::string& name, std::int64_t value);
void set_attr(onnx::NodeProto& n, const std::string& name, float value);
void set_attr(onnx::NodeProto& n, const std::string& name, const std::vector<std::int64_t>& values);
void set_attr(onnx::NodeProto& n, const std::string& name, const std::string& value);
// A float tensor's type and shape; a dim of -1 is left unknown, a non-empty `params[i]` names it.
void set_float_type(onnx::ValueInfoProto& v, const std::vector<std::int64_t>& dims,
                    const std::vector<std::string>& params = {});

// Reads and parses a .onnx file; errors name the file and the reason.
[[nodiscard]] Result<onnx::ModelProto> read_model(const std::filesystem::path& path);
// Serialises and writes it (to a temporary next to `path`, then renamed: never a half file).
[[nodiscard]] Status write_model(const onnx::ModelProto& model, const std::filesystem::path& path);
// ONNX's own checker (libonnx): every node against its operator schema at the model's opset,
// with shape inference. The reason when it refuses.
[[nodiscard]] Status check_model(const onnx::ModelProto& model);

}  // namespace rv::onnx_io
