// Where OpenCV's decoder puts its output image, and how large it may be. While a DecodeTarget is
// alive on a thread, every cv::Mat that thread allocates goes through it: the first allocation
// of exactly the buffer's size gets the caller's buffer (so a decode whose size the header told
// lands straight in the caller's pixels), and any allocation of more than the pixel limit is
// refused (cv::Exception; the reason kept in refusal()).
//
// Why at allocation: cv::imdecode creates its output from the decoder's own header read
// (libjpeg's, libpng's, libwebp's, libtiff's), before any pixel data is decoded and before the
// decoder's large internal buffers (libjpeg's progressive coefficients) exist, and those are
// sized from the same header. So a file whose first bytes lie about its size still cannot make
// the decoder allocate past the limit.
//
// How: the engine installs, once at program start (before any thread), a cv::Mat default
// allocator that defers to OpenCV's standard one unless a DecodeTarget is alive on the calling
// thread. (A Mat's own `allocator` would not do: cv::Mat::create falls back to the default
// allocator when a custom one throws.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace rv {

class DecodeTarget {
public:
    // `buffer` (may be null) of `buffer_bytes` is owned by the caller and must outlive every Mat
    // given it; it is handed out once. `max_pixels` bounds rows x columns x reduction^2 of every
    // allocation (reduction: the JPEG DCT scale asked of the decoder, 1, 2, 4 or 8). Not nestable
    // on one thread.
    DecodeTarget(std::uint8_t* buffer, std::size_t buffer_bytes, std::int64_t max_pixels, int reduction = 1);
    ~DecodeTarget();
    DecodeTarget(const DecodeTarget&) = delete;
    DecodeTarget& operator=(const DecodeTarget&) = delete;

    // Why an allocation was refused ("image too large (W x H pixels as decoded, ...)"); empty if none.
    const std::string& refusal() const { return refusal_; }

private:
    friend class DecodeTargetAllocator;
    std::uint8_t* buffer_;
    std::size_t buffer_bytes_;
    std::int64_t max_pixels_;
    int reduction_;
    bool handed_out_ = false;
    std::string refusal_;
};

}  // namespace rv
