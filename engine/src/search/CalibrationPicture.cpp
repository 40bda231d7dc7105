#include "search/CalibrationPicture.h"

#include <utility>

#include "ruvision/engine/Embedder.h"
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

EditedView edited_views(Embedder& embedder, std::uint64_t seed, std::uint64_t stream, PictureEdit edit,
                        std::size_t* decodes) {
    auto picture = std::make_shared<CalibrationPicture>(decodes);
    return [&embedder, seed, stream, edit = std::move(edit), picture](
               std::int64_t file_id, const std::string& path, int view) -> std::optional<std::vector<float>> {
        const RgbImage* image = picture->get(file_id, path);
        if (!image) return std::nullopt;  // an unreadable file is no positive; the others are
        EditRandom r(seed, static_cast<std::uint64_t>(file_id), stream + static_cast<std::uint64_t>(view));
        auto e = embedder.embed(edit(*image, r));
        if (!e) return std::nullopt;
        return std::move(*e);
    };
}

}  // namespace rv
