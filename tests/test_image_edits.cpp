// rv::apply_edit / apply_edits / draw_edits (ImageEdits.h) on a real photo: the same seed gives
// the same pixels and different seeds differ; each edit does what its name says (an exact mirror,
// R = G = B for grey, black corners and the same size for a rotation, 40-80 % of the pixels kept
// by a crop, a JPEG of the same size, a caption banner at the top or bottom plus a watermark);
// awkward sizes never crash; the fixed order and distinct draws.
#include <QtTest>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "ruvision/engine/Image.h"
#include "ruvision/engine/ImageEdits.h"
#include "sample_photos.h"

using rv::ImageEdit;
using rv::RgbImage;

namespace {

const std::uint8_t* px(const RgbImage& im, int x, int y) {
    return im.data.data() + (static_cast<std::size_t>(y) * im.width + x) * 3;
}

bool same(const RgbImage& a, const RgbImage& b) {
    return a.width == b.width && a.height == b.height && a.data == b.data;
}

bool well_formed(const RgbImage& im) {
    return im.width > 0 && im.height > 0 && im.data.size() == static_cast<std::size_t>(im.width) * im.height * 3;
}

// A flat test pattern of the given size (for the awkward sizes only; real photos elsewhere).
RgbImage pattern(int w, int h) {
    RgbImage im{w, h, {}};
    im.data.resize(static_cast<std::size_t>(w) * h * 3);
    for (std::size_t i = 0; i < im.data.size(); ++i) im.data[i] = static_cast<std::uint8_t>((i * 37) % 251);
    return im;
}

std::vector<ImageEdit> all_edits() {
    std::vector<ImageEdit> out;
    for (int i = 0; i < rv::kImageEditCount; ++i) out.push_back(static_cast<ImageEdit>(i));
    return out;
}

// Does `part` appear in `whole` at some offset, pixel for pixel?
bool is_sub_rectangle(const RgbImage& whole, const RgbImage& part) {
    for (int oy = 0; oy + part.height <= whole.height; ++oy)
        for (int ox = 0; ox + part.width <= whole.width; ++ox) {
            bool ok = true;
            for (int y = 0; y < part.height && ok; ++y)
                ok = std::equal(px(part, 0, y), px(part, 0, y) + part.width * 3, px(whole, ox, oy + y));
            if (ok) return true;
        }
    return false;
}

}  // namespace

class TestImageEdits : public QObject {
    Q_OBJECT

    RgbImage photo_;

private slots:
    void initTestCase() {
        const auto photos = rv_test::nature_photos();
        QVERIFY2(!photos.empty(), "mate-backgrounds is not installed");
        rv::DecodeOptions opt;
        opt.min_side = 160;  // DCT-reduced: a few hundred pixels a side keeps the test fast
        auto dec = rv::decode_image(photos.front(), opt);
        QVERIFY2(bool(dec), dec ? "" : dec.error().message.c_str());
        photo_ = std::move(dec->image);
        QVERIFY(photo_.width >= 160 && photo_.height >= 160);
    }

    void names() {
        QCOMPARE(QString(rv::image_edit_name(ImageEdit::Crop)), QString("crop"));
        QCOMPARE(QString(rv::image_edit_name(ImageEdit::Jpeg)), QString("jpeg"));
        QCOMPARE(QString::fromStdString(rv::edits_label({ImageEdit::Crop, ImageEdit::Grey, ImageEdit::Jpeg})),
                 QString("crop+grey+jpeg"));
        std::set<std::string> distinct;
        for (const ImageEdit e : all_edits()) distinct.insert(rv::image_edit_name(e));
        QCOMPARE(int(distinct.size()), rv::kImageEditCount);
    }

