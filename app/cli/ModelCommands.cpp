// `ruvision-cli calibrate-int8 MODEL IMAGE...` and the resolution of a MODEL operand shared by the
// commands that take a model by name or by file.
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "cli/Commands.h"
#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/ImageFormats.h"
#include "ruvision/engine/Int8Calibration.h"

namespace rv::cli {

namespace fs = std::filesystem;

Result<fs::path> model_file_of(const std::string& model_arg) {
    // A path (an existing file, or anything naming a folder or .rvm) is a model file; else a name.
    std::error_code ec;
    if (fs::exists(model_arg, ec) || model_arg.find('/') != std::string::npos ||
        fs::path(model_arg).extension() == ".rvm")
        return fs::path(model_arg);
    auto m = find_model(model_arg);
    if (!m) return m.error();
    return m->path;
}

namespace {

bool is_picture(const fs::path& p) {
    std::string ext = p.extension().string();
    if (!ext.empty()) ext.erase(0, 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    const auto& known = picture_extensions();
    return std::find(known.begin(), known.end(), ext) != known.end() && unsupported_format(p).empty();
}

}  // namespace

int cmd_calibrate_int8(const Parsed& args) {
    auto model_file = model_file_of(args.operands()[0]);
    if (!model_file) {
        print_error(model_file.error().message);
        return 2;
    }
    // Files as given; folders walked (sorted, pictures RuVision reads).
    std::vector<fs::path> images;
    for (std::size_t i = 1; i < args.operands().size(); ++i) {
        const fs::path p = args.operands()[i];
        std::error_code ec;
        if (!fs::is_directory(p, ec)) {
            images.push_back(p);
            continue;
        }
        std::vector<fs::path> found;
        for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
            if (it->is_regular_file(ec) && is_picture(it->path())) found.push_back(it->path());
        if (ec) {
            print_error(p.string() + ": cannot list the folder (" + ec.message() + ")");
            return 1;
        }
        std::sort(found.begin(), found.end());
        images.insert(images.end(), found.begin(), found.end());
    }
    Int8CalibrationOptions options;
    options.percentile = args.number("percentile", options.percentile);
    options.float_nodes = args.list("float");
    const fs::path out = args.has("out") ? fs::path(args.text("out")) : *model_file;
    auto report = calibrate_int8(*model_file, images, out, options);
    if (!report) {
        print_error(report.error().message);
        return 1;
    }
    for (const auto& s : report->skipped) print_error("skipped " + s);
    if (args.has("json")) {
        std::printf("%s\n", dump({{"model", model_file->string()}, {"out", out.string()}, {"images", report->images},
                                  {"skipped", report->skipped.size()}, {"int8_nodes", report->int8_nodes},
                                  {"nodes", report->nodes}, {"mean_cosine", report->mean_cosine},
                                  {"worst_cosine", report->worst_cosine}})
                                .c_str());
    } else {
        std::printf("wrote %s: INT8 calibration from %s (%zu skipped), %d of %d nodes in INT8; cosine with fp32 on "
                    "those photos: mean %.4f, worst %.4f\n",
                    printable(out.string()).c_str(), count(report->images, "photo").c_str(), report->skipped.size(),
                    report->int8_nodes, report->nodes, report->mean_cosine, report->worst_cosine);
    }
    return 0;
}

}  // namespace rv::cli
