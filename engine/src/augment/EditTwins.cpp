#include "augment/EditTwins.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "ruvision/engine/ImageEdits.h"

namespace rv {

RgbImage turned_by(const RgbImage& image, double degrees) {
    if (image.width <= 0 || image.height <= 0 ||
        image.data.size() != static_cast<std::size_t>(image.width) * image.height * 3)
        return image;
    const cv::Mat in(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.data.data()));
    const cv::Point2f centre(static_cast<float>(image.width) / 2.0f, static_cast<float>(image.height) / 2.0f);
    cv::Mat out;
    cv::warpAffine(in, out, cv::getRotationMatrix2D(centre, degrees, 1.0), in.size(), cv::INTER_LINEAR,
                   cv::BORDER_CONSTANT, cv::Scalar::all(0));
    RgbImage r;
    r.width = out.cols;
    r.height = out.rows;
    r.data.assign(out.data, out.data + static_cast<std::size_t>(out.cols) * out.rows * 3);
    return r;
}

std::vector<RgbImage> twin_views(const RgbImage& image) {
    std::vector<RgbImage> out;
    out.push_back(turned_by(image, kTwinTurnDegrees));
    out.push_back(turned_by(image, -kTwinTurnDegrees));
    EditRandom none(0);  // the grey edit draws nothing
    RgbImage grey = apply_edit(image, ImageEdit::Grey, none);
    out.push_back(std::move(grey));
    return out;
}

float twin_score(float plain, const float* twins, int n) {
    float best = plain;
    for (int i = 0; i < n; ++i) best = std::max(best, twins[i]);
    return best;
}

}  // namespace rv