    void deterministic() {
        for (const ImageEdit e : all_edits()) {
            rv::EditRandom a(42, 3, static_cast<int>(e)), b(42, 3, static_cast<int>(e));
            const RgbImage x = rv::apply_edit(photo_, e, a), y = rv::apply_edit(photo_, e, b);
            QVERIFY2(well_formed(x), rv::image_edit_name(e));
            QVERIFY2(same(x, y), rv::image_edit_name(e));
        }
        const std::vector<ImageEdit> combo = {ImageEdit::Crop, ImageEdit::Rotate, ImageEdit::Jitter,
                                              ImageEdit::Caption, ImageEdit::Jpeg};
        rv::EditRandom a(7), b(7), c(8);
        const RgbImage x = rv::apply_edits(photo_, combo, a), y = rv::apply_edits(photo_, combo, b);
        QVERIFY(same(x, y));
        QVERIFY(!same(x, rv::apply_edits(photo_, combo, c)));
        // Every random edit alone also depends on its seed.
        for (const ImageEdit e : {ImageEdit::Crop, ImageEdit::Rotate, ImageEdit::Jitter, ImageEdit::Blur,
                                  ImageEdit::Caption}) {
            rv::EditRandom s1(1, 0, 0), s2(2, 0, 0);
            QVERIFY2(!same(rv::apply_edit(photo_, e, s1), rv::apply_edit(photo_, e, s2)), rv::image_edit_name(e));
        }
        // The random source itself: the same stream for the same seeds, values in range.
        rv::EditRandom p(5, 1, 2), q(5, 1, 2), o(5, 2, 1);
        bool differs = false;
        for (int i = 0; i < 1000; ++i) {
            const double u = p.unit();
            QCOMPARE(u, q.unit());
            QVERIFY(u >= 0.0 && u < 1.0);
            differs |= u != o.unit();
            const int k = p.below(7);
            QCOMPARE(k, q.below(7));
            QVERIFY(k >= 0 && k < 7);
            o.below(7);
        }
        QVERIFY(differs);
    }

    void mirrorIsTheExactFlip() {
        rv::EditRandom r(1);
        const RgbImage m = rv::apply_edit(photo_, ImageEdit::Mirror, r);
        QCOMPARE(m.width, photo_.width);
        QCOMPARE(m.height, photo_.height);
        for (int y = 0; y < m.height; ++y)
            for (int x = 0; x < m.width; ++x)
                QVERIFY(std::equal(px(m, x, y), px(m, x, y) + 3, px(photo_, photo_.width - 1 - x, y)));
    }

    void greyHasEqualChannels() {
        rv::EditRandom r(1);
        const RgbImage g = rv::apply_edit(photo_, ImageEdit::Grey, r);
        QCOMPARE(g.width, photo_.width);
        QCOMPARE(g.height, photo_.height);
        for (std::size_t i = 0; i < g.data.size(); i += 3) {
            QCOMPARE(g.data[i], g.data[i + 1]);
            QCOMPARE(g.data[i], g.data[i + 2]);
        }
        QVERIFY(!same(g, photo_));  // the photo was in colour
    }

    void rotationLeavesBlackCornersAndTheSize() {
        for (int seed = 0; seed < 8; ++seed) {
            rv::EditRandom r(seed);
            const RgbImage t = rv::apply_edit(photo_, ImageEdit::Rotate, r);
            QCOMPARE(t.width, photo_.width);
            QCOMPARE(t.height, photo_.height);
            for (const auto& [x, y] : {std::pair{0, 0}, std::pair{t.width - 1, 0}, std::pair{0, t.height - 1},
                                       std::pair{t.width - 1, t.height - 1}})
                QVERIFY2(px(t, x, y)[0] == 0 && px(t, x, y)[1] == 0 && px(t, x, y)[2] == 0,
                         qPrintable(QString("seed %1 corner %2,%3").arg(seed).arg(x).arg(y)));
            // The picture is still there: the centre is not black and not the whole frame moved.
            const auto* c = px(t, t.width / 2, t.height / 2);
            QVERIFY(c[0] + c[1] + c[2] > 0);
            QVERIFY(!same(t, photo_));
        }
    }

    void rot90TurnsAQuarter() {
        for (int seed = 0; seed < 4; ++seed) {
            rv::EditRandom r(seed);
            const RgbImage t = rv::apply_edit(photo_, ImageEdit::Rot90, r);
            QCOMPARE(t.width, photo_.height);
            QCOMPARE(t.height, photo_.width);
            // Clockwise or counter-clockwise: the source's top-left pixel lands on a corner.
            const auto* s = px(photo_, 0, 0);
            const bool cw = std::equal(s, s + 3, px(t, t.width - 1, 0));
            const bool ccw = std::equal(s, s + 3, px(t, 0, t.height - 1));
            QVERIFY(cw || ccw);
        }
    }

