// What OpenCV 4.6's ONNX reader (Debian 12's libopencv-dnn) needs that standard ONNX does not:
// it reads Clip only in the opset-6 form (bounds as attributes "min"/"max"), not with the bounds
// as inputs (opset 11+, what we write and what ONNX Runtime fuses into the convolution); and it
// ignores AveragePool's count_include_pad (it counts the pads of every pool in a model whose
// producer is "pytorch", of none in any other). Used by the OpenCV DNN peer (test_onnx_export,
// bench_forward) on a copy; files on disk stay standard.
#pragma once

#include <string>

#include <onnx/onnx_pb.h>

#include "ruvision/engine/Result.h"

namespace rv::onnx_io {

// The model with every Clip whose bounds are scalar float initialisers rewritten to carry them
// as attributes, and every AveragePool that counts its pads as the depthwise Conv it computes,
// serialised (for cv::dnn::readNetFromONNX(buffer, size)). An error names a Clip whose bounds are
// not constants, or such an AveragePool whose channel count shape inference does not find.
[[nodiscard]] Result<std::string> for_opencv_dnn46(onnx::ModelProto model);

}  // namespace rv::onnx_io
