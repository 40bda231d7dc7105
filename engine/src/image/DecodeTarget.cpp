#include "image/DecodeTarget.h"

#include <algorithm>

#include <opencv2/core.hpp>

namespace rv {

namespace {
thread_local DecodeTarget* t_target = nullptr;
}  // namespace

class DecodeTargetAllocator final : public cv::MatAllocator {
public:
    cv::UMatData* allocate(int dims, const int* sizes, int type, void* data, std::size_t* step, cv::AccessFlag flags,
                           cv::UMatUsageFlags usage) const override {
        const cv::MatAllocator* standard = cv::Mat::getStdAllocator();
        DecodeTarget* t = t_target;
        if (t == nullptr || data != nullptr) return standard->allocate(dims, sizes, type, data, step, flags, usage);
        std::int64_t pixels = std::int64_t{t->reduction_} * t->reduction_;
        for (int i = 0; i < dims && pixels <= t->max_pixels_; ++i) pixels *= std::max(sizes[i], 0);
        if (pixels > t->max_pixels_) {
            t->refusal_ = "image too large (";
            for (int i = dims; i-- > 0;)
                t->refusal_ += std::to_string(std::int64_t{sizes[i]} * t->reduction_) + (i ? "x" : "");
            t->refusal_ += " pixels as decoded, limit " + std::to_string(t->max_pixels_) + ")";
            CV_Error(cv::Error::StsNoMem, t->refusal_);
        }
        std::size_t bytes = CV_ELEM_SIZE(type);
        for (int i = dims; i-- > 0;) {
            if (step) step[i] = bytes;
            bytes *= static_cast<std::size_t>(sizes[i]);
        }
        if (t->handed_out_ || t->buffer_ == nullptr || bytes != t->buffer_bytes_)
            return standard->allocate(dims, sizes, type, nullptr, step, flags, usage);
        t->handed_out_ = true;
        auto* u = new cv::UMatData(this);
        u->data = u->origdata = t->buffer_;
        u->size = bytes;
        u->flags |= cv::UMatData::USER_ALLOCATED;
        return u;
    }

    bool allocate(cv::UMatData* data, cv::AccessFlag flags, cv::UMatUsageFlags usage) const override {
        return cv::Mat::getStdAllocator()->allocate(data, flags, usage);
    }

    // Only handed-out buffers come back here (the standard allocator's blocks name it as their
    // allocator); their pixels belong to the caller.
    void deallocate(cv::UMatData* data) const override {
        if (!data) return;
        CV_Assert(data->urefcount == 0 && data->refcount == 0);
        delete data;
    }
};

namespace {
// Installed during static initialisation, before main() starts any thread; never destroyed
// (Mats may be released during static destruction).
DecodeTargetAllocator* const g_allocator = [] {
    auto* a = new DecodeTargetAllocator;
    cv::Mat::setDefaultAllocator(a);
    return a;
}();
}  // namespace

DecodeTarget::DecodeTarget(std::uint8_t* buffer, std::size_t buffer_bytes, std::int64_t max_pixels, int reduction)
    : buffer_(buffer), buffer_bytes_(buffer_bytes), max_pixels_(max_pixels), reduction_(std::max(reduction, 1)) {
    (void)g_allocator;
    t_target = this;
}

DecodeTarget::~DecodeTarget() { t_target = nullptr; }

}  // namespace rv