    void cropKeepsFortyToEightyPercent() {
        const double total = double(photo_.width) * photo_.height;
        for (int seed = 0; seed < 12; ++seed) {
            rv::EditRandom r(seed);
            const RgbImage c = rv::apply_edit(photo_, ImageEdit::Crop, r);
            const double share = c.width * double(c.height) / total;
            QVERIFY2(share >= 0.39 && share <= 0.81, qPrintable(QString("seed %1 keeps %2").arg(seed).arg(share)));
            if (seed < 3) QVERIFY(is_sub_rectangle(photo_, c));
        }
        // Other ranges are honoured too.
        rv::EditRanges small;
        small.crop_area_min = small.crop_area_max = 0.1;
        rv::EditRandom r(3);
        const RgbImage c = rv::apply_edit(photo_, ImageEdit::Crop, r, small);
        QVERIFY(std::abs(c.width * double(c.height) / total - 0.1) < 0.02);
    }

    void jpegKeepsTheSize() {
        rv::EditRandom r(1);
        const RgbImage j = rv::apply_edit(photo_, ImageEdit::Jpeg, r);
        QCOMPARE(j.width, photo_.width);
        QCOMPARE(j.height, photo_.height);
        QVERIFY(!same(j, photo_));  // quality 20-40 loses something
        double diff = 0;
        for (std::size_t i = 0; i < j.data.size(); ++i) diff += std::abs(int(j.data[i]) - int(photo_.data[i]));
        QVERIFY(diff / double(j.data.size()) < 12.0);  // but it is the same picture
    }

    void blurSmooths() {
        rv::EditRandom r(1);
        const RgbImage b = rv::apply_edit(photo_, ImageEdit::Blur, r);
        QCOMPARE(b.width, photo_.width);
        QCOMPARE(b.height, photo_.height);
        auto roughness = [](const RgbImage& im) {
            double s = 0;
            for (int y = 0; y < im.height; ++y)
                for (int x = 1; x < im.width; ++x) s += std::abs(int(px(im, x, y)[1]) - int(px(im, x - 1, y)[1]));
            return s;
        };
        QVERIFY(roughness(b) < 0.8 * roughness(photo_));
    }

    void captionChangesABandAtTopOrBottom() {
        bool saw_top = false, saw_bottom = false;
        for (int seed = 0; seed < 16; ++seed) {
            rv::EditRandom r(seed);
            const RgbImage c = rv::apply_edit(photo_, ImageEdit::Caption, r);
            QCOMPARE(c.width, photo_.width);
            QCOMPARE(c.height, photo_.height);
            auto changed_share = [&](int y) {
                int n = 0;
                for (int x = 0; x < c.width; ++x) n += !std::equal(px(c, x, y), px(c, x, y) + 3, px(photo_, x, y));
                return double(n) / c.width;
            };
            int top = 0, bottom = 0;
            while (top < c.height && changed_share(top) > 0.5) ++top;
            while (bottom < c.height && changed_share(c.height - 1 - bottom) > 0.5) ++bottom;
            const int band = std::max(top, bottom);
            QVERIFY2(band >= c.height * 0.05 && band <= c.height * 0.2,
                     qPrintable(QString("seed %1: band of %2 rows of %3").arg(seed).arg(band).arg(c.height)));
            saw_top |= top == band;
            saw_bottom |= bottom == band;
            // The banner's outer row is one plain colour.
            const int edge = top == band ? 0 : c.height - 1;
            for (int x = 1; x < c.width; ++x)
                QVERIFY2(std::equal(px(c, x, edge), px(c, x, edge) + 3, px(c, 0, edge)),
                         qPrintable(QString("seed %1: banner edge row %2 not plain at x=%3").arg(seed).arg(edge).arg(x)));
            // A watermark outside the banner.
            int outside = 0;
            for (int y = top == band ? band : 0; y < (top == band ? c.height : c.height - band); ++y)
                for (int x = 0; x < c.width; ++x) outside += !std::equal(px(c, x, y), px(c, x, y) + 3, px(photo_, x, y));
            QVERIFY2(outside > 20, qPrintable(QString("seed %1: no watermark").arg(seed)));
        }
        QVERIFY(saw_top && saw_bottom);
    }

