// Image -> L2-normalised embedding, with a pretrained backbone running on our kernels.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ruvision/engine/Image.h"
#include "ruvision/engine/Result.h"

namespace rv {

class Network;

// An installed model file (.rvm), as read from its header.
struct ModelInfo {
    std::string name;          // e.g. "mobilenet_v2"; for a broken file, the name its header gives
                               // if it could be read, else the file name without ".rvm"
    std::filesystem::path path;
    std::string problem;       // empty: usable; else why not, naming the file ("model file F: reason")
    std::string source;        // where the weights came from, e.g. "npm:nsfwjs@4.4.0 ..."
    std::string architecture;  // e.g. "MobileNetV2 1.0 (Keras)"
    std::string default_descriptor;
    int dim = 0;               // dimension of the default descriptor
    bool int8 = false;         // the file carries an INT8 calibration (it can run with Precision::Int8)
};

// The arithmetic a network runs in. Int8 needs a model file that carries an INT8 calibration
// (`ruvision-cli calibrate-int8`); its embeddings keep a cosine of about 0.998 with fp32's.
enum class Precision { Fp32, Int8 };
std::string_view precision_name(Precision p);  // "fp32", "int8"
[[nodiscard]] Result<Precision> parse_precision(std::string_view text);

// Folders searched for *.rvm, in order: $RUVISION_MODELS (colon-separated), <exe>/../models,
// <exe>/../share/ruvision/models, /usr/share/ruvision/models.
std::vector<std::filesystem::path> model_search_path();
// Every *.rvm regular file in the search path, broken ones included (with `problem` set), in
// search-path order then by file name; a name already taken by an earlier file is skipped. Each
// file is validated on its own (header, graph, shapes, tensor ranges, descriptors), so a broken
// one never hides or breaks another. With `verify_data`, the tensor data is read and checked too
// (checksum, finite values): slower (the whole file), for listing with a verdict.
std::vector<ModelInfo> list_models(bool verify_data = false);
// name empty: the default model (kDefaultModelName below; if no file claims that name, the first
// usable one). A model whose file is broken is an error naming the file and the reason, never
// replaced by another.
[[nodiscard]] Result<ModelInfo> find_model(std::string_view name = {});
// One node of a model's network, for naming nodes in descriptors.
struct NodeInfo {
    int index = 0;
    std::string name;
    std::string op;                    // "conv2d", "add", ...
    std::vector<int> inputs;           // indices of earlier nodes
    std::vector<std::string> aliases;  // friendly names of this node
    int h = 0, w = 0, c = 0;           // output shape at the model's native input size
};
// The nodes of a model file's network (its header is validated first).
[[nodiscard]] Result<std::vector<NodeInfo>> model_nodes(const std::filesystem::path& model_file);
// Chosen from the retrieval figures in the README (near-duplicate recall first, then Fashion-MNIST mAP).
inline constexpr std::string_view kDefaultModelName = "mobilenet_v2";

// Which maps are pooled and how, at which input sizes.
// Text form: PART[+PART...][@SIZE[,SIZE...]][|flip]
//   PART  = avg:NODE | gemP:NODE (P a number from 1 to 16, e.g. gem3:NODE; gem alone is gem3) | max:NODE
//   NODE  = a node name or alias of the model (see `ruvision-cli models --nodes NAME`)
//   SIZE  = input side in pixels, 32..2048 (models that accept any size), or "native"
// At most 16 parts and 8 sizes; the whole text is parsed (nothing after a number is ignored).
//   |flip = also embed the mirrored image and average
// Each part is L2-normalised before concatenation; the result is L2-normalised; several sizes
// (and the flip) are averaged before the final normalisation.
struct DescriptorSpec {
    struct Part {
        std::string node;
        enum class Pool { Avg, Gem, Max } pool = Pool::Avg;
        float p = 3.0f;  // GeM exponent
    };
    std::vector<Part> parts;
    std::vector<int> sizes;  // empty or 0 = the model's native input size
    bool flip = false;

    [[nodiscard]] static Result<DescriptorSpec> parse(std::string_view text);
    std::string str() const;
};

// Not thread-safe: owns scratch buffers. Use one Embedder per thread; clone() shares weights.
class Embedder {
public:
    // descriptor empty: the model's default descriptor.
    // The model file is validated completely first (see engine/src/model/ModelFile.h); errors
    // name the file or the descriptor and the reason.
    // Precision::Int8 with a model that carries no INT8 calibration is an error naming the file.
    [[nodiscard]] static Result<std::unique_ptr<Embedder>> open(const ModelInfo& model,
                                                                std::string_view descriptor = {},
                                                                Precision precision = Precision::Fp32);
    [[nodiscard]] static Result<std::unique_ptr<Embedder>> open(const std::filesystem::path& model_file,
                                                                std::string_view descriptor = {},
                                                                Precision precision = Precision::Fp32);
    ~Embedder();

    std::unique_ptr<Embedder> clone() const;

    const std::string& model_name() const;
    Precision precision() const;
    const DescriptorSpec& descriptor() const;
    int dim() const;
    // Smallest side the decoder must keep for this descriptor (for DCT-reduced decoding).
    int min_decode_side() const;

    // Decode + preprocess + forward + pool; errors name the file and the reason.
    [[nodiscard]] Result<std::vector<float>> embed_file(const std::filesystem::path& path);
    // Preprocess + forward + pool. An embedding is returned only if it is finite and not zero;
    // otherwise (an image the network cannot run on, a descriptor that overflows) an error gives
    // the reason (the caller adds the file).
    [[nodiscard]] Result<std::vector<float>> embed(const RgbImage& image);
    // The same for the image turned 90 degrees clockwise (turned after preprocessing, so it costs
    // one more forward pass and no copy of the image).
    [[nodiscard]] Result<std::vector<float>> embed_turned(const RgbImage& image);
    // Both at once, from one preprocessing of the image (what indexing stores for each file).
    struct PlainAndTurned {
        std::vector<float> plain, turned;
    };
    [[nodiscard]] Result<PlainAndTurned> embed_with_turned(const RgbImage& image);

    // The input tensor exactly as the model wants it (size, value range, channel order), for one
    // input side (0 = native). NHWC float, H x W x 3.
    std::vector<float> preprocess(const RgbImage& image, int side, int* out_h, int* out_w) const;
    // The full map of a node (NHWC) for a preprocessed input, with its shape.
    [[nodiscard]] Result<std::vector<float>> node_map(const float* input_nhwc, int h, int w, std::string_view node,
                                        int* out_h, int* out_w, int* out_c);

private:
    struct Impl;
    explicit Embedder(std::unique_ptr<Impl> impl);
    Result<PlainAndTurned> embed_impl(const RgbImage& image, bool plain, bool turned);
    std::unique_ptr<Impl> impl_;
};

}  // namespace rv
