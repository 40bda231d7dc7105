// The EXIF reader on arbitrary bytes: the container walks (JPEG APP1, PNG eXIf, WebP EXIF, TIFF)
// through read_image_info(), and the TIFF/IFD reader alone on the whole input. No read outside
// the input, no endless loop, only values within the ranges ImageInfo.h promises.
#include <cstdint>
#include <cstdlib>

#include "image/Exif.h"
#include "ruvision/engine/ImageInfo.h"

namespace {

void check(const rv::ExifInfo& e) {
    if (e.orientation < 0 || e.orientation > 8) std::abort();
    if (e.f_number < 0 || e.exposure_time < 0 || e.focal_length < 0 || e.iso < 0) std::abort();
    for (const std::string* s : {&e.make, &e.model, &e.lens, &e.date_original})
        if (s->size() > 256) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const rv::ImageInfo info = rv::read_image_info(data, size);
    check(info.exif);
    if (info.file_size != size || info.width < 0 || info.height < 0) std::abort();

    rv::exif::MemorySource src(data, size);
    rv::ExifInfo direct;
    (void)rv::exif::read_tiff_exif(src, 0, size, direct);
    check(direct);
    return 0;
}
