// The hybrid build (BuildMethods.h), as run:
//  1. Blocks: level by level, a range of more than `block` rows is split by spherical k-means
//     (BuildCommon.h split_range), unless all its rows are within the duplicate threshold of each
//     other (every row within angle t of the centroid, cos 2t >= duplicate_cosine): then it is a
//     block of one near-duplicate set.
//  2. In each block (in parallel): near-duplicate stars (leaf_items) make the items; exact
//     agglomeration of the items (their sums and counts) gives the block's binary tree.
//  3. The blocks (their sums and counts) are agglomerated the same way above them.
//  4. The binary tree is compressed from the root: a node of at most leaf_group images becomes a
//     group of its items in tree order; a larger one starts with its two sides and repeatedly opens
//     the side of the largest merge distance until it has `branching` parts (or none opens); each
//     part becomes an image, a Duplicates node (the star's centre its representative) or a group
//     compressed the same way. Tree order keeps similar siblings adjacent.
//  5. Each group's centroid and representative (medoid) come from its images, which are made
//     contiguous in the working copy (depth-first order) first.
// Deterministic for a seed; nothing depends on the number of threads.
#include <algorithm>
#include <string>

#include "hierarchy/BuildCommon.h"
#include "hierarchy/BuildMethods.h"
#include "hierarchy/ParallelFor.h"
#include "hierarchy/TreeOps.h"

