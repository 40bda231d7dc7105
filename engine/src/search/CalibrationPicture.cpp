#include "search/CalibrationPicture.h"

#include <utility>

#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/ImageEdits.h"

namespace rv {

const RgbImage* CalibrationPicture::get(std::int64_t file_id, const std::string& path) {
    for (const Kept& k : kept_)
        if (k.file_id == file_id && k.path == path) return k.picture ? &*k.picture : nullptr;
    // Room is made before the next file is decoded (none kept: the last file's picture goes first).
    while (!kept_.empty() && bytes_ > keep_bytes_) {
        bytes_ -= kept_.front().bytes;
        kept_.pop_front();
    }
    if (decodes_) ++*decodes_;
    DecodeOptions options;
    options.min_side = 256;
    Kept k{file_id, path, std::nullopt, 1};
    if (auto decoded = decode_image(path, options)) k.picture = shrink_to_side(decoded->image, kCalibrationSide);
    if (k.picture) k.bytes += k.picture->data.size();
    bytes_ += k.bytes;
    kept_.push_back(std::move(k));
    return kept_.back().picture ? &*kept_.back().picture : nullptr;
}

EditedView edited_views(Embedder& embedder, std::uint64_t seed, std::uint64_t stream, PictureEdit edit,
                        std::shared_ptr<CalibrationPicture> pictures) {
    return [&embedder, seed, stream, edit = std::move(edit), pictures = std::move(pictures)](
               std::int64_t file_id, const std::string& path, int view) -> std::optional<std::vector<float>> {
        const RgbImage* image = pictures->get(file_id, path);
        if (!image) return std::nullopt;  // an unreadable file is no positive; the others are
        EditRandom r(seed, static_cast<std::uint64_t>(file_id), stream + static_cast<std::uint64_t>(view));
        auto e = embedder.embed(edit(*image, r));
        if (!e) return std::nullopt;
        return std::move(*e);
    };
}

}  // namespace rv
