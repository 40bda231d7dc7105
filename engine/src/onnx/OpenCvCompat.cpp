#include "onnx/OpenCvCompat.h"

#include <cstring>
#include <map>

#include "onnx/OnnxCommon.h"

namespace rv::onnx_io {

Result<std::string> for_opencv_dnn46(onnx::ModelProto model) {
    auto* g = model.mutable_graph();
    std::map<std::string, float> scalars;
    for (const auto& t : g->initializer()) {
        if (t.dims_size() != 0 || t.data_type() != onnx::TensorProto::FLOAT) continue;
        float v = 0;
        if (t.raw_data().size() == sizeof v) std::memcpy(&v, t.raw_data().data(), sizeof v);
        else if (t.float_data_size() == 1) v = t.float_data(0);
        else continue;
        scalars[t.name()] = v;
    }
    for (auto& n : *g->mutable_node()) {
        if (n.op_type() != "Clip" || n.input_size() == 1) continue;
        const char* names[2] = {"min", "max"};
        for (int k = 1; k < n.input_size() && k <= 2; ++k) {
            if (n.input(k).empty()) continue;
            auto it = scalars.find(n.input(k));
            if (it == scalars.end()) return Error{"Clip " + n.name() + ": bound " + n.input(k) + " is not a constant"};
            set_attr(n, names[k - 1], it->second);
        }
        const std::string x = n.input(0);
        n.clear_input();
        n.add_input(x);
    }
    std::string bytes;
    if (!model.SerializeToString(&bytes)) return Error{"cannot serialise the ONNX model"};
    return bytes;
}

}  // namespace rv::onnx_io