namespace rv::hierarchy_build {

namespace {

using Kind = HierarchyNode::Kind;

struct BNode {
    int left = -1, right = -1;  // merges only
    double height = 0;          // merge distance
    std::int64_t images = 0;
    int item = -1;              // leaves: the item
};

struct Block {
    Range range;
    bool all_duplicates = false;
    std::vector<std::vector<std::size_t>> items;
    cluster::Dendrogram tree;
    std::vector<float> sum;  // of the block's rows
};

std::vector<Range> make_blocks(Work& w, const HierarchyParams& params, std::size_t block, int threads,
                               const std::atomic<bool>& cancel, std::vector<char>& all_dup, bool& cancelled) {
    std::vector<Range> blocks, level{{0, w.orig.size()}};
    while (!level.empty()) {
        if (cancel.load()) {
            cancelled = true;
            return {};
        }
        std::vector<std::vector<Range>> parts(level.size());
        std::vector<char> dup(level.size(), 0);
        const int inner = level.size() < static_cast<std::size_t>(threads) ? threads : 1;
        cluster::parallel_for(level.size(), threads, [&](std::size_t g) {
            const Range r = level[g];
            if (r.size() <= block) return;
            const float min_cos = spread(w, r);
            if (min_cos > 0 && 2.0 * min_cos * min_cos - 1.0 >= params.duplicate_cosine) {
                dup[g] = 1;
                return;
            }
            parts[g] = split_range(w, r, params, inner, cancel);
        });
        std::vector<Range> next;
        for (std::size_t g = 0; g < level.size(); ++g) {
            if (level[g].size() <= block || dup[g]) {
                blocks.push_back(level[g]);
                all_dup.push_back(dup[g]);
                continue;
            }
            if (parts[g].empty()) {
                cancelled = true;
                return {};
            }
            next.insert(next.end(), parts[g].begin(), parts[g].end());
        }
        level = std::move(next);
    }
    return blocks;
}

void agglomerate_block(const Work& w, Block& b, const HierarchyParams& params, cluster::Linkage linkage) {
    if (b.all_duplicates) {
        std::vector<float> centroid;
        std::size_t rep = 0;
        centroid_and_rep(w, b.range, centroid, rep);
        std::vector<std::size_t> rows{rep};
        for (std::size_t i = b.range.begin; i < b.range.end; ++i)
            if (i != rep) rows.push_back(i);
        b.items = {std::move(rows)};
    } else {
        b.items = leaf_items(w, b.range, params.duplicate_cosine, false);
    }
    const std::size_t m = b.items.size();
    std::vector<float> sums(m * w.dim, 0.0f);
    std::vector<std::int64_t> counts(m);
    b.sum.assign(w.dim, 0.0f);
    for (std::size_t i = 0; i < m; ++i) {
        counts[i] = static_cast<std::int64_t>(b.items[i].size());
        float* s = sums.data() + i * w.dim;
        for (std::size_t row : b.items[i]) {
            const float* v = w.row(row);
            for (std::size_t d = 0; d < w.dim; ++d) s[d] += v[d];
        }
        for (std::size_t d = 0; d < w.dim; ++d) b.sum[d] += s[d];
    }
    b.tree = cluster::agglomerate(sums.data(), counts.data(), m, w.dim, linkage, 1);
}

// Swaps rows into the order `dest` gives (dest[i]: the new place of row i).
void reorder(Work& w, std::vector<std::size_t> dest) {
    std::vector<float> tmp(w.dim);
    for (std::size_t i = 0; i < dest.size(); ++i) {
        while (dest[i] != i) {
            const std::size_t j = dest[i];
            std::copy_n(w.row(i), w.dim, tmp.data());
            std::copy_n(w.row(j), w.dim, w.row(i));
            std::copy_n(tmp.data(), w.dim, w.row(j));
            std::swap(w.orig[i], w.orig[j]);
            std::swap(dest[i], dest[j]);
        }
    }
}

}  // namespace

Result<Hierarchy> build_hybrid(std::span<const float> features, std::span<const std::int64_t> file_ids, int dim,
                               const HierarchyParams& params, const BuildOptions& options,
                               const std::atomic<bool>& cancel, const HierarchyProgress& progress) {
    const std::size_t n = file_ids.size();
    const int threads = std::max(1, params.threads);
    const std::size_t block = static_cast<std::size_t>(std::max({2, options.block, params.leaf_group}));
    const auto branching = static_cast<std::size_t>(std::max(2, params.branching));
    const auto leaf_group = static_cast<std::int64_t>(std::max(1, params.leaf_group));
    Work w = make_work(features, dim);

    // 1-3: blocks, their trees, the tree above them.
    std::vector<char> all_dup;
    bool cancelled = false;
    const auto ranges = make_blocks(w, params, block, threads, cancel, all_dup, cancelled);
    if (cancelled) return Error{"cancelled"};
    std::vector<Block> blocks(ranges.size());
    for (std::size_t b = 0; b < ranges.size(); ++b) {
        blocks[b].range = ranges[b];
        blocks[b].all_duplicates = all_dup[b] != 0;
    }
    if (progress) progress(0, n);
    cluster::parallel_for(blocks.size(), threads, [&](std::size_t b) {
        if (!cancel.load()) agglomerate_block(w, blocks[b], params, options.linkage);
    });
    if (cancel.load()) return Error{"cancelled"};
    std::vector<float> block_sums;
    std::vector<std::int64_t> block_counts;
    for (const auto& b : blocks) {
        block_sums.insert(block_sums.end(), b.sum.begin(), b.sum.end());
        block_counts.push_back(static_cast<std::int64_t>(b.range.size()));
    }
    const auto top = cluster::agglomerate(block_sums.data(), block_counts.data(), blocks.size(), w.dim,
                                          options.linkage, threads);
    if (progress) progress(n / 2, n);

    // One binary tree: every block's, then the one above them.
    std::vector<BNode> t;
    std::vector<const std::vector<std::size_t>*> items;
    std::vector<int> block_root(blocks.size());
    for (std::size_t b = 0; b < blocks.size(); ++b) {
        const auto& d = blocks[b].tree;
        const int offset = static_cast<int>(t.size());
        for (const auto& item : blocks[b].items) {
            BNode leaf;
            leaf.item = static_cast<int>(items.size());
            leaf.images = static_cast<std::int64_t>(item.size());
            items.push_back(&item);
            t.push_back(leaf);
        }
        for (std::size_t k = 0; k < d.left.size(); ++k)
            t.push_back({offset + d.left[k], offset + d.right[k], d.height[k], d.size[d.leaves + k], -1});
        block_root[b] = offset + d.root();
    }
    const int top_base = static_cast<int>(t.size());
    auto top_node = [&](int j) {
        return j < static_cast<int>(blocks.size()) ? block_root[static_cast<std::size_t>(j)]
                                                   : top_base + j - static_cast<int>(blocks.size());
    };
    for (std::size_t k = 0; k < top.left.size(); ++k)
        t.push_back({top_node(top.left[k]), top_node(top.right[k]), top.height[k], top.size[top.leaves + k], -1});
    const int root_b = top_node(top.root());

    // 4: compress into the hierarchy.
    Hierarchy h;
    HierarchyNode root;
    root.kind = Kind::Root;
    h.nodes.push_back(std::move(root));
    std::vector<int> image_of_row(n, -1);
    auto add = [&](HierarchyNode node, int parent) {
        node.parent = parent;
        h.nodes.push_back(std::move(node));
        const int at = static_cast<int>(h.nodes.size() - 1);
        h.nodes[static_cast<std::size_t>(parent)].children.push_back(at);
        return at;
    };
    auto add_image = [&](std::size_t row, int parent) {
        HierarchyNode img;
        img.kind = Kind::Image;
        img.size = 1;
        img.file_id = file_ids[w.orig[row]];
        const int at = add(std::move(img), parent);
        h.nodes[static_cast<std::size_t>(at)].representative = at;
        image_of_row[row] = at;
        return at;
    };
    std::vector<std::pair<int, int>> open{{root_b, 0}};  // (binary node, hierarchy node)
    while (!open.empty()) {
        const auto [b, hn] = open.back();
        open.pop_back();
        std::vector<int> parts;
        if (t[static_cast<std::size_t>(b)].item >= 0) {
            parts = {b};
        } else if (t[static_cast<std::size_t>(b)].images <= leaf_group) {
            for (std::vector<int> stack{b}; !stack.empty();) {  // the items below, in tree order
                const int u = stack.back();
                stack.pop_back();
                const auto& node = t[static_cast<std::size_t>(u)];
                if (node.item >= 0) {
                    parts.push_back(u);
                } else {
                    stack.push_back(node.right);
                    stack.push_back(node.left);
                }
            }
        } else {
            parts = {t[static_cast<std::size_t>(b)].left, t[static_cast<std::size_t>(b)].right};
            while (parts.size() < branching) {
                std::size_t open_at = parts.size();
                for (std::size_t i = 0; i < parts.size(); ++i) {
                    const auto& node = t[static_cast<std::size_t>(parts[i])];
                    if (node.item >= 0) continue;
                    const auto& best = t[static_cast<std::size_t>(parts[open_at == parts.size() ? i : open_at])];
                    if (open_at == parts.size() ||
                        (options.open_largest ? node.images > best.images : node.height > best.height))
                        open_at = i;
                }
                if (open_at == parts.size()) break;
                const auto& node = t[static_cast<std::size_t>(parts[open_at])];
                const int l = node.left, r = node.right;
                parts[open_at] = l;
                parts.insert(parts.begin() + static_cast<std::ptrdiff_t>(open_at) + 1, r);
            }
        }
        std::vector<std::pair<int, int>> groups;
        for (int p : parts) {
            const auto& node = t[static_cast<std::size_t>(p)];
            if (node.item < 0) {
                HierarchyNode g;
                g.kind = Kind::Group;
                groups.emplace_back(p, add(std::move(g), hn));
                continue;
            }
            const auto& rows = *items[static_cast<std::size_t>(node.item)];
            if (rows.size() == 1) {
                add_image(rows[0], hn);
                continue;
            }
            HierarchyNode dup;
            dup.kind = Kind::Duplicates;
            dup.size = static_cast<std::int64_t>(rows.size());
            const int d = add(std::move(dup), hn);
            for (std::size_t row : rows) add_image(row, d);
            h.nodes[static_cast<std::size_t>(d)].representative = image_of_row[rows[0]];
        }
        for (auto it = groups.rbegin(); it != groups.rend(); ++it) open.push_back(*it);
    }
    if (cancel.load()) return Error{"cancelled"};

    // 5: images in depth-first order, each group a range of them; centroids and medoids.
    std::vector<std::size_t> dest(n);
    std::vector<Range> range(h.nodes.size());
    {
        std::size_t at = 0;
        std::vector<std::pair<int, std::size_t>> stack{{0, 0}};
        range[0].begin = 0;
        while (!stack.empty()) {
            auto& top_entry = stack.back();
            const auto& node = h.nodes[static_cast<std::size_t>(top_entry.first)];
            if (top_entry.second == 0) range[static_cast<std::size_t>(top_entry.first)].begin = at;
            if (top_entry.second < node.children.size()) {
                const int c = node.children[top_entry.second++];
                if (h.nodes[static_cast<std::size_t>(c)].kind == Kind::Image) {
                    range[static_cast<std::size_t>(c)] = {at, at + 1};
                    ++at;
                } else {
                    stack.emplace_back(c, 0);
                }
            } else {
                range[static_cast<std::size_t>(top_entry.first)].end = at;
                stack.pop_back();
            }
        }
        for (std::size_t row = 0; row < n; ++row) dest[row] = range[static_cast<std::size_t>(image_of_row[row])].begin;
    }
    reorder(w, std::move(dest));
    std::vector<int> image_at(n);  // position -> image node
    for (std::size_t i = 0; i < h.nodes.size(); ++i)
        if (h.nodes[i].kind == Kind::Image) image_at[range[i].begin] = static_cast<int>(i);
    std::vector<int> groups;
    for (std::size_t i = 0; i < h.nodes.size(); ++i)
        if (h.nodes[i].kind != Kind::Image && h.nodes[i].kind != Kind::Duplicates) groups.push_back(static_cast<int>(i));
    cluster::parallel_for(groups.size(), threads, [&](std::size_t k) {
        auto& node = h.nodes[static_cast<std::size_t>(groups[k])];
        const Range r = range[static_cast<std::size_t>(groups[k])];
        std::size_t rep = r.begin;
        centroid_and_rep(w, r, node.centroid, rep);
        node.size = static_cast<std::int64_t>(r.size());
        node.representative = image_at[rep];
    });
    hierarchy_ops::renumber(h);
    for (std::size_t i = 0; i < h.nodes.size(); ++i) h.nodes[i].id = static_cast<std::int64_t>(i) + 1;
    h.next_id = static_cast<std::int64_t>(h.nodes.size()) + 1;
    if (progress) progress(n, n);
    return h;
}

}  // namespace rv::hierarchy_build
