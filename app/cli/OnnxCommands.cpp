// `ruvision-cli export-onnx MODEL OUT.onnx`.
#include <charconv>
#include <cstdio>
#include <filesystem>

#include "cli/Commands.h"
#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/OnnxExport.h"

namespace rv::cli {

namespace {

// "WxH" (e.g. 241x187) read whole; false if it is not two positive numbers.
bool parse_size(const std::string& text, int* w, int* h) {
    const auto x = text.find('x');
    if (x == std::string::npos) return false;
    const char* b = text.data();
    auto r1 = std::from_chars(b, b + x, *w);
    auto r2 = std::from_chars(b + x + 1, b + text.size(), *h);
    return r1.ec == std::errc() && r1.ptr == b + x && r2.ec == std::errc() && r2.ptr == b + text.size() && *w > 0 &&
           *h > 0 && *w <= 8192 && *h <= 8192;
}

}  // namespace

int cmd_export_onnx(const Parsed& args) {
    const std::string& model_arg = args.operands()[0];
    const std::filesystem::path out = args.operands()[1];
    OnnxExportOptions options;
    options.outputs = args.list("output");
    if (args.has("size") && !parse_size(args.text("size"), &options.width, &options.height))
        return usage_error("export-onnx", "--size wants WIDTHxHEIGHT in pixels (1 to 8192), e.g. 241x187, not '" +
                                              args.text("size") + "'");

    auto model_file = model_file_of(model_arg);
    if (!model_file) {
        print_error(model_file.error().message);
        return 2;
    }
    auto summary = export_onnx(*model_file, out, options);
    if (!summary) {
        print_error(summary.error().message);
        return 1;
    }
    if (args.has("json")) {
        std::printf("%s\n", dump({{"model", model_file->string()}, {"onnx", out.string()}, {"opset", summary->opset},
                                  {"input", summary->input}, {"input_shape", summary->input_shape},
                                  {"outputs", summary->outputs}, {"output_nodes", summary->output_nodes},
                                  {"onnx_nodes", summary->onnx_nodes}})
                                .c_str());
        return 0;
    }
    std::string shape;
    for (auto d : summary->input_shape) {
        if (!shape.empty()) shape += 'x';
        shape += d < 0 ? std::string("?") : std::to_string(d);
    }
    std::printf("wrote %s: opset %d, %d nodes, input %s %s (NCHW, preprocessed)\n", printable(out.string()).c_str(),
                summary->opset, summary->onnx_nodes, summary->input.c_str(), shape.c_str());
    for (std::size_t i = 0; i < summary->outputs.size(); ++i)
        std::printf("  output %s = node %s\n", printable(summary->outputs[i]).c_str(),
                    printable(summary->output_nodes[i]).c_str());
    return 0;
}

}  // namespace rv::cli
