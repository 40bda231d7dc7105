// The scalar table: the reference kernels, available on every CPU.
#include "common/reference.h"
#include "common/tables.h"

namespace rv::kernels::detail {

const KernelTable& scalar_table() {
    static const KernelTable table{
        Isa::Scalar,   ref::gemm, ref::conv2d,         ref::depthwise_conv2d,
        ref::activate, ref::add,  ref::scale_channels, ref::global_avg_pool,
        ref::gem_pool, ref::dot,  ref::l2_normalize,
    };
    return table;
}

}  // namespace rv::kernels::detail
