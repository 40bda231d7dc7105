// The ONNX graph of a loaded model file, in memory (export_onnx in ruvision/engine/OnnxExport.h
// checks and writes it). For tests that look at the protobuf itself.
#pragma once

#include <onnx/onnx_pb.h>

#include "model/ModelFile.h"
#include "ruvision/engine/OnnxExport.h"

namespace rv::onnx_io {

// Our graph as ONNX (opset kOpsetVersion), pruned to what the outputs need, one ONNX node per
// op plus one per fused activation, out_scale and renamed output. See OnnxCommon.h for layouts
// and names. `label` names the model in errors (its file).
[[nodiscard]] Result<onnx::ModelProto> build_onnx(const ModelFile& model, const OnnxExportOptions& options,
                                                  const std::string& label, OnnxExportSummary* summary = nullptr);

}  // namespace rv::onnx_io
