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
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/Graph.h"
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
    static Result<Preprocess> from_json(const nlohmann::json& j);
};

struct ModelData {
    std::string name;
    std::string architecture;
    std::string source;
    Preprocess preprocess;
    std::map<std::string, std::string> descriptors;  // "default" -> spec text, others by name
    nn::Graph graph;
    nn::TensorMap tensors;
};

// A loaded model: header fields plus tensors viewed in the file buffer.
class ModelFile {
public:
    struct TensorView {
        std::vector<int> shape;
        const float* data = nullptr;
        std::size_t size = 0;  // element count
    };

    static Result<std::shared_ptr<const ModelFile>> load(const std::filesystem::path& path);
    // Reads and checks only the fixed header and the JSON (no checksum of the tensor data).
    static Result<nlohmann::json> read_header(const std::filesystem::path& path);

    const std::string& name() const { return name_; }
    const std::string& architecture() const { return architecture_; }
    const std::string& source() const { return source_; }
    const Preprocess& preprocess() const { return preprocess_; }
    const std::map<std::string, std::string>& descriptors() const { return descriptors_; }
    const nn::Graph& graph() const { return graph_; }
    const TensorView* tensor(const std::string& name) const;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
    std::unique_ptr<std::uint8_t, void (*)(std::uint8_t*)> buffer_{nullptr, nullptr};
    std::string name_, architecture_, source_;
    Preprocess preprocess_;
    std::map<std::string, std::string> descriptors_;
    nn::Graph graph_;
    std::map<std::string, TensorView> tensors_;
};

Status write_model_file(const std::filesystem::path& path, const ModelData& model);

}  // namespace rv
