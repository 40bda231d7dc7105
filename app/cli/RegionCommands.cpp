// ruvision-cli search --region X,Y,W,H IMAGE: search with a rectangle of IMAGE (Library::search_region).
#include <algorithm>
#include <charconv>
#include <cstdio>

#include "cli/Commands.h"
#include "ruvision/engine/Image.h"

namespace rv::cli {

using nlohmann::json;

namespace {

// "X,Y,W,H": four whole numbers, X and Y at least 0, W and H at least 1; else why not.
std::string parse_rect(const std::string& text, long long out[4]) {
    if (std::count(text.begin(), text.end(), ',') != 3) return "expected four whole numbers X,Y,W,H (pixels of IMAGE)";
    std::size_t at = 0;
    for (int i = 0; i < 4; ++i) {
        const std::size_t end = i < 3 ? text.find(',', at) : text.size();
        if (end == std::string::npos) return "expected four whole numbers X,Y,W,H (pixels of IMAGE)";
        const char* b = text.data() + at;
        const char* e = text.data() + end;
        auto [p, ec] = std::from_chars(b, e, out[i]);
        if (ec != std::errc() || p != e || b == e) {
            std::string why(1, '\'');
            why.append(b, e).append("' is not a whole number");
            return why;
        }
        at = end + 1;
    }
    if (out[0] < 0 || out[1] < 0) return "X and Y must be at least 0";
    if (out[2] < 1 || out[3] < 1) return "W and H must be at least 1 pixel";
    return {};
}

}  // namespace

int cmd_search_region(const Parsed& a) {
    const std::string spec = a.text("region");
    for (const char* other : {"alike", "different", "level"})
        if (a.has(other)) return usage_error("search", "--region goes without --" + std::string(other));
    long long r[4] = {};
    if (auto bad = parse_rect(spec, r); !bad.empty()) return usage_error("search", "--region '" + spec + "': " + bad);
    const std::string image = a.operands()[0];
    auto lib = open_for(a, LibraryAccess::Read);
    if (!lib) return 1;
    auto decoded = decode_image(image);
    if (!decoded) {
        print_error("search: " + decoded.error().message);
        return 1;
    }
    const RgbImage& img = decoded->image;
    if (r[0] + r[2] > img.width || r[1] + r[3] > img.height)
        return usage_error("search", "--region '" + spec + "': reaches outside " + image + " (" +
                                         std::to_string(img.width) + "x" + std::to_string(img.height) + " pixels)");
    const RegionRect rect{static_cast<double>(r[0]) / img.width, static_cast<double>(r[1]) / img.height,
                          static_cast<double>(r[2]) / img.width, static_cast<double>(r[3]) / img.height};
    auto found = lib->search_region(img, rect, static_cast<int>(a.number("top", 10)));
    if (!found) {
        print_error("search: " + image + ": " + found.error().message);
        return 1;
    }
    for (std::size_t i = 0; i < found->size(); ++i) {
        const auto& h = (*found)[i];
        if (a.has("json")) {
            json copies = json::array();
            for (const auto& c : h.copies) copies.push_back({{"path", c.path}, {"score", c.score}, {"why", c.why}});
            // As a whole-image search's (i13-scores): "score" the plain cosine; "shown", "word",
            // "same", "alike" from the region curves (the cosine and "" before they are learned).
            std::printf("%s\n", dump({{"rank", i + 1}, {"path", h.path}, {"score", h.score}, {"shown", h.shown},
                                      {"word", h.word}, {"same", h.same}, {"alike", h.alike}, {"ranking", h.ranking},
                                      {"copies", copies}})
                                    .c_str());
            continue;
        }
        std::printf("%3zu  %.3f  %-12s  %s\n", i + 1, h.shown, h.word.c_str(), printable(h.path).c_str());
        for (const auto& c : h.copies)
            std::printf("     %.3f    copy: %s (%s)\n", c.score, printable(c.path).c_str(), printable(c.why).c_str());
    }
    return 0;
}

}  // namespace rv::cli
