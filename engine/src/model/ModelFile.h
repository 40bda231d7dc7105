// RuVision's own model file (.rvm).
//
// Layout (all integers little-endian):
//   0   8 bytes  magic "RUVMODEL"
//   8   u32      format version (kModelFormatVersion)
//   12  u32      length of the header JSON in bytes
//   16  u64      offset of the tensor data (a multiple of 64)
//   24  u64      length of the tensor data in bytes
//   32  u64      FNV-1a 64 checksum of everything from byte 40 to the end of the file
//   40  ...      header JSON: {name, architecture, source, preprocess, descriptors, network,
//                tensors: [{name, shape, offset}]}; offsets are relative to the tensor data,
//                multiples of 64, float32 little-endian row-major
//   ... zero padding to the tensor data offset, then the tensor data.
// The file is read in one call; tensors are used in place (64-byte aligned).
//
// A model file is untrusted input: nothing of it is used before it is validated completely
// (only regular files are opened; checksum; every JSON field's type and range; graph acyclic with
// node inputs in range; shapes propagated through the graph at the native input size; tensors
// inside the data, of the shapes their nodes need, finite; every descriptor resolvable; sizes
// bounded). One broken file gives an error naming it and the reason, and affects nothing else.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/Graph.h"
#include "nn/int8/Calibration.h"
#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/Result.h"

namespace rv {

inline constexpr std::uint32_t kModelFormatVersion = 1;

// How an image becomes the input tensor.
struct Preprocess {
    int width = 224;   // native input size
    int height = 224;
    bool any_size = false;  // the network runs at any input size (fully convolutional)
    // "stretch": resize to exactly width x height (aspect not kept), TF bilinear with
    // align_corners (what nsfwjs does). "shorter_side": keep aspect, shorter side = the size asked.
    std::string resize = "stretch";
    float scale = 1.0f;  // tensor = pixel (0..255, RGB) * scale + offset
    float offset = 0.0f;

    nlohmann::json to_json() const;
    [[nodiscard]] static Result<Preprocess> from_json(const nlohmann::json& j);
};

// Bounds on a model file (the real ones: 7-9 MB, headers of 21-37 KB).
inline constexpr std::uint64_t kMaxModelFileBytes = std::uint64_t(1) << 30;
inline constexpr std::uint32_t kMaxHeaderJsonBytes = 16u << 20;

// A tensor as the header describes it: `size` float32 values at `offset` in the tensor data.
struct TensorEntry {
    std::vector<int> shape;
    std::uint64_t offset = 0;  // bytes from the start of the tensor data, a multiple of 64
    std::size_t size = 0;      // element count (product of the shape)
};

// Everything a model file says except its tensor values, validated.
struct ModelHeader {
    std::string name;  // letters, digits, '.', '_', '-'
    std::string architecture, source;
    Preprocess preprocess;
    std::map<std::string, std::string> descriptors;  // "default" -> spec text, others by name; all resolvable
    nn::Graph graph;
    std::map<std::string, TensorEntry> tensors;
    nn::TensorShapes tensor_shapes;
    int default_dim = 0;  // dimension of the default descriptor
    std::optional<nn::Int8Calibration> int8;  // how to run it in INT8, if it was calibrated
};

struct ModelData {
    std::string name;
    std::string architecture;
    std::string source;
    Preprocess preprocess;
    std::map<std::string, std::string> descriptors;  // "default" -> spec text, others by name
    nn::Graph graph;
    nn::TensorMap tensors;
    std::optional<nn::Int8Calibration> int8;
};

// A loaded model: header fields plus tensors viewed in the file buffer.
class ModelFile {
public:
    struct TensorView {
        std::vector<int> shape;
        const float* data = nullptr;
        std::size_t size = 0;  // element count
    };

    // Reads the whole file and validates everything, tensor data included (checksum, finite values).
    [[nodiscard]] static Result<std::shared_ptr<const ModelFile>> load(const std::filesystem::path& path);
    // Reads only the fixed header and the JSON, and validates everything but the tensor values
    // (which the checksum covers): for listing models without reading their weights. When the
    // file is broken, `*claimed_name` (if given) is the name its header gives, if it got that far.
    [[nodiscard]] static Result<ModelHeader> inspect(const std::filesystem::path& path,
                                                     std::string* claimed_name = nullptr);
    // The same checks on a file image in memory (for the fuzz target and tests); `label` names it
    // in errors.
    [[nodiscard]] static Result<std::shared_ptr<const ModelFile>> from_bytes(const std::uint8_t* data, std::size_t size,
                                                                           const std::string& label);

    const ModelHeader& header() const { return header_; }
    const std::string& name() const { return header_.name; }
    const std::string& architecture() const { return header_.architecture; }
    const std::string& source() const { return header_.source; }
    const Preprocess& preprocess() const { return header_.preprocess; }
    const std::map<std::string, std::string>& descriptors() const { return header_.descriptors; }
    const nn::Graph& graph() const { return header_.graph; }
    const nn::TensorShapes& tensor_shapes() const { return header_.tensor_shapes; }
    const std::optional<nn::Int8Calibration>& int8_calibration() const { return header_.int8; }
    const TensorView* tensor(const std::string& name) const;
    // Everything the file holds, as data to write again (tensors copied).
    ModelData data() const;
    const std::filesystem::path& path() const { return path_; }

private:
    [[nodiscard]] static Result<std::shared_ptr<const ModelFile>> from_buffer(
        std::unique_ptr<std::uint8_t, void (*)(std::uint8_t*)> buffer, std::size_t size,
        const std::filesystem::path& path, const std::string& label);

    std::filesystem::path path_;
    std::unique_ptr<std::uint8_t, void (*)(std::uint8_t*)> buffer_{nullptr, nullptr};
    ModelHeader header_;
    std::map<std::string, TensorView> tensors_;
};

// A descriptor checked against a model: the spec, the node and channel count of each part.
struct ResolvedDescriptor {
    std::string text;  // the spec text (a descriptor name is replaced by its spec)
    DescriptorSpec spec;
    std::vector<int> part_nodes;
    std::vector<int> part_dims;
    int dim = 0;
};
// `text`: a spec, or the name of one of the model's descriptors; empty: the default. Errors name
// the spec and the reason (unknown node, a size the model cannot run at).
[[nodiscard]] Result<ResolvedDescriptor> resolve_descriptor(const ModelHeader& model, std::string_view text);

[[nodiscard]] Status write_model_file(const std::filesystem::path& path, const ModelData& model);
// The file image write_model_file writes (for tests and fuzz seeds).
std::vector<std::uint8_t> model_file_bytes(const ModelData& model);
// The checksum a file image of `size` bytes should carry at byte 32 (for the fuzz target, which
// fixes it so that mutations reach the header parser).
std::uint64_t model_file_checksum(const std::uint8_t* file, std::size_t size);
// A file image from a header JSON text and the tensor data, with offsets and checksum computed:
// lets tests build files whose header is wrong in one precise way yet whose checksum is valid.
std::vector<std::uint8_t> assemble_model_file(const std::string& header_json, const std::uint8_t* data,
                                              std::size_t data_len);

}  // namespace rv
