// The whole decode of an in-memory file (rv::decode_image_bytes: header checks, OpenCV's
// decoders under the allocation limit, transparency compositing) on arbitrary bytes. A result is
// an error or a well-formed picture within the pixel limit; never a crash, a hang or an
// allocation past the limit.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "ruvision/engine/Image.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // 4 megapixels: large enough for every branch (DCT reduction needs >= 448 px sides), small
    // enough that a lying header cannot make one input take seconds under ASan.
    rv::DecodeOptions options;
    options.max_pixels = 4'000'000;
    options.reader_seconds = 4;  // libheif/libraw children: well inside libFuzzer's 10 s per input
    options.min_side = size % 2 ? 224 : 0;  // both the full and the DCT-reduced JPEG paths
    const std::vector<std::uint8_t> bytes(data, data + size);
    auto d = rv::decode_image_bytes(bytes, "fuzz", options);
    if (!d.ok()) {
        if (d.error().message.rfind("fuzz: ", 0) != 0) std::abort();  // errors name the file
        return 0;
    }
    const rv::RgbImage& img = d->image;
    if (img.width <= 0 || img.height <= 0) std::abort();
    if (img.data.size() != static_cast<std::size_t>(img.width) * img.height * 3) std::abort();
    const std::int64_t r = d->reduction;
    if (std::int64_t{img.width} * img.height * r * r > options.max_pixels) std::abort();
    return 0;
}
