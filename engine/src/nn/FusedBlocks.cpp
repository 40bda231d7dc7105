#include "nn/FusedBlocks.h"

#include <algorithm>
#include <cstring>

#include "model/ModelFile.h"

namespace rv::nn {
namespace {

bool is_pointwise(const Node& n) {
    return n.op == OpType::Conv2D && n.kernel_h == 1 && n.kernel_w == 1 && n.stride_h == 1 && n.stride_w == 1 &&
           (n.padding == Padding::Same || (n.pad_top == 0 && n.pad_left == 0 && n.pad_bottom == 0 && n.pad_right == 0));
}

const float* tensor_data(const ModelFile& m, const std::string& name) {
    return name.empty() ? nullptr : m.tensor(name)->data;
}

}  // namespace

int FusedBlock::residual(const Graph& g) const {
    if (add < 0) return -1;
    const auto& in = g.nodes[add].inputs;
    return in[0] == project ? in[1] : in[0];
}

std::vector<FusedBlock> find_fused_blocks(const Graph& g, const std::vector<bool>& needed,
                                          const std::vector<int>& wanted) {
    const int count = static_cast<int>(g.nodes.size());
    std::vector<int> readers(count, 0);
    for (int i = 0; i < count; ++i)
        if (needed[i])
            for (int in : g.nodes[i].inputs) ++readers[in];
    for (int w : wanted) ++readers[w];  // a wanted map is read by the caller
    // Node `i` may be inside a block ending later: read once, by `next`. (Its out_scale, what its
    // stored output owes, is already folded into its readers' weights: it matters to callers only.)
    auto inner = [&](int i, int next) {
        return readers[i] == 1 &&
               std::find(g.nodes[next].inputs.begin(), g.nodes[next].inputs.end(), i) != g.nodes[next].inputs.end();
    };
    auto sole_reader = [&](int i) {
        for (int j = i + 1; j < count; ++j)
            if (needed[j] && std::find(g.nodes[j].inputs.begin(), g.nodes[j].inputs.end(), i) != g.nodes[j].inputs.end())
                return j;
        return -1;
    };
    std::vector<FusedBlock> blocks;
    for (int d = 0; d < count; ++d) {
        const Node& dw = g.nodes[d];
        if (!needed[d] || dw.op != OpType::DepthwiseConv2D) continue;
        FusedBlock b;
        b.depthwise = d;
        const int e = dw.inputs[0];
        if (is_pointwise(g.nodes[e]) && inner(e, d) && (blocks.empty() || blocks.back().last() != e)) b.expand = e;
        if (const int p = sole_reader(d); p >= 0 && inner(d, p) && is_pointwise(g.nodes[p])) {
            b.project = p;
            if (const int a = sole_reader(p); a >= 0 && inner(p, a) && g.nodes[a].op == OpType::Add &&
                                               g.nodes[a].inputs[0] != g.nodes[a].inputs[1])
                b.add = a;
        }
        if (b.expand >= 0 || b.project >= 0) blocks.push_back(b);
    }
    return blocks;
}

void run_fused_block(const FusedBlock& b, const Graph& g, const ModelFile& model, const kernels::KernelTable& k,
                     const std::vector<MapShape>& shapes, const float* in, const float* residual, float* out,
                     BandBuffers& buffers) {
    const Node& dw = g.nodes[b.depthwise];
    const MapShape& src = shapes[b.input(g)];       // block input
    const MapShape& mid = shapes[dw.inputs[0]];     // depthwise input (= src without expansion)
    const MapShape& dws = shapes[b.depthwise];      // depthwise output
    const int ce = mid.c;
    const std::size_t in_row = static_cast<std::size_t>(src.w) * src.c;
    const std::size_t mid_row = static_cast<std::size_t>(mid.w) * ce;
    const std::size_t dw_row = static_cast<std::size_t>(dws.w) * ce;

    // Output rows per band: the input rows they need (stride x rows + kernel halo) fit band_bytes.
    const int s = dw.stride_h;
    const std::size_t row_bytes = mid_row * sizeof(float) * static_cast<std::size_t>(s);
    const std::size_t fit = buffers.band_bytes / std::max<std::size_t>(row_bytes, 1);
    const int band = static_cast<int>(std::clamp<std::size_t>(fit, 1, static_cast<std::size_t>(dws.h)));
    const int band_in_rows = std::min(mid.h, (band - 1) * s + dw.kernel_h);
    if (b.expand >= 0) buffers.expanded.resize(static_cast<std::size_t>(band_in_rows) * mid_row);
    if (b.project >= 0) buffers.filtered.resize(static_cast<std::size_t>(band) * dw_row);

    const Node* ex = b.expand >= 0 ? &g.nodes[b.expand] : nullptr;
    const Node* pr = b.project >= 0 ? &g.nodes[b.project] : nullptr;
    const int co = pr ? shapes[b.project].c : ce;
    const std::size_t out_row = static_cast<std::size_t>(dws.w) * co;

    // Expanded rows [e0, e1) are in the band buffer; rows a band shares with the previous one (the
    // kernel's halo) move to the front instead of being computed again.
    int e0 = 0, e1 = 0;
    for (int oy0 = 0; oy0 < dws.h; oy0 += band) {
        const int oy1 = std::min(dws.h, oy0 + band);
        // Depthwise input rows [r0, r1) this band reads; rows outside the map are padding.
        const int r0 = std::max(0, oy0 * s - dws.pad_top);
        const int r1 = std::min(mid.h, (oy1 - 1) * s - dws.pad_top + dw.kernel_h);
        const float* filtered_in = in + static_cast<std::size_t>(r0) * in_row;
        if (ex) {
            float* e = buffers.expanded.data();
            const int kept = std::max(0, e1 - std::max(e0, r0));
            if (kept > 0 && r0 > e0)
                std::memmove(e, e + static_cast<std::size_t>(r0 - e0) * mid_row, sizeof(float) * kept * mid_row);
            const int from = r0 + kept;
            k.gemm((r1 - from) * mid.w, ce, src.c, in + static_cast<std::size_t>(from) * in_row,
                   tensor_data(model, ex->weights), tensor_data(model, ex->bias), e + static_cast<std::size_t>(kept) * mid_row,
                   ex->act);
            e0 = r0, e1 = r1;
            filtered_in = e;
        }
        kernels::ConvShape cs;
        cs.in_h = r1 - r0, cs.in_w = mid.w, cs.in_c = ce;
        cs.out_h = oy1 - oy0, cs.out_w = dws.w, cs.out_c = ce;
        cs.kernel_h = dw.kernel_h, cs.kernel_w = dw.kernel_w;
        cs.stride_h = dw.stride_h, cs.stride_w = dw.stride_w;
        cs.pad_top = dws.pad_top + r0 - oy0 * s, cs.pad_left = dws.pad_left;
        float* filtered = pr ? buffers.filtered.data() : out + static_cast<std::size_t>(oy0) * dw_row;
        k.depthwise_conv2d(cs, filtered_in, tensor_data(model, dw.weights), tensor_data(model, dw.bias), filtered,
                           dw.act);
        if (!pr) continue;
        float* o = out + static_cast<std::size_t>(oy0) * out_row;
        const int pixels = (oy1 - oy0) * dws.w;
        k.gemm(pixels, co, ce, filtered, tensor_data(model, pr->weights), tensor_data(model, pr->bias), o, pr->act);
        if (b.add >= 0)
            k.add(o, residual + static_cast<std::size_t>(oy0) * out_row, o, static_cast<std::size_t>(pixels) * co,
                  g.nodes[b.add].act);
    }
}

}  // namespace rv::nn
