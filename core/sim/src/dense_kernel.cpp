// Affine and Linear: y = W x (+ b). Dense inputs use an Eigen matrix product over the lane's
// samples; sparse inputs (spikes) take the event-driven path that adds only the weight
// columns of the active inputs, which is where a spiking network spends most of its time.
#include "kernel.hpp"

#include "nirb/error.hpp"

#include <Eigen/Core>
#include <fmt/core.h>

namespace nirb::sim::detail {
namespace {

/// An input block counts as sparse when at most this fraction of its values is nonzero; the
/// column path then reads nnz columns instead of the whole matrix.
constexpr double kSparseFraction = 0.25;

template <typename T>
class DenseKernel final : public Kernel<T> {
public:
    using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
    using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

    DenseKernel(const Node& node, const BuildContext& ctx) : m_q(ctx.quant.state) {
        const Tensor& w = node.require_tensor("weight");
        if (w.rank() < 2)
            throw Error(fmt::format("node '{}' ({}): weight must be at least 2-D, has shape {}",
                                    ctx.node_name, node.type(), shape_to_string(w.shape())));
        const auto rows = w.shape()[w.rank() - 2];
        const auto cols = w.shape()[w.rank() - 1];
        if (w.size() != rows * cols)
            throw Error(fmt::format("node '{}' ({}): stacked weights {} are not supported by the "
                                    "simulator",
                                    ctx.node_name, node.type(), shape_to_string(w.shape())));
        this->in_size = cols;
        this->out_size = rows;
        const auto values = to_compute<T>(w.to_doubles(), ctx.quant.weight);
        m_w.resize(rows, cols);
        for (std::int64_t o = 0; o < rows; ++o)
            for (std::int64_t i = 0; i < cols; ++i)
                m_w(o, i) = values[o * cols + i];
        if (ctx.schema->field("bias")) { // Affine
            const auto b = to_compute<T>(field_values(node, "bias", rows, ctx), ctx.quant.weight);
            m_bias = Eigen::Map<const Vector>(b.data(), rows);
            m_has_bias = true;
        }
    }

    double dense_ops_per_sample() const override {
        return static_cast<double>(this->in_size) * static_cast<double>(this->out_size);
    }

    void step(const T* in, T* out, T*, const StepContext& ctx) const override {
        const auto n_in = this->in_size;
        const auto n_out = this->out_size;
        Eigen::Map<const Matrix> x(in, n_in, ctx.batch);
        Eigen::Map<Matrix> y(out, n_out, ctx.batch);
        const auto nnz = (x.array() != T(0)).count();
        if (static_cast<double>(nnz) <= kSparseFraction * static_cast<double>(x.size())) {
            for (int b = 0; b < ctx.batch; ++b)
                accumulate_columns(in + b * n_in, y.col(b));
        } else {
            y.noalias() = m_w * x;
            if (m_has_bias)
                y.colwise() += m_bias;
        }
        quantize_block(m_q, out, static_cast<std::size_t>(n_out * ctx.batch));
    }

private:
    template <typename Col>
    void accumulate_columns(const T* x, Col&& y) const {
        if (m_has_bias)
            y = m_bias;
        else
            y.setZero();
        for (std::int64_t i = 0; i < this->in_size; ++i) {
            const T xi = x[i];
            if (xi == T(1))
                y += m_w.col(i);
            else if (xi != T(0))
                y += xi * m_w.col(i);
        }
    }

    Matrix m_w;
    Vector m_bias;
    bool m_has_bias = false;
    Quantizer m_q;
};

} // namespace

template <typename T>
std::unique_ptr<Kernel<T>> make_dense_kernel(const Node& node, const BuildContext& ctx) {
    return std::make_unique<DenseKernel<T>>(node, ctx);
}

template std::unique_ptr<Kernel<float>> make_dense_kernel<float>(const Node&, const BuildContext&);
template std::unique_ptr<Kernel<double>> make_dense_kernel<double>(const Node&,
                                                                   const BuildContext&);

} // namespace nirb::sim::detail
