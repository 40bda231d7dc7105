// bench_hierarchy's near-duplicate part (copies.h).
#include "hierarchy/copies.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <numeric>

#include "retrieval/dataset.h"
#include "retrieval/evaluate.h"
#include "ruvision/engine/Embedder.h"

namespace rvhier {

rv::Result<Copies> make_copies(const std::filesystem::path& fashion_dir, const std::vector<int>& set_rows,
                               std::size_t originals, std::uint32_t seed, int threads) {
    auto fashion = rvbench::load_fashion(fashion_dir, 1000);
    if (!fashion) return fashion.error();
    std::vector<int> at(fashion->images.size(), -1);  // t10k index -> position in the set
    for (std::size_t i = 0; i < fashion->images.size(); ++i)
        at[static_cast<std::size_t>(fashion->test_index[i])] = static_cast<int>(i);
    const rvbench::Aug edits[] = {rvbench::Aug::Crop, rvbench::Aug::Jitter, rvbench::Aug::Blur, rvbench::Aug::Jpeg10};
    std::vector<rv::RgbImage> made;
    Copies c;
    for (std::size_t k = 0; k < std::min(originals, set_rows.size()); ++k) {
        const int pos = at[static_cast<std::size_t>(set_rows[k])];
        if (pos < 0) return rv::Error{fashion_dir.string() + ": t10k image " + std::to_string(set_rows[k]) + " missing"};
        for (auto e : edits) {
            made.push_back(rvbench::augment(fashion->images[static_cast<std::size_t>(pos)], e, seed, static_cast<int>(k)));
            c.original.push_back(k);
            c.edit.push_back(rvbench::aug_name(e));
        }
    }
    auto model = rv::find_model();
    if (!model) return model.error();
    if (!model->problem.empty()) return rv::Error{model->problem};
    auto embedder = rv::Embedder::open(*model);
    if (!embedder) return embedder.error();
    std::vector<const rv::RgbImage*> ptrs;
    for (const auto& m : made) ptrs.push_back(&m);
    std::vector<double> ms;
    const auto m = rvbench::embed_all(**embedder, ptrs, threads, ms);
    c.x.dim = m.cols;
    c.x.rows = m.v;
    for (std::size_t i = 0; i < made.size(); ++i) {
        double s = 0;
        for (int j = 0; j < m.cols; ++j) s += double(c.x.row(i)[j]) * c.x.row(i)[j];
        if (s < 0.5) return rv::Error{"a " + c.edit[i] + " copy of t10k image " + std::to_string(set_rows[c.original[i]]) +
                                      " could not be embedded"};
    }
    return c;
}

std::vector<CopyShare> copy_share(const Labelled& set, const Copies& copies, const Variant& v) {
    const std::size_t n = set.labels.size(), dim = static_cast<std::size_t>(set.x.dim);
    std::vector<float> x = set.x.rows;
    x.insert(x.end(), copies.x.rows.begin(), copies.x.rows.end());
    std::vector<std::int64_t> ids(n + copies.original.size());
    std::iota(ids.begin(), ids.end(), 0);
    std::atomic<bool> cancel{false};
    auto h = rv::hierarchy_build::build_with(x, ids, set.x.dim, v.params, v.options, cancel);
    if (!h) return {};
    std::vector<int> node_of(ids.size(), -1);
    for (std::size_t i = 0; i < h->nodes.size(); ++i)
        if (h->nodes[i].kind == rv::HierarchyNode::Kind::Image) node_of[static_cast<std::size_t>(h->nodes[i].file_id)] = int(i);
    std::map<std::string, std::vector<std::size_t>> by_edit;
    for (std::size_t k = 0; k < copies.original.size(); ++k) {
        by_edit[copies.edit[k]].push_back(k);
        by_edit["all"].push_back(k);
    }
    double distinct = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& parent = h->nodes[static_cast<std::size_t>(h->nodes[static_cast<std::size_t>(node_of[i])].parent)];
        bool other = false;
        if (parent.kind == rv::HierarchyNode::Kind::Duplicates)
            for (int c : parent.children)
                other = other || (h->nodes[static_cast<std::size_t>(c)].file_id < static_cast<std::int64_t>(n) &&
                                  c != node_of[i]);
        distinct += other;
    }
    std::vector<CopyShare> out;
    for (const auto& [edit, ks] : by_edit) {
        CopyShare s;
        s.distinct_grouped = distinct / double(n);
        s.edit = edit;
        s.copies = ks.size();
        std::vector<double> cosines;
        for (std::size_t k : ks) {
            const int c = node_of[n + k], o = node_of[copies.original[k]];
            const int p = h->nodes[static_cast<std::size_t>(c)].parent;
            bool holds = false;
            for (int u = o; u >= 0 && !holds; u = h->nodes[static_cast<std::size_t>(u)].parent) holds = u == p;
            s.holds_original += holds;
            s.same_duplicates += h->nodes[static_cast<std::size_t>(p)].kind == rv::HierarchyNode::Kind::Duplicates &&
                                 h->nodes[static_cast<std::size_t>(o)].parent == p;
            double cs = 0;
            for (std::size_t d = 0; d < dim; ++d)
                cs += double(copies.x.row(k)[d]) * set.x.row(copies.original[k])[d];
            cosines.push_back(cs);
        }
        s.holds_original /= double(ks.size());
        s.same_duplicates /= double(ks.size());
        std::nth_element(cosines.begin(), cosines.begin() + std::ptrdiff_t(cosines.size() / 2), cosines.end());
        s.median_cosine = cosines[cosines.size() / 2];
        out.push_back(s);
    }
    return out;
}

}  // namespace rvhier
