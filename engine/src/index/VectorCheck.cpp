// vector_problem(): the one check every vector passes before an index, the catalog or a loaded
// index file trusts it.
#include <cmath>
#include <cstdio>
#include <string>

#include "ruvision/engine/VectorIndex.h"

namespace rv {

std::string vector_problem(const float* v, int dim) {
    if (dim <= 0 || !v) return "empty vector";
    double sum = 0;
    for (int i = 0; i < dim; ++i) {
        if (!std::isfinite(v[i])) {
            char buf[80];
            std::snprintf(buf, sizeof buf, "value %d of %d is %g", i, dim, static_cast<double>(v[i]));
            return buf;
        }
        sum += static_cast<double>(v[i]) * v[i];
    }
    const double norm = std::sqrt(sum);
    if (!(std::fabs(norm - 1.0) <= kUnitNormTolerance)) {
        char buf[80];
        std::snprintf(buf, sizeof buf, "not a unit vector (norm %.6g)", norm);
        return buf;
    }
    return {};
}

}  // namespace rv
