// fit_group_discriminant (GroupDiscriminant.h): groups from alike marks, their discriminant
// directions, and the residual-form adapter with the same cosines as [x, g W' x].
#include "learning/GroupDiscriminant.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <sstream>
#include <unordered_map>

#include <Eigen/Dense>

namespace rv::learning {

namespace {

class UnionFind {
public:
    explicit UnionFind(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), std::size_t{0}); }
    std::size_t find(std::size_t i) {
        while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
        return i;
    }
    void join(std::size_t a, std::size_t b) { parent_[find(a)] = find(b); }

private:
    std::vector<std::size_t> parent_;
};

DiscriminantFit identity(DiscriminantFit out, const std::string& why) {
    out.fitted = false;
    out.adapter = {};
    out.summary = "group discriminant: " + why + "; none fitted";
    return out;
}

}  // namespace

DiscriminantFit fit_group_discriminant(const FeatureMatrix& features, const std::vector<TrainingPair>& pairs,
                                       const DiscriminantParams& params) {
    DiscriminantFit out;
    const int d = features.dim;
    if (d <= 0 || params.rank < 1 || !(params.strength > 0)) return identity(out, "no dimension, rank or strength");

    // The rows the pairs name (local ids in order of first appearance), joined by alike marks.
    std::unordered_map<std::uint32_t, std::size_t> local;
    std::vector<std::uint32_t> rows;
    for (const auto& p : pairs)
        for (std::uint32_t r : {p.a, p.b})
            if (local.emplace(r, rows.size()).second) rows.push_back(r);
    UnionFind uf(rows.size());
    for (const auto& p : pairs)
        if (p.alike) uf.join(local[p.a], local[p.b]);
    std::map<std::size_t, std::vector<std::size_t>> groups;  // root -> local rows (ordered: deterministic)
    for (std::size_t i = 0; i < rows.size(); ++i) groups[uf.find(i)].push_back(i);
    for (auto it = groups.begin(); it != groups.end();) it = it->second.size() < 2 ? groups.erase(it) : std::next(it);
    out.groups = groups.size();
    for (const auto& [root, members] : groups) out.grouped_rows += members.size();
    if (out.groups < 2) return identity(out, std::to_string(out.groups) + " group(s) of alike rows, 2 needed");

    // Scatters of the grouped rows, per row.
    const double n = static_cast<double>(out.grouped_rows);
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(d);
    auto row = [&](std::size_t local_row) {
        return Eigen::Map<const Eigen::VectorXf>(features.row(rows[local_row]), d).cast<double>();
    };
    for (const auto& [root, members] : groups)
        for (std::size_t i : members) mean += row(i);
    mean /= n;
    Eigen::MatrixXd sw = Eigen::MatrixXd::Zero(d, d), sb = Eigen::MatrixXd::Zero(d, d);
    for (const auto& [root, members] : groups) {
        Eigen::MatrixXd xc(d, static_cast<Eigen::Index>(members.size()));
        for (std::size_t k = 0; k < members.size(); ++k) xc.col(static_cast<Eigen::Index>(k)) = row(members[k]);
        const Eigen::VectorXd mc = xc.rowwise().mean();
        xc.colwise() -= mc;
        sw.noalias() += xc * xc.transpose();
        const Eigen::VectorXd dm = mc - mean;
        sb.noalias() += static_cast<double>(members.size()) * dm * dm.transpose();
    }
    sw /= n;
    sb /= n;
    const double avg = sw.trace() / d;
    if (!(avg > 1e-12) || !std::isfinite(avg)) return identity(out, "the rows of each group are identical");
    const double shrink = std::clamp(params.shrink, 0.0, 1.0);
    Eigen::MatrixXd reg = (1.0 - shrink) * sw;
    reg.diagonal().array() += std::max(shrink, 1e-6) * avg;
    Eigen::GeneralizedSelfAdjointEigenSolver<Eigen::MatrixXd> es(sb, reg);
    if (es.info() != Eigen::Success) return identity(out, "the eigenproblem did not converge");

    // W: the k leading directions (eigenvalues ascending), each with w' Sw' w = avg.
    const int k = std::min({params.rank, static_cast<int>(out.groups) - 1, d});
    Eigen::MatrixXd W(d, k);
    for (int i = 0; i < k; ++i) W.col(i) = es.eigenvectors().col(d - 1 - i) * std::sqrt(avg);
    // The map has no offset, so W' x also carries W' mean, the same for every picture: a common
    // part that would pull all adapted vectors together (every score near 1). Removing the mean
    // direction from W drops it, and with it only the little the pictures vary along that direction.
    const double mean_norm = mean.norm();
    if (mean_norm > 0) {
        const Eigen::VectorXd m = mean / mean_norm;
        W -= m * (m.transpose() * W);
    }
    out.strength = std::min(params.strength * static_cast<double>(pairs.size()), params.max_strength);

    // g^2 W W' = U L U': thin QR of W, then the k x k eigenproblem of R R'.
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(W);
    const Eigen::MatrixXd Q = qr.householderQ() * Eigen::MatrixXd::Identity(d, k);
    const Eigen::MatrixXd R = qr.matrixQR().topRows(k).triangularView<Eigen::Upper>();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> small(out.strength * out.strength * (R * R.transpose()));
    if (small.info() != Eigen::Success) return identity(out, "the eigenproblem did not converge");
    const Eigen::MatrixXd U = Q * small.eigenvectors();

    LowRankAdapter ad;
    ad.dim = d;
    ad.rank = k;
    ad.alpha = static_cast<float>(k);
    ad.a.assign(static_cast<std::size_t>(k) * d, 0.0f);
    ad.b.assign(static_cast<std::size_t>(d) * k, 0.0f);
    for (int i = 0; i < k; ++i) {
        const double D = std::sqrt(1.0 + std::max(0.0, small.eigenvalues()(i))) - 1.0;
        const double s = std::sqrt(D);
        for (int j = 0; j < d; ++j) {
            const float v = static_cast<float>(U(j, i) * s);
            ad.a[static_cast<std::size_t>(i) * d + j] = v;
            ad.b[static_cast<std::size_t>(j) * k + i] = v;
        }
    }
    if (!ad.valid()) return identity(out, "the fit is not finite");
    out.fitted = true;
    out.adapter = std::move(ad);
    std::ostringstream msg;
    msg.precision(3);
    msg << "group discriminant: " << out.grouped_rows << " of " << rows.size() << " marked rows in " << out.groups
        << " groups of alike rows; " << k << " directions, strength " << out.strength;
    out.summary = msg.str();
    return out;
}

}  // namespace rv::learning
