#include "image/DecodeTarget.h"

#include <algorithm>

namespace rv {

DecodeTarget::DecodeTarget(std::uint8_t* buffer, std::size_t buffer_bytes, std::int64_t max_pixels, int reduction)
    : buffer_(buffer), buffer_bytes_(buffer_bytes), max_pixels_(max_pixels), reduction_(std::max(reduction, 1)) {}

cv::UMatData* DecodeTarget::allocate(int dims, const int* sizes, int type, void* data, std::size_t* step,
                                     cv::AccessFlag flags, cv::UMatUsageFlags usage) const {
    const cv::MatAllocator* standard = cv::Mat::getStdAllocator();
    if (data) return standard->allocate(dims, sizes, type, data, step, flags, usage);
    std::int64_t pixels = std::int64_t{reduction_} * reduction_;
    for (int i = 0; i < dims && pixels <= max_pixels_; ++i) pixels *= std::max(sizes[i], 0);
    if (pixels > max_pixels_) {
        refusal_ = "image too large (";
        for (int i = dims; i-- > 0;)
            refusal_ += std::to_string(std::int64_t{sizes[i]} * reduction_) + (i ? "x" : "");
        refusal_ += " pixels as decoded, limit " + std::to_string(max_pixels_) + ")";
        CV_Error(cv::Error::StsNoMem, refusal_);
    }
    std::size_t bytes = CV_ELEM_SIZE(type);
    for (int i = dims; i-- > 0;) {
        if (step) step[i] = bytes;
        bytes *= static_cast<std::size_t>(sizes[i]);
    }
    if (handed_out_ || buffer_ == nullptr || bytes != buffer_bytes_)
        return standard->allocate(dims, sizes, type, nullptr, step, flags, usage);
    handed_out_ = true;
    auto* u = new cv::UMatData(this);
    u->data = u->origdata = buffer_;
    u->size = bytes;
    u->flags |= cv::UMatData::USER_ALLOCATED;
    return u;
}

bool DecodeTarget::allocate(cv::UMatData* data, cv::AccessFlag flags, cv::UMatUsageFlags usage) const {
    return cv::Mat::getStdAllocator()->allocate(data, flags, usage);
}

// Only our own buffer's UMatData comes back here (the standard allocator's blocks name it as
// their allocator); the caller owns the pixels.
void DecodeTarget::deallocate(cv::UMatData* data) const {
    if (!data) return;
    CV_Assert(data->urefcount == 0 && data->refcount == 0);
    delete data;
}

}  // namespace rv
