#include "image/Flatten.h"

#include <vector>

namespace rv {

namespace {

// 8-bit samples of the same channel count; 16-bit scaled by 255/65535, float by 255 (saturated).
cv::Mat to_8bit(const cv::Mat& m) {
    if (m.depth() == CV_8U) return m;
    double scale = 1.0;
    if (m.depth() == CV_16U) scale = 255.0 / 65535.0;
    else if (m.depth() == CV_32F || m.depth() == CV_64F) scale = 255.0;
    cv::Mat out;
    m.convertTo(out, CV_8U, scale);
    return out;
}

}  // namespace

// Pixel i is read from bytes 4i..4i+3 and written to 3i..3i+2, which no later pixel reads.
void flatten_bgra_in_place(std::uint8_t* p, std::size_t pixels) {
    for (std::size_t i = 0; i < pixels; ++i) {
        const std::uint8_t b = p[4 * i], g = p[4 * i + 1], r = p[4 * i + 2], a = p[4 * i + 3];
        p[3 * i] = over_backdrop(r, a);
        p[3 * i + 1] = over_backdrop(g, a);
        p[3 * i + 2] = over_backdrop(b, a);
    }
}

Status flatten_to_rgb(const cv::Mat& decoded, RgbImage& out, int grey_key) {
    int channels = decoded.channels();
    if (decoded.dims != 2 || channels < 1 || channels > 4)
        return Error{"unsupported pixel layout (" + std::to_string(channels) + " channels)"};
    if (decoded.depth() == CV_8S || decoded.depth() == CV_16S || decoded.depth() == CV_32S)
        return Error{"unsupported sample format (signed integers)"};
    cv::Mat m = to_8bit(decoded);
    if (channels == 1 && grey_key >= 0 && (decoded.depth() == CV_8U || decoded.depth() == CV_16U)) {
        cv::Mat keyed, alpha, grey_alpha;
        cv::compare(decoded, cv::Scalar(grey_key), keyed, cv::CMP_EQ);
        cv::bitwise_not(keyed, alpha);
        cv::merge(std::vector<cv::Mat>{m, alpha}, grey_alpha);
        m = grey_alpha;
        channels = 2;
    }
    out.width = m.cols;
    out.height = m.rows;
    out.data.assign(static_cast<std::size_t>(m.cols) * m.rows * 3, 0);
    std::uint8_t* dst = out.data.data();
    for (int y = 0; y < m.rows; ++y) {
        const std::uint8_t* p = m.ptr<std::uint8_t>(y);
        for (int x = 0; x < m.cols; ++x, p += channels, dst += 3) {
            switch (channels) {
                case 1: dst[0] = dst[1] = dst[2] = p[0]; break;
                case 2: dst[0] = dst[1] = dst[2] = over_backdrop(p[0], p[1]); break;
                case 3:
                    dst[0] = p[2];
                    dst[1] = p[1];
                    dst[2] = p[0];
                    break;
                default:
                    dst[0] = over_backdrop(p[2], p[3]);
                    dst[1] = over_backdrop(p[1], p[3]);
                    dst[2] = over_backdrop(p[0], p[3]);
            }
        }
    }
    return Status::success();
}

}  // namespace rv
