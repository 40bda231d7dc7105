#include "onnx/OpenCvCompat.h"

#include <algorithm>
#include <cstring>
#include <map>

#include <onnx/shape_inference/implementation.h>

#include "import/OnnxProto.h"
#include "onnx/OnnxCommon.h"

namespace rv::onnx_io {

namespace {

bool counts_pads(const onnx::NodeProto& n) {
    return n.op_type() == "AveragePool" && onnx_proto::attr_int(n, "count_include_pad", 0) != 0;
}

// Every AveragePool that counts its pads as what it computes: a depthwise Conv over the same
// window (kernel, strides, pads or auto_pad) with weights 1 / (kh * kw), zero-padded. The channel
// counts come from ONNX's shape inference, run on a copy: what OpenCV reads gains no value_info.
Status average_pools_as_convs(onnx::ModelProto& model) {
    auto* g = model.mutable_graph();
    if (std::none_of(g->node().begin(), g->node().end(), counts_pads)) return Status::success();
    onnx::ModelProto inferred = model;
    try {
        onnx::shape_inference::InferShapes(inferred);
    } catch (const std::exception& e) {
        return Error{std::string("ONNX shape inference: ") + e.what()};
    }
    std::map<std::string, std::int64_t> channels;  // of the NCHW values whose C is known
    const auto& ig = inferred.graph();
    for (const auto* values : {&ig.input(), &ig.value_info(), &ig.output()})
        for (const auto& v : *values)
            if (const auto& d = v.type().tensor_type().shape().dim(); d.size() == 4 && d[1].has_dim_value())
                channels[v.name()] = d[1].dim_value();
    for (auto& n : *g->mutable_node()) {
        if (!counts_pads(n)) continue;
        const auto c = channels.find(n.input(0));
        const auto k = onnx_proto::attr_ints(n, "kernel_shape");
        if (c == channels.end() || k.size() != 2)
            return Error{"AveragePool " + n.name() + ": not 2-D, or its channel count is unknown"};
        const std::vector<float> w(static_cast<std::size_t>(c->second * k[0] * k[1]),
                                   1.0f / static_cast<float>(k[0] * k[1]));
        const std::string weights = n.name() + "#mean_weights";
        add_float_initializer(*g, weights, {c->second, 1, k[0], k[1]}, w.data(), w.size());
        n.set_op_type("Conv");
        n.add_input(weights);
        auto* attrs = n.mutable_attribute();
        for (int i = attrs->size() - 1; i >= 0; --i)
            if (attrs->Get(i).name() == "count_include_pad") attrs->DeleteSubrange(i, 1);
        set_attr(n, "group", c->second);
    }
    return Status::success();
}

}  // namespace

Result<std::string> for_opencv_dnn46(onnx::ModelProto model) {
    if (auto st = average_pools_as_convs(model); !st) return st.error();
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
