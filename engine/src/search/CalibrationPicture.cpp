#include "search/CalibrationPicture.h"

#include "ruvision/engine/ImageEdits.h"

namespace rv {

const RgbImage* CalibrationPicture::get(std::int64_t file_id, const std::string& path) {
    if (file_id_ != file_id || path_ != path) {
        picture_.reset();  // the last file's picture goes before the next one is decoded
        file_id_ = file_id;
        path_ = path;
        if (decodes_) ++*decodes_;
        DecodeOptions options;
        options.min_side = 256;
        if (auto decoded = decode_image(path, options)) picture_ = shrink_to_side(decoded->image, kCalibrationSide);
    }
    return picture_ ? &*picture_ : nullptr;
}

}  // namespace rv