    void awkwardSizesNeverCrash() {
        for (const auto& [w, h] : {std::pair{1, 1}, std::pair{2, 500}, std::pair{500, 2}, std::pair{5000, 3},
                                   std::pair{3, 5000}, std::pair{2, 2}}) {
            const RgbImage src = pattern(w, h);
            for (int seed = 0; seed < 3; ++seed)
                for (const ImageEdit e : all_edits()) {
                    rv::EditRandom r(seed);
                    const RgbImage out = rv::apply_edit(src, e, r);
                    QVERIFY2(well_formed(out), qPrintable(QString("%1 on %2x%3").arg(rv::image_edit_name(e)).arg(w).arg(h)));
                    if (e != ImageEdit::Crop && e != ImageEdit::Rot90) {
                        QCOMPARE(out.width, w);
                        QCOMPARE(out.height, h);
                    }
                }
            rv::EditRandom r(9);
            QVERIFY(well_formed(rv::apply_edits(src, all_edits(), r)));
        }
        rv::EditRandom r(1);
        const RgbImage empty;
        QVERIFY(rv::apply_edit(empty, ImageEdit::Crop, r).data.empty());  // a copy, no crash
    }

    void applyEditsUsesTheFixedOrder() {
        const std::vector<ImageEdit> scrambled = {ImageEdit::Jpeg, ImageEdit::Mirror, ImageEdit::Grey, ImageEdit::Crop,
                                                  ImageEdit::Rotate};
        rv::EditRandom a(11), b(11);
        const RgbImage combined = rv::apply_edits(photo_, scrambled, a);
        RgbImage by_hand = photo_;
        for (const ImageEdit e : {ImageEdit::Crop, ImageEdit::Rotate, ImageEdit::Mirror, ImageEdit::Grey, ImageEdit::Jpeg})
            by_hand = rv::apply_edit(by_hand, e, b);
        QVERIFY(same(combined, by_hand));
        // The same edits in any order give the same picture.
        rv::EditRandom c(11);
        QVERIFY(same(rv::apply_edits(photo_, {ImageEdit::Rotate, ImageEdit::Crop, ImageEdit::Jpeg, ImageEdit::Grey,
                                              ImageEdit::Mirror}, c), combined));
    }

    void drawEditsAreDistinct() {
        std::set<ImageEdit> seen;
        for (int seed = 0; seed < 200; ++seed) {
            rv::EditRandom r(seed);
            const int count = 2 + seed % 2;
            const auto e = rv::draw_edits(r, count);
            QCOMPARE(int(e.size()), count);
            QVERIFY(std::is_sorted(e.begin(), e.end()));
            QVERIFY(std::adjacent_find(e.begin(), e.end()) == e.end());
            seen.insert(e.begin(), e.end());
        }
        QCOMPARE(int(seen.size()), rv::kImageEditCount);  // every edit is drawn sometimes
        const std::vector<ImageEdit> from = {ImageEdit::Grey, ImageEdit::Crop, ImageEdit::Blur};
        for (int seed = 0; seed < 50; ++seed) {
            rv::EditRandom r(seed);
            for (const ImageEdit e : rv::draw_edits(r, 2, from))
                QVERIFY(std::find(from.begin(), from.end(), e) != from.end());
        }
        rv::EditRandom r(1), s(1);
        QCOMPARE(int(rv::draw_edits(r, 10, from).size()), 3);  // no more than there are
        QVERIFY(rv::draw_edits(s, 0).empty());
        rv::EditRandom x(5), y(5);
        QVERIFY(rv::draw_edits(x, 3) == rv::draw_edits(y, 3));
    }
};

QTEST_GUILESS_MAIN(TestImageEdits)
#include "test_image_edits.moc"
