// The allocator OpenCV's decoder gets for its output image: it hands out a buffer the caller
// owns (so a decode whose size the header told lands straight in the caller's pixels), and it
// refuses any image larger than the pixel limit, as the decoder itself sees the image.
//
// Why at allocation: cv::imdecode creates its output from the decoder's own header read
// (libjpeg's, libpng's, libwebp's, libtiff's), before any pixel data is decoded and before the
// decoder's large internal buffers (libjpeg's progressive coefficients) exist, and those are
// sized from the same header. So a file whose first bytes lie about its size still cannot make
// the decoder allocate past the limit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <opencv2/core.hpp>

namespace rv {

class DecodeTarget final : public cv::MatAllocator {
public:
    // `buffer` (may be null) of `buffer_bytes` is owned by the caller and must outlive every Mat
    // using this allocator; it is handed out once, to the first allocation of exactly that many
    // bytes. `max_pixels` bounds the rows x columns of every allocation times reduction^2 (the
    // JPEG DCT reduction asked of the decoder: its output is the full size / reduction per side).
    DecodeTarget(std::uint8_t* buffer, std::size_t buffer_bytes, std::int64_t max_pixels, int reduction = 1);

    // Why an allocation was refused ("image too large (W x H pixels ...)"); empty if none was.
    const std::string& refusal() const { return refusal_; }

    cv::UMatData* allocate(int dims, const int* sizes, int type, void* data, std::size_t* step,
                           cv::AccessFlag flags, cv::UMatUsageFlags usage) const override;
    bool allocate(cv::UMatData* data, cv::AccessFlag flags, cv::UMatUsageFlags usage) const override;
    void deallocate(cv::UMatData* data) const override;

private:
    std::uint8_t* buffer_;
    std::size_t buffer_bytes_;
    std::int64_t max_pixels_;
    int reduction_;
    // Single-threaded: the allocator belongs to one decode on one thread.
    mutable bool handed_out_ = false;
    mutable std::string refusal_;
};

}  // namespace rv
